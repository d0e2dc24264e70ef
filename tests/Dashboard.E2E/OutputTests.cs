using System.Buffers.Binary;
using System.Globalization;
using System.Xml.Linq;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>Issue 13 in Chromium: chart images and data, the report, accessibility (axe-core) and local formats.</summary>
[Collection(DashboardGroup.Name)]
public sealed class OutputTests(DashboardServer server) : BrowserTestBase(server)
{
    [ChromiumFact]
    public async Task Cc_general_k4_charts_download_as_images_show_their_data_and_everyPage_passes_axe()
    {
        await PageSteps.OpenAsync(Page, Server.BaseUrl);
        await PageSteps.UploadAsync(Page, Path.Combine(DashboardServer.SharedData, "cc_general.csv"));
        await Expect(Page.GetByTestId("ingest-report")).ToContainTextAsync("8,950 rows");
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Data");

        await Page.GetByTestId("nav-explore").ClickAsync();
        await Expect(Page.Locator("[data-testid=chart-correlation] svg").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Explore");

        await PageSteps.RunSweepAsync(Page);
        await Page.GetByTestId("k-option-4").ClickAsync();
        await Expect(Page.GetByTestId("k-option-4")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Page.Locator("[data-testid=chart-pca] svg").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Segment");
        await PageSteps.ScreenshotAsync(Page, "out-1-segment");

        foreach (var chart in new[] { "chart-pca", "chart-elbow" })
        {
            var box = await Page.Locator($"[data-testid={chart}] svg.apexcharts-svg").First.BoundingBoxAsync();
            Assert.NotNull(box);
            var png = await DownloadAsync(chart, "png");
            Assert.Equal([0x89, 0x50, 0x4E, 0x47], png[..4]);
            var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            Assert.InRange(width, box.Width - 2, box.Width + 2);
            Assert.InRange(height, box.Height - 2, box.Height + 2);
            Assert.True(png.Length > 10_000, $"{chart}.png is {png.Length} bytes");

            var svg = XDocument.Parse(System.Text.Encoding.UTF8.GetString(await DownloadAsync(chart, "svg")));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.InRange(double.Parse(svg.Root.Attribute("width")!.Value.Replace("px", "", StringComparison.Ordinal), CultureInfo.InvariantCulture), box.Width - 2, box.Width + 2);
            Assert.True(svg.Descendants().Count(e => e.Name.LocalName == "path") > (chart == "chart-pca" ? 500 : 5), $"{chart}.svg has too few shapes");
        }

        // The numbers behind the elbow: one row per k, the inertia falling as k grows.
        // By keyboard alone: the chart's menu button takes focus (with a visible outline), Enter opens it, the arrow keys and
        // Enter choose "Show data".
        var menuButton = Page.GetByTestId("chart-elbow-menu").Locator("button");
        await menuButton.FocusAsync();
        await Page.Keyboard.PressAsync("Tab");
        await Page.Keyboard.PressAsync("Shift+Tab");
        Assert.NotEqual("none", await menuButton.EvaluateAsync<string>("b => getComputedStyle(b).outlineStyle"));
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("chart-elbow-show-data")).ToBeVisibleAsync();
        await KeyboardChooseAsync("chart-elbow-show-data");
        var table = Page.GetByTestId("chart-elbow-data").Locator("table");
        await Expect(table).ToBeVisibleAsync();
        var ks = await table.Locator("tbody th").AllInnerTextsAsync();
        Assert.Equal(Enumerable.Range(2, ks.Count).Select(k => k.ToString(CultureInfo.InvariantCulture)), ks);
        var inertia = (await table.Locator("tbody td").AllInnerTextsAsync()).Select(v => double.Parse(v, CultureInfo.GetCultureInfo("en-US"))).ToArray();
        Assert.True(inertia.Zip(inertia.Skip(1)).All(p => p.First > p.Second), string.Join(", ", inertia));
        var csv = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("chart-elbow-csv").ClickAsync());
        using (var file = TempFile.Reserve())
        {
            await csv.SaveAsAsync(file.Path);
            var lines = await File.ReadAllLinesAsync(file.Path);
            Assert.Equal(ks.Count + 1, lines.Length);
            Assert.StartsWith("Number of segments (k),Inertia", lines[0], StringComparison.Ordinal);
        }

        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Segment with a data table");

        // The biplot: feature directions drawn over the map, and the loadings behind them.
        await Page.GetByLabel("Show the 6 strongest feature directions (biplot)").CheckAsync();
        await Expect(Page.GetByTestId("chart-pca")).ToContainTextAsync("Feature directions (PCA loadings)");
        await Page.GetByTestId("loadings-panel").ClickAsync();
        await Expect(Page.GetByTestId("loadings-table").Locator("tbody tr")).ToHaveCountAsync(17);
        await PageSteps.ScreenshotAsync(Page, "out-1b-biplot");

        await Page.GetByTestId("nav-segments").ClickAsync();
        await Expect(Page.GetByTestId("segment-card")).ToHaveCountAsync(4);
        await Expect(Page.Locator("[data-testid=chart-boxplot] svg").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("profiles-table").Locator("tbody tr")).ToHaveCountAsync(17);
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Segments");
        var xlsx = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("profiles-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename, StringComparison.Ordinal);
        using (var workbook = TempFile.Reserve(".xlsx"))
        {
            await xlsx.SaveAsAsync(workbook.Path);
            using var zip = System.IO.Compression.ZipFile.OpenRead(workbook.Path);
            Assert.Contains(zip.Entries, e => e.FullName == "xl/worksheets/sheet1.xml");
        }

        await PageSteps.ScreenshotAsync(Page, "out-1c-segments");
        var cards = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var card in await Page.GetByTestId("segment-card").AllAsync())
        {
            cards[await card.GetByTestId("segment-name").InnerTextAsync()] = await card.Locator(".mud-card-header .mud-typography-body2").InnerTextAsync();
        }

        await CheckReportAsync(cards);

        await Page.GetByTestId("nav-library").ClickAsync();
        await Expect(Page.GetByTestId("library-table")).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Library");
        Assert.True(ConsoleErrors.Count == 0, "Browser console errors:\n" + string.Join('\n', ConsoleErrors));
    }

