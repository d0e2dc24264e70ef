using System.Globalization;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>The steps journeys share: open the app, choose a file, run the sweep, take a screenshot.</summary>
internal static class PageSteps
{
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

    public static async Task RunSweepAsync(IPage page, int? kTo = null)
    {
        await page.GetByTestId("nav-segment").ClickAsync();
        await Assertions.Expect(page.GetByTestId("feature-list")).ToBeVisibleAsync();
        if (kTo is { } to)
        {
            await page.GetByTestId("k-max").FillAsync(to.ToString(CultureInfo.InvariantCulture));
            await page.GetByTestId("k-max").PressAsync("Tab");
        }

        await page.GetByTestId("run-analysis").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recommended-k")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 180_000 });
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
