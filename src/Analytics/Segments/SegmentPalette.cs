namespace Segmentation.Analytics.Segments;

/// <summary>The colour and marker shape of each segment number, shared by the dashboard, reports and saved models.</summary>
/// <remarks>
/// The colours are the seven of Okabe and Ito's palette for colour-blind readers (blue, orange, bluish green, vermillion,
/// reddish purple, sky blue, yellow) and Paul Tol's wine as an eighth that stays visible in dark mode (their black does not).
/// Checked in the tests: under simulated protanopia and deuteranopia (Machado et al. 2009) every pair stays at least 0.07 apart
/// in OKLab, where the palette it replaced fell to 0.023 (its green and red). Shape is the second cue: six filled shapes that
/// cycle against eight colours, so no two of the first 24 segments share both.
/// </remarks>
public static class SegmentPalette
{
    /// <summary>Segment colours, segment 1 first.</summary>
    public static IReadOnlyList<string> Colours { get; } =
        ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#882255"];

    /// <summary>Marker shapes (apexcharts names), segment 1 first.</summary>
    public static IReadOnlyList<string> Shapes { get; } = ["circle", "square", "triangle", "diamond", "star", "sparkle"];

    /// <summary>The colour of 1-based segment <paramref name="number"/> (the palette repeats past its length).</summary>
    public static string Colour(int number) => Colours[(Math.Max(1, number) - 1) % Colours.Count];

    /// <summary>The marker shape of 1-based segment <paramref name="number"/>.</summary>
    public static string Shape(int number) => Shapes[(Math.Max(1, number) - 1) % Shapes.Count];

    /// <summary>A text colour readable on <paramref name="background"/> (#RRGGBB): black or white, whichever contrasts more (WCAG).</summary>
    public static string TextOn(string background)
    {
        var luminance = ColourScience.RelativeLuminance(background);
        return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000000" : "#FFFFFF";
    }
}
