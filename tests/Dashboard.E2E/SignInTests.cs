using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Segmentation.Dashboard.E2E;

/// <summary>The dashboard deployed for a team: <c>Auth:Mode=oidc</c> against a real OpenID Connect provider run by the test.</summary>
public class SignInDashboardServer : DashboardServer
{
    private IdentityProvider? _provider;

    /// <summary>The provider the dashboard signs in with.</summary>
    public IdentityProvider Provider => _provider ?? throw new InvalidOperationException("The provider is not started.");

    public override async Task InitializeAsync()
    {
        _provider = await IdentityProvider.StartAsync(() => BaseUrl + "/signin-oidc");
        await base.InitializeAsync();
    }

    protected override void Customize(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.Environment["Auth__Mode"] = "oidc";
        start.Environment["Auth__Authority"] = Provider.Issuer;
        start.Environment["Auth__ClientId"] = IdentityProvider.ClientId;
        start.Environment["Auth__ClientSecret"] = IdentityProvider.ClientSecret;
        start.Environment["Auth__RequireHttpsMetadata"] = "false";
    }

    /// <summary>Signs <paramref name="user"/> in, loads the sample, runs k = 2..5, keeps k = 4 and shares it: the analysis' address
    /// and its read-only link.</summary>
    public async Task<(string Address, string Link)> ShareAnAnalysisAsync(IPage page, string user)
    {
        ArgumentNullException.ThrowIfNull(page);
        await SignInTests.SignInAsync(page, BaseUrl, user);
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync(user);
        await page.GetByTestId("sample-data-button").ClickAsync();
        await Expect(page.GetByTestId("ingest-report")).ToContainTextAsync("8,950 rows");
        await PageSteps.RunSweepAsync(page, kTo: 5);
        await page.GetByTestId("k-option-4").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/analyses/[0-9a-f-]{36}/segment$"));
        var address = page.Url;
        await page.GetByTestId("nav-segments").ClickAsync();
        await Expect(page.GetByTestId("segment-card")).ToHaveCountAsync(4);
        await page.GetByTestId("share-link").ClickAsync();
        return (address, await page.Locator("input[data-testid=share-url], [data-testid=share-url] input").First.InputValueAsync());
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SignInDashboardGroup : ICollectionFixture<SignInDashboardServer>
{
    public const string Name = "dashboard with sign-in";
}

[Collection(SignInDashboardGroup.Name)]
public sealed class SignInTests(SignInDashboardServer server)
{
    [ChromiumFact]
    public async Task With_oidc_every_page_needs_sign_in_analyses_belong_to_the_user_and_a_share_link_opens_read_only_after_sign_in()
    {
        // Without a session nothing of the app answers but its health, its static files and the way to the provider.
        using (var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            using var page = await anonymous.GetAsync(server.BaseUrl + "/");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.StartsWith(server.Provider.Issuer + "connect/authorize", page.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
            using var hub = await anonymous.PostAsync(server.BaseUrl + "/_blazor/negotiate?negotiateVersion=1", null);
            Assert.NotEqual(HttpStatusCode.OK, hub.StatusCode);
            using var health = await anonymous.GetAsync(server.BaseUrl + "/health/live");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var css = await anonymous.GetAsync(server.BaseUrl + "/app.css");
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        }

        var errors = new List<string>();
        var (aliceContext, alice) = await PageSteps.NewPageAsync(server.Browser, errors);
        await using var _ = aliceContext;
        var (address, link) = await server.ShareAnAnalysisAsync(alice, "alice");
        await alice.GetByTestId("nav-library").ClickAsync();
        await Expect(alice.GetByTestId("library-row")).ToHaveCountAsync(1);

        // Bob opens the link: first the provider, then the segments, read-only. His own library is empty, and Alice's analysis
        // address is not his.
        var bobErrors = new List<string>();
        var (bobContext, bob) = await PageSteps.NewPageAsync(server.Browser, bobErrors);
        await using var __ = bobContext;
        await SignInAsync(bob, link, "bob");
        await Expect(bob.GetByTestId("readonly-banner")).ToBeVisibleAsync();
        await Expect(bob.GetByTestId("segment-card")).ToHaveCountAsync(4);
        await Expect(bob.GetByTestId("signed-in-user")).ToHaveTextAsync("bob");
        await bob.GotoAsync(server.BaseUrl + "/analyses");
        await Expect(bob.GetByTestId("library-empty")).ToBeVisibleAsync();
        var direct = await bob.GotoAsync(address);
        Assert.Equal((int)HttpStatusCode.NotFound, direct!.Status);

        // Signing out ends the dashboard's session; the page says so.
        await alice.GetByTestId("signout").ClickAsync();
        await Expect(alice.GetByTestId("signed-out")).ToBeVisibleAsync();
        Assert.DoesNotContain(await aliceContext.CookiesAsync(server.BaseUrl), c => c.Name.StartsWith("segments-auth", StringComparison.Ordinal));
        await PageSteps.ScreenshotAsync(bob, "signin-shared-bob");
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join('\n', errors));

        // Bob's only console line is the 404 he was meant to get: the analysis address that is not his.
        Assert.Single(bobErrors, e => e.Contains("status of 404", StringComparison.Ordinal));
        Assert.Single(bobErrors);
    }

    /// <summary>Goes to <paramref name="url"/>, is sent to the provider's login, signs in as <paramref name="user"/> and comes back.</summary>
    internal static async Task SignInAsync(IPage page, string url, string user)
    {
        await page.GotoAsync(url);
        await page.GetByTestId("idp-user").FillAsync(user);
        await page.GetByTestId("idp-submit").ClickAsync();
        var dashboard = new Uri(url).GetLeftPart(UriPartial.Authority);
        await page.WaitForURLAsync(address => address.StartsWith(dashboard + "/", StringComparison.Ordinal) && !address.Contains("/signin-oidc", StringComparison.Ordinal));
    }
}

/// <summary>Sign-in on, and share links allowed to open without it (<c>Sharing:AllowAnonymousLinks=true</c>).</summary>
public sealed class AnonymousLinksDashboardServer : SignInDashboardServer
{
    protected override void Customize(ProcessStartInfo start)
    {
        base.Customize(start);
        start!.Environment["Sharing__AllowAnonymousLinks"] = "true";
    }
}

[CollectionDefinition(Name)]
public sealed class AnonymousLinksDashboardGroup : ICollectionFixture<AnonymousLinksDashboardServer>
{
    public const string Name = "dashboard with sign-in and anonymous links";
}

[Collection(AnonymousLinksDashboardGroup.Name)]
public sealed class AnonymousLinkTests(AnonymousLinksDashboardServer server)
{
    [ChromiumFact]
    public async Task With_anonymous_links_a_share_link_opens_without_sign_in_and_nothing_else_does()
    {
        var errors = new List<string>();
        var (aliceContext, alice) = await PageSteps.NewPageAsync(server.Browser, errors);
        await using var _ = aliceContext;
        var (_, link) = await server.ShareAnAnalysisAsync(alice, "alice");

        var (strangerContext, stranger) = await PageSteps.NewPageAsync(server.Browser, errors);
        await using var __ = strangerContext;
        await stranger.GotoAsync(link);
        await Expect(stranger.GetByTestId("readonly-banner")).ToBeVisibleAsync();
        await Expect(stranger.GetByTestId("segment-card")).ToHaveCountAsync(4);
        Assert.Equal(0, await stranger.GetByTestId("signed-in-user").CountAsync());

        // The rest of the app, even reached inside the shared page's circuit, goes to the provider.
        await stranger.EvaluateAsync("() => Blazor.navigateTo('/segment')");
        await stranger.WaitForURLAsync(address => address.StartsWith(server.Provider.Issuer, StringComparison.Ordinal));
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var page = await anonymous.GetAsync(server.BaseUrl + "/analyses");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.True(errors.Count == 0, "Browser console errors:\n" + string.Join('\n', errors));
    }
}
