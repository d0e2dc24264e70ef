using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>Issue #12: health endpoints and metrics of the running app, moved by a real browser session.</summary>
[Collection(DashboardGroup.Name)]
public sealed partial class OperationsTests(DashboardServer server)
{
    [ChromiumFact]
    public async Task Health_endpoints_answer_and_metrics_count_circuits_and_analyses_of_a_browser_session()
    {
        using var client = new HttpClient();
        using (var live = await client.GetAsync(server.BaseUrl + "/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
        }

        using (var ready = await client.GetAsync(server.BaseUrl + "/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        }

        var before = await MetricsAsync(client);
        await using var context = await server.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(server.BaseUrl);
        await page.GetByTestId("sample-data-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("column-table")).ToContainTextAsync("CUST_ID", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        await page.GetByTestId("nav-segment").ClickAsync();
        await page.GetByTestId("run-analysis").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recommended-k")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 180_000 });

        var during = await MetricsAsync(client);
        // Other tests' tabs on this server may close meanwhile, so the gauge is not compared with before: this tab is one of them.
        Assert.True(Value(during, "segments_circuits_active") >= 1, "the open tab is a circuit");
        Assert.Equal(Value(before, "segments_analyses_started_total") + 1, Value(during, "segments_analyses_started_total"));
        Assert.Equal(Value(before, "segments_analyses_finished_total") + 1, Value(during, "segments_analyses_finished_total"));
        Assert.Contains("segments_analysis_duration_seconds_bucket", during, StringComparison.Ordinal);
        Assert.Contains("segments_analyses_queued", during, StringComparison.Ordinal);

        // What the metrics and the log say is counts and times, never the customers: no ID of the sample appears in either.
        Assert.DoesNotContain("C10001", during, StringComparison.Ordinal);
        Assert.Matches(@"Analysis \S+: 8950 rows, \d+ features, recommended k \d+", server.ServerLog);
        Assert.DoesNotContain("C10001", server.ServerLog, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task The_server_renders_every_analysis_page_once_before_it_listens()
    {
        // The log is read once the server answers (the fixture waited for that); the rest of its output may still be on its way.
        await Task.Delay(100);
        // The warm-up's own analysis, reopened and rendered as the data, explore, segment and segments pages, before "Now listening".
        var log = server.ServerLog;
        var warmed = System.Text.RegularExpressions.Regex.Match(log, @"Warmed up before listening: .*, reopened and (\d) of (\d) pages rendered");
        Assert.True(warmed.Success, "no warm-up line in the server log");
        Assert.Equal("4", warmed.Groups[2].Value);
        Assert.Equal(warmed.Groups[2].Value, warmed.Groups[1].Value);
        Assert.DoesNotContain("The warm-up could not render", log, StringComparison.Ordinal);
        Assert.True(warmed.Index < log.IndexOf("Now listening on", StringComparison.Ordinal), "the server listened before the warm-up ended");
    }

    [ChromiumFact]
    public async Task A_tab_that_floods_the_hub_is_disconnected_and_another_users_tab_goes_on()
    {
        await using var other = await server.Browser.NewContextAsync();
        var person = await other.NewPageAsync();
        person.SetDefaultTimeout(60_000);
        await person.GotoAsync(server.BaseUrl);
        await person.GetByTestId("sample-data-button").ClickAsync();
        await Assertions.Expect(person.GetByTestId("column-table")).ToContainTextAsync("CUST_ID", new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });

        await using var script = await server.Browser.NewContextAsync();
        var flooder = await script.NewPageAsync();
        await flooder.GotoAsync(server.BaseUrl);
        await Assertions.Expect(flooder.GetByTestId("theme-toggle")).ToBeVisibleAsync();
        // 3,000 clicks in one task: far above what a person sends, each one a hub message.
        await flooder.EvaluateAsync("() => { const b = document.querySelector('[data-testid=theme-toggle]'); for (let i = 0; i < 3000; i++) b.click(); }");
        for (var i = 0; i < 100 && !server.ServerLog.Contains("closed: more than", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("closed: more than 600 messages at once", server.ServerLog, StringComparison.Ordinal);

        // The other user's tab answers as before.
        await person.GetByTestId("nav-explore").ClickAsync();
        await Assertions.Expect(person.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Explore");
    }

    [ChromiumFact]
    public async Task A_tab_closed_mid_analysis_cancels_it_and_frees_its_slot_within_5_s()
    {
        using var client = new HttpClient();
        await using var context = await server.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(server.BaseUrl);
        await PageSteps.UploadAsync(page, Path.Combine(DashboardServer.SharedData, "cc_general.csv"));
        await Assertions.Expect(page.GetByTestId("column-table")).ToContainTextAsync("CUST_ID");
        var before = await MetricsAsync(client);

        // k = 2..20 with stability resamples: long enough to be closed in the middle.
        await PageSteps.RunSweepAsync(page, kTo: 20, wait: false);
        await Assertions.Expect(page.GetByTestId("analysis-progress")).ToBeVisibleAsync();
        await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
        var closed = Stopwatch.StartNew();

        string after;
        do
        {
            after = await MetricsAsync(client);
        }
        while (Value(after, "segments_analyses_cancelled_total") <= Value(before, "segments_analyses_cancelled_total") && closed.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal(Value(before, "segments_analyses_cancelled_total") + 1, Value(after, "segments_analyses_cancelled_total"));
        Assert.Equal(Value(before, "segments_analyses_finished_total"), Value(after, "segments_analyses_finished_total"));
        Assert.Equal(0, Value(after, "segments_analyses_running"));
        Assert.True(closed.Elapsed < TimeSpan.FromSeconds(5), $"cancelled {closed.Elapsed.TotalSeconds:F1} s after the tab closed");
    }

    private async Task<string> MetricsAsync(HttpClient client)
    {
        // The exporter caches a scrape for a moment; ask until the newest counts are in (at most 10 s).
        await Task.Delay(1200);
        return await client.GetStringAsync(server.BaseUrl + "/metrics");
    }

    /// <summary>The sum of a metric's samples in a Prometheus text scrape (0 when absent).</summary>
    private static double Value(string scrape, string name) => scrape.Split('\n')
        .Select(line => Sample().Match(line))
        .Where(match => match.Success && match.Groups["name"].Value == name)
        .Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (?<value>[-+0-9.eE]+|NaN)")]
    private static partial Regex Sample();
}
