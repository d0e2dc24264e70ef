using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Who may use the dashboard: <c>Auth:Mode</c> <c>none</c> (the default: one person on their own machine, analyses belong to the
/// browser) or <c>oidc</c> (a team deployment: sign-in with the standard OpenID Connect handler, analyses belong to the user).
/// </summary>
public sealed class AuthOptions
{
    /// <summary>"none" or "oidc".</summary>
    public string Mode { get; set; } = "none";

    /// <summary>The OpenID Connect provider (its issuer URL).</summary>
    public string? Authority { get; set; }

    /// <summary>This app's client id at the provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>This app's client secret (from configuration or the environment, <c>Auth__ClientSecret</c>; never in the repository).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Whether the provider's metadata must come over HTTPS (true; false only for a provider on this machine in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether sign-in is on.</summary>
    public bool IsOidc => string.Equals(Mode, "oidc", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Read-only share links with sign-in on: <c>Sharing:AllowAnonymousLinks</c> lets them open without signing in.</summary>
public sealed class SharingOptions
{
    /// <summary>Whether a share link opens for someone who is not signed in (with <c>Auth:Mode=oidc</c>; without sign-in they always do).</summary>
    public bool AllowAnonymousLinks { get; set; }
}

/// <summary>Sign-in with OpenID Connect, and the rule that with it on, every page, download and the Blazor hub need a signed-in user.</summary>
public static class SignIn
{
    /// <summary>The prefix of a signed-in user's owner id; a browser's is "browser:".</summary>
    public const string OwnerPrefix = "user:";

    /// <summary>Registers authentication and authorisation for <c>Auth</c> and <c>Sharing</c>.</summary>
    /// <exception cref="InvalidOperationException"><c>Auth:Mode</c> is unknown, or oidc lacks its authority or client id.</exception>
    public static AuthOptions AddSignIn(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var auth = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        var sharing = builder.Configuration.GetSection("Sharing").Get<SharingOptions>() ?? new SharingOptions();
        builder.Services.AddSingleton(auth);
        builder.Services.AddSingleton(sharing);
        if (!auth.IsOidc)
        {
            if (!string.Equals(auth.Mode, "none", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Auth:Mode must be none or oidc, not \"{auth.Mode}\".");
            }

            return auth;
        }

        if (string.IsNullOrWhiteSpace(auth.Authority) || string.IsNullOrWhiteSpace(auth.ClientId))
        {
            throw new InvalidOperationException("Auth:Mode is oidc but Auth:Authority or Auth:ClientId is not set.");
        }

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "segments-auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(12);
                options.SlidingExpiration = true;
            })
            .AddOpenIdConnect(options =>
            {
                options.Authority = auth.Authority;
                options.ClientId = auth.ClientId;
                options.ClientSecret = auth.ClientSecret;
                options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                options.ResponseType = "code";
                options.UsePkce = true;
                options.SaveTokens = false;
                options.MapInboundClaims = false;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                options.TokenValidationParameters.NameClaimType = "name";

                // The provider answers with a top-level GET back to this app, which Lax cookies accompany.
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });

        builder.Services.AddSingleton<IAuthorizationHandler, SignedInHandler>();
        builder.Services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder().AddRequirements(new SignedInRequirement()).Build());
        return auth;
    }

    /// <summary>Authentication and authorisation in the pipeline (nothing without sign-in).</summary>
    public static void UseSignIn(this WebApplication app, AuthOptions auth)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(auth);
        if (!auth.IsOidc)
        {
            return;
        }

        app.UseAuthentication();
        app.UseAuthorization();

        // Sign in (the handler redirects to the provider and back to the page asked for) and out (a form post with its antiforgery token).
        app.MapGet("/signin", (HttpContext context, string? returnUrl) => context.User.Identity?.IsAuthenticated == true
            ? Results.LocalRedirect(LocalOnly(returnUrl))
            : Results.Challenge(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme])).AllowAnonymous();
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            {
                return Results.BadRequest();
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
            return Results.LocalRedirect("~/signed-out");
        }).AllowAnonymous().DisableAntiforgery();
    }

    /// <summary>The owner id of a signed-in user: one per issuer and subject, hashed so that the store holds no e-mail or name.</summary>
    public static string? OwnerOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || user.FindFirst("sub") is not { } subject)
        {
            return null;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{subject.Issuer}\n{subject.Value}"));
        return OwnerPrefix + Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>What the app bar calls the signed-in user: the name claim, else the preferred user name, else the subject.</summary>
    public static string? NameOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.IsAuthenticated == true ? user.FindFirst("name")?.Value ?? user.FindFirst("preferred_username")?.Value ?? user.FindFirst("sub")?.Value : null;
    }

    /// <summary>Whether a relative address is a share link's ("shared/TOKEN…").</summary>
    public static bool IsSharedAddress(string relative) => relative.StartsWith("shared/", StringComparison.Ordinal);

    private static string LocalOnly(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    /// <summary>Signed in; or, with anonymous links allowed, a share link's page or the hub that serves it.</summary>
    private sealed class SignedInRequirement : IAuthorizationRequirement;

    private sealed class SignedInHandler(SharingOptions sharing) : AuthorizationHandler<SignedInRequirement>
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SignedInRequirement requirement)
        {
            if (context.User.Identity?.IsAuthenticated == true
                || (sharing.AllowAnonymousLinks && context.Resource is HttpContext http
                    && (http.Request.Path.StartsWithSegments("/shared", StringComparison.Ordinal) || http.Request.Path.StartsWithSegments("/_blazor", StringComparison.Ordinal))))
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }
}
