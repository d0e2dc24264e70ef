using System.Diagnostics;
using System.Globalization;
using Segmentation.Analytics;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Segmentation.Reporting.Report;
using Segmentation.Storage;

namespace Segmentation.Cli;

internal static partial class Commands
{
    /// <summary>
    /// <c>report FILE --k N --out report.html [--pdf report.pdf] [--model MODEL.json] [--title T] [--culture NAME]</c>: the same
    /// report as the dashboard's "Download report". With a model, its recipe and seed are run again on FILE (the same data gives
    /// the same segments) and its segment names and recommendations are used. <c>report --shared LINK --out report.html</c>: the
    /// report of an analysis saved by the dashboard, as it was saved.
    /// </summary>
    private static async Task<int> ReportAsync(CliArguments arguments, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var (title, result, k, shown, ingest, notes, sampleNote, read) = arguments.Shared is { } link
            ? await OpenSharedAsync(arguments, link).ConfigureAwait(false)
            : await AnalyseForReportAsync(arguments).ConfigureAwait(false);
        var analysed = clock.Elapsed;

        var culture = arguments.Culture is { } name ? CultureInfo.GetCultureInfo(name) : CultureInfo.GetCultureInfo("en-US");

        // The charts and texts of the report follow the current cultures, as they do for a browser's: the report's culture writes the
        // numbers, and its language picks the text (English where there is no translation).
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        var report = new ReportModel(arguments.Title ?? title, result, k, shown, ingest, notes, DateTimeOffset.UtcNow, culture, sampleNote);
        if (arguments.Paper is { } paper)
        {
            report = report with { Paper = paper };
        }
        var html = File.Create(arguments.Output!);
        await using (html.ConfigureAwait(false))
        {
            await ReportRenderer.WriteAsync(report, html).ConfigureAwait(false);
        }

        var seconds = (TimeSpan span) => span.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        await output.WriteLineAsync($"Wrote the report for k = {k} ({result.Dataset.RowCount:N0} customers) to {arguments.Output} in {seconds(clock.Elapsed)} s (read {seconds(read)} s, analysis {seconds(analysed - read)} s, report {seconds(clock.Elapsed - analysed)} s).").ConfigureAwait(false);
        if (arguments.Pdf is { } pdf)
        {
            await PrintToPdfAsync(Path.GetFullPath(arguments.Output!), Path.GetFullPath(pdf)).ConfigureAwait(false);
            await output.WriteLineAsync($"Printed it to {pdf} with headless Chromium.").ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>What a report of a file shows: the recipe (or a model's recipe and names) run on it.</summary>
    private static async Task<(string Title, AnalysisResult Result, int K, DisplayedSegments Shown, IngestReport? Ingest, string Notes, string? SampleNote, TimeSpan Read)> AnalyseForReportAsync(CliArguments arguments)
    {
        var clock = Stopwatch.StartNew();
        var recipe = arguments.Recipe;
        SegmentationModel? model = null;
        if (arguments.Model is { } modelPath)
        {
            model = await ReadModelAsync(modelPath).ConfigureAwait(false);
            recipe = model.Recipe with { KMin = Math.Min(model.Recipe.KMin, model.K), KMax = Math.Max(model.Recipe.KMax, model.K) };
        }

        var ingest = await ReadTableAsync(arguments.Input, arguments).ConfigureAwait(false);
        var read = clock.Elapsed;
        var result = SegmentationPipeline.Run(ingest.Dataset, recipe);
        var k = model?.K ?? arguments.SelectedK;
        if (!result.Has(k))
        {
            throw new AnalysisInputException($"k = {k} could not be fitted: {string.Join(" ", result.Sweep.Warnings)}");
        }

        var shown = model is null ? ReportModel.Generated(result, k) : Shown(model);
        return (Path.GetFileNameWithoutExtension(arguments.Input), result, k, shown, ingest.Report, string.Empty, null, read);
    }

    /// <summary>
    /// What a report of a saved analysis shows, opened by its share link (the capability a user hands over; an analysis is never
    /// reachable by its id alone): its file read again, its saved sweep restored, its k, names, recommendations and notes.
    /// </summary>
    private static async Task<(string Title, AnalysisResult Result, int K, DisplayedSegments Shown, IngestReport? Ingest, string Notes, string? SampleNote, TimeSpan Read)> OpenSharedAsync(CliArguments arguments, string link)
    {
        var clock = Stopwatch.StartNew();
        var token = link.TrimEnd('/').Split('/').SkipWhile(part => part != "shared").Skip(1).FirstOrDefault() ?? link;
        var options = arguments.StorePostgres is { } connection
            ? new StorageOptions { Provider = "postgres", ConnectionString = connection }
            : new StorageOptions { Path = arguments.StorePath ?? new StorageOptions().Path };
        if (!options.IsPostgres && !File.Exists(Path.GetFullPath(options.Path)))
        {
            throw new AnalysisInputException($"There is no store at {Path.GetFullPath(options.Path)}: pass the dashboard's SQLite file with --store, or its database with --store-postgres.");
        }

        var services = new ServiceCollection().AddLogging().AddAnalysisStore(options).BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            var store = services.GetRequiredService<AnalysisStore>();
            var opened = await store.OpenSharedAsync(token).ConfigureAwait(false)
                ?? throw new AnalysisInputException("No analysis opens with this link in this store: it was revoked or deleted, or the store is another one.");
            var record = opened.Record;
            var k = record.SelectedK ?? throw new AnalysisInputException($"\"{record.Title}\" has no finished segmentation to report.");
            var data = await SavedAnalyses.ReadDataAsync(opened).ConfigureAwait(false);
            var read = clock.Elapsed;
            var result = SavedAnalyses.Reopen(data.Dataset, SavedAnalyses.RecipeOf(record), record.SweepJson);
            var shown = SavedAnalyses.ModelAt(record, k) is { } model ? Shown(model) : ReportModel.Generated(result, k);
            return (record.Title, result, k, shown, data.Report, record.Notes ?? string.Empty, SavedAnalyses.ReadOptionsOf(record).SampleNote, read);
        }
    }

    /// <summary>The segment numbers, names and recommendations a model carries.</summary>
    private static DisplayedSegments Shown(SegmentationModel model) =>
        new(model.Segments.Select(s => s.Number).ToArray(), model.Segments.Select(s => s.Name).ToArray(), model.Segments.Select(s => s.Recommendation).ToArray(), new bool[model.K]);

    /// <summary>Prints an HTML file to PDF with headless Chromium (the report's print stylesheet: A4, a page per segment).</summary>
    private static async Task PrintToPdfAsync(string html, string pdf)
    {
        var browser = new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path))
            ?? throw new AnalysisInputException("--pdf needs Chromium (apt-get install chromium, or set CHROMIUM to its path); the HTML report was written.");
        var profile = Directory.CreateTempSubdirectory("report-chromium-");
        try
        {
            var start = new ProcessStartInfo(browser)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", $"--user-data-dir={profile.FullName}", $"--print-to-pdf={pdf}", new Uri(html).AbsoluteUri })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
            var errors = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await process.WaitForExitAsync().ConfigureAwait(false);
            if (process.ExitCode != 0 || !File.Exists(pdf))
            {
                throw new InvalidOperationException($"Chromium could not print the report (exit code {process.ExitCode}): {(await errors.ConfigureAwait(false)).Trim()}");
            }
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
