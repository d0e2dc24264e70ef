using System.Globalization;

namespace Segmentation.Dashboard.Components;

/// <summary>Number formats used across the pages, independent of the server's culture.</summary>
public static class Format
{
    private static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("en-US");

    /// <summary>A share as a percentage with one decimal and no space: 0.2730 → "27.3%"; a share that rounds to 0 but is not 0 → "&lt;0.1%".</summary>
    public static string Percent(double share) => double.IsNaN(share) ? "–"
        : share > 0 && share < 0.0005 ? "<0.1%"
        : (share * 100).ToString("0.0", Culture) + "%";
}
