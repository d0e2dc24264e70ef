using System.Globalization;
using System.Resources;

namespace Segmentation.Analytics.Resources;

/// <summary>
/// The words the analysis writes for people: segment names, recommendations, traits and the reason for the recommended k
/// (<c>AnalyticsTexts.resx</c>, English; a translation is <c>AnalyticsTexts.&lt;culture&gt;.resx</c> beside it). Text follows the
/// current UI culture and numbers the current culture (en-US when that is the invariant one), as the analysis runs in the user's.
/// </summary>
public static class AnalyticsTexts
{
    private static readonly ResourceManager Resources = new("Segmentation.Analytics.Resources.AnalyticsTexts", typeof(AnalyticsTexts).Assembly);

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The culture numbers are written in: the current one, en-US for the invariant one.</summary>
    public static CultureInfo Numbers => NumbersFor(null);

    /// <summary>The culture numbers are written in for <paramref name="culture"/> (the current one when null): itself, or en-US
    /// for the invariant culture, whose percent and date patterns no reader expects.</summary>
    public static CultureInfo NumbersFor(CultureInfo? culture) => (culture ?? CultureInfo.CurrentCulture) is { Name.Length: > 0 } named ? named : English;

    /// <summary>The text <paramref name="key"/> with its arguments formatted in <see cref="Numbers"/>.</summary>
    /// <exception cref="KeyNotFoundException">The resources have no such text (a programming error).</exception>
    public static string Get(string key, params object?[] arguments)
    {
        var text = Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new KeyNotFoundException($"No text '{key}' in AnalyticsTexts.resx.");
        return arguments.Length == 0 ? text : string.Format(Numbers, text, arguments);
    }
}
