using System.Globalization;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>The browser journeys of issue #3, in Debian's Chromium against the real app. Screenshots go to TestResults/screenshots.</summary>
[Collection(DashboardGroup.Name)]
public sealed class JourneyTests(DashboardServer server) : BrowserTestBase(server)
{
    [ChromiumFact]
    public async Task Cc_general_upload_sweep_k4_and_export_all()
    {
        await OpenAsync();
        await UploadAsync(Path.Combine(DashboardServer.SharedData, "cc_general.csv"));
        await Expect(Page.GetByTestId("ingest-report")).ToContainTextAsync("8,950 rows");
        await Expect(Page.GetByTestId("column-table")).ToContainTextAsync("MINIMUM_PAYMENTS");
        await ScreenshotAsync("cc-1-data");

        await Page.GetByTestId("nav-explore").ClickAsync();
        await Expect(Page.Locator("[data-testid=chart-correlation] svg").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("chart-correlation")).ToContainTextAsync("CASH_ADVANCE");
        await Expect(Page.GetByTestId("histogram-card")).ToHaveCountAsync(17);
        await Expect(Page.Locator("[data-testid=chart-histogram-14] svg").First).ToBeVisibleAsync();
        await ScreenshotAsync("cc-2-explore");
        await Page.GetByTestId("histogram-scale").GetByText("After log(1 + x)").ClickAsync();
        await Expect(Page.GetByTestId("chart-histogram-14")).ToContainTextAsync("log(1 + MINIMUM_PAYMENTS)");
        await ScreenshotAsync("cc-2b-explore-log");

        await RunSweepAsync();
        var recommended = await RecommendedKAsync();
        var other = recommended == 5 ? 6 : 5;
        await Page.GetByTestId($"k-option-{other}").ClickAsync();
        try
        {
            await Expect(Page.GetByTestId($"k-option-{other}")).ToHaveAttributeAsync("aria-pressed", "true");
            await Expect(Page.Locator("[data-testid=chart-transition] svg").First).ToBeVisibleAsync();
        }
        catch (PlaywrightException)
        {
            await ScreenshotAsync("failure-transition");
            throw;
        }
        await ScreenshotAsync("cc-3b-transition-k5");
        await Page.GetByTestId("k-option-4").ClickAsync();
        await Expect(Page.GetByTestId("k-option-4")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Page.Locator("[data-testid=chart-pca] svg").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("chart-pca")).ToContainTextAsync("PC1 (27.3% of variance)");
        await Expect(Page.GetByTestId("chart-pca").Locator("..")).ToContainTextAsync("stratified sample of");
        foreach (var chart in new[] { "chart-elbow", "chart-silhouette", "chart-sizes", "chart-profile" })
        {
            await Expect(Page.Locator($"[data-testid={chart}] svg").First).ToBeVisibleAsync();
        }

        await Expect(Page.GetByTestId("chart-silhouette")).ToContainTextAsync("Silhouette exact on all 8,950 customers");
        await Expect(Page.GetByTestId("recommended-k")).ToContainTextAsync("resampled");
        await ScreenshotAsync("cc-3-segment");

        await Page.GetByTestId("nav-segments").ClickAsync();
        await Expect(Page.GetByTestId("segment-card")).ToHaveCountAsync(4);
        var names = await Page.GetByTestId("segment-name").AllInnerTextsAsync();
        Assert.Equal(["Cash-advance reliant", "High spenders", "Instalment buyers", "Low activity"], names.Order(StringComparer.Ordinal));
        Assert.All(await Page.GetByTestId("segment-recommendation").AllInnerTextsAsync(), text => Assert.True(text.Length > 40, text));
        Assert.All(await Page.GetByTestId("segment-evidence").AllInnerTextsAsync(), text => Assert.Matches(@"\d+(\.\d+)?× the average", text));
        await Expect(Page.Locator("[data-testid=chart-segment-silhouette] svg").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("borderline")).ToContainTextAsync("silhouette below");
        await ScreenshotAsync("cc-4-segments");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-all").ClickAsync());
        using (var export = TempFile.Reserve())
        {
            await download.SaveAsAsync(export.Path);
            var path = export.Path;
            var lines = await File.ReadAllLinesAsync(path);
            var header = lines[0].Split(',');
            Assert.Equal("CUST_ID", header[0]);
            var segment = Array.IndexOf(header, "segment");
            Assert.True(segment > 0, $"no segment column in {lines[0]}");
            Assert.Equal(8950, lines.Length - 1);
            var segments = lines.Skip(1).Select(l => int.Parse(l.Split(',')[segment], CultureInfo.InvariantCulture)).ToHashSet();
            Assert.Equal([1, 2, 3, 4], segments.Order());
        }

        AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task Sample_dataset_journey_without_a_file()
    {
        await OpenAsync();
        await Page.GetByTestId("nav-segments").ClickAsync();
        await Expect(Page.GetByTestId("needs-data")).ToBeVisibleAsync();
        await ScreenshotAsync("sample-0-needs-data");

        await Page.GetByTestId("nav-data").ClickAsync();
        await Page.GetByTestId("sample-data-button").ClickAsync();
        await Expect(Page.GetByTestId("column-table")).ToContainTextAsync("CASH_ADVANCE");
        await ScreenshotAsync("sample-1-data");

        await Page.GetByTestId("nav-explore").ClickAsync();
        await Expect(Page.Locator("[data-testid=chart-correlation] svg").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("skew-assistant")).ToContainTextAsync("suggested");
        await ScreenshotAsync("sample-2-explore");

        await RunSweepAsync();
        var recommended = await RecommendedKAsync();
        await Expect(Page.GetByTestId($"k-option-{recommended}")).ToHaveAttributeAsync("aria-pressed", "true");
        await ScreenshotAsync("sample-3-segment");

        await Page.GetByTestId("nav-segments").ClickAsync();
        await Expect(Page.GetByTestId("segment-card")).ToHaveCountAsync(recommended);
        await Expect(Page.GetByTestId("segment-card").First).ToContainTextAsync("× the average");
        await ScreenshotAsync("sample-4-segments");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-segment-1").ClickAsync());
        Assert.StartsWith("segment-1-", download.SuggestedFilename, StringComparison.Ordinal);

        // Another user (another browser context, so another circuit) sees none of this data.
        await using var other = await Server.Browser.NewContextAsync();
        var page = await other.NewPageAsync();
        await page.GotoAsync(Server.BaseUrl + "/segments");
        await Expect(page.GetByTestId("needs-data")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByTestId("segment-card").CountAsync());
        AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task A_malformed_csv_shows_its_error_and_the_app_keeps_working()
    {
        using var file = await TempFile.WriteAsync("id,balance\nx1,1\nx2,\"2\nx3,3\n");
        await OpenAsync();
        await UploadAsync(file.Path);
        await Expect(Page.GetByTestId("upload-error")).ToContainTextAsync("Line 3: a quoted field starts here and is never closed");
        await ScreenshotAsync("malformed-error");

        await Page.GetByTestId("sample-data-button").ClickAsync();
        await Expect(Page.GetByTestId("column-table")).ToContainTextAsync("BALANCE");

        AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task Html_in_headers_and_ids_is_shown_as_text_inPages_and_charts()
    {
        const string header = "<img src=x onerror=alert(1)>";
        var rows = Enumerable.Range(0, 60).Select(i => FormattableString.Invariant($"\"<b onmouseover=alert(2)>{i}</b>\",{(i % 3) * 100 + i % 7},{(i % 3) * 10 + i % 5}"));
        using var file = await TempFile.WriteAsync($"id,\"{header}\",visits\n" + string.Join('\n', rows) + "\n");
        await OpenAsync();
        await UploadAsync(file.Path);
        await Expect(Page.GetByTestId("column-table")).ToContainTextAsync(header);
        await Page.GetByTestId("nav-explore").ClickAsync();
        var heatmap = Page.Locator("[data-testid=chart-correlation] svg").First;
        await Expect(heatmap).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("chart-correlation")).ToContainTextAsync("<img src=x");
        await Page.Locator("[data-testid=chart-correlation] .apexcharts-heatmap-rect").First.HoverAsync();
        await RunSweepAsync(kTo: 4);
        await Page.Locator("[data-testid=chart-profile] .apexcharts-heatmap-rect").First.HoverAsync();
        Assert.Equal(0, await Page.Locator("img[src=x]").CountAsync());
        Assert.Equal(0, await Page.Locator("b[onmouseover]").CountAsync());

        AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task A_mixed_customer_table_shows_kinds_takes_a_derived_feature_and_describes_segments()
    {
        var random = new Random(3);
        var lines = new List<string> { "CustomerID;Genre;Region;Dt_Customer;Income;Spend;Visits;Response;Z_CostContact" };
        for (var i = 0; i < 300; i++)
        {
            var group = i % 3;
            var female = random.NextDouble() < (group == 2 ? 0.85 : 0.45);
            var since = new DateOnly(2013, 1, 1).AddDays(random.Next(600));
            var income = i % 41 == 7 ? string.Empty : FormattableString.Invariant($"{(group * 25000) + 30000 + random.Next(5000)}");
            lines.Add(FormattableString.Invariant($"{i + 1:0000};{(female ? "Female" : "Male")};{(i % 4 == 0 ? 2 : 1)};{since:dd-MM-yyyy};{income};{(group * 900) + random.Next(200)};{(group * 6) + random.Next(4)};{(random.NextDouble() < (group == 2 ? 0.4 : 0.1) ? 1 : 0)};3"));
        }

        using var file = await TempFile.WriteAsync(string.Join('\n', lines) + "\n");
        await OpenAsync();
        await UploadAsync(file.Path);
        var table = Page.GetByTestId("column-table");
        await Expect(table).ToContainTextAsync("unique codes written with leading zeros");
        await Expect(table).ToContainTextAsync("2 distinct integer values: a code, not an amount");
        await Expect(table).ToContainTextAsync("dates (day first, such as 29-06-2014)");
        await Expect(table).ToContainTextAsync("the same value in every row (3)");
        await Expect(table).ToContainTextAsync("only the values 0 and 1");
        await ScreenshotAsync("mixed-1-data");

        await Page.GetByTestId("nav-segment").ClickAsync();
        await Expect(Page.GetByTestId("preprocessing-warnings")).ToContainTextAsync("Z_CostContact is left out");
        await Expect(Page.GetByTestId("preprocessing-warnings")).ToContainTextAsync("Income has 8 missing values");
        await Page.Locator("input[data-testid=derive-input], [data-testid=derive-input] input").First.FillAsync("SPEND_PER_VISIT = Spend / Visits");
        await Page.GetByTestId("derive-add").ClickAsync();
        await Expect(Page.GetByTestId("derived-chip")).ToContainTextAsync("SPEND_PER_VISIT = Spend / Visits");
        await Expect(Page.GetByTestId("preprocessing-warnings")).ToContainTextAsync("SPEND_PER_VISIT:");
        await Expect(Page.GetByTestId("feature-list")).ToContainTextAsync("Dt_Customer");
        await RunSweepAsync(kTo: 5);
        await ScreenshotAsync("mixed-2-segment");

        await Page.GetByTestId("nav-segments").ClickAsync();
        await Expect(Page.GetByTestId("segment-composition").First).ToContainTextAsync("Genre:");
        await Expect(Page.GetByTestId("segment-composition").First).ToContainTextAsync("overall");
        await ScreenshotAsync("mixed-3-segments");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("export-all").ClickAsync());
        using var exported = TempFile.Reserve();
        await download.SaveAsAsync(exported.Path);
        var exportedLines = await File.ReadAllLinesAsync(exported.Path);
        Assert.StartsWith("CustomerID,Genre,Region,Dt_Customer,Income,Spend,Visits,Response,Z_CostContact,SPEND_PER_VISIT,segment", exportedLines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.StartsWith("0001,", exportedLines[1], StringComparison.Ordinal);
        AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task Next_months_customers_are_scored_with_the_k4_model_and_the_drift_and_movers_are_shown()
    {
        // Next month: every customer's cash advances tripled, and one new customer.
        var lines = await File.ReadAllLinesAsync(Path.Combine(DashboardServer.SharedData, "cc_general.csv"));
        var header = lines[0].Split(',');
        var cash = Array.IndexOf(header, "CASH_ADVANCE");
        var next = new List<string> { lines[0] };
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var fields = line.Split(',');
            fields[cash] = (double.Parse(fields[cash], CultureInfo.InvariantCulture) * 3).ToString("R", CultureInfo.InvariantCulture);
            next.Add(string.Join(',', fields));
        }

        next.Add("C99999" + lines[1][lines[1].IndexOf(',', StringComparison.Ordinal)..]);
        using var nextMonth = await TempFile.WriteAsync(string.Join('\n', next) + "\n");

        await OpenAsync();
        await UploadAsync(Path.Combine(DashboardServer.SharedData, "cc_general.csv"));
        await Expect(Page.GetByTestId("ingest-report")).ToContainTextAsync("8,950 rows");
        await RunSweepAsync(kTo: 6);
        await Page.GetByTestId("k-option-4").ClickAsync();
        await Expect(Page.GetByTestId("k-option-4")).ToHaveAttributeAsync("aria-pressed", "true");

        await Page.GetByTestId("nav-apply").ClickAsync();
        await Expect(Page.GetByTestId("apply-model-source")).ToContainTextAsync("This analysis at k = 4");
        await Page.WaitForFunctionAsync("() => document.querySelector('[data-testid=apply-upload]')?._blazorInputFileNextFileId !== undefined");
        await Page.GetByTestId("apply-upload").SetInputFilesAsync(nextMonth.Path);
        await Expect(Page.GetByTestId("apply-summary")).ToContainTextAsync("scored 8,951 of 8,951 customers with k = 4");
        await Expect(Page.GetByTestId("apply-verdict")).ToContainTextAsync("Cash-advance reliant grew from 13.5% to");
        await Expect(Page.GetByTestId("apply-verdict")).ToContainTextAsync("consider re-segmenting");
        await Expect(Page.GetByTestId("drift-row").First).ToContainTextAsync("CASH_ADVANCE");
        await Expect(Page.GetByTestId("drift-row").First).ToContainTextAsync("significant");
        await Expect(Page.Locator("[data-testid=chart-apply-sizes] svg").First).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-testid=chart-apply-migration] svg").First).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("chart-apply-migration").Locator("..")).ToContainTextAsync("8,950 customers are in both (matched by CUST_ID)");
        await Expect(Page.GetByTestId("chart-apply-migration").Locator("..")).ToContainTextAsync(" changed segment, 1 new, ");
        await ScreenshotAsync("apply-1-drift");

        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("download-scored").ClickAsync());
        using (var scored = TempFile.Reserve())
        {
            await download.SaveAsAsync(scored.Path);
            var rows = await File.ReadAllLinesAsync(scored.Path);
            Assert.EndsWith(",segment,segment_name,distance_to_centroid,fit", rows[0], StringComparison.Ordinal);
            Assert.Equal(8951, rows.Length - 1);
            Assert.StartsWith("C99999,", rows[^1], StringComparison.Ordinal);
            Assert.Contains(rows.Skip(1), r => r.EndsWith(",unlike any segment", StringComparison.Ordinal));
        }

        var moved = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("download-moved").ClickAsync());
        Assert.EndsWith("-moved.csv", moved.SuggestedFilename, StringComparison.Ordinal);

        await Page.GetByTestId("sql-dialect").ClickAsync();
        await Page.GetByRole(AriaRole.Option, new PageGetByRoleOptions { Name = "DuckDB" }).ClickAsync();
        await Page.Locator("input[data-testid=sql-table], [data-testid=sql-table] input").First.FillAsync("crm.customers");
        await Page.Locator("input[data-testid=sql-table], [data-testid=sql-table] input").First.PressAsync("Tab");
        var sql = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("download-sql").ClickAsync());
        using (var query = TempFile.Reserve())
        {
            await sql.SaveAsAsync(query.Path);
            var text = await File.ReadAllTextAsync(query.Path);
            Assert.Contains("duckdb dialect", text, StringComparison.Ordinal);
            Assert.Contains("FROM \"crm\".\"customers\"", text, StringComparison.Ordinal);
            Assert.Contains("'Cash-advance reliant'", text, StringComparison.Ordinal);
        }

