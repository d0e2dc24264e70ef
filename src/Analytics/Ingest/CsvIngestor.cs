using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>
/// Reads a CSV stream into a typed <see cref="Dataset"/> with CsvHelper, strictly: every value is either read as what it means,
/// counted as missing, or reported with its line and column; nothing is shifted, guessed or dropped silently.
/// </summary>
/// <remarks>
/// The separator is detected among , ; tab and |, honouring an Excel "sep=" first line. The decimal separator is detected from
/// the values (a ',' only with evidence such as "12,5" and never in a comma-separated file). UTF-8 with or without BOM and UTF-16 with BOM are read.
/// Column kinds are inferred from the first rows and held to for the rest of the file.
/// </remarks>
public static class CsvIngestor
{
    private const int SampleRows = 1000;
    private const int PrefixBytes = 64 * 1024;
    private const int ProgressEveryRows = 8192;
    private const int HeaderCheckRecords = 200;

    private static readonly HashSet<string> TotalsWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "total", "totals", "grand total", "sum", "subtotal", "sub-total", "summe", "gesamt", "totaal",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> TotalsLookup = TotalsWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reads <paramref name="stream"/> (from its current position, not necessarily seekable) into a dataset.</summary>
    /// <param name="stream">The CSV bytes.</param>
    /// <param name="options">Limits; <see cref="IngestOptions.Default"/> when null.</param>
    /// <param name="progress">Receives bytes and rows read, every few thousand rows and at the end.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The dataset and a report of what was found.</returns>
    /// <exception cref="IngestException">The input cannot be used as a table (empty, binary, not UTF-8, unclosed quote, limits exceeded, no data rows); the message names the line and column where it can.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<IngestResult> ReadAsync(Stream stream, IngestOptions? options = null, IProgress<IngestProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= IngestOptions.Default;
        var totalBytes = stream.CanSeek ? stream.Length - stream.Position : (long?)null;
        var counting = new LimitedCountingStream(stream, options.MaxBytes);
        var prefix = await ReadPrefixAsync(counting, cancellationToken).ConfigureAwait(false);
        var encoding = InspectPrefix(prefix);
        var input = new PrefixedStream(prefix, counting);
        var state = new IssueSink(options);
        var readerOptions = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            DetectSeparatorHint = true,
            HasHeader = options.HasHeader,
            MaxRecordSize = Math.Max(options.MaxFieldBytes * 4, 1 << 20),
            OnMalformedRecord = state.OnMalformed,
        };

        var reader = CsvReader.Create(input, readerOptions);
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                string[] header;
                var firstIsData = false;
                if (options.HasHeader)
                {
                    await reader.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
                    header = ReadHeader(reader, options, state);
                }
                else
                {
                    // Without a header the columns are as many as most of the first rows have (a stray first line, such as the
                    // "178,13,class_0,…" of scikit-learn's wine_data.csv, is then reported and skipped like any ragged row).
                    var width = await ModalFieldCountAsync(prefix, readerOptions, cancellationToken).ConfigureAwait(false);
                    if (width > options.MaxColumns)
                    {
                        throw new IngestException(AnalyticsTexts.Get("CsvTooManyFields", width, options.MaxColumns), 1);
                    }

                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new IngestException(AnalyticsTexts.Get("CsvNoRows"));
                    }

                    header = Enumerable.Range(1, Math.Max(width, 1)).Select(i => $"column_{i}").ToArray();
                    firstIsData = true;
                }

                var separator = reader.Separator;
                var builder = new TableBuilder(header, options, state);

                var sample = new List<(string[] Fields, long Line)>();
                var sampleBytes = 0L;
                var record = new DecodedRecord(header.Length);
                var records = 0;
                while (firstIsData || await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    firstIsData = false;
                    if (++records == HeaderCheckRecords)
                    {
                        ThrowIfHeaderIsNotTheHeader(header, state, records);
                    }

                    if (!AcceptRecord(reader, header, options, state, record))
                    {
                        continue;
                    }

                    if (builder.Decided)
                    {
                        builder.Add(record, reader.LineNumber);
                    }
                    else
                    {
                        sample.Add((record.ToStrings(), reader.LineNumber));
                        sampleBytes += reader.RawRecord.Length;
                        if (sample.Count == SampleRows)
                        {
                            builder.Decide(sample, separator);
                            if (totalBytes is { } total && sampleBytes > 0)
                            {
                                // Columns sized once from the bytes per row so far, instead of doubling (and copying) as they grow.
                                builder.Reserve((int)Math.Min(options.MaxRows, (total * 1.02 * SampleRows / sampleBytes) + 64));
                            }

                            sample.Clear();
                        }
                    }

                    if (builder.RowCount + sample.Count > options.MaxRows)
                    {
                        throw new IngestException(AnalyticsTexts.Get("CsvTooManyRows", options.MaxRows), reader.LineNumber);
                    }

                    if ((builder.RowCount + sample.Count) % ProgressEveryRows == 0)
                    {
                        progress?.Report(new IngestProgress(counting.BytesRead, builder.RowCount + sample.Count));
                    }
                }

                state.ThrowIfFatal();
                if (records < HeaderCheckRecords)
                {
                    ThrowIfHeaderIsNotTheHeader(header, state, records);
                }

                if (!builder.Decided)
                {
                    builder.Decide(sample, separator);
                }

                progress?.Report(new IngestProgress(counting.BytesRead, builder.RowCount));
                if (builder.RowCount == 0)
                {
                    throw new IngestException(state.SkippedRows > 0
                        ? AnalyticsTexts.Get("CsvAllSkipped", state.SkippedRows, string.Join(" ", state.Issues.Where(i => i.Line is not null).Take(3).Select(i => i.Message)))
                        : AnalyticsTexts.Get("CsvHeaderOnly"));
                }

                var dataset = builder.Build(options.SourceName);
                var report = state.Report(dataset, separator, builder.DecimalSeparator, encoding, counting.BytesRead);
                return new IngestResult(dataset, report);
            }
            catch (CsvFormatException exception)
            {
                var line = exception.LineNumber > 0 ? exception.LineNumber : (long?)null;
                throw new IngestException(
                    (line is null ? string.Empty : AnalyticsTexts.Get("LinePrefix", line)) + AnalyticsTexts.Get("CsvRecordTooLong", readerOptions.MaxRecordSize),
                    line,
                    null,
                    exception);
            }
        }
    }

    /// <summary>
    /// Refuses a file whose first line has fewer (or more) fields than most rows, such as scikit-learn's wine_data.csv (a first line of
    /// "178,13,class_0,…" above rows of 14 numbers): its rows would all be skipped as ragged, so the header is not the header.
    /// </summary>
    private static void ThrowIfHeaderIsNotTheHeader(string[] header, IssueSink state, int records)
    {
        if (records < 1 || state.RaggedCounts.Count == 0)
        {
            return;
        }

        var (fields, count) = state.RaggedCounts.MaxBy(c => c.Value);
        if (count * 2 < records)
        {
            return;
        }

        throw new IngestException(
AnalyticsTexts.Get(header.Length == 1 ? "CsvHeaderOneField" : "CsvHeaderFields", header.Length, fields, count, records),
            1)
        {
            Code = "header-field-count",
        };
    }

    /// <summary>The most common number of fields among the first records of the file's first bytes.</summary>
    private static async Task<int> ModalFieldCountAsync(byte[] prefix, CsvReaderOptions readerOptions, CancellationToken cancellationToken)
    {
        var complete = prefix.Length == PrefixBytes ? prefix[..(Array.LastIndexOf(prefix, (byte)'\n') + 1)] : prefix;
        var counts = new Dictionary<int, int>();
        var reader = CsvReader.Create(new MemoryStream(complete), readerOptions with { OnMalformedRecord = null });
        await using (reader.ConfigureAwait(false))
        {
            for (var records = 0; records < HeaderCheckRecords && await reader.ReadAsync(cancellationToken).ConfigureAwait(false); records++)
            {
                counts[reader.FieldCount] = counts.GetValueOrDefault(reader.FieldCount) + 1;
            }
        }

        return counts.Count == 0 ? 0 : counts.MaxBy(c => (c.Value, c.Key)).Key;
    }

    private static async Task<byte[]> ReadPrefixAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[PrefixBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return buffer[..filled];
    }

    /// <summary>Rejects what is not CSV text before parsing, and names the encoding.</summary>
    private static string InspectPrefix(byte[] prefix)
    {
        if (prefix.Length == 0)
        {
            throw new IngestException(AnalyticsTexts.Get("CsvEmpty"));
        }

        ReadOnlySpan<byte> bytes = prefix;
        if (bytes.StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            return "UTF-16 LE";
        }

        if (bytes.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return "UTF-16 BE";
        }

        if (bytes.StartsWith("PK\x03\x04"u8))
        {
            throw new IngestException(AnalyticsTexts.Get("CsvIsZip"));
        }

        if (bytes.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 }))
        {
            throw new IngestException(AnalyticsTexts.Get("CsvIsXls"));
        }

        if (bytes.StartsWith("%PDF"u8))
        {
            throw new IngestException(AnalyticsTexts.Get("CsvIsPdf"));
        }

        if (bytes.StartsWith(new byte[] { 0x1F, 0x8B }))
        {
            throw new IngestException(AnalyticsTexts.Get("CsvIsGzip"));
        }

        var hasBom = bytes.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF });
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new IngestException(
                AnalyticsTexts.Get("CsvNulBytes", LineOf(bytes, nul)),
                LineOf(bytes, nul));
        }

        // A multi-byte character may be cut at the end of the prefix: check up to the last line break.
        var checkable = prefix.Length == PrefixBytes ? bytes[..(bytes.LastIndexOf((byte)'\n') + 1)] : bytes;
        if (!Utf8.IsValid(checkable))
        {
            var bad = FirstInvalidUtf8(checkable);
            throw new IngestException(
                AnalyticsTexts.Get("CsvNotUtf8", LineOf(bytes, bad), bytes[bad].ToString("X2", CultureInfo.InvariantCulture), bad),
                LineOf(bytes, bad));
        }

        return hasBom ? "UTF-8 with BOM" : "UTF-8";
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            var status = Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return 0;
    }

    private static long LineOf(ReadOnlySpan<byte> bytes, int offset) => bytes[..offset].Count((byte)'\n') + 1;

    private static string[] ReadHeader(CsvReader reader, IngestOptions options, IssueSink state) => HeaderNames(reader.Headers, options, state);

    /// <summary>Column names from a header row: invisible characters removed, empty names filled in, repeated names made unique; each change reported.</summary>
    internal static string[] HeaderNames(IReadOnlyList<string?> raw, IngestOptions options, IssueSink state)
    {
        if (raw.Count == 0 || (raw.Count == 1 && string.IsNullOrWhiteSpace(raw[0])))
        {
            throw new IngestException(AnalyticsTexts.Get("CsvNoHeader"), 1);
        }

        if (raw.Count > options.MaxColumns)
        {
            throw new IngestException(AnalyticsTexts.Get("CsvHeaderTooWide", raw.Count, options.MaxColumns), 1);
        }

        var names = new string[raw.Count];
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < raw.Count; i++)
        {
            var original = raw[i] ?? string.Empty;
            var cleaned = CleanHeader(original);
            if (cleaned != original.Trim())
            {
                state.Add(IssueSeverity.Warning, "header-cleaned", AnalyticsTexts.Get("CsvHeaderCleaned", i + 1, original.Trim()), null, cleaned);
            }

            if (cleaned.Length == 0)
            {
                cleaned = $"Column {i + 1}";
                while (used.Contains(cleaned))
                {
                    cleaned += "_";
                }

                state.Add(IssueSeverity.Warning, "header-empty", AnalyticsTexts.Get("CsvHeaderEmpty", i + 1, cleaned), null, cleaned);
            }

            if (used.Contains(cleaned))
            {
                var suffix = 2;
                while (used.Contains($"{cleaned} ({suffix})"))
                {
                    suffix++;
                }

                var unique = $"{cleaned} ({suffix})";
                state.Add(IssueSeverity.Warning, "header-duplicate", AnalyticsTexts.Get("CsvHeaderDuplicate", i + 1, cleaned, unique), null, unique);
                cleaned = unique;
            }

            used.Add(cleaned);
            names[i] = cleaned;
        }

        return names;
    }

    private static string CleanHeader(string header)
    {
        var builder = new StringBuilder(header.Length);
        foreach (var ch in header)
        {
            if (ch is '\uFEFF' or '\u200B' or '\u200C' or '\u200D' or '\u2060' || char.IsControl(ch))
            {
                continue;
            }

            builder.Append(ch);
        }

        return builder.ToString().Trim();
    }

    /// <summary>Decodes the record's fields into <paramref name="record"/>; false when the record is reported and skipped.</summary>
    private static bool AcceptRecord(CsvReader reader, string[] header, IngestOptions options, IssueSink state, DecodedRecord record)
    {
        state.ThrowIfFatal();
        var line = reader.LineNumber;
        var count = reader.FieldCount;
        record.Clear();
        if (count != header.Length)
        {
            var trailingEmpty = count > header.Length;
            for (var i = header.Length; i < count && trailingEmpty; i++)
            {
                trailingEmpty = reader.IsEmpty(i);
            }

            if (!trailingEmpty)
            {
                state.RaggedCounts[count] = state.RaggedCounts.GetValueOrDefault(count) + 1;
                var spans = RecordSpansLines(reader);
                state.Skip(
                    "ragged-row",
                    AnalyticsTexts.Get((count == 1, spans) switch { (true, false) => "CsvRaggedOne", (true, true) => "CsvRaggedOneSpans", (false, false) => "CsvRagged", _ => "CsvRaggedSpans" }, line, count, header.Length),
                    line);
                return false;
            }

            state.Count(IssueSeverity.Info, "trailing-empty-fields", AnalyticsTexts.Get("CsvTrailingEmpty", line, count - header.Length), line);
        }

        for (var i = 0; i < header.Length; i++)
        {
            var span = reader.GetSpan(i);
            if (span.Length > options.MaxFieldBytes)
            {
                throw new IngestException(AnalyticsTexts.Get("CsvFieldTooLong", line, header[i], span.Length, options.MaxFieldBytes), line, header[i]);
            }

            if (!System.Text.Ascii.IsValid(span) && !Utf8.IsValid(span))
            {
                throw new IngestException(AnalyticsTexts.Get("CsvFieldNotUtf8", line, header[i]), line, header[i]);
            }

            record.Append(i, span);
        }

        if (IsRepeatedHeader(record, header))
        {
            state.Skip("repeated-header", AnalyticsTexts.Get("CsvRepeatedHeader", line), line);
            return false;
        }

        for (var i = 0; i < record.Count; i++)
        {
            var field = record.Field(i).Trim();
            if (field.Length > 0 && !char.IsAsciiDigit(field[0]) && TotalsLookup.Contains(field))
            {
                state.Skip("totals-row", AnalyticsTexts.Get("CsvTotalsRow", line, field.ToString()), line);
                return false;
            }
        }

        return true;
    }

    private static bool RecordSpansLines(CsvReader reader)
    {
        var raw = reader.RawRecord;
        return raw.IndexOf((byte)'\n') >= 0 || raw.IndexOf((byte)'\r') >= 0;
    }

    private static bool IsRepeatedHeader(DecodedRecord record, string[] header)
    {
        var matches = 0;
        for (var i = 0; i < record.Count; i++)
        {
            var value = record.Field(i).Trim();
            if (value.Length == 0)
            {
                continue;
            }

            if (!value.Equals(header[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            matches++;
        }

        return matches >= Math.Max(1, (record.Count + 1) / 2);
    }
}