    [ChromiumFact]
    public async Task A_German_browser_sees_German_numbers_and_exports_a_csv_German_excel_opens_in_columns()
    {
        var (german, page) = await PageSteps.NewPageAsync(Server.Browser, ConsoleErrors, locale: "de-DE");
        await using var _ = german;
        await PageSteps.OpenAsync(page, Server.BaseUrl);
        Assert.Equal("de-DE", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        await page.GetByTestId("sample-data-button").ClickAsync();
        await Expect(page.GetByTestId("ingest-report")).ToContainTextAsync("8.950 rows");
        await PageSteps.RunSweepAsync(page, kTo: 6);
        await page.GetByTestId("k-option-4").ClickAsync();
        await Expect(page.GetByTestId("k-option-4")).ToHaveAttributeAsync("aria-pressed", "true");

        // Chart axes in German: the elbow's inertia ticks are grouped with points (120.000), never with commas.
        await Expect(page.Locator("[data-testid=chart-elbow] svg").First).ToBeVisibleAsync();
        var ticks = await page.Locator("[data-testid=chart-elbow] .apexcharts-yaxis-label tspan").AllTextContentsAsync();
        Assert.NotEmpty(ticks);
        Assert.Contains(ticks, t => System.Text.RegularExpressions.Regex.IsMatch(t.Trim(), @"^\d{2,3}\.\d{3}$"));
        Assert.DoesNotContain(ticks, t => t.Contains(',', StringComparison.Ordinal) && t.Contains('.', StringComparison.Ordinal));
        await page.GetByTestId("chart-elbow-menu").Locator("button").ClickAsync();
        await page.GetByTestId("chart-elbow-show-data").ClickAsync();
        var inertia = await page.GetByTestId("chart-elbow-data").Locator("tbody td").First.InnerTextAsync();
        Assert.Matches(@"^\d{1,3}(\.\d{3})+(,\d+)?$", inertia);
        await PageSteps.ScreenshotAsync(page, "out-3-german-segment");

        await page.GetByTestId("nav-segments").ClickAsync();
        await Expect(page.GetByTestId("segment-card")).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("csv-format")).ToContainTextAsync("semicolon-separated, decimal comma");
        await Expect(page.GetByTestId("segment-card").First).ToContainTextAsync(" %");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-all").ClickAsync());
        using var file = TempFile.Reserve();
        await download.SaveAsAsync(file.Path);
        var bytes = await File.ReadAllBytesAsync(file.Path);

        // What Excel set to German needs to split the columns: a byte-order mark (UTF-8), ';' between fields, ',' in numbers.
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = System.Text.Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(';');
        Assert.Equal("CUST_ID", header[0]);
        Assert.Equal(8950, lines.Length - 1);
        var balance = Array.IndexOf(header, "BALANCE");
        var distance = Array.IndexOf(header, "distance_to_centroid");
        var row = lines[1].Split(';');
        Assert.Equal(header.Length, row.Length);
        Assert.Matches(@"^-?\d+(,\d+)?$", row[balance]);
        Assert.Contains(',', row[distance]);
        Assert.DoesNotContain('.', row[distance]);
        Assert.True(double.Parse(row[distance], System.Globalization.CultureInfo.GetCultureInfo("de-DE")) > 0);
        Assert.True(ConsoleErrors.Count == 0, "Browser console errors:\n" + string.Join('\n', ConsoleErrors));
    }

