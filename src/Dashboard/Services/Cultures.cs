using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Which cultures the app formats for and which languages its text is in. Numbers, dates and CSV exports follow any specific culture
/// the browser asks for (Accept-Language; <c>?culture=de-DE</c> to try one); the text is English, and a translation is a resource
/// file (<c>Resources/Strings.&lt;culture&gt;.resx</c>), as the pseudo-locale <c>qps-Ploc</c> shows (<c>?ui-culture=qps-Ploc</c>).
/// </summary>
public static class Cultures
{
    /// <summary>The languages the UI text exists in.</summary>
    public static IReadOnlyList<string> UiLanguages { get; } = ["en", "qps-Ploc"];

    public static RequestLocalizationOptions Options()
    {
        var formats = CultureInfo.GetCultures(CultureTypes.SpecificCultures).Where(c => c.Name.Length > 0).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("en-US", "en"),
            SupportedCultures = formats,
            SupportedUICultures = UiLanguages.Select(CultureInfo.GetCultureInfo).ToList(),
            FallBackToParentUICultures = true,
            FallBackToParentCultures = true,
        };

        // The query string and the browser's languages decide; no cookie, so nothing is stored for it.
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        return options;
    }
}
