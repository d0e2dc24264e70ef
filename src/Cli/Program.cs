using System.Diagnostics;
using System.Text.Json;
using Segmentation.Analytics;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Export;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.SampleData;
using Segmentation.Analytics.Segments;
using Segmentation.Cli;

// Exit codes are a contract: 0 success, 2 bad input or usage (one line on stderr), 1 internal error.
try
{
    var arguments = CliArguments.Parse(args);
    return await Commands.RunAsync(arguments, Console.Out).ConfigureAwait(false);
}
catch (UsageException exception)
{
    await Console.Error.WriteLineAsync($"error: {exception.Message}").ConfigureAwait(false);
    await Console.Error.WriteLineAsync(CliArguments.Usage).ConfigureAwait(false);
    return 2;
}
catch (Exception exception) when (exception is IngestException or AnalysisInputException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"error: {OneLine(exception.Message)}").ConfigureAwait(false);
    return 2;
}
catch (Exception exception)
{
    await Console.Error.WriteLineAsync($"internal error: {OneLine(exception.Message)} ({exception.GetType().Name})").ConfigureAwait(false);
    return 1;
}

static string OneLine(string message) => message.ReplaceLineEndings(" ");

namespace Segmentation.Cli
{
    /// <summary>The commands, composed from the same Analytics stages the dashboard uses.</summary>
    internal static partial class Commands
    {
        internal static async Task<int> RunAsync(CliArguments arguments, TextWriter output)
        {
            switch (arguments.Command)
            {
                case "generate":
                    return await GenerateAsync(arguments, output).ConfigureAwait(false);
                case "score":
                    return await ScoreAsync(arguments, output).ConfigureAwait(false);
                case "export-sql":
                    return await ExportSqlAsync(arguments, output).ConfigureAwait(false);
                case "report":
                    return await ReportAsync(arguments, output).ConfigureAwait(false);
            }

            var total = Stopwatch.StartNew();
            var timings = new Dictionary<string, double>(StringComparer.Ordinal);
            var clock = Stopwatch.StartNew();
            var ingest = await ReadTableAsync(arguments.Input, arguments).ConfigureAwait(false);

            timings["ingest"] = Lap(clock);
            var recipe = arguments.Recipe;
            var result = SegmentationPipeline.Run(ingest.Dataset, recipe);
            foreach (var (stage, ms) in result.TimingsMs.Where(t => t.Key != "total"))
            {
                timings[stage] = ms;
            }

            clock.Restart();
            if (arguments.Command == "segment")
            {
                var k = arguments.SelectedK;
                if (!result.Has(k))
                {
                    throw new AnalysisInputException($"k = {k} could not be fitted: {string.Join(" ", result.Sweep.Warnings)}");
                }

                var segmentation = result.For(k);
                int written;
                var destination = File.Create(arguments.Output!);
                await using (destination.ConfigureAwait(false))
                {
                    written = await SegmentExporter.WriteAsync(destination, result.Dataset, segmentation.Assignment, arguments.Segment).ConfigureAwait(false);
                }

                if (arguments.SaveModel is { } modelPath)
                {
                    var model = File.Create(modelPath);
                    await using (model.ConfigureAwait(false))
                    {
                        await result.ToModel(k).WriteAsync(model).ConfigureAwait(false);
                    }
                }

                timings["export"] = Lap(clock);
                timings["total"] = Math.Round(total.Elapsed.TotalMilliseconds, 2);
                var solution = segmentation.Solution;
                if (arguments.Json)
                {
                    await output.WriteLineAsync(JsonSerializer.Serialize(SegmentReport.Create(ingest, result, k, written, arguments.Output!, timings), CliJsonContext.Default.SegmentReport)).ConfigureAwait(false);
                    return 0;
                }

                await output.WriteLineAsync($"Wrote {written:N0} rows with k = {k} to {arguments.Output} (silhouette {solution.Silhouette:F3}) in {timings["total"]:N0} ms.").ConfigureAwait(false);
                if (arguments.SaveModel is not null)
                {
                    await output.WriteLineAsync($"Saved the model to {arguments.SaveModel}.").ConfigureAwait(false);
                }

                foreach (var insight in segmentation.Insights)
                {
                    await output.WriteLineAsync($"  {insight.Segment}. {insight.Name} ({solution.Sizes[insight.Segment - 1]:N0}): {string.Join("; ", insight.Evidence)}").ConfigureAwait(false);
                }

                return 0;
            }

            timings["total"] = Math.Round(total.Elapsed.TotalMilliseconds, 2);
            if (arguments.Json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(SweepReport.Create(ingest, result, timings), CliJsonContext.Default.SweepReport)).ConfigureAwait(false);
            }
            else
            {
                await WriteColumnsAsync(output, result).ConfigureAwait(false);
                await WriteTableAsync(output, ingest, result.Preprocessed, result.Sweep, timings).ConfigureAwait(false);
            }

