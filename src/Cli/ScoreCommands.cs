using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Segmentation.Analytics;
using Segmentation.Analytics.Export;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Scoring;

namespace Segmentation.Cli;

/// <summary>Applying a saved model: scoring a file, and writing the model as SQL.</summary>
internal static partial class Commands
{
    private static async Task<int> ScoreAsync(CliArguments arguments, TextWriter output)
    {
        var total = Stopwatch.StartNew();
        var model = await ReadModelAsync(arguments.Model!).ConfigureAwait(false);
        if (await IsParquetAsync(arguments.Input).ConfigureAwait(false))
        {
            return await ScoreStreamingAsync(model, arguments, output).ConfigureAwait(false);
        }

        var ingest = await ReadTableAsync(arguments.Input, arguments).ConfigureAwait(false);
        var scored = ScoredTable.Score(model, ingest.Dataset);
        var previous = arguments.Previous is { } path ? await ReadPreviousAsync(path, model).ConfigureAwait(false) : null;
        var drift = DriftReport.Compare(scored, previous);
        int written;
        var destination = File.Create(arguments.Output!);
        await using (destination.ConfigureAwait(false))
        {
            written = await ScoredExporter.WriteAsync(destination, scored).ConfigureAwait(false);
        }

        if (arguments.Moved is { } movedPath)
        {
            if (drift.Migration is not { } migration)
            {
                throw new AnalysisInputException("--moved needs --previous and an identifier column in both files.");
            }

            var moved = File.Create(movedPath);
            await using (moved.ConfigureAwait(false))
            {
                await ScoredExporter.WriteAsync(moved, scored, migration.Moved.Select(m => m.Row)).ConfigureAwait(false);
            }
        }

        var elapsed = total.Elapsed.TotalMilliseconds;
        if (arguments.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(ScoreReport.Create(scored, drift, written, arguments.Output!, elapsed), CliJsonContext.Default.ScoreReport)).ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync($"Scored {scored.ScoredRows:N0} of {scored.Data.RowCount:N0} rows with k = {model.K} and wrote {written:N0} to {arguments.Output} in {elapsed:N0} ms.").ConfigureAwait(false);
        foreach (var shift in drift.Segments)
        {
            await output.WriteLineAsync($"  {shift.Segment.Number}. {shift.Segment.Name}: {shift.Now:N0} ({shift.NowShare * 100:F1}%; {shift.BeforeShare * 100:F1}% in the analysis)").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"  Fit: {scored.CountOf(SegmentFit.Typical):N0} typical, {scored.CountOf(SegmentFit.Borderline):N0} borderline, {scored.CountOf(SegmentFit.Unlike):N0} unlike any segment.").ConfigureAwait(false);
        foreach (var note in scored.Notes())
        {
            await output.WriteLineAsync($"  Note: {note}").ConfigureAwait(false);
        }

        foreach (var feature in drift.Features.Where(f => f.Level != DriftLevel.Stable))
        {
            await output.WriteLineAsync($"  Drift: {feature.Feature} {feature.Level.ToString().ToLowerInvariant()}: PSI {feature.Psi:F3}, mean {feature.MeanBefore:G6} → {feature.MeanNow:G6} ({feature.MeanShift:+0.00;-0.00} sd), median {feature.MedianBefore:G6} → {feature.MedianNow:G6}").ConfigureAwait(false);
        }

        if (drift.Migration is { } m)
        {
            await output.WriteLineAsync($"  {m.Matched:N0} customers are in both files; {m.Moved.Count:N0} changed segment; {m.OnlyNow:N0} are new; {m.OnlyBefore:N0} are gone.").ConfigureAwait(false);
        }

        await output.WriteLineAsync(drift.Verdict).ConfigureAwait(false);
        return 0;
    }

