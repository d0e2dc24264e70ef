namespace Segmentation.Dashboard.Components;

/// <summary>Number formats used across the pages, independent of the server's culture.</summary>
public static class Format
{
    /// <summary>A share as a percentage: 0.273 → "27.3%" (the Analytics formatter, so pages, charts and exports agree).</summary>
    public static string Percent(double share) => Segmentation.Analytics.Segments.SegmentTraits.Percent(share);
}
