using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Npgsql;
using Parquet;
using Parquet.Schema;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>A uniform random sample of a source's rows, every value as text (as a file would hold it), in source order.</summary>
/// <param name="Header">The column names.</param>
/// <param name="Rows">The sampled rows.</param>
/// <param name="TotalRows">How many rows the source has.</param>
/// <param name="Seed">The seed that chose them.</param>
public sealed record SourceSample(IReadOnlyList<string> Header, IReadOnlyList<string?[]> Rows, long TotalRows, int Seed)
{
    /// <summary>Whether every row of the source is in the sample.</summary>
    public bool IsComplete => Rows.Count == TotalRows;

    /// <summary>The sample as CSV (RFC 4180, UTF-8, missing values empty), to be read like an upload and saved with the analysis.</summary>
    public byte[] ToCsv()
    {
        using var stream = new MemoryStream();
        using (var writer = CsvHelper.CsvWriter.Create(stream, CsvHelper.CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true))
        {
            foreach (var name in Header)
            {
                writer.WriteField(name);
            }

            writer.EndRecord();
            foreach (var row in Rows)
            {
                foreach (var value in row)
                {
                    writer.WriteField(value ?? string.Empty);
                }

                writer.EndRecord();
            }
        }

        return stream.ToArray();
    }
}

/// <summary>
/// A table that lives somewhere other than an upload (a PostgreSQL query, a Parquet file or folder), read in blocks so that memory
/// holds one block whatever its size: for a seeded random sample to fit on, and for scoring every row.
/// </summary>
public abstract class TableSource
{
    /// <summary>Rows per block where the source does not decide (PostgreSQL); Parquet blocks are its row groups.</summary>
    public const int BlockRows = 65_536;

    /// <summary>What the source is, for pages and reports ("crm: SELECT …", "exports/customers-2026-11/ (4 files)").</summary>
    public abstract string Description { get; }

    /// <summary>The blocks of the source with the named columns: <paramref name="numeric"/> as numbers (NaN where missing or not a
    /// number), <paramref name="text"/> and the identifier as text as written.</summary>
    /// <exception cref="AnalysisInputException">A named column is not in the source (all are named).</exception>
    public abstract IAsyncEnumerable<Dataset> BlocksAsync(IReadOnlyCollection<string> numeric, IReadOnlyCollection<string> text, string? id, CancellationToken cancellationToken = default);

    /// <summary>The source's column names.</summary>
    public abstract Task<IReadOnlyList<string>> ColumnsAsync(CancellationToken cancellationToken = default);

    /// <summary>A uniform random sample of at most <paramref name="rows"/> rows, chosen by <paramref name="seed"/> in one pass
    /// (reservoir sampling: the same source and seed give the same sample), with the source's row count.</summary>
    public async Task<SourceSample> SampleAsync(int rows, int seed, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var header = await ColumnsAsync(cancellationToken).ConfigureAwait(false);
        var random = new Random(seed);
        var reservoir = new List<(long Index, string?[] Row)>();
        long seen = 0;
        await foreach (var block in BlocksAsync([], header, null, cancellationToken).ConfigureAwait(false))
        {
            var columns = header.Select(block.Column).ToArray();
            for (var r = 0; r < block.RowCount; r++, seen++)
            {
                var slot = seen < rows ? reservoir.Count : random.NextInt64(seen + 1);
                if (slot < rows)
                {
                    var row = new string?[columns.Length];
                    for (var c = 0; c < columns.Length; c++)
                    {
                        row[c] = columns[c].TextAt(r);
                    }

                    if (slot == reservoir.Count)
                    {
                        reservoir.Add((seen, row));
                    }
                    else
                    {
                        reservoir[(int)slot] = (seen, row);
                    }
                }
            }

            progress?.Report(seen);
        }

        return new SourceSample(header, reservoir.OrderBy(r => r.Index).Select(r => r.Row).ToArray(), seen, seed);
    }

