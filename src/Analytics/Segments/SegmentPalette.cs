namespace Segmentation.Analytics.Segments;

/// <summary>The colour of each segment number, shared by the dashboard, reports and saved models.</summary>
public static class SegmentPalette
{
    /// <summary>Segment colours, segment 1 first; chosen to stay distinguishable in light and dark mode.</summary>
    public static IReadOnlyList<string> Colours { get; } =
    [
        "#3366CC", "#E8710A", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#17BECF", "#BCBD22", "#7F7F7F",
        "#1F3A93", "#F2B701", "#00A087", "#B03060", "#6A5ACD", "#A0522D", "#FF69B4", "#4682B4", "#556B2F", "#2F4F4F",
    ];

    /// <summary>The colour of 1-based segment <paramref name="number"/> (the palette repeats past its length).</summary>
    public static string Colour(int number) => Colours[(Math.Max(1, number) - 1) % Colours.Count];
}
