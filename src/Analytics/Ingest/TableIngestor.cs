using System.Globalization;
using System.Text;
using ExcelDataReader;
using Parquet;
using Parquet.Schema;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>The kinds of file a table can be read from.</summary>
public enum TableFormat
{
    /// <summary>Delimited text (CSV, TSV, semicolon-separated).</summary>
    Csv,

    /// <summary>An Excel workbook (.xlsx, and the old .xls).</summary>
    Excel,

    /// <summary>An Apache Parquet file.</summary>
    Parquet,
}

/// <summary>
/// Reads a customer table from CSV, Excel (ExcelDataReader) or Parquet (Parquet.Net). Excel cells and Parquet values are turned into
/// their invariant text (numbers with a decimal point, dates as ISO 8601) and go through the same typing, checks and report as CSV,
/// so a column means the same whatever the file type.
/// </summary>
public static class TableIngestor
{
    private const int SampleRows = 1000;

    /// <summary>The format of a file from its first bytes (zip or OLE for Excel, PAR1 for Parquet), else CSV.</summary>
    public static TableFormat Detect(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith("PAR1"u8))
        {
            return TableFormat.Parquet;
        }

        return prefix.StartsWith("PK\x03\x04"u8) || prefix.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 }) ? TableFormat.Excel : TableFormat.Csv;
    }

    /// <summary>Reads any supported file: the format is told by its first bytes, not its name.</summary>
    /// <exception cref="IngestException">The file cannot be used as a table; the message names the row and column where it can.</exception>
    public static async Task<IngestResult> ReadAsync(Stream stream, IngestOptions? options = null, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= IngestOptions.Default;
        var seekable = stream;
        if (!stream.CanSeek)
        {
            // Excel and Parquet readers need to seek; CSV is streamed, so only the first bytes are buffered to tell the format.
            var head = new byte[8];
            var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            seekable = new PrefixedStream(head[..read], stream);
            if (Detect(head.AsSpan(0, read)) == TableFormat.Csv)
            {
                return await CsvIngestor.ReadAsync(seekable, options, progress, cancellationToken).ConfigureAwait(false);
            }

            var buffer = new MemoryStream();
            await new LimitedCountingStream(seekable, options.MaxBytes).CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            seekable = buffer;
        }

        var start = seekable.Position;
        var prefix = new byte[8];
        var got = await seekable.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        seekable.Position = start;
        return Detect(prefix.AsSpan(0, got)) switch
        {
            TableFormat.Excel => ReadExcel(seekable, options, cancellationToken),
            TableFormat.Parquet => await ReadParquetAsync(seekable, options, cancellationToken).ConfigureAwait(false),
            _ => await CsvIngestor.ReadAsync(seekable, options, progress, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The worksheet names of a workbook, in order.</summary>
    /// <exception cref="IngestException">The file is not a workbook.</exception>
    public static IReadOnlyList<string> SheetNames(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = OpenWorkbook(stream);
        var names = new List<string>();
        do
        {
            names.Add(reader.Name);
        }
        while (reader.NextResult());
        return names;
    }

    private static IExcelDataReader OpenWorkbook(Stream stream)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return ExcelReaderFactory.CreateReader(stream, new ExcelReaderConfiguration { LeaveOpen = true });
        }
        catch (Exception exception) when (exception is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or IOException)
        {
            throw new IngestException(AnalyticsTexts.Get("XlsxUnreadable", exception.Message), exception);
        }
    }

    private static IngestResult ReadExcel(Stream stream, IngestOptions options, CancellationToken cancellationToken)
    {
        using var reader = OpenWorkbook(stream);
        var sheets = new List<string>();
        var found = false;
        var index = 0;
        do
        {
            index++;
            sheets.Add(reader.Name);
            if (options.Sheet is null || options.Sheet == reader.Name || options.Sheet == index.ToString(CultureInfo.InvariantCulture))
            {
                found = true;
                break;
            }
        }
        while (reader.NextResult());

        if (!found)
        {
            throw new IngestException(AnalyticsTexts.Get("XlsxNoSheet", options.Sheet!, string.Join(", ", sheets.Select(s => $"\"{s}\""))));
        }

        var sheet = reader.Name;
        var rows = new List<(string?[] Fields, long Line)>();
        long line = 0;
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            line++;
            var fields = new string?[reader.FieldCount];
            var any = false;
            for (var c = 0; c < fields.Length; c++)
            {
                fields[c] = CellText(reader.GetValue(c));
                any |= !string.IsNullOrEmpty(fields[c]);
            }

            if (any)
            {
                rows.Add((fields, line));
            }

            if (rows.Count > options.MaxRows + 1)
            {
                throw new IngestException(AnalyticsTexts.Get("XlsxTooManyRows", sheet, options.MaxRows), line);
            }
        }

        return Assemble(rows, options, AnalyticsTexts.Get("WhereSheet", sheet));
    }

    private static async Task<IngestResult> ReadParquetAsync(Stream stream, IngestOptions options, CancellationToken cancellationToken)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or NotSupportedException)
        {
            throw new IngestException(AnalyticsTexts.Get("ParquetUnreadable", exception.Message), exception);
        }

        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.GetDataFields();
            if (fields.Any(f => f.IsArray))
            {
                throw new IngestException(AnalyticsTexts.Get("ParquetLists", fields.First(f => f.IsArray).Name));
            }

            var rows = new List<(string?[] Fields, long Line)>
            {
                (fields.Select(f => (string?)f.Name).ToArray(), 0),
            };
            long rowNumber = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = checked((int)group.RowCount);
                if (rows.Count + count > options.MaxRows + 1)
                {
                    throw new IngestException(AnalyticsTexts.Get("ParquetTooManyRows", options.MaxRows));
                }

                var columns = new string?[fields.Length][];
                for (var f = 0; f < fields.Length; f++)
                {
                    columns[f] = await ReadColumnAsTextAsync(group, fields[f], count, cancellationToken).ConfigureAwait(false);
                }

                for (var r = 0; r < count; r++)
                {
                    var record = new string?[fields.Length];
                    for (var f = 0; f < fields.Length; f++)
                    {
                        record[f] = columns[f][r];
                    }

                    rows.Add((record, ++rowNumber));
                }
            }

            return Assemble(rows, options with { HasHeader = true }, AnalyticsTexts.Get("WhereParquet"));
        }
    }

    /// <summary>One Parquet column as invariant text, whatever its type (exact for integers of any size and for decimals).</summary>
    internal static async Task<string?[]> ReadColumnAsTextAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await group.ReadAsync(field, strings.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return strings;
        }

        return type switch
        {
            _ when type == typeof(int) => await Values<int>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(long) => await Values<long>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(short) => await Values<short>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(sbyte) => await Values<sbyte>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(byte) => await Values<byte>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(ushort) => await Values<ushort>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(uint) => await Values<uint>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(ulong) => await Values<ulong>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(float) => await Values<float>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(double) => await Values<double>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(decimal) => await Values<decimal>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(bool) => await Values<bool>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateTime) => await Values<DateTime>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateOnly) => await Values<DateOnly>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ when type == typeof(DateTimeOffset) => await Values<DateTimeOffset>(group, field, count, cancellationToken).ConfigureAwait(false),
            _ => throw new IngestException(AnalyticsTexts.Get("ParquetType", field.Name, type.Name), null, field.Name),
        };
    }

    private static async Task<string?[]> Values<T>(ParquetRowGroupReader group, DataField field, int count, CancellationToken cancellationToken)
        where T : struct
    {
        var texts = new string?[count];
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                texts[i] = values[i] is { } value ? CellText(value) : null;
            }
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                texts[i] = CellText(values[i]);
            }
        }

        return texts;
    }

    /// <summary>A cell's value as the text CSV would hold: numbers invariant and round-trip exact, dates ISO 8601, text as is.</summary>
    internal static string? CellText(object? value) => value switch
    {
        null or DBNull => null,
        string text => text,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Types the rows (the first is the header unless <see cref="IngestOptions.HasHeader"/> is false) with the same rules as CSV.</summary>
    private static IngestResult Assemble(List<(string?[] Fields, long Line)> rows, IngestOptions options, string where)
    {
        if (rows.Count == 0)
        {
            throw new IngestException(Capitalised(AnalyticsTexts.Get("TableEmpty", where)));
        }

        var state = new IssueSink(options);
        var width = rows.Max(r => r.Fields.Length);
        string[] header;
        var first = 0;
        if (options.HasHeader)
        {
            var raw = rows[0].Fields;
            var trimmedWidth = raw.Length;
            while (trimmedWidth > 0 && string.IsNullOrWhiteSpace(raw[trimmedWidth - 1]))
            {
                trimmedWidth--;
            }

            if (trimmedWidth == 0)
            {
                throw new IngestException(AnalyticsTexts.Get("TableFirstRowEmpty", where), rows[0].Line);
            }

            width = Math.Max(trimmedWidth, rows.Skip(1).Select(r => LastFilled(r.Fields)).DefaultIfEmpty(0).Max());
            header = CsvIngestor.HeaderNames([.. raw.Take(width), .. Enumerable.Repeat<string?>(null, Math.Max(0, width - raw.Length))], options, state);
            first = 1;
        }
        else
        {
            header = Enumerable.Range(1, width).Select(i => $"column_{i}").ToArray();
        }

        if (header.Length > options.MaxColumns)
        {
            throw new IngestException(Capitalised(AnalyticsTexts.Get("TableTooWide", where, header.Length, options.MaxColumns)));
        }

        var builder = new TableBuilder(header, options, state);
        var sample = new List<(string[] Fields, long Line)>();
        var record = new DecodedRecord(header.Length);
        for (var r = first; r < rows.Count; r++)
        {
            var fields = new string[header.Length];
            for (var c = 0; c < header.Length; c++)
            {
                fields[c] = c < rows[r].Fields.Length ? rows[r].Fields[c] ?? string.Empty : string.Empty;
            }

            if (builder.Decided)
            {
                record.From(fields);
                builder.Add(record, rows[r].Line);
            }
            else
            {
                sample.Add((fields, rows[r].Line));
                if (sample.Count == SampleRows)
                {
                    builder.Decide(sample, ',');
                    sample.Clear();
                }
            }
        }

        if (!builder.Decided)
        {
            builder.Decide(sample, ',');
        }

        if (builder.RowCount == 0)
        {
            throw new IngestException(Capitalised(AnalyticsTexts.Get("TableHeaderOnly", where)));
        }

        var dataset = builder.Build(options.SourceName);
        var report = state.Report(dataset, ',', '.', where, 0);
        return new IngestResult(dataset, report);
    }

    private static int LastFilled(string?[] fields)
    {
        var last = fields.Length;
        while (last > 0 && string.IsNullOrEmpty(fields[last - 1]))
        {
            last--;
        }

        return last;
    }

    private static string Capitalised(string text) => char.ToUpper(text[0], AnalyticsTexts.Numbers) + text[1..];
}
