namespace Segmentation.Analytics.Ingest;

/// <summary>How serious an ingest finding is.</summary>
public enum IssueSeverity
{
    /// <summary>Worth knowing; nothing was changed.</summary>
    Info,

    /// <summary>Something was skipped, renamed or counted as missing; the rest of the file was read.</summary>
    Warning,

    /// <summary>The file cannot be used as it is.</summary>
    Error,
}

/// <summary>One finding, with the file line and column where it applies.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Code">A stable machine-readable code, e.g. "ragged-row".</param>
/// <param name="Message">One sentence for the user, naming line and column where known.</param>
/// <param name="Line">The 1-based file line, or null when the finding is not about one line.</param>
/// <param name="Column">The column name, or null.</param>
public sealed record IngestIssue(IssueSeverity Severity, string Code, string Message, long? Line = null, string? Column = null);

/// <summary>What ingest found and did: the dialect it detected, counts, and the first issues with line and column.</summary>
public sealed record IngestReport
{
    /// <summary>The field separator used.</summary>
    public required char Separator { get; init; }

    /// <summary>The decimal separator of numbers, '.' or ','.</summary>
    public required char DecimalSeparator { get; init; }

    /// <summary>The text encoding, e.g. "UTF-8", "UTF-8 with BOM", "UTF-16 LE".</summary>
    public required string Encoding { get; init; }

    /// <summary>Bytes read.</summary>
    public required long Bytes { get; init; }

    /// <summary>Data rows kept.</summary>
    public required int Rows { get; init; }

    /// <summary>Data rows skipped (ragged rows, repeated headers, totals rows); each is reported.</summary>
    public required int SkippedRows { get; init; }

    /// <summary>The first issues found, in file order, up to the configured limit.</summary>
    public required IReadOnlyList<IngestIssue> Issues { get; init; }

    /// <summary>The number of issues per code, including those beyond the listed ones.</summary>
    public required IReadOnlyDictionary<string, int> IssueCounts { get; init; }

    /// <summary>Missing values per column (empty, NA tokens, spreadsheet errors).</summary>
    public required IReadOnlyDictionary<string, int> MissingByColumn { get; init; }

    /// <summary>Spreadsheet error values (#DIV/0!, #VALUE!, …) per column, for columns that have any.</summary>
    public required IReadOnlyDictionary<string, int> ExcelErrorsByColumn { get; init; }

    /// <summary>Values of numeric columns that were not numbers (reported one by one), per column.</summary>
    public required IReadOnlyDictionary<string, int> InvalidByColumn { get; init; }

    /// <summary>The total number of issues found.</summary>
    public int IssueCount => IssueCounts.Values.Sum();
}

/// <summary>An ingested dataset with the report of how it was read.</summary>
/// <param name="Dataset">The typed table.</param>
/// <param name="Report">What ingest found.</param>
public sealed record IngestResult(Dataset Dataset, IngestReport Report);

/// <summary>Progress of a read: bytes consumed and data rows read so far.</summary>
/// <param name="Bytes">Bytes read from the source.</param>
/// <param name="Rows">Data rows read.</param>
public readonly record struct IngestProgress(long Bytes, long Rows);

/// <summary>Limits and choices for ingest.</summary>
public sealed record IngestOptions
{
    /// <summary>The default options.</summary>
    public static IngestOptions Default { get; } = new();

    /// <summary>Largest input accepted, in bytes (default 200 MB).</summary>
    public long MaxBytes { get; init; } = 200L * 1024 * 1024;

    /// <summary>Most columns accepted (default 500).</summary>
    public int MaxColumns { get; init; } = 500;

    /// <summary>Longest field accepted, in UTF-8 bytes (default 10,000).</summary>
    public int MaxFieldBytes { get; init; } = 10_000;

    /// <summary>Most data rows accepted (default 2,000,000).</summary>
    public int MaxRows { get; init; } = 2_000_000;

    /// <summary>How many issues the report lists one by one (default 200); all are counted.</summary>
    public int MaxListedIssues { get; init; } = 200;

    /// <summary>Whether the first line names the columns (default true); without, columns are named column_1, column_2, ….</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The worksheet to read from an Excel workbook (by name, or 1-based number); null for the first.</summary>
    public string? Sheet { get; init; }

    /// <summary>A name for the source, shown in messages and carried by the dataset.</summary>
    public string? SourceName { get; init; }
}

/// <summary>The input cannot be read as a table. The message is for the user and names the line and column where it can.</summary>
public sealed class IngestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IngestException(string message, long? line = null, string? column = null, Exception? inner = null)
        : base(message, inner)
    {
        Line = line;
        Column = column;
    }

    /// <summary>Creates the exception with no position.</summary>
    public IngestException()
        : this("The file could not be read.")
    {
    }

    /// <summary>Creates the exception with no position.</summary>
    public IngestException(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>Creates the exception with no position and an inner exception.</summary>
    public IngestException(string message, Exception inner)
        : this(message, null, null, inner)
    {
    }

    /// <summary>The 1-based line the problem is on, when known.</summary>
    public long? Line { get; }

    /// <summary>The column the problem is in, when known.</summary>
    public string? Column { get; }

    /// <summary>A stable code for problems a caller can offer a way out of, e.g. "header-field-count" (read without a header); else null.</summary>
    public string? Code { get; init; }
}
