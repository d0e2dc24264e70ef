using System.Security.Cryptography;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Gives each browser a random owner id (128 bits) in an HttpOnly, SameSite=Lax cookie: saved analyses belong to it, so without an
/// account a browser sees only its own work. With sign-in (<c>Auth:Mode=oidc</c>) the signed-in user is the owner instead, and
/// someone not signed in owns nothing. The id is put in <see cref="HttpContext.Items"/> for the app shell to hand to the circuit.
/// </summary>
public sealed class OwnerCookie(RequestDelegate next, AuthOptions auth)
{
    /// <summary>The key of the signed-in user's name in <see cref="HttpContext.Items"/>.</summary>
    public const string UserKey = "segments-user";

    /// <summary>The cookie's name.</summary>
    public const string Name = "segments-owner";

    /// <summary>The key of the owner id in <see cref="HttpContext.Items"/>.</summary>
    public const string ItemKey = "segments-owner";

    /// <summary>Reads or sets the cookie, then runs the rest of the pipeline.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (auth.IsOidc)
        {
            if (SignIn.OwnerOf(context.User) is { } user)
            {
                context.Items[ItemKey] = user;
                context.Items[UserKey] = SignIn.NameOf(context.User);
            }

            return next(context);
        }

        if (!context.Request.Cookies.TryGetValue(Name, out var value) || !IsValid(value))
        {
            value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            context.Response.Cookies.Append(Name, value, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                IsEssential = true,
                MaxAge = TimeSpan.FromDays(400),
                Path = "/",
            });
        }

        context.Items[ItemKey] = "browser:" + value;
        return next(context);
    }

    private static bool IsValid(string? value) => value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);
}
