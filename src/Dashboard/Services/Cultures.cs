using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Which cultures the app formats for and which languages its text is in. Numbers, dates and CSV exports follow any specific culture
/// the browser asks for (Accept-Language; <c>?culture=de-DE</c> to try one, remembered for the session); the text is English, and a translation is a resource
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

        // The address decides (?culture=, ?ui-culture=), then the choice remembered from it, then the browser's languages. The
        // circuit's connection is a request of its own without the address's query, so a choice made in the address is kept in a
        // session cookie (see Remember) for the hub and every later page to find.
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        return options;
    }

    /// <summary>After request localisation: a culture chosen in the address is remembered for the session (a cookie that ends with
    /// the browser session and holds only the culture names).</summary>
    public static IApplicationBuilder RememberCultureFromAddress(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var query = context.Request.Query;
        if ((query.ContainsKey("culture") || query.ContainsKey("ui-culture")) && context.Features.Get<IRequestCultureFeature>() is { Provider: QueryStringRequestCultureProvider } chosen)
        {
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(chosen.RequestCulture), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                IsEssential = true,
                Path = "/",
            });
        }

        return next(context);
    });
}
