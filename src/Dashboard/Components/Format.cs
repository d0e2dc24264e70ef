namespace Segmentation.Dashboard.Components;

/// <summary>Number formats used across the pages, independent of the server's culture.</summary>
public static class Format
{
    /// <summary>A share as a percentage: 0.273 → "27.3%" (the Analytics formatter, so pages, charts and exports agree).</summary>
    public static string Percent(double share) => Segmentation.Analytics.Segments.SegmentTraits.Percent(share);

    /// <summary>A value in the data's units as the segment cards write it: "4,484", "978.9", "0.17" ("–" when missing).</summary>
    public static string Number(double value) => double.IsFinite(value) ? Segmentation.Analytics.Segments.SegmentTraits.Number(value) : "–";
}
