using System.Net;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>Issue #10 on the default store (SQLite).</summary>
[Collection(DashboardGroup.Name)]
public sealed class PersistenceTests(DashboardServer fixture) : PersistenceJourney(fixture)
{
    [ChromiumFact]
    public Task A_renamed_segmentation_survives_a_reload_and_a_restart_is_listed_and_shares_read_only() => JourneyAsync();

    /// <summary>
    /// The first save gives the analysis its address. A user who clicks another page while that save is under way, the save ending
    /// before the server has heard of the click (here the store is kept busy, then the tab's messages are held back 4 s), stays on
    /// the page they chose, under the analysis's address. The address was once set from the server's idea of the page, which sent such
    /// users back to the page they had left (seen under load as a Segments page that never showed its cards).
    /// </summary>
    [ChromiumFact]
    public async Task A_page_chosen_while_the_first_save_is_under_way_is_where_the_user_stays()
    {
        await using var context = await Server.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        var page = await context.NewPageAsync();
        // While holdBack is set, what the tab sends reaches the server 4 s after it was sent; order is kept, so what follows a held
        // message waits for it, and no message waits more than 4 s.
        var holdBack = false;
        await page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/_blazor"), socket =>
        {
            var toServer = socket.ConnectToServer();
            var order = Task.CompletedTask;
            var gate = new object();
            socket.OnMessage(frame =>
            {
                lock (gate)
                {
                    var due = DateTime.UtcNow + (Volatile.Read(ref holdBack) ? TimeSpan.FromSeconds(4) : TimeSpan.Zero);
                    order = order.ContinueWith(async _ =>
                    {
                        var wait = due - DateTime.UtcNow;
                        if (wait > TimeSpan.Zero)
                        {
                            await Task.Delay(wait);
                        }

                        Forward(frame, toServer);
                    }, TaskScheduler.Default).Unwrap();
                }
            });
            toServer.OnMessage(frame => Forward(frame, socket));
        });

        await page.GotoAsync(Server.BaseUrl);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=upload-input]')?._blazorInputFileNextFileId !== undefined");
        await page.GetByTestId("upload-input").SetInputFilesAsync(Path.Combine(DashboardServer.SharedData, "cc_general.csv"));
        await Assertions.Expect(page.GetByTestId("column-table")).ToContainTextAsync("CUST_ID");
        await page.GetByTestId("nav-segment").ClickAsync();

        // The store is kept busy (another connection holds SQLite's write lock), so the first save waits while the results show.
        // The click on Segments is then held back, and the save finishes while the click is still on its way to the server.
        Assert.Equal("sqlite", Server.Storage.Provider);
        var writer = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Server.Storage.Setting};Pooling=False");
        await using (writer)
        {
            await writer.OpenAsync();
            await using (var begin = writer.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            await page.GetByTestId("run-analysis").ClickAsync();
            await Assertions.Expect(page.GetByTestId("recommended-k")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 180_000 });
            Assert.DoesNotContain("/analyses/", page.Url, StringComparison.Ordinal);
            Volatile.Write(ref holdBack, true);
            await page.GetByTestId("nav-segments").ClickAsync();
            await page.WaitForTimeoutAsync(300);
            Volatile.Write(ref holdBack, false);
            await using var commit = writer.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/analyses/[0-9a-f-]{36}/segments$"), new PageWaitForURLOptions { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Segments", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("segment-card")).Not.ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(2000);
        Assert.Matches("/analyses/[0-9a-f-]{36}/segments$", page.Url);
    }

    private static void Forward(IWebSocketFrame frame, IWebSocketRoute to)
    {
        if (frame.Binary is { } bytes)
        {
            to.Send(bytes);
        }
        else
        {
            to.Send(frame.Text ?? string.Empty);
        }
    }
}

/// <summary>Issue #10 with Storage:Provider=postgres against a real server.</summary>
[Collection(PostgresDashboardGroup.Name)]
public sealed class PostgresPersistenceTests(PostgresDashboardServer server) : PersistenceJourney(server)
{
    [PostgresFact]
    public Task On_postgres_a_renamed_segmentation_survives_a_reload_and_a_restart_is_listed_and_shares_read_only()
    {
        Assert.Equal("postgres", server.Storage.Provider);
        return JourneyAsync();
    }
}

