using System.Globalization;

namespace Segmentation.Analytics.Segments;

/// <summary>
/// The little colour science the charts need: sRGB ↔ OKLab (Björn Ottosson's perceptual space, where equal distances look
/// equally different), WCAG relative luminance, and diverging scales made by even steps in OKLab.
/// </summary>
/// <remarks>Written here rather than taken from a package: none in the registry does OKLab, and it is three small matrices.</remarks>
public static class ColourScience
{
    /// <summary>A colour in OKLab: lightness 0–1 and the two opponent axes.</summary>
    public readonly record struct OkLab(double L, double A, double B)
    {
        /// <summary>Euclidean distance, the perceptual difference.</summary>
        public double DistanceTo(OkLab other) =>
            Math.Sqrt(((L - other.L) * (L - other.L)) + ((A - other.A) * (A - other.A)) + ((B - other.B) * (B - other.B)));
    }

    /// <summary>Linear-light sRGB components (0–1) of <paramref name="hex"/> (#RRGGBB).</summary>
    public static (double R, double G, double B) ToLinear(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 7 || hex[0] != '#' || !int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"'{hex}' is not a #RRGGBB colour.", nameof(hex));
        }

        return (Decode((value >> 16) & 0xFF), Decode((value >> 8) & 0xFF), Decode(value & 0xFF));

        static double Decode(int channel)
        {
            var c = channel / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
    }

    /// <summary>#RRGGBB of linear-light components, clipped to the gamut.</summary>
    public static string FromLinear(double r, double g, double b)
    {
        return string.Create(CultureInfo.InvariantCulture, $"#{Encode(r):X2}{Encode(g):X2}{Encode(b):X2}");

        static int Encode(double c)
        {
            c = Math.Clamp(c, 0, 1);
            var s = c <= 0.0031308 ? 12.92 * c : (1.055 * Math.Pow(c, 1 / 2.4)) - 0.055;
            return (int)Math.Round(s * 255);
        }
    }

    /// <summary>OKLab of linear-light sRGB.</summary>
    public static OkLab ToOkLab(double r, double g, double b)
    {
        var l = Math.Cbrt((0.4122214708 * r) + (0.5363325363 * g) + (0.0514459929 * b));
        var m = Math.Cbrt((0.2119034982 * r) + (0.6806995451 * g) + (0.1073969566 * b));
        var s = Math.Cbrt((0.0883024619 * r) + (0.2817188376 * g) + (0.6299787005 * b));
        return new OkLab(
            (0.2104542553 * l) + (0.7936177850 * m) - (0.0040720468 * s),
            (1.9779984951 * l) - (2.4285922050 * m) + (0.4505937099 * s),
            (0.0259040371 * l) + (0.7827717662 * m) - (0.8086757660 * s));
    }

    /// <summary>OKLab of <paramref name="hex"/>.</summary>
    public static OkLab ToOkLab(string hex)
    {
        var (r, g, b) = ToLinear(hex);
        return ToOkLab(r, g, b);
    }

    /// <summary>#RRGGBB of an OKLab colour.</summary>
    public static string FromOkLab(OkLab lab)
    {
        var l = lab.L + (0.3963377774 * lab.A) + (0.2158037573 * lab.B);
        var m = lab.L - (0.1055613458 * lab.A) - (0.0638541728 * lab.B);
        var s = lab.L - (0.0894841775 * lab.A) - (1.2914855480 * lab.B);
        l = l * l * l;
        m = m * m * m;
        s = s * s * s;
        return FromLinear(
            (4.0767416621 * l) - (3.3077085797 * m) + (0.2309468907 * s),
            (-1.2684380046 * l) + (2.6097574011 * m) - (0.3413193965 * s),
            (-0.0041960863 * l) - (0.7034186147 * m) + (1.7076152823 * s));
    }

    /// <summary>WCAG 2 relative luminance of <paramref name="hex"/>.</summary>
    public static double RelativeLuminance(string hex)
    {
        var (r, g, b) = ToLinear(hex);
        return (0.2126 * r) + (0.7152 * g) + (0.0722 * b);
    }

    /// <summary>
    /// A diverging scale of <paramref name="steps"/> colours (odd, at least 3): from <paramref name="low"/> through
    /// <paramref name="middle"/> to <paramref name="high"/>, each arm in equal steps of OKLab so that equal differences in value
    /// look equally different.
    /// </summary>
    public static IReadOnlyList<string> Diverging(int steps, string low = "#4393C3", string middle = "#F5F5F5", string high = "#D6604D")
    {
        if (steps < 3 || steps % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "A diverging scale needs an odd number of steps, at least 3.");
        }

        var half = steps / 2;
        var (a, m, b) = (ToOkLab(low), ToOkLab(middle), ToOkLab(high));
        var colours = new string[steps];
        for (var i = 0; i <= half; i++)
        {
            var t = i / (double)half;
            colours[half - i] = FromOkLab(Mix(m, a, t));
            colours[half + i] = FromOkLab(Mix(m, b, t));
        }

        return colours;

        static OkLab Mix(OkLab from, OkLab to, double t) =>
            new(from.L + ((to.L - from.L) * t), from.A + ((to.A - from.A) * t), from.B + ((to.B - from.B) * t));
    }

    /// <summary>The 7-step diverging scale of the heatmaps (correlations, profiles), cold to warm; its ends are light enough for black
    /// cell labels (contrast at least 4.5:1).</summary>
    public static IReadOnlyList<string> HeatmapDiverging { get; } = Diverging(7);
}