        var model = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("download-model").ClickAsync());
        using (var file = TempFile.Reserve())
        {
            await model.SaveAsAsync(file.Path);
            Assert.Contains("\"format\": \"segmentation-model\"", await File.ReadAllTextAsync(file.Path), StringComparison.Ordinal);
        }

        AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task A_model_fitted_on_half_of_cc_general_scores_the_other_half_in_the_browser_as_the_cli_does()
    {
        // A random half to fit on and the other half to score, as files.
        var lines = (await File.ReadAllLinesAsync(Path.Combine(DashboardServer.SharedData, "cc_general.csv"))).Where(l => l.Length > 0).ToArray();
        var order = Enumerable.Range(1, lines.Length - 1).ToArray();
        new Random(2026).Shuffle(order);
        var half = order.Length / 2;
        using var fitted = await TempFile.WriteAsync(lines[0] + "\n" + string.Join("\n", order.Take(half).Order().Select(i => lines[i])) + "\n");
        using var other = await TempFile.WriteAsync(lines[0] + "\n" + string.Join("\n", order.Skip(half).Order().Select(i => lines[i])) + "\n");
        using var model = TempFile.Reserve();
        using var segments = TempFile.Reserve();
        using var cliScored = TempFile.Reserve();
        await Server.RunCliAsync("segment", fitted.Path, "--k", "4", "--out", segments.Path, "--save-model", model.Path);
        await Server.RunCliAsync("score", other.Path, "--model", model.Path, "--out", cliScored.Path);
        var modelFile = model.Path[..^4] + ".json";
        File.Copy(model.Path, modelFile);
        try
        {
            await Page.GotoAsync(Server.BaseUrl + "/apply");
            await Expect(Page.GetByTestId("apply-model-source")).ToContainTextAsync("No analysis is open");
            await Page.WaitForFunctionAsync("() => document.querySelector('[data-testid=model-upload]')?._blazorInputFileNextFileId !== undefined");
            await Page.GetByTestId("model-upload").SetInputFilesAsync(modelFile);
            await Expect(Page.GetByTestId("apply-model-source")).ToContainTextAsync("k = 4");
            await Page.WaitForFunctionAsync("() => document.querySelector('[data-testid=apply-upload]')?._blazorInputFileNextFileId !== undefined");
            await Page.GetByTestId("apply-upload").SetInputFilesAsync(other.Path);
            await Expect(Page.GetByTestId("apply-summary")).ToContainTextAsync($"scored {order.Length - half:N0} of {order.Length - half:N0} customers with k = 4");
            var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("download-scored").ClickAsync());
            using var browserScored = TempFile.Reserve();
            await download.SaveAsAsync(browserScored.Path);
            var fromBrowser = await File.ReadAllLinesAsync(browserScored.Path);
            var fromCli = await File.ReadAllLinesAsync(cliScored.Path);
            Assert.Equal(order.Length - half + 1, fromCli.Length);
            Assert.Equal(fromCli, fromBrowser);
        }
        finally
        {
            File.Delete(modelFile);
        }

        AssertNoConsoleErrors();
    }

    [ChromiumFact]
    public async Task A_configured_parquet_source_is_analysed_on_a_sample_said_on_every_chart_and_every_row_is_scored()
    {
        await OpenAsync();
        await Expect(Page.GetByTestId("source-panel")).ToContainTextAsync("Parquet: card-customers.parquet");
        await Page.GetByTestId("source-read").ClickAsync();
        var note = $"Fitted on a seeded random sample of {DashboardServer.SourceSampleRows:N0} of {DashboardServer.SourceRows:N0} rows of card-customers.parquet.";
        await Expect(Page.GetByTestId("sample-banner")).ToContainTextAsync(note);
        await Expect(Page.GetByTestId("ingest-report")).ToContainTextAsync($"{DashboardServer.SourceSampleRows:N0} rows");

        await RunSweepAsync(kTo: 5);
        await Expect(Page.Locator("[data-testid=chart-pca] svg").First).ToBeVisibleAsync();
        var figures = Page.Locator("figure.chart-figure");
        Assert.True(await figures.CountAsync() >= 4);
        foreach (var caption in await Page.Locator("figure.chart-figure").AllInnerTextsAsync())
        {
            Assert.Contains("seeded random sample of 5,000 of 20,000 rows", caption, StringComparison.Ordinal);
        }

        await ScreenshotAsync("source-1-segment");
        await Page.GetByTestId("nav-apply").ClickAsync();
        await Expect(Page.GetByTestId("apply-source")).ToContainTextAsync("all 20,000 rows");
        var download = await Page.RunAndWaitForDownloadAsync(() => Page.GetByTestId("score-source").ClickAsync());
        await Expect(Page.GetByTestId("score-source-summary")).ToContainTextAsync("Scored 20,000 rows");
        using (var scored = TempFile.Reserve())
        {
            await download.SaveAsAsync(scored.Path);
            var bytes = await File.ReadAllBytesAsync(scored.Path);
            Assert.Equal("PAR1"u8.ToArray(), bytes[..4]);
            Assert.True(bytes.Length > 100_000, $"{bytes.Length} bytes");
        }

        await ScreenshotAsync("source-2-apply");
        AssertNoConsoleErrors();
    }

    private Task OpenAsync() => PageSteps.OpenAsync(Page, Server.BaseUrl);

    private Task UploadAsync(string path) => PageSteps.UploadAsync(Page, path);

    private Task RunSweepAsync(int? kTo = null) => PageSteps.RunSweepAsync(Page, kTo);

    private async Task<int> RecommendedKAsync() =>
        int.Parse((await Page.GetByTestId("recommended-k").InnerTextAsync()).Split("k = ")[1].Split('.')[0], CultureInfo.InvariantCulture);

    private Task ScreenshotAsync(string name) => PageSteps.ScreenshotAsync(Page, name);

    private void AssertNoConsoleErrors() => Assert.True(ConsoleErrors.Count == 0, "Browser console errors:\n" + string.Join('\n', ConsoleErrors));

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
