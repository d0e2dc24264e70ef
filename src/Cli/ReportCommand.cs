using System.Diagnostics;
using System.Globalization;
using Segmentation.Analytics;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Reporting.Report;

namespace Segmentation.Cli;

internal static partial class Commands
{
    /// <summary>
    /// <c>report FILE --k N --out report.html [--pdf report.pdf] [--model MODEL.json] [--title T] [--culture NAME]</c>: the same
    /// report as the dashboard's "Download report". With a model, its recipe and seed are run again on FILE (the same data gives
    /// the same segments) and its segment names and recommendations are used.
    /// </summary>
    private static async Task<int> ReportAsync(CliArguments arguments, TextWriter output)
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
        var analysed = clock.Elapsed;
        var k = model?.K ?? arguments.SelectedK;
        if (!result.Has(k))
        {
            throw new AnalysisInputException($"k = {k} could not be fitted: {string.Join(" ", result.Sweep.Warnings)}");
        }

        var shown = ReportModel.Generated(result, k);
        if (model is not null)
        {
            shown = new DisplayedSegments(model.Segments.Select(s => s.Number).ToArray(), model.Segments.Select(s => s.Name).ToArray(), model.Segments.Select(s => s.Recommendation).ToArray(), new bool[k]);
        }

        var culture = arguments.Culture is { } name ? CultureInfo.GetCultureInfo(name) : CultureInfo.GetCultureInfo("en-US");

        // The charts and texts of the report follow the current cultures, as they do for a browser's: the report's culture writes the
        // numbers, and its language picks the text (English where there is no translation).
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        var report = new ReportModel(arguments.Title ?? Path.GetFileNameWithoutExtension(arguments.Input), result, k, shown, ingest.Report, string.Empty, DateTimeOffset.UtcNow, culture);
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