/// <summary>In Chromium: autosave, reopen by URL after a reload and a server restart, the library, and read-only sharing.</summary>
public abstract class PersistenceJourney(DashboardServer server) : IAsyncLifetime
{
    private IBrowserContext _owner = null!;
    private IPage _page = null!;

    /// <summary>The app under test.</summary>
    protected DashboardServer Server => server;

    public async Task InitializeAsync()
    {
        if (server.Browser is null)
        {
            return;
        }

        _owner = await server.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 1000 } });
        await _owner.AddInitScriptAsync(OpenClock);
        _page = await _owner.NewPageAsync();
        _page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
    }

    public async Task DisposeAsync()
    {
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }
    }

    protected async Task JourneyAsync()
    {
        await _page.GotoAsync(server.BaseUrl);
        await _page.WaitForFunctionAsync("() => document.querySelector('[data-testid=upload-input]')?._blazorInputFileNextFileId !== undefined");
        await _page.GetByTestId("upload-input").SetInputFilesAsync(Path.Combine(DashboardServer.SharedData, "cc_general.csv"));
        await Expect(_page.GetByTestId("column-table")).ToContainTextAsync("CUST_ID");
        await _page.GetByTestId("nav-segment").ClickAsync();
        await _page.GetByTestId("run-analysis").ClickAsync();
        await Expect(_page.GetByTestId("recommended-k")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 180_000 });
        await _page.GetByTestId("k-option-4").ClickAsync();
        await Expect(_page.GetByTestId("k-option-4")).ToHaveAttributeAsync("aria-pressed", "true");

        // The first save gives the analysis its address; the page is then shown under it.
        await _page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/analyses/[0-9a-f-]{36}/segment$"));
        await _page.GetByTestId("nav-segments").ClickAsync();
        await Expect(_page.GetByTestId("segment-card")).ToHaveCountAsync(4);
        var notes = _page.Locator("textarea[data-testid=analysis-notes], [data-testid=analysis-notes] textarea").First;
        await notes.FillAsync("For the December campaign; <b>check</b> with risk first.");
        await notes.PressAsync("Tab");
        await _page.WaitForTimeoutAsync(1000);
        await _page.GetByTestId("edit-segment-1").ClickAsync();
        await _page.Locator("input[data-testid=segment-name-input], [data-testid=segment-name-input] input").First.FillAsync("Our best customers");
        await _page.GetByTestId("save-segment").ClickAsync();
        await Expect(_page.GetByTestId("segment-name").First).ToHaveTextAsync("Our best customers");
        await Expect(_page.GetByTestId("saved-at")).ToContainTextAsync("Saved ");
        await _page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/analyses/[0-9a-f-]{36}/segments$"));
        var address = _page.Url;
        var id = address.Split("/analyses/")[1].Split('/')[0];

        // Reload: the same k and names, without uploading again.
        await WaitForSaveAsync("Our best customers");
        await _page.ReloadAsync();
        await AssertRestoredAsync();
        await Expect(_page.Locator("textarea[data-testid=analysis-notes], [data-testid=analysis-notes] textarea").First).ToHaveValueAsync("For the December campaign; <b>check</b> with risk first.");

        // Restart the server: the address opens the same analysis, timed on the restarted server (cold) and then in fresh tabs on the
        // warm one. The tab that was open is told that the server restarted and is brought back to the same analysis by itself.
        await server.RestartServerAsync();
        var cold = await TimeOpenAsync(address);
        await Expect(_page.GetByTestId("restart-notice")).ToContainTextAsync("The server restarted", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        Assert.Equal(address, _page.Url);
        await AssertRestoredAsync();
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ScreenshotDirectory, $"restarted-{server.Storage.Provider}.png") });
        await _page.ReloadAsync();
        await AssertRestoredAsync();
        Assert.Equal(0, await _page.GetByTestId("restart-notice").CountAsync());
        var warm = new List<OpenTiming>();
        for (var i = 0; i < 5; i++)
        {
            warm.Add(await TimeOpenAsync(address));
        }

        await File.WriteAllTextAsync(
            Path.Combine(Path.GetDirectoryName(DashboardServer.ScreenshotDirectory)!, $"open-timings-{server.Storage.Provider}.json"),
            System.Text.Json.JsonSerializer.Serialize(new { provider = server.Storage.Provider, rows = 8950, coldServer = cold, warmServer = warm }));
        await _page.GetByTestId("nav-segment").ClickAsync();
        await Expect(_page.GetByTestId("k-option-4")).ToHaveAttributeAsync("aria-pressed", "true");

        // The library lists it with its segment names.
        await _page.GetByTestId("nav-library").ClickAsync();
        var row = _page.Locator($"[data-testid=library-row][data-analysis-id='{id}']");
        await Expect(row).ToContainTextAsync("cc_general.csv");
        await Expect(_page.GetByTestId("library-table")).ToContainTextAsync("Our best customers");
        await Expect(_page.GetByTestId("library-notes")).ToHaveTextAsync("For the December campaign; <b>check</b> with risk first.");

        // A copy of the same customers compares with the original: every customer stays in its segment.
        await _page.GetByTestId("library-duplicate").First.ClickAsync();
        await Expect(_page.GetByTestId("library-row")).ToHaveCountAsync(2);
        await _page.Locator("input[data-testid=library-select], [data-testid=library-select] input").Nth(0).CheckAsync();
        await _page.Locator("input[data-testid=library-select], [data-testid=library-select] input").Nth(1).CheckAsync();
        await _page.GetByTestId("library-compare").ClickAsync();
        await Expect(_page.GetByTestId("compare-summary")).ToContainTextAsync("8,950 customers in both, matched by CUST_ID and CUST_ID");
        await Expect(_page.Locator("[data-testid=chart-compare] svg").First).ToBeVisibleAsync();
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ScreenshotDirectory, $"compare-{server.Storage.Provider}.png"), FullPage = true });
        await _page.GotoAsync(server.BaseUrl + "/analyses");
        await Expect(_page.GetByTestId("library-row")).ToHaveCountAsync(2);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardServer.ScreenshotDirectory, $"library-{server.Storage.Provider}.png"), FullPage = true });

        // A read-only link opens in a browser without this browser's cookie; the analysis address alone does not.
        await _page.GotoAsync(address);
        await _page.GetByTestId("share-link").ClickAsync();
        var link = await _page.Locator("input[data-testid=share-url], [data-testid=share-url] input").First.InputValueAsync();
        Assert.StartsWith(server.BaseUrl + "/shared/", link, StringComparison.Ordinal);

        await using var stranger = await server.Browser.NewContextAsync();
        var other = await stranger.NewPageAsync();
        await other.GotoAsync(link);
        await Expect(other.GetByTestId("readonly-banner")).ToBeVisibleAsync();
        await Expect(other.GetByTestId("segment-name").First).ToHaveTextAsync("Our best customers");
        await Expect(other.GetByTestId("analysis-notes-readonly")).ToContainTextAsync("For the December campaign; <b>check</b> with risk first.");
        Assert.Equal(0, await other.Locator("[data-testid=analysis-notes-readonly] b").CountAsync());
        Assert.Equal(0, await other.Locator("[data-testid^=edit-segment-]").CountAsync());
        Assert.Equal(0, await other.GetByTestId("share-link").CountAsync());

        var direct = await other.GotoAsync(address);
        Assert.Equal((int)HttpStatusCode.NotFound, direct!.Status);
        await Expect(other.GetByTestId("analysis-not-found")).ToBeVisibleAsync();

        // The CLI writes the same analysis' report from the store by its share link: the saved k, names and notes.
        var store = server.Storage.Provider == "postgres" ? new[] { "--store-postgres", server.Storage.Setting } : ["--store", server.Storage.Setting];
        using (var reportFile = TempFile.Reserve(".html"))
        {
            var said = await server.RunCliAsync(["report", "--shared", link, .. store, "--out", reportFile.Path]);
            Assert.Contains("Wrote the report for k = 4 (8,950 customers)", said, StringComparison.Ordinal);
            var html = System.Net.WebUtility.HtmlDecode(await File.ReadAllTextAsync(reportFile.Path));
            Assert.Contains("Our best customers", html, StringComparison.Ordinal);
            Assert.Contains("For the December campaign; <b>check</b> with risk first.", html, StringComparison.Ordinal);
            Assert.Contains("8,950 customers in 4 segments", html, StringComparison.Ordinal);
        }

        await _page.GetByTestId("share-revoke").ClickAsync();
        await Expect(_page.GetByTestId("share-link")).ToBeVisibleAsync();
        var revoked = await stranger.NewPageAsync();
        await revoked.GotoAsync(link);
        await Expect(revoked.GetByTestId("analysis-not-found")).ToBeVisibleAsync();
        using (var refused = TempFile.Reserve(".html"))
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => server.RunCliAsync(["report", "--shared", link, .. store, "--out", refused.Path]));
            Assert.Contains("No analysis opens with this link", failure.Message, StringComparison.Ordinal);
        }
    }

    private Task AssertRestoredAsync() => AssertRestoredAsync(_page);

    /// <summary>In every page of the owner's browser, from the start of the navigation (the page's time origin): when the four restored
    /// cards with the renamed segment are in the page, and when the frame holding them is drawn; then when the first chart is.</summary>
    private const string OpenClock = """
        (() => {
          const restored = () => document.querySelectorAll('[data-testid=segment-card]').length === 4
            && document.querySelector('[data-testid=segment-name]')?.textContent.trim() === 'Our best customers';
          const clock = window.__openClock = {};
          new MutationObserver((_, observer) => {
            if (clock.cardsMs === undefined && restored()) {
              clock.cardsMs = performance.now();
              requestAnimationFrame(() => requestAnimationFrame(() => { clock.paintedMs = performance.now(); }));
            }
            if (clock.cardsMs !== undefined && document.querySelector('.apexcharts-canvas')) {
              clock.chartMs = performance.now();
              observer.disconnect();
            }
          }).observe(document, { childList: true, subtree: true, characterData: true });
        })();
        """;

    /// <summary>Times from the start of the navigation in the page (when the page's time origin is).</summary>
    private sealed record OpenTiming(double HtmlMs, double CardsMs, double PaintedMs, double FirstChartMs);

    /// <summary>Opens the address in a fresh tab of the owner's browser and says, in the page's own clock, when the restored analysis
    /// was shown: the HTML's arrival, the four cards in the page, that frame drawn, the first chart drawn.</summary>
    private async Task<OpenTiming> TimeOpenAsync(string address)
    {
        var page = await _owner.NewPageAsync();
        await page.GotoAsync(address);
        await AssertRestoredAsync(page);
        await page.WaitForFunctionAsync("() => window.__openClock.paintedMs !== undefined && window.__openClock.chartMs !== undefined");
        var times = await page.EvaluateAsync<double[]>("() => [performance.getEntriesByType('navigation')[0].responseEnd, window.__openClock.cardsMs, window.__openClock.paintedMs, window.__openClock.chartMs]");
        await page.CloseAsync();
        return new OpenTiming(Math.Round(times[0]), Math.Round(times[1]), Math.Round(times[2]), Math.Round(times[3]));
    }

    private static async Task AssertRestoredAsync(IPage page)
    {
        await Expect(page.GetByTestId("segment-card")).ToHaveCountAsync(4);
        await Expect(page.GetByTestId("segment-name").First).ToHaveTextAsync("Our best customers");
        await Expect(page.GetByTestId("saved-at")).ToContainTextAsync("Saved ");
    }

    /// <summary>Waits until the saved version holds the edit: the library lists the name.</summary>
    private async Task WaitForSaveAsync(string name)
    {
        var probe = await _owner.NewPageAsync();
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await probe.GotoAsync(server.BaseUrl + "/analyses");
            await Expect(probe.GetByRole(AriaRole.Heading, new() { Name = "Saved analyses" })).ToBeVisibleAsync();
            await probe.WaitForTimeoutAsync(300);
            if ((await probe.ContentAsync()).Contains(name, StringComparison.Ordinal))
            {
                await probe.CloseAsync();
                return;
            }
        }

        throw new TimeoutException($"The edit \"{name}\" was not saved within the time allowed.");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
