using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Segmentation.Dashboard.E2E;

/// <summary>
/// A real OpenID Connect provider (OpenIddict: authorization code with PKCE, signed identity tokens, discovery) on a free local port,
/// with one client, the dashboard, and a login form where the test types who it is. Nothing is stored: it runs in OpenIddict's
/// degraded mode, with the client checked in its validation events.
/// </summary>
public sealed class IdentityProvider : IAsyncDisposable
{
    public const string ClientId = "segments-dashboard";

    // A secret for this test's provider only; the dashboard receives it through its environment, as a deployment would.
    public const string ClientSecret = "e2e-only-client-secret";

    private readonly WebApplication _app;

    private IdentityProvider(WebApplication app, string issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The provider's issuer (and authority) URL.</summary>
    public string Issuer { get; }

    /// <summary>Starts the provider; <paramref name="redirectUri"/> gives the one redirect address the dashboard may use.</summary>
    public static async Task<IdentityProvider> StartAsync(Func<string> redirectUri)
    {
        var issuer = $"http://127.0.0.1:{DashboardServer.FreePort()}/";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(issuer);
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "idp-login";
                options.LoginPath = "/login";
            });
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(new Uri(issuer));
            options.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile);
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            options.DisableAccessTokenEncryption();
            options.EnableDegradedMode();
            options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (context.RedirectUri != redirectUri())
                {
                    context.Reject(Errors.InvalidRequest, "This redirect_uri is not the dashboard's.");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client or wrong secret.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/login", (string? returnUrl) => Results.Content(
            $"""
            <!DOCTYPE html><html lang="en"><head><title>Test sign-in</title></head><body>
            <form method="post" action="/login"><input type="hidden" name="returnUrl" value="{System.Net.WebUtility.HtmlEncode(returnUrl ?? "/")}" />
            <label>User <input name="user" data-testid="idp-user" /></label><button type="submit" data-testid="idp-submit">Sign in</button></form>
            </body></html>
            """, "text/html"));
        app.MapPost("/login", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            var user = form["user"].ToString();
            var returnUrl = form["returnUrl"].ToString();
            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user)], CookieAuthenticationDefaults.AuthenticationScheme);
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(returnUrl.StartsWith('/') ? returnUrl : "/");
        });
        app.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext context) =>
        {
            var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var login = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            if (!login.Succeeded || login.Principal.Identity?.Name is not { Length: > 0 } name)
            {
                return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.Path + context.Request.QueryString }, [CookieAuthenticationDefaults.AuthenticationScheme]);
            }

            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, "subject-" + name).SetClaim(Claims.Name, name);
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        await app.StartAsync();
        return new IdentityProvider(app, issuer);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