            return 0;
        }

        private static async Task<int> GenerateAsync(CliArguments arguments, TextWriter output)
        {
            if (!long.TryParse(arguments.Input, out var rows) || rows < 1)
            {
                throw new UsageException($"generate expects a positive row count, got '{arguments.Input}'");
            }

            var parquet = arguments.Output!.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
            if (!parquet && rows > int.MaxValue)
            {
                throw new UsageException("a CSV sample holds at most 2,147,483,647 rows; write .parquet for more");
            }

            var clock = Stopwatch.StartNew();
            var destination = File.Create(arguments.Output!);
            await using (destination.ConfigureAwait(false))
            {
                if (parquet)
                {
                    await CreditCardSample.WriteParquetAsync(destination, rows, arguments.Seed, arguments.RowGroup).ConfigureAwait(false);
                }
                else
                {
                    await CreditCardSample.WriteCsvAsync(destination, (int)rows, arguments.Seed).ConfigureAwait(false);
                }
            }

            await output.WriteLineAsync($"Wrote {rows:N0} synthetic customers to {arguments.Output} in {clock.ElapsedMilliseconds:N0} ms.").ConfigureAwait(false);
            return 0;
        }

        private static async Task WriteTableAsync(TextWriter output, IngestResult ingest, PreprocessResult preprocessed, SweepResult sweep, Dictionary<string, double> timings)
        {
            await output.WriteLineAsync($"{ingest.Report.Rows:N0} rows, {preprocessed.Matrix.Columns} features; {ingest.Report.IssueCount} ingest issue(s).").ConfigureAwait(false);
            foreach (var warning in preprocessed.Warnings)
            {
                await output.WriteLineAsync($"  Warning: {warning}").ConfigureAwait(false);
            }

            foreach (var issue in ingest.Report.Issues.Take(10))
            {
                await output.WriteLineAsync($"  {issue.Severity}: {issue.Message}").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{"k",3} {"inertia",12} {"silhouette",10} {"CH",10} {"DB",6} {"stability",12}  sizes").ConfigureAwait(false);
            foreach (var s in sweep.Solutions)
            {
                var stability = s.Stability is { } st ? $"{st.MeanAri:F2} ± {st.SdAri:F2}" : "–";
                await output.WriteLineAsync($"{s.K,3} {s.Inertia,12:F1} {s.Silhouette,10:F4} {s.CalinskiHarabasz,10:F1} {s.DaviesBouldin,6:F3} {stability,12}  {string.Join("/", s.Sizes)}").ConfigureAwait(false);
            }

            var sampled = sweep.SilhouetteSampled ? $" (silhouette estimated on a sample of {sweep.SilhouetteRows:N0})" : string.Empty;
            await output.WriteLineAsync($"Recommended k = {sweep.RecommendedK}: {sweep.RecommendationReason}{sampled}").ConfigureAwait(false);
            await output.WriteLineAsync("Timings (ms): " + string.Join(", ", timings.Select(t => $"{t.Key} {t.Value:N1}"))).ConfigureAwait(false);
        }

        private static async Task WriteColumnsAsync(TextWriter output, AnalysisResult result)
        {
            foreach (var column in result.Plan.Columns)
            {
                await output.WriteLineAsync($"  {column.Name}: {SweepReport.KindName(column.Kind)}, {SweepReport.RoleName(column.Role)} ({column.Reason})").ConfigureAwait(false);
            }

            foreach (var warning in result.EncodingWarnings)
            {
                await output.WriteLineAsync($"  Warning: {warning}").ConfigureAwait(false);
            }
        }

        private static double Lap(Stopwatch clock)
        {
            var elapsed = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            return Math.Round(elapsed, 2);
        }
    }
}