    private protected static void RequireColumns(IEnumerable<string> wanted, IReadOnlyCollection<string> present)
    {
        var missing = wanted.Where(c => !present.Contains(c)).Distinct(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get(missing.Length == 1 ? "LacksModelColumn" : "LacksModelColumns", string.Join(", ", missing)));
        }
    }
}

/// <summary>One Parquet file, or every <c>.parquet</c> file of a folder (in name order, with the same columns), read row group by
/// row group with the next group read while the current one is used.</summary>
public sealed class ParquetSource : TableSource
{
    private readonly string[] _files;
    private readonly Func<string, Stream> _open;

    /// <summary>A file or a folder of Parquet files.</summary>
    /// <exception cref="AnalysisInputException">The path is neither, or the folder has no Parquet file.</exception>
    public ParquetSource(string path, string? description = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            _files = Directory.GetFiles(path, "*.parquet", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToArray();
            if (_files.Length == 0)
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("FolderNoParquet", Path.GetFileName(path.TrimEnd('/'))));
            }
        }
        else if (File.Exists(path))
        {
            _files = [path];
        }
        else
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("NotParquet", path));
        }

        _open = file => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        Description = description ?? (_files.Length == 1 ? Path.GetFileName(_files[0]) : AnalyticsTexts.Get("ParquetFolder", Path.GetFileName(path.TrimEnd('/')), _files.Length));
    }

    /// <summary>A Parquet stream (for tests and uploads); left open.</summary>
    public ParquetSource(Stream stream, string description)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _files = [description];
        _open = _ => new NonClosingStream(stream);
        Description = description;
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> ColumnsAsync(CancellationToken cancellationToken = default)
    {
        var stream = _open(_files[0]);
        await using (stream.ConfigureAwait(false))
        {
            var reader = await OpenAsync(stream, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return reader.Schema.GetDataFields().Select(f => f.Name).ToArray();
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<Dataset> BlocksAsync(IReadOnlyCollection<string> numeric, IReadOnlyCollection<string> text, string? id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        long first = 1;
        foreach (var file in _files)
        {
            var stream = _open(file);
            await using (stream.ConfigureAwait(false))
            {
                var reader = await OpenAsync(stream, cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
                    RequireColumns(numeric.Concat(text), fields.Keys);
                    if (fields.Values.FirstOrDefault(f => f.IsArray) is { } list)
                    {
                        throw new AnalysisInputException(AnalyticsTexts.Get("SourceLists", list.Name));
                    }

                    var idField = id is not null && fields.TryGetValue(id, out var f) ? f : null;
                    async Task<Dataset> ReadAsync(int g, long firstRow)
                    {
                        using var group = reader.OpenRowGroupReader(g);
                        var count = checked((int)group.RowCount);
                        var numbers = new List<(string, double[])>();
                        var texts = new List<(string, string?[])>();
                        foreach (var column in numeric)
                        {
                            numbers.Add((column, await ParquetColumns.ReadNumbersAsync(group, fields[column], count, cancellationToken).ConfigureAwait(false)));
                        }

                        foreach (var column in text)
                        {
                            texts.Add((column, await TableIngestor.ReadColumnAsTextAsync(group, fields[column], count, cancellationToken).ConfigureAwait(false)));
                        }

                        var ids = idField is null ? null : await TableIngestor.ReadColumnAsTextAsync(group, idField, count, cancellationToken).ConfigureAwait(false);
                        return Dataset.FromBatch(numbers, texts, ids is null ? null : (idField!.Name, ids), count, firstRow, Description);
                    }

                    // The next row group is read while the caller uses the current one.
                    var next = reader.RowGroupCount > 0 ? Task.Run(() => ReadAsync(0, first), cancellationToken) : null;
                    for (var g = 0; g < reader.RowGroupCount; g++)
                    {
                        var block = await next!.ConfigureAwait(false);
                        first += block.RowCount;
                        var following = g + 1;
                        var from = first;
                        next = following < reader.RowGroupCount ? Task.Run(() => ReadAsync(following, from), cancellationToken) : null;
                        yield return block;
                    }
                }
            }
        }
    }

    private static async Task<ParquetReader> OpenAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or NotSupportedException)
        {
            throw new IngestException(AnalyticsTexts.Get("ParquetUnreadable", exception.Message), exception);
        }
    }

    /// <summary>A view of a stream the caller owns: disposing it leaves the stream open (and rewinds it for the next pass).</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            inner.Position = 0;
            await base.DisposeAsync().ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            inner.Position = 0;
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// The rows of one SQL query on a PostgreSQL server, read in blocks. The connection string comes from the server's configuration
/// (never from a page); the query runs in a read-only transaction with a statement timeout, so it can neither change data nor run
/// for ever. Numbers are read as doubles, everything else as invariant text (dates ISO 8601).
/// </summary>
public sealed class PostgresSource : TableSource
{
    private readonly string _connectionString;
    private readonly string _query;
    private readonly TimeSpan _timeout;

    /// <summary>A query on a configured connection.</summary>
    /// <param name="name">The connection's name in configuration (shown to users instead of the connection string).</param>
    /// <param name="connectionString">From configuration.</param>
    /// <param name="query">One SELECT (or WITH … SELECT) statement.</param>
    /// <param name="timeout">The statement timeout.</param>
    /// <exception cref="AnalysisInputException">The query is empty or holds more than one statement.</exception>
    public PostgresSource(string name, string connectionString, string query, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(query);
        var trimmed = query.Trim().TrimEnd(';').Trim();
        if (trimmed.Length == 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("QueryMissing"));
        }

        if (trimmed.Contains(';', StringComparison.Ordinal))
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("QueryOneStatement"));
        }

        // Only queries that read: the transaction is read-only as well, so a data-modifying WITH is refused by the server too.
        var first = trimmed.Split((char[])[' ', '\n', '\r', '\t', '('], 2)[0];
        if (!first.Equals("SELECT", StringComparison.OrdinalIgnoreCase) && !first.Equals("WITH", StringComparison.OrdinalIgnoreCase))
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("QueryReadOnly", first.ToUpperInvariant()));
        }

        _connectionString = connectionString;
        _query = trimmed;
        _timeout = timeout;
        Description = $"{name}: {(trimmed.Length > 80 ? trimmed[..77] + "…" : trimmed)}";
    }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<string>> ColumnsAsync(CancellationToken cancellationToken = default)
    {
        var (connection, transaction, command) = await StartAsync(_query, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        await using (transaction.ConfigureAwait(false))
        await using (command.ConfigureAwait(false))
        {
            var reader = await Execute(command, CommandBehavior.SchemaOnly, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            }
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<Dataset> BlocksAsync(IReadOnlyCollection<string> numeric, IReadOnlyCollection<string> text, string? id, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (connection, transaction, command) = await StartAsync(_query, cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        await using (transaction.ConfigureAwait(false))
        await using (command.ConfigureAwait(false))
        {
            var reader = await Execute(command, CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var ordinals = Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => i, StringComparer.Ordinal);
                RequireColumns(numeric.Concat(text), ordinals.Keys);
                var idOrdinal = id is not null && ordinals.TryGetValue(id, out var o) ? o : -1;
                var wanted = numeric.Select(c => (Name: c, Ordinal: ordinals[c], Number: true))
                    .Concat(text.Select(c => (Name: c, Ordinal: ordinals[c], Number: false)))
                    .Concat(idOrdinal >= 0 ? [(Name: id!, Ordinal: idOrdinal, Number: false)] : [])
                    .OrderBy(w => w.Ordinal).ToArray();
                long first = 1;
                while (true)
                {
                    var numbers = numeric.ToDictionary(c => c, _ => new double[BlockRows], StringComparer.Ordinal);
                    var texts = text.ToDictionary(c => c, _ => new string?[BlockRows], StringComparer.Ordinal);
                    var ids = idOrdinal >= 0 ? new string?[BlockRows] : null;
                    var count = 0;
                    while (count < BlockRows && await ReadRowAsync(reader, cancellationToken).ConfigureAwait(false))
                    {
                        // Sequential access: columns are read in ordinal order, each once.
                        foreach (var (name, ordinal, isNumber) in wanted)
                        {
                            var value = await reader.IsDBNullAsync(ordinal, cancellationToken).ConfigureAwait(false) ? null : reader.GetValue(ordinal);
                            if (isNumber && numbers.TryGetValue(name, out var column))
                            {
                                column[count] = ToNumber(value);
                            }

                            var cell = isNumber ? null : TableIngestor.CellText(value);
                            if (!isNumber && texts.TryGetValue(name, out var textColumn))
                            {
                                textColumn[count] = cell;
                            }

                            if (ordinal == idOrdinal && ids is not null)
                            {
                                ids[count] = cell ?? TableIngestor.CellText(value);
                            }
                        }

                        count++;
                    }

                    if (count == 0)
                    {
                        yield break;
                    }

                    yield return Dataset.FromBatch(
                        numeric.Select(c => (c, numbers[c][..count])).ToArray(),
                        text.Select(c => (c, texts[c][..count])).ToArray(),
                        ids is null ? null : (id!, ids[..count]),
                        count,
                        first,
                        Description);
                    first += count;
                    if (count < BlockRows)
                    {
                        yield break;
                    }
                }
            }
        }
    }

    private static double ToNumber(object? value) => value switch
    {
        null => double.NaN,
        double d => d,
        float f => f,
        decimal m => (double)m,
        long l => l,
        int i => i,
        short s => s,
        bool b => b ? 1 : 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => double.NaN,
    };

    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction, NpgsqlCommand Command)> StartAsync(string sql, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new AnalysisInputException(AnalyticsTexts.Get("DatabaseUnreachable", exception.Message), exception);
        }

        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var milliseconds = (long)Math.Max(1, _timeout.TotalMilliseconds);
        await using (var setup = new NpgsqlCommand($"SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {milliseconds.ToString(CultureInfo.InvariantCulture)}", connection, transaction))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (connection, transaction, new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 });
    }

    private static async Task<NpgsqlDataReader> Execute(NpgsqlCommand command, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception)
        {
            throw new AnalysisInputException(exception.SqlState switch
            {
                "57014" => AnalyticsTexts.Get("QueryTimeout"),
                "25006" => AnalyticsTexts.Get("QueryWrites"),
                _ => exception.Position > 0 ? AnalyticsTexts.Get("QueryRefusedAt", exception.MessageText, exception.Position) : AnalyticsTexts.Get("QueryRefused", exception.MessageText),
            }, exception);
        }
    }

    private static async Task<bool> ReadRowAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception) when (exception.SqlState == "57014")
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("QueryTimeout"), exception);
        }
    }
}

