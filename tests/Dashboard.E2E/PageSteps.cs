using System.Globalization;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>The steps journeys share: open the app, choose a file, run the sweep, take a screenshot.</summary>
internal static class PageSteps
{
    /// <summary>
    /// A new browser context (1440 × 1000, downloads accepted) and page whose console errors, page errors and unexpected dialogs
    /// are collected in <paramref name="errors"/>. Actions and assertions wait up to a minute: on a 2-core machine running the
    /// server, Chromium and the tests at once, an upload or a full re-render can take longer than Playwright's 5-second default;
    /// they still pass the moment the condition holds.
    /// </summary>
    public static async Task<(IBrowserContext Context, IPage Page)> NewPageAsync(IBrowser browser, List<string> errors, string? locale = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 }, AcceptDownloads = true, Locale = locale });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        page.Dialog += async (_, dialog) =>
        {
            errors.Add($"unexpected dialog: {dialog.Message}");
            await dialog.DismissAsync();
        };
        return (context, page);
    }

    public static async Task OpenAsync(IPage page, string baseUrl)
    {
        await page.GotoAsync(baseUrl);
        await Assertions.Expect(page.GetByTestId("sample-data-button")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Chooses a file as a user would, once the input listens. Blazor's InputFile attaches its change listener from
    /// OnAfterRenderAsync, a round trip after the input appears; a file set in that gap is never seen by the server, which
    /// a person cannot hit but a script on a loaded CI machine did. The listener's set-up marks the element.
    /// </summary>
    public static async Task UploadAsync(IPage page, string path)
    {
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=upload-input]')?._blazorInputFileNextFileId !== undefined");
        await page.GetByTestId("upload-input").SetInputFilesAsync(path);
    }

    public static async Task RunSweepAsync(IPage page, int? kTo = null, bool wait = true)
    {
        await page.GetByTestId("nav-segment").ClickAsync();
        await Assertions.Expect(page.GetByTestId("feature-list")).ToBeVisibleAsync();
        if (kTo is { } to)
        {
            await page.GetByTestId("k-max").FillAsync(to.ToString(CultureInfo.InvariantCulture));
            await page.GetByTestId("k-max").PressAsync("Tab");
        }

        await page.GetByTestId("run-analysis").ClickAsync();
        if (wait)
        {
            await Assertions.Expect(page.GetByTestId("recommended-k")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 180_000 });
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        // A full-page capture of a scrolled page draws the fixed app bar where the viewport was. Charts out of view are drawn in
        // idle time: wait for it, so that the capture shows every chart.
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.EvaluateAsync("async () => { for (let i = 0; i < 3; i++) await new Promise(r => requestIdleCallback(r, { timeout: 5000 })); }");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ScreenshotDirectory, name + ".png"), FullPage = true });
    }
}

/// <summary>A test class with one browser page per test against the shared server, its console errors collected.</summary>
public abstract class BrowserTestBase(DashboardServer server) : IAsyncLifetime
{
    protected DashboardServer Server { get; } = server;

    protected List<string> ConsoleErrors { get; } = [];

    protected IBrowserContext Context { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (Server.Browser is not null)
        {
            (Context, Page) = await PageSteps.NewPageAsync(Server.Browser, ConsoleErrors);
        }
    }

    public async Task DisposeAsync()
    {
        if (Context is not null)
        {
            await Context.DisposeAsync();
        }
    }
}