    /// <summary>A Parquet source of any size: scored one row group at a time into Parquet (.parquet) or CSV, in bounded memory.</summary>
    private static async Task<int> ScoreStreamingAsync(SegmentationModel model, CliArguments arguments, TextWriter output)
    {
        if (arguments.Previous is not null || arguments.Moved is not null)
        {
            throw new AnalysisInputException("--previous and --moved need a CSV or Excel file; a Parquet source is scored block by block, without matching customers.");
        }

        StreamingScoreSummary summary;
        var input = new FileStream(arguments.Input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        await using (input.ConfigureAwait(false))
        {
            var destination = new FileStream(arguments.Output!, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            await using (destination.ConfigureAwait(false))
            {
                var csv = !arguments.Output!.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
                summary = await StreamingScorer.ScoreParquetAsync(model, input, destination, csv, Path.GetFileName(arguments.Input)).ConfigureAwait(false);
            }
        }

        var drift = summary.Drift;
        if (arguments.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(ScoreReport.Create(summary, arguments.Output!), CliJsonContext.Default.ScoreReport)).ConfigureAwait(false);
            return 0;
        }

        var scored = summary.Rows - summary.FitCounts[SegmentFit.Unscored];
        await output.WriteLineAsync($"Scored {scored:N0} of {summary.Rows:N0} rows with k = {model.K} into {arguments.Output} in {summary.Seconds:N1} s ({summary.RowsPerSecond:N0} rows/s).").ConfigureAwait(false);
        foreach (var shift in drift.Segments)
        {
            await output.WriteLineAsync($"  {shift.Segment.Number}. {shift.Segment.Name}: {shift.NowShare * 100:F1}% ({shift.BeforeShare * 100:F1}% in the analysis)").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"  Fit: {summary.FitCounts[SegmentFit.Typical]:N0} typical, {summary.FitCounts[SegmentFit.Borderline]:N0} borderline, {summary.FitCounts[SegmentFit.Unlike]:N0} unlike any segment.").ConfigureAwait(false);
        foreach (var note in summary.Notes)
        {
            await output.WriteLineAsync($"  Note: {note}").ConfigureAwait(false);
        }

        await output.WriteLineAsync(drift.Verdict).ConfigureAwait(false);
        return 0;
    }

    private static async Task<bool> IsParquetAsync(string path)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            var prefix = new byte[8];
            var read = await file.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false).ConfigureAwait(false);
            return TableIngestor.Detect(prefix.AsSpan(0, read)) == TableFormat.Parquet;
        }
    }

    private static async Task<int> ExportSqlAsync(CliArguments arguments, TextWriter output)
    {
        var model = await ReadModelAsync(arguments.Model!).ConfigureAwait(false);
        var sql = SqlScoringExport.Generate(model, SqlScoringExport.ParseDialect(arguments.Dialect!), arguments.Table!);
        if (arguments.Output is { } path)
        {
            await File.WriteAllTextAsync(path, sql).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"Wrote the {arguments.Dialect} query for k = {model.K} to {path}.").ConfigureAwait(false);
        }
        else
        {
            await output.WriteAsync(sql).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<SegmentationModel> ReadModelAsync(string path)
    {
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            return await SegmentationModel.ReadAsync(stream).ConfigureAwait(false);
        }
    }

    private static async Task<IngestResult> ReadTableAsync(string path, CliArguments arguments)
    {
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            return await TableIngestor.ReadAsync(file, IngestOptions.Default with { SourceName = Path.GetFileName(path), HasHeader = !arguments.NoHeader, Sheet = arguments.Sheet }).ConfigureAwait(false);
        }
    }

    /// <summary>The analysis' segment of each customer, from its export: the model's identifier column and <c>segment</c>.</summary>
    private static async Task<Dictionary<string, int>> ReadPreviousAsync(string path, SegmentationModel model)
    {
        if (model.IdColumn is not { } id)
        {
            throw new AnalysisInputException("--previous needs a model with an identifier column, to match customers.");
        }

        var file = File.OpenRead(path);
        Dataset data;
        await using (file.ConfigureAwait(false))
        {
            data = (await TableIngestor.ReadAsync(file, IngestOptions.Default with { SourceName = Path.GetFileName(path) }).ConfigureAwait(false)).Dataset;
        }

        if (!data.HasColumn(id) || !data.HasColumn("segment"))
        {
            throw new AnalysisInputException($"{Path.GetFileName(path)} needs the columns {id} and segment (the analysis' export has both).");
        }

        var ids = data.Column(id);
        var segments = data.Column("segment");
        var previous = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var row = 0; row < data.RowCount; row++)
        {
            if (ids.TextAt(row) is { } key && int.TryParse(segments.TextAt(row), NumberStyles.None, CultureInfo.InvariantCulture, out var segment))
            {
                previous.TryAdd(key, segment);
            }
        }

        return previous;
    }
}
