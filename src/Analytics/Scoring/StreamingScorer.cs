using System.Diagnostics;
using Parquet;
using Parquet.Schema;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Statistics;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Scoring;

/// <summary>What scoring a large source block by block found: counts per segment and fit, drift per feature, notes, timings.</summary>
/// <param name="Rows">Rows read.</param>
/// <param name="Drift">Segment sizes then and now, drift per feature (medians estimated on an evenly spaced sample) and the verdict.</param>
/// <param name="FitCounts">Rows per fit: typical, borderline, unlike any segment, unscored.</param>
/// <param name="Notes">Ignored columns, unseen category values, unscored rows.</param>
/// <param name="Seconds">Wall time from opening the source to the last row written.</param>
public sealed record StreamingScoreSummary(long Rows, DriftReport Drift, IReadOnlyDictionary<SegmentFit, long> FitCounts, IReadOnlyList<string> Notes, double Seconds)
{
    /// <summary>Rows per second, end to end.</summary>
    public double RowsPerSecond => Seconds > 0 ? Rows / Seconds : 0;
}

/// <summary>
/// Scores a Parquet file of any size with a model, one row group at a time, so memory holds one block whatever the file's size: the
/// model's input columns of the block are read, prepared and assigned exactly as <see cref="ScoredTable"/> does, and the block's
/// identifier, segment, segment_name, distance_to_centroid and fit are written as one row group of a Parquet (or CSV) output.
/// Drift is gathered as it goes (bin counts and sums per feature; medians on an evenly spaced sample of at most 200,000 rows).
/// </summary>
public static class StreamingScorer
{
    /// <summary>Rows scored and written at once: a row group is scored in slices of this size (and written as row groups of it).</summary>
    public const int SliceRows = 262_144;


    /// <summary>At most this many rows are kept to estimate the medians of the new data.</summary>
    public const int MedianSampleRows = 200_000;

    /// <summary>Scores <paramref name="input"/> (Parquet) into <paramref name="output"/>: Parquet, or CSV when <paramref name="csv"/>.</summary>
    /// <exception cref="AnalysisInputException">A column the model needs is missing (all are named), or the file is not a flat table.</exception>
    public static Task<StreamingScoreSummary> ScoreParquetAsync(SegmentationModel model, Stream input, Stream output, bool csv = false, string? sourceName = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ScoreAsync(model, new ParquetSource(input, sourceName ?? "the Parquet file"), output, csv, progress, cancellationToken);
    }

