namespace Segmentation.Dashboard.Services;

/// <summary>
/// Response headers and transport security for every response, pages and static files alike (NetEscapades.AspNetCore.SecurityHeaders).
/// </summary>
/// <remarks>
/// The content security policy is as strict as Blazor Server, MudBlazor and apexcharts allow:
/// <list type="bullet">
/// <item>Scripts only from this origin, with no inline script and no <c>eval</c>: the app shell has no inline script (no import map
/// either: modules are imported by their plain paths, which the static-asset endpoints serve too), and neither Blazor Server,
/// MudBlazor nor apexcharts 4.7 evaluates strings.</item>
/// <item>Styles from this origin plus <c>'unsafe-inline'</c>: MudBlazor renders <c>style</c> attributes for layout and colour,
/// apexcharts sets inline styles on the SVG it draws and injects its stylesheet as a <c>&lt;style&gt;</c> element, and Blazor's
/// reconnect display does the same. Inline styles cannot run script.</item>
/// <item>Images from this origin and <c>data:</c> (apexcharts' markers and the chart image exports), <c>blob:</c> for downloads
/// streamed from the server.</item>
/// <item><c>connect-src 'self'</c> covers the Blazor hub's WebSocket on the same origin.</item>
/// </list>
/// </remarks>
public static class WebSecurity
{
    /// <summary>The headers on every response.</summary>
    public static HeaderPolicyCollection Policy(bool https) => Apply(new HeaderPolicyCollection(), https);

    private static HeaderPolicyCollection Apply(HeaderPolicyCollection policy, bool https)
    {
        policy
            .AddContentTypeOptionsNoSniff()
            .AddFrameOptionsDeny()
            .AddReferrerPolicyNoReferrer()
            .AddCrossOriginOpenerPolicy(builder => builder.SameOrigin())
            .AddCrossOriginResourcePolicy(builder => builder.SameOrigin())
            .RemoveServerHeader()
            .AddContentSecurityPolicy(builder =>
            {
                builder.AddDefaultSrc().Self();
                builder.AddScriptSrc().Self();
                builder.AddStyleSrc().Self().UnsafeInline();
                builder.AddImgSrc().Self().Data().Blob();
                builder.AddFontSrc().Self().Data();
                builder.AddConnectSrc().Self();
                builder.AddObjectSrc().None();
                builder.AddBaseUri().Self();
                builder.AddFormAction().Self();
                builder.AddFrameAncestors().None();
            })
            .AddPermissionsPolicy(builder =>
            {
                builder.AddCamera().None();
                builder.AddMicrophone().None();
                builder.AddGeolocation().None();
                builder.AddPayment().None();
                builder.AddUsb().None();
                builder.AddFullscreen().Self();
            });
        if (https)
        {
            // Only on HTTPS responses (the middleware skips plain HTTP); a year, as browsers' preload rules ask.
            policy.AddStrictTransportSecurityMaxAge(maxAgeInSeconds: 365 * 24 * 60 * 60);
        }

        return policy;
    }

    /// <summary>
    /// Whether an HTTPS endpoint is configured (<c>--urls</c>/<c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints:*:Url</c> or
    /// <c>ASPNETCORE_HTTPS_PORT</c>): then plain HTTP redirects to it and responses carry HSTS.
    /// </summary>
    public static bool HttpsConfigured(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"] ?? string.Empty);
        return urls.Concat(endpoints).Any(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(configuration["https_port"]) || !string.IsNullOrEmpty(configuration["HTTPS_PORT"]);
    }

    /// <summary>Registers what the headers and transport need: no <c>Server</c> header from Kestrel, HSTS and the HTTPS port.</summary>
    public static WebApplicationBuilder AddWebSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.ConfigureKestrel(options => options.AddServerHeader = false);

        // The redirect middleware otherwise looks the HTTPS port up on the first request and keeps the answer; a request that
        // arrives while the server is still starting (a load balancer's probe) found none and turned the redirect off for good.
        if (HttpsPort(builder.Configuration) is { } port)
        {
            builder.Services.AddHttpsRedirection(options => options.HttpsPort = port);
        }

        return builder;
    }

    /// <summary>The port of the configured HTTPS endpoint (<c>ASPNETCORE_HTTPS_PORT</c>, else the first https URL with a port), or
    /// null when there is none or it is chosen at start-up (port 0).</summary>
    public static int? HttpsPort(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var setting in new[] { configuration["https_port"], configuration["HTTPS_PORT"] })
        {
            if (int.TryParse(setting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var configured) && configured > 0)
            {
                return configured;
            }
        }

        var urls = (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"] ?? string.Empty);
        foreach (var url in urls.Concat(endpoints).Where(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            // "https://*:8443" and "https://+:8443" are not URIs; the port is what follows the last colon of the authority.
            var authority = url["https://".Length..].Split('/')[0];
            var colon = authority.LastIndexOf(':');
            if (colon > 0 && int.TryParse(authority[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port > 0)
            {
                return port;
            }

            if (colon < 0 || authority.EndsWith(']'))
            {
                return 443;
            }
        }

        return null;
    }

    /// <summary>Adds the headers (first, so that they reach every response, static files and errors included) and, when HTTPS is
    /// configured, the redirect to it.</summary>
    public static WebApplication UseWebSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var https = HttpsConfigured(app.Configuration);
        app.UseSecurityHeaders(Policy(https));
        if (https)
        {
            app.UseHttpsRedirection();
        }

        return app;
    }
}
