using System.Buffers;
using System.Diagnostics;
using Parquet;
using Parquet.Schema;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Statistics;

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
    public static async Task<StreamingScoreSummary> ScoreParquetAsync(SegmentationModel model, Stream input, Stream output, bool csv = false, string? sourceName = null, IProgress<(long Rows, long Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var clock = Stopwatch.StartNew();
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(input, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or NotSupportedException)
        {
            throw new IngestException($"The Parquet file cannot be read: {exception.Message}", exception);
        }

        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
            var inputs = model.InputColumns;
            var missing = inputs.Where(c => !fields.ContainsKey(c)).ToArray();
            if (missing.Length > 0)
            {
                throw new AnalysisInputException($"The data lacks the model's column{(missing.Length == 1 ? string.Empty : "s")} {string.Join(", ", missing)}.");
            }

            var textInputs = model.Encodings.Where(e => e is LevelEncoding or FlagEncoding or DaysEncoding).Select(e => e.Column!).ToHashSet(StringComparer.Ordinal);
            var idField = model.IdColumn is { } idName && fields.TryGetValue(idName, out var f) ? f : null;
            long total = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var counted = reader.OpenRowGroupReader(g);
                total += counted.RowCount;
            }

            var stride = Math.Max(1, (int)Math.Ceiling(total / (double)MedianSampleRows));
            var gathered = new DriftGatherer(model, stride);
            var ignored = fields.Keys.Where(n => !inputs.Contains(n, StringComparer.Ordinal) && n != model.IdColumn).ToArray();
            var unseen = new Dictionary<(string Column, string Value), long>();
            var unscoredLines = new List<long>();
            await using var sink = csv ? (IScoreSink)new CsvSink(output, model.IdColumn) : await ParquetSink.CreateAsync(output, model.IdColumn).ConfigureAwait(false);
            long rows = 0;

            // Reading (Parquet decoding) of the next row group runs while the current one is scored, and each slice's output is
            // written while the next slice is scored: both cores work, and at most two row groups are in memory.
            async Task<Block> ReadAsync(int g)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                var numeric = new List<(string, double[])>();
                var texts = new List<(string, string?[])>();
                foreach (var column in inputs)
                {
                    if (textInputs.Contains(column))
                    {
                        texts.Add((column, await TableIngestor.ReadColumnAsTextAsync(group, fields[column], count, cancellationToken).ConfigureAwait(false)));
                    }
                    else
                    {
                        numeric.Add((column, await ReadNumbersAsync(group, fields[column], count, cancellationToken).ConfigureAwait(false)));
                    }
                }

                var ids = idField is null ? null : await TableIngestor.ReadColumnAsTextAsync(group, idField, count, cancellationToken).ConfigureAwait(false);
                return new Block(count, numeric, texts, ids);
            }

            var next = reader.RowGroupCount > 0 ? Task.Run(() => ReadAsync(0), cancellationToken) : null;
            Task writing = Task.CompletedTask;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var block = await next!.ConfigureAwait(false);
                var following = g + 1;
                next = following < reader.RowGroupCount ? Task.Run(() => ReadAsync(following), cancellationToken) : null;
                for (var start = 0; start < block.Rows; start += SliceRows)
                {
                    var length = Math.Min(SliceRows, block.Rows - start);
                    var ids = block.Ids is null ? null : block.Ids.AsSpan(start, length).ToArray();
                    var slices = block.Numeric.Select(c => (c.Name, Slice(c.Values, start, length))).ToArray();
                    var batch = Dataset.FromBatch(
                        slices,
                        block.Texts.Select(c => (c.Name, c.Values.AsSpan(start, length).ToArray())).ToArray(),
                        ids is null ? null : (idField!.Name, ids),
                        length,
                        rows + 1,
                        sourceName);
                    var scored = ScoredTable.Score(model, batch);
                    gathered.Add(scored);

                    // The slice's input numbers are not read again (the output needs only identifiers and scores): back to the pool.
                    foreach (var (_, values) in slices.Where(c => c.Item2.Length == SliceRows))
                    {
                        ArrayPool<double>.Shared.Return(values);
                    }

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
                    progress?.Report((rows, total));
                }

                foreach (var (_, values) in block.Numeric)
                {
                    ArrayPool<double>.Shared.Return(values);
                }
            }

            await writing.ConfigureAwait(false);
            await sink.CompleteAsync(cancellationToken).ConfigureAwait(false);
            var notes = new List<string>();
            if (ignored.Length > 0)
            {
                notes.Add($"{ignored.Length} column{(ignored.Length == 1 ? " is" : "s are")} not used by the model and {(ignored.Length == 1 ? "is" : "are")} ignored: {string.Join(", ", ignored)}.");
            }

            foreach (var column in unseen.GroupBy(u => u.Key.Column, StringComparer.Ordinal))
            {
                notes.Add($"{column.Key}: {column.Count()} value{(column.Count() == 1 ? string.Empty : "s")} the model was not trained on ({string.Join(", ", column.OrderByDescending(u => u.Value).Take(5).Select(u => $"\"{u.Key.Value}\" ×{u.Value:N0}"))}); they are scored as none of the known values.");
            }

            if (gathered.Unscored > 0)
            {
                notes.Add($"{gathered.Unscored:N0} rows have no segment: a feature is missing where the model has no imputation (rows {string.Join(", ", unscoredLines)}{(gathered.Unscored > unscoredLines.Count ? ", …" : string.Empty)}).");
            }

            if (stride > 1)
            {
                notes.Add($"Medians of the new data are estimated on every {stride:N0}th row ({Math.Ceiling(rows / (double)stride):N0} rows); counts, shares, PSI and means use every row.");
            }

            return new StreamingScoreSummary(rows, gathered.Report(), gathered.FitCounts, notes, clock.Elapsed.TotalSeconds);
        }
    }

    /// <summary>A slice of a block's column: pooled when it is a whole slice (the pool's arrays of that size are exact).</summary>
    private static double[] Slice(double[] values, int start, int length)
    {
        var slice = length == SliceRows ? ArrayPool<double>.Shared.Rent(length) : new double[length];
        values.AsSpan(start, length).CopyTo(slice);
        return slice;
    }

    private sealed record Block(int Rows, IReadOnlyList<(string Name, double[] Values)> Numeric, IReadOnlyList<(string Name, string?[] Values)> Texts, string?[]? Ids);

    /// <summary>A numeric Parquet column as doubles, NaN where null; integers, decimals and floats converted.</summary>
    private static async Task<double[]> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(double))
        {
            // Pooled: a block's columns go back to the pool once its slices are scored, so row groups reuse the same arrays.
            var result = ArrayPool<double>.Shared.Rent(count);
            if (!field.IsNullable)
            {
                await group.ReadAsync(field, result.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                return result;
            }

            // The raw page values (present ones only, in order) and the definition levels say which rows have one: 40% faster
            // than materialising double? values, and half the memory.
            var present = ArrayPool<double>.Shared.Rent(count);
            var levels = ArrayPool<int>.Shared.Rent(count);
            await group.ReadRawAsync<double>(field, present.AsMemory(0, count), levels.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
            var defined = field.MaxDefinitionLevel;
            for (int i = 0, next = 0; i < count; i++)
            {
                result[i] = levels[i] == defined ? present[next++] : double.NaN;
            }

            ArrayPool<double>.Shared.Return(present);
            ArrayPool<int>.Shared.Return(levels);
            return result;
        }

        if (type == typeof(string))
        {
            throw new AnalysisInputException($"The model's feature {field.Name} is text in this file, not numbers.");
        }

        // Other numeric types are rare in customer tables: read them as text (exact) and parse invariantly.
        var texts = await TableIngestor.ReadColumnAsTextAsync(group, field, count, cancellationToken).ConfigureAwait(false);
        var numbers = ArrayPool<double>.Shared.Rent(count);
        for (var i = 0; i < count; i++)
        {
            numbers[i] = texts[i] is { } text && double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
        }

        return numbers;
    }

    /// <summary>Running counts for the drift report: per segment and fit, and per feature its bins, sum and an evenly spaced sample.</summary>
    private sealed class DriftGatherer(SegmentationModel model, int stride)
    {
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

            var encoded = scored.Scores.Encoded ?? scored.Data;
            var seen = _seen;
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
                var first = (int)((stride - (seen % stride)) % stride);
                for (var row = first; row < values.Length; row += stride)
                {
                    feature.Sample.Add(values[row]);
                }
            });
            _seen += scored.Data.RowCount;
        }

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