    /// <summary>Scores every row of <paramref name="source"/> into <paramref name="output"/> (Parquet, or CSV when <paramref name="csv"/>),
    /// block by block; <paramref name="progress"/> receives the rows done.</summary>
    /// <exception cref="AnalysisInputException">A column the model needs is missing (all are named), or the source cannot be read.</exception>
    public static async Task<StreamingScoreSummary> ScoreAsync(SegmentationModel model, TableSource source, Stream output, bool csv = false, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        var inputs = model.InputColumns;
        var textInputs = model.Encodings.Where(e => e is LevelEncoding or FlagEncoding or DaysEncoding).Select(e => e.Column!).ToHashSet(StringComparer.Ordinal);
        var columns = await source.ColumnsAsync(cancellationToken).ConfigureAwait(false);
        var idColumn = model.IdColumn is { } idName && columns.Contains(idName, StringComparer.Ordinal) ? idName : null;
        var gathered = new DriftGatherer(model);
        var ignored = columns.Where(n => !inputs.Contains(n, StringComparer.Ordinal) && n != model.IdColumn).ToArray();
        var unseen = new Dictionary<(string Column, string Value), long>();
        var unscoredLines = new List<long>();
        await using var sink = csv ? (IScoreSink)new CsvSink(output, idColumn) : await ParquetSink.CreateAsync(output, idColumn).ConfigureAwait(false);
        long rows = 0;

        // The source reads its next block while this one is scored, and each slice's output is written while the next slice is
        // scored: both cores work, and about two blocks are in memory.
        Task writing = Task.CompletedTask;
        var numeric = inputs.Where(c => !textInputs.Contains(c)).ToArray();
        var text = inputs.Where(textInputs.Contains).ToArray();
        await foreach (var block in source.BlocksAsync(numeric, text, idColumn, cancellationToken).ConfigureAwait(false))
        {
            for (var start = 0; start < block.RowCount; start += SliceRows)
            {
                var length = Math.Min(SliceRows, block.RowCount - start);
                var batch = length == block.RowCount ? block : Slice(block, numeric, text, idColumn, start, length);
                var ids = idColumn is null ? null : batch.Column(idColumn).Texts.ToArray();
                var scored = ScoredTable.Score(model, batch);
                gathered.Add(scored);
                foreach (var level in scored.UnseenLevels)
                {
                    unseen[(level.Column, level.Value)] = unseen.GetValueOrDefault((level.Column, level.Value)) + level.Rows;
                }

                foreach (var row in scored.Scores.Unprepared.Take(5 - Math.Min(5, unscoredLines.Count)))
                {
                    unscoredLines.Add(batch.LineNumber(row));
                }

                await writing.ConfigureAwait(false);
                writing = Task.Run(() => sink.WriteAsync(scored, ids, cancellationToken), cancellationToken);
                rows += length;
                progress?.Report(rows);
                if (!ReferenceEquals(batch, block))
                {
                    batch.ReturnPooledNumbers();
                }
            }

            // The block's numbers are not read again (the output holds identifiers and scores only): their arrays are reused.
            block.ReturnPooledNumbers();
        }

        await writing.ConfigureAwait(false);
        await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
        var notes = new List<string>();
        if (ignored.Length > 0)
        {
            notes.Add(AnalyticsTexts.Get(ignored.Length == 1 ? "IgnoredColumn" : "IgnoredColumns", ignored.Length, string.Join(", ", ignored)));
        }

        foreach (var column in unseen.GroupBy(u => u.Key.Column, StringComparer.Ordinal))
        {
            notes.Add(AnalyticsTexts.Get(column.Count() == 1 ? "UnseenLevelStream" : "UnseenLevelsStream", column.Key, column.Count(), string.Join(", ", column.OrderByDescending(u => u.Value).Take(5).Select(u => AnalyticsTexts.Get("LevelTimes", u.Key.Value, u.Value)))));
        }

        if (gathered.Unscored > 0)
        {
            notes.Add(AnalyticsTexts.Get("UnscoredRows", gathered.Unscored, string.Join(", ", unscoredLines) + (gathered.Unscored > unscoredLines.Count ? ", …" : string.Empty)));
        }

        if (rows > MedianSampleRows)
        {
            notes.Add(AnalyticsTexts.Get("MediansSampled", MedianSampleRows, rows));
        }

        return new StreamingScoreSummary(rows, gathered.Report(), gathered.FitCounts, notes, clock.Elapsed.TotalSeconds);
    }

    private static double[] Copy(ReadOnlySpan<double> values)
    {
        var copy = ExactPool<double>.Rent(values.Length);
        values.CopyTo(copy);
        return copy;
    }

    /// <summary>Rows [start, start + length) of a block, as their own dataset (the block's row numbers kept).</summary>
    private static Dataset Slice(Dataset block, string[] numeric, string[] text, string? id, int start, int length) => Dataset.FromBatch(
        numeric.Select(c => (c, Copy(block.Column(c).Numbers.Slice(start, length)))).ToArray(),
        text.Select(c => (c, block.Column(c).Texts.Slice(start, length).ToArray())).ToArray(),
        id is null ? null : (id, block.Column(id).Texts.Slice(start, length).ToArray()),
        length,
        block.LineNumber(start),
        block.SourceName);

    /// <summary>Running counts for the drift report: per segment and fit, and per feature its bins, sum and an evenly spaced sample.</summary>
    private sealed class DriftGatherer(SegmentationModel model)
    {
        private readonly Random _random = new(1);
        private double _weight;
        private long _next = long.MaxValue;
        private readonly long[] _segments = new long[model.K];
        private readonly Dictionary<SegmentFit, long> _fits = Enum.GetValues<SegmentFit>().ToDictionary(f => f, _ => 0L);
        private readonly FeatureTally[] _features = model.Reference.Select(r => new FeatureTally(r)).ToArray();

