using CsvHelper;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>Issues found while reading, the count of skipped rows, and a fatal problem reported by the parser's callback.</summary>
internal sealed class IssueSink(IngestOptions options)
{
    private readonly List<IngestIssue> _issues = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private IngestException? _fatal;

    internal IReadOnlyList<IngestIssue> Issues => _issues;

    internal IReadOnlyDictionary<string, int> Counts => _counts;

    internal int SkippedRows { get; private set; }

    /// <summary>Rows skipped for having another number of fields than the header, by their number of fields.</summary>
    internal Dictionary<int, int> RaggedCounts { get; } = [];

    internal void Add(IssueSeverity severity, string code, string message, long? line, string? column = null)
    {
        _counts[code] = _counts.GetValueOrDefault(code) + 1;
        if (_issues.Count < options.MaxListedIssues)
        {
            _issues.Add(new IngestIssue(severity, code, message, line, column));
        }
    }

    /// <summary>Counts an issue; lists it only the first time its code is seen (for benign, repetitive findings).</summary>
    internal void Count(IssueSeverity severity, string code, string message, long? line)
    {
        if (_counts.TryGetValue(code, out var seen))
        {
            _counts[code] = seen + 1;
            return;
        }

        Add(severity, code, message, line);
    }

    internal void CountOnly(string code) => _counts[code] = _counts.GetValueOrDefault(code) + 1;

    internal void Skip(string code, string message, long line)
    {
        SkippedRows++;
        Add(IssueSeverity.Warning, code, message, line);
    }

    internal void OnMalformed(CsvMalformedRecord record)
    {
        var line = record.LineNumber;
        switch (record.Reason)
        {
            case CsvMalformedReason.UnterminatedQuote:
                _fatal ??= new IngestException(AnalyticsTexts.Get("QuoteNeverClosed", line), line);
                break;
            case CsvMalformedReason.TextAfterClosingQuote:
                Add(IssueSeverity.Warning, "text-after-quote", AnalyticsTexts.Get("TextAfterQuote", line), line);
                break;
            case CsvMalformedReason.StrayQuote:
                Add(IssueSeverity.Info, "stray-quote", AnalyticsTexts.Get("StrayQuote", line), line);
                break;
            default:
                Add(IssueSeverity.Warning, "malformed", AnalyticsTexts.Get("MalformedRecord", line, record.Reason), line);
                break;
        }
    }

    /// <summary>The report of a finished read: the dialect, counts, and the issues collected here.</summary>
    internal IngestReport Report(Dataset dataset, char separator, char decimalSeparator, string encoding, long bytes) => new()
    {
        Separator = separator,
        DecimalSeparator = decimalSeparator,
        Encoding = encoding,
        Bytes = bytes,
        Rows = dataset.RowCount,
        SkippedRows = SkippedRows,
        Issues = Issues,
        IssueCounts = Counts,
        MissingByColumn = dataset.Columns.ToDictionary(c => c.Name, c => c.MissingCount),
        ExcelErrorsByColumn = dataset.Columns.Where(c => c.ExcelErrorCount > 0).ToDictionary(c => c.Name, c => c.ExcelErrorCount),
        InvalidByColumn = dataset.Columns.Where(c => c.InvalidCount > 0).ToDictionary(c => c.Name, c => c.InvalidCount),
    };

    internal void ThrowIfFatal()
    {
        if (_fatal is not null)
        {
            throw _fatal;
        }
    }
}
