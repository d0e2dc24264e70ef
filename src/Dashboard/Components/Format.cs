using System.Globalization;

namespace Segmentation.Dashboard.Components;

/// <summary>Number formats used across the pages, in the user's culture (the browser's; en-US when there is none).</summary>
public static class Format
{
    /// <summary>The culture numbers are shown in: the circuit's, or en-US where the culture is the invariant one.</summary>
    public static CultureInfo Culture => Segmentation.Analytics.Resources.AnalyticsTexts.Numbers;

    /// <summary>A share as a percentage: 0.273 → "27.3%" (en-US), "27,3 %" (de-DE); "–" when missing, "&lt;0.1%" when tiny.</summary>
    public static string Percent(double share) => Segmentation.Analytics.Segments.SegmentTraits.Percent(share);

    /// <summary>A value in the data's units as the segment cards write it: "4,484", "978.9", "0.17" ("–" when missing); the
    /// report's rule (<see cref="Segmentation.Reporting.Charts.SvgChart.ShortNumber"/>) in the user's culture.</summary>
    public static string Number(double value) => Segmentation.Reporting.Charts.SvgChart.ShortNumber(value, Culture);
}