        private long _seen;

        public long Unscored => _fits[SegmentFit.Unscored];

        public IReadOnlyDictionary<SegmentFit, long> FitCounts => _fits;

        public void Add(ScoredTable scored)
        {
            for (var s = 0; s < _segments.Length; s++)
            {
                _segments[s] += scored.Counts[s];
            }

            foreach (var fit in scored.Fits)
            {
                _fits[fit]++;
            }

            // One seeded reservoir of rows for all features, so the medians come from a uniform sample of the rows. Li's
            // Algorithm L draws random numbers only for the rows it takes (about k · ln(n / k) of them), not for every row.
            var n = scored.Data.RowCount;
            var chosen = new List<(int Row, int Slot)>();
            for (var row = 0; row < n; row++)
            {
                var index = _seen + row;
                if (index < MedianSampleRows)
                {
                    chosen.Add((row, (int)index));
                    if (index == MedianSampleRows - 1)
                    {
                        _weight = Math.Exp(Math.Log(_random.NextDouble()) / MedianSampleRows);
                        _next = index + 1 + Skip();
                    }

                    continue;
                }

                if (index < _next)
                {
                    // Jump straight to the next row taken.
                    row += (int)Math.Min(n - row - 1, _next - index - 1);
                    continue;
                }

                chosen.Add((row, _random.Next(MedianSampleRows)));
                _weight *= Math.Exp(Math.Log(_random.NextDouble()) / MedianSampleRows);
                _next = index + 1 + Skip();
            }

            var encoded = scored.Scores.Encoded ?? scored.Data;
            Parallel.For(0, _features.Length, i =>
            {
                var feature = _features[i];
                if (!encoded.HasColumn(feature.Reference.Name))
                {
                    return;
                }

                var values = encoded.Column(feature.Reference.Name).Numbers;
                feature.Missing += feature.Reference.CountInto(values, feature.Bins);
                var sum = 0.0;
                long known = 0;
                foreach (var value in values)
                {
                    if (double.IsFinite(value))
                    {
                        sum += value;
                        known++;
                    }
                }

                feature.Sum += sum;
                feature.Known += known;
                foreach (var (row, slot) in chosen)
                {
                    if (slot == feature.Sample.Count)
                    {
                        feature.Sample.Add(values[row]);
                    }
                    else
                    {
                        feature.Sample[slot] = values[row];
                    }
                }
            });
            _seen += n;
        }

        private long Skip() => (long)Math.Floor(Math.Log(_random.NextDouble()) / Math.Log(1 - _weight));

        public DriftReport Report()
        {
            var features = _features.Select(f =>
            {
                var mean = f.Known == 0 ? double.NaN : f.Sum / f.Known;
                var r = f.Reference;
                return new FeatureDrift(r.Name, r.Psi(f.Bins, f.Missing), r.Median, Descriptive.Median(f.Sample.ToArray()), r.Mean, mean, r.Sd > 0 ? (mean - r.Mean) / r.Sd : double.NaN);
            }).ToArray();
            return DriftReport.Build(model, _segments, _fits[SegmentFit.Unlike], features, null);
        }
    }

    /// <summary>One feature's running counts.</summary>
    private sealed class FeatureTally(FeatureReference reference)
    {
        public FeatureReference Reference { get; } = reference;

        public long[] Bins { get; } = new long[reference.Edges.Count + 1];

        public long Missing { get; set; }

        public double Sum { get; set; }

        public long Known { get; set; }

        public List<double> Sample { get; } = [];
    }

    private interface IScoreSink : IAsyncDisposable
    {
        Task WriteAsync(ScoredTable scored, string?[]? ids, CancellationToken cancellationToken);

        Task CompleteAsync(CancellationToken cancellationToken);
    }

    /// <summary>Parquet output: one row group per block; the identifier (when the model has one), then the four score columns.</summary>
    private sealed class ParquetSink : IScoreSink
    {
        private readonly ParquetWriter _writer;
        private readonly DataField<string>? _id;
        private readonly DataField<int?> _segment;
        private readonly DataField<string> _name;
        private readonly DataField<float?> _distance;
        private readonly DataField<string> _fit;