    /// <summary>
    /// Downloads the report, opens it with the network cut off (every section and chart there, nothing fetched), checks it with
    /// axe-core, prints it to PDF and reads each page: every segment on a page of its own, with the dashboard's numbers.
    /// </summary>
    private async Task CheckReportAsync(IReadOnlyDictionary<string, string> cards)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("download-report").ClickAsync());
        Assert.EndsWith("-k4-report.html", download.SuggestedFilename, StringComparison.Ordinal);
        using var file = TempFile.Reserve(".html");
        await download.SaveAsAsync(file.Path);

        await using var offline = await Server.Browser.NewContextAsync(new BrowserNewContextOptions { Offline = true });
        var requests = new List<string>();
        await offline.RouteAsync("**/*", async route =>
        {
            if (!route.Request.Url.StartsWith("file:", StringComparison.Ordinal))
            {
                requests.Add(route.Request.Url);
                await route.AbortAsync();
                return;
            }

            await route.ContinueAsync();
        });
        var report = await offline.NewPageAsync();
        await report.GotoAsync(new Uri(file.Path).AbsoluteUri);
        foreach (var section in new[] { "title", "summary", "preparation", "why-k", "map", "profiles", "method" })
        {
            await Expect(report.Locator($"[data-section={section}]")).ToBeVisibleAsync();
        }

        await Expect(report.Locator("[data-section=segment]")).ToHaveCountAsync(4);
        await Expect(report.Locator("svg[role=img]")).ToHaveCountAsync(6);
        foreach (var svg in await report.Locator("svg[role=img]").AllAsync())
        {
            var box = await svg.BoundingBoxAsync();
            Assert.True(box is { Width: > 300, Height: > 150 }, "a chart is drawn too small");
            Assert.True(await svg.Locator("text").CountAsync() > 5, "a chart has no labels");
        }

        Assert.Empty(requests);
        await Accessibility.AssertNoSeriousViolationsAsync(report, "the report");
        await report.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ScreenshotDirectory, "out-2-report.png"), FullPage = true });

        // Printed: each segment starts a page, and no page holds two segments.
        var pdf = await report.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true });
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => string.Join(' ', p.GetWords().Select(w => w.Text))).ToArray();
        Assert.True(pages.Length >= 7, $"{pages.Length} pages");
        foreach (var (name, line) in cards)
        {
            var starts = pages.Select((text, index) => (text, index)).Where(p => Squash(p.text).Contains(Squash(name), StringComparison.Ordinal) && p.text.Contains("SEGMENT", StringComparison.Ordinal)).ToArray();
            Assert.True(starts.Length >= 1, $"no page starts segment {name}");
            var page = pages[starts[0].index];
            Assert.StartsWith("SEGMENT", page.TrimStart(), StringComparison.Ordinal);
            Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(page, @"SEGMENT \d"));

            // The card's "3,990 customers · 44.6%" is the report's "3,990 customers · 44.6% of all".
            var numbers = line.Split(" · ")[0..2];
            Assert.Contains(Squash(string.Join(" · ", numbers)), Squash(page), StringComparison.Ordinal);
        }

        static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
    }

    [ChromiumFact]
    public async Task The_journey_works_by_keyboard_alone_with_a_visible_focus_and_the_dark_theme_passes_axe()
    {
        await PageSteps.OpenAsync(Page, Server.BaseUrl);

        // Dark theme first, from the keyboard: every page below is checked in it.
        await TabToAsync("theme-toggle");
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForFunctionAsync("() => getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'");

        await TabToAsync("sample-data-button");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("ingest-report")).ToContainTextAsync("8,950 rows", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Data (dark)");

        await TabToAsync("nav-segment");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("feature-list")).ToBeVisibleAsync();
        await TabToAsync("run-analysis", maxTabs: 120);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("recommended-k")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 180_000 });
        await TabToAsync("k-option-3", maxTabs: 160);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("k-option-3")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Page.Locator("[data-testid=chart-pca] svg").First).ToBeVisibleAsync();
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Segment (dark)");
        await PageSteps.ScreenshotAsync(Page, "keyboard-1-segment-dark");

        // Segments: a card's export by Enter downloads that segment's customers.
        await TabToAsync("nav-segments", backwards: true);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("segment-card")).ToHaveCountAsync(3);
        await Accessibility.AssertNoSeriousViolationsAsync(Page, "Segments (dark)");
        await TabToAsync("export-segment-1", maxTabs: 80);
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.Keyboard.PressAsync("Enter"));
        Assert.StartsWith("segment-1-", download.SuggestedFilename, StringComparison.Ordinal);
        await PageSteps.ScreenshotAsync(Page, "keyboard-2-segments-dark");
        Assert.True(ConsoleErrors.Count == 0, "Browser console errors:\n" + string.Join('\n', ConsoleErrors));
    }

    [ChromiumFact]
    public async Task The_culture_chosen_in_the_address_holds_for_the_whole_session_and_the_pseudo_locale_translates_every_page()
    {
        await Page.GotoAsync(Server.BaseUrl + "/?culture=de-DE&ui-culture=qps-Ploc");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("[Dàtà]");
        await Page.GetByTestId("sample-data-button").ClickAsync();
        await Expect(Page.GetByTestId("ingest-report")).ToContainTextAsync("8.950");

        // Later pages, links and reloads keep it: the choice is remembered for the session, not only for the first address.
        await Page.GetByTestId("nav-segment").ClickAsync();
        await Page.GetByTestId("run-analysis").ClickAsync();
        await Expect(Page.GetByTestId("recommended-k")).ToContainTextAsync("[Réçõmméñdéd", new LocatorAssertionsToContainTextOptions { Timeout = 180_000 });
        await Page.GetByTestId("k-option-4").ClickAsync();
        await Page.GetByTestId("nav-segments").ClickAsync();
        await Expect(Page.GetByTestId("segment-card")).ToHaveCountAsync(4);
        await Expect(Page.GetByTestId("segment-card").First).ToContainTextAsync("[Šégméñt");
        await Page.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("[Šégméñtš]");
        await PageSteps.ScreenshotAsync(Page, "pseudo-locale-segments");
    }

    /// <summary>Presses Tab (or Shift+Tab) until the control is focused, and checks that its focus ring is drawn.</summary>
    private async Task TabToAsync(string testId, int maxTabs = 60, bool backwards = false)
    {
        var selector = $"[data-testid={testId}]";
        for (var step = 0; step < maxTabs; step++)
        {
            await Page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            var focused = await Page.EvaluateAsync<string?>(
                "s => { const e = document.activeElement; const hit = e && e !== document.body && e.closest(s); return hit ? getComputedStyle(e).outlineStyle : null; }", selector);
            if (focused is not null)
            {
                Assert.True(focused != "none", $"{testId} has no focus ring: {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 300) + ' ' + getComputedStyle(document.activeElement).outline + ' ' + document.activeElement.matches(':focus-visible')")}");
                return;
            }
        }

        Assert.Fail($"{testId} was not reached in {maxTabs} presses of {(backwards ? "Shift+Tab" : "Tab")}; focus is on {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 200)")}");
    }

    /// <summary>Moves through the open menu with the arrow keys until the item is focused, then presses Enter.</summary>
    private async Task KeyboardChooseAsync(string testId)
    {
        for (var step = 0; step < 6; step++)
        {
            if (await Page.EvaluateAsync<bool>($"() => document.activeElement?.closest('[data-testid={testId}]') !== null"))
            {
                await Page.Keyboard.PressAsync("Enter");
                return;
            }

            await Page.Keyboard.PressAsync("ArrowDown");

            // The menu moves focus from the server, a round trip later.
            await Page.WaitForTimeoutAsync(300);
        }

        Assert.Fail($"{testId} could not be reached with the arrow keys; focus is on {await Page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 200)")}");
    }

    private async Task<byte[]> DownloadAsync(string chart, string kind)
    {
        await Page.GetByTestId($"{chart}-menu").Locator("button").ClickAsync();
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId($"{chart}-{kind}").ClickAsync());
        Assert.EndsWith("." + kind, download.SuggestedFilename, StringComparison.Ordinal);
        using var file = TempFile.Reserve();
        await download.SaveAsAsync(file.Path);
        return await File.ReadAllBytesAsync(file.Path);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