/// <summary>Reading Parquet columns as numbers.</summary>
internal static class ParquetColumns
{
    /// <summary>A numeric Parquet column as doubles, NaN where null; doubles read raw with their definition levels (40% faster than
    /// nullable values), other types as exact text parsed invariantly. The array comes from <see cref="ExactPool{T}"/>: a reader
    /// that is done with the block may give it back (<see cref="Dataset.ReturnPooledNumbers"/>).</summary>
    public static async Task<double[]> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        var result = ExactPool<double>.Rent(count);
        if (type == typeof(double))
        {
            if (!field.IsNullable)
            {
                await group.ReadAsync(field, result.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
                return result;
            }

            var present = ExactPool<double>.Rent(count);
            var levels = ExactPool<int>.Rent(count);
            await group.ReadRawAsync<double>(field, present.AsMemory(0, count), levels.AsMemory(0, count), null, cancellationToken).ConfigureAwait(false);
            var defined = field.MaxDefinitionLevel;
            for (int i = 0, next = 0; i < count; i++)
            {
                result[i] = levels[i] == defined ? present[next++] : double.NaN;
            }

            ExactPool<double>.Return(present);
            ExactPool<int>.Return(levels);
            return result;
        }

        var texts = await TableIngestor.ReadColumnAsTextAsync(group, field, count, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < count; i++)
        {
            result[i] = texts[i] is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
        }

        return result;
    }
}