        private ParquetSink(ParquetWriter writer, ParquetSchema schema, bool hasId)
        {
            _writer = writer;
            var fields = schema.GetDataFields();
            var at = 0;
            _id = hasId ? (DataField<string>)fields[at++] : null;
            _segment = (DataField<int?>)fields[at++];
            _name = (DataField<string>)fields[at++];
            _distance = (DataField<float?>)fields[at++];
            _fit = (DataField<string>)fields[at];
        }

        public static async Task<ParquetSink> CreateAsync(Stream output, string? idColumn)
        {
            var id = idColumn is null ? null : new DataField<string>(idColumn);
            var schema = new ParquetSchema(new Field?[] { id, new DataField<int?>("segment"), new DataField<string>("segment_name"), new DataField<float?>("distance_to_centroid"), new DataField<string>("fit") }.OfType<Field>().ToArray());
            var writer = await ParquetWriter.CreateAsync(schema, output).ConfigureAwait(false);
            return new ParquetSink(writer, schema, id is not null);
        }

        public async Task WriteAsync(ScoredTable scored, string?[]? ids, CancellationToken cancellationToken)
        {
            var count = scored.Data.RowCount;
            var segments = new int?[count];
            var names = new string[count];
            var distances = new float?[count];
            var fits = new string[count];
            for (var row = 0; row < count; row++)
            {
                var segment = scored.SegmentOf(row);
                segments[row] = segment?.Number;
                names[row] = segment?.Name!;
                distances[row] = segment is null ? null : scored.Scores.Distances[row];
                fits[row] = segment is null ? null! : ScoredTable.FitName(scored.Fits[row]);
            }

            using var group = _writer.CreateRowGroup();
            if (_id is not null)
            {
                await group.WriteAsync(_id, (ids ?? new string?[count]).Select(i => i!).ToArray(), null).ConfigureAwait(false);
            }

            await group.WriteAsync<int>(_segment, segments, null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(_name, names, null).ConfigureAwait(false);
            await group.WriteAsync<float>(_distance, distances, null, null, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(_fit, fits, null).ConfigureAwait(false);
        }

        public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync() => _writer.DisposeAsync();
    }

    /// <summary>CSV output with the same columns (formula-like text escaped, as in every export).</summary>
    private sealed class CsvSink : IScoreSink
    {
        private readonly CsvHelper.CsvWriter _writer;
        private readonly bool _hasId;

        public CsvSink(Stream output, string? idColumn)
        {
            _writer = CsvHelper.CsvWriter.Create(output, CsvHelper.CsvWriterOptions.Default with { Injection = CsvHelper.CsvInjection.Escape, NewLine = "\r\n" }, leaveOpen: true);
            _hasId = idColumn is not null;
            if (idColumn is not null)
            {
                _writer.WriteField(idColumn);
            }

            foreach (var name in new[] { "segment", "segment_name", "distance_to_centroid", "fit" })
            {
                _writer.WriteField(name);
            }

            _writer.EndRecord();
        }

        public async Task WriteAsync(ScoredTable scored, string?[]? ids, CancellationToken cancellationToken)
        {
            for (var row = 0; row < scored.Data.RowCount; row++)
            {
                if (_hasId)
                {
                    _writer.WriteField(ids?[row] ?? string.Empty);
                }

                if (scored.SegmentOf(row) is { } segment)
                {
                    _writer.WriteField(segment.Number, string.Empty);
                    _writer.WriteField(segment.Name);
                    _writer.WriteField(scored.Scores.Distances[row], string.Empty);
                    _writer.WriteField(ScoredTable.FitName(scored.Fits[row]));
                }
                else
                {
                    _writer.WriteField(string.Empty);
                    _writer.WriteField(string.Empty);
                    _writer.WriteField(string.Empty);
                    _writer.WriteField(string.Empty);
                }

                await _writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task CompleteAsync(CancellationToken cancellationToken) => await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync() => _writer.DisposeAsync();
    }
}
