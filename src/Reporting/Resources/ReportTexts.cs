using System.Globalization;
using System.Resources;

namespace Segmentation.Reporting.Resources;

/// <summary>
/// The text of charts, tables and the report (<c>ReportTexts.resx</c>, English; a translation is <c>ReportTexts.&lt;culture&gt;.resx</c>
/// beside it), in the current UI culture; numbers in its arguments are written in the current culture or the one given.
/// </summary>
public static class ReportTexts
{
    private static readonly ResourceManager Resources = new("Segmentation.Reporting.Resources.ReportTexts", typeof(ReportTexts).Assembly);

    /// <summary>The culture numbers are written in: <paramref name="culture"/> (the current one when null), en-US for the invariant one.</summary>
    public static CultureInfo Numbers(CultureInfo? culture = null) => Segmentation.Analytics.Resources.AnalyticsTexts.NumbersFor(culture);

    /// <summary>A share as a percentage in <paramref name="culture"/>: "27.3%" (en-US), "27,3 %" (de-DE); "–" when missing, "&lt;0.1%" when tiny.</summary>
    public static string Percent(double share, CultureInfo? culture = null) => Segmentation.Analytics.Segments.SegmentTraits.Percent(share, culture);

    /// <summary>The language the texts are in, for <c>lang</c> attributes: the current UI culture or the nearest parent that has a
    /// translation; "en" (the neutral resources) when none has.</summary>
    public static string Language
    {
        get
        {
            for (var culture = CultureInfo.CurrentUICulture; culture.Name.Length > 0; culture = culture.Parent)
            {
                if (Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false) is not null)
                {
                    return culture.Name;
                }
            }

            return "en";
        }
    }

    /// <summary>The text <paramref name="key"/> with its arguments formatted in the current culture.</summary>
    public static string Get(string key, params object[] arguments) => In(Numbers(), key, arguments);

    /// <summary>The text <paramref name="key"/> with its arguments formatted in <paramref name="culture"/>.</summary>
    public static string In(CultureInfo culture, string key, params object[] arguments)
    {
        var text = Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new KeyNotFoundException($"No text '{key}' in ReportTexts.resx.");
        return arguments.Length == 0 ? text : string.Format(culture, text, arguments);
    }
}
