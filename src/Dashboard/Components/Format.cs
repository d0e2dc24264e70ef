using System.Globalization;

namespace Segmentation.Dashboard.Components;

/// <summary>Number formats used across the pages, in the user's culture (the browser's; en-US when there is none).</summary>
public static class Format
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The culture numbers are shown in: the circuit's, or en-US where the culture is the invariant one.</summary>
    public static CultureInfo Culture => CultureInfo.CurrentCulture.Name.Length == 0 ? English : CultureInfo.CurrentCulture;

    /// <summary>A share as a percentage: 0.273 → "27.3%" (en-US), "27,3 %" (de-DE); "–" when missing, "&lt;0.1%" when tiny.</summary>
    public static string Percent(double share)
    {
        if (double.IsNaN(share))
        {
            return "–";
        }

        var culture = Culture;
        return share > 0 && share < 0.0005 ? "<" + 0.001.ToString("P1", culture) : share.ToString("P1", culture);
    }

    /// <summary>A value in the data's units as the segment cards write it: "4,484", "978.9", "0.17" ("–" when missing); the
    /// report's rule (<see cref="Segmentation.Reporting.Charts.SvgChart.ShortNumber"/>) in the user's culture.</summary>
    public static string Number(double value) => Segmentation.Reporting.Charts.SvgChart.ShortNumber(value, Culture);
}
