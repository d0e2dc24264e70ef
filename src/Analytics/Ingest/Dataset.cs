namespace Segmentation.Analytics.Ingest;

/// <summary>What a column holds, as inferred from its values and name.</summary>
public enum ColumnKind
{
    /// <summary>Numbers; the only kind that can be a clustering feature.</summary>
    Numeric,

    /// <summary>Text labels that repeat (e.g. a region).</summary>
    Categorical,

    /// <summary>A value unique to each row that names it (e.g. CUST_ID); never a feature.</summary>
    Identifier,

    /// <summary>Every value is missing; never a feature.</summary>
    Empty,
}

/// <summary>One column of an ingested dataset. Immutable.</summary>
public sealed class DataColumn
{
    internal DataColumn(string name, int index, ColumnKind kind, double[]? numbers, string?[]? texts, int missing, int excelErrors, int invalid)
    {
        Name = name;
        Index = index;
        Kind = kind;
        _numbers = numbers;
        _texts = texts;
        MissingCount = missing;
        ExcelErrorCount = excelErrors;
        InvalidCount = invalid;
    }

    private readonly double[]? _numbers;
    private readonly string?[]? _texts;

    /// <summary>The column name as shown to users (made unique and non-empty by ingest).</summary>
    public string Name { get; }

    /// <summary>The 0-based position of the column in the file.</summary>
    public int Index { get; }

    /// <summary>What the column holds.</summary>
    public ColumnKind Kind { get; }

    /// <summary>Whether the column has numbers (<see cref="Numbers"/> is non-empty); identifiers may be numeric too.</summary>
    public bool HasNumbers => _numbers is not null;

    /// <summary>Numeric values, one per row; NaN where the value is missing or was invalid. Empty for text columns.</summary>
    public ReadOnlySpan<double> Numbers => _numbers;

    /// <summary>Text values, one per row; null where missing. Empty for numeric columns.</summary>
    public ReadOnlySpan<string?> Texts => _texts;

    /// <summary>Values that were missing: empty fields, NA tokens and spreadsheet errors (those are also counted in <see cref="ExcelErrorCount"/>).</summary>
    public int MissingCount { get; }

    /// <summary>Spreadsheet error values such as #DIV/0!, which count as missing.</summary>
    public int ExcelErrorCount { get; }

    /// <summary>Values that could not be read as numbers in a numeric column (text, infinity, overflow); each was reported and is missing here.</summary>
    public int InvalidCount { get; }

    /// <summary>The value of row <paramref name="row"/> as text, formatted invariantly for numbers; null when missing.</summary>
    public string? TextAt(int row)
    {
        if (_texts is not null)
        {
            return _texts[row];
        }

        if (_numbers is not null)
        {
            var value = _numbers[row];
            return double.IsNaN(value) ? null : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        return null;
    }
}

/// <summary>An ingested table: typed columns of equal length, and the file line each row came from. Immutable.</summary>
public sealed class Dataset
{
    private readonly Dictionary<string, DataColumn> _byName;
    private readonly long[] _lineNumbers;

    internal Dataset(IReadOnlyList<DataColumn> columns, int rowCount, long[] lineNumbers, string? sourceName)
    {
        Columns = columns;
        RowCount = rowCount;
        _lineNumbers = lineNumbers;
        SourceName = sourceName;
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        IdentifierColumn = columns.FirstOrDefault(c => c.Kind == ColumnKind.Identifier)?.Name;
    }

    /// <summary>The columns in file order.</summary>
    public IReadOnlyList<DataColumn> Columns { get; }

    /// <summary>Number of data rows kept.</summary>
    public int RowCount { get; }

    /// <summary>A name for where the data came from (a file name), or null.</summary>
    public string? SourceName { get; }

    /// <summary>The first column inferred to be an identifier, or null.</summary>
    public string? IdentifierColumn { get; }

    /// <summary>Numeric columns that are not identifiers: the default clustering features.</summary>
    public IEnumerable<DataColumn> NumericFeatures => Columns.Where(c => c.Kind == ColumnKind.Numeric);

    /// <summary>The 1-based line of the file where row <paramref name="row"/> starts.</summary>
    public long LineNumber(int row) => _lineNumbers[row];

    /// <summary>The column named <paramref name="name"/> (exact match).</summary>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public DataColumn Column(string name) =>
        _byName.TryGetValue(name, out var column) ? column : throw new KeyNotFoundException($"The data has no column named '{name}'.");

    /// <summary>Whether a column named <paramref name="name"/> exists.</summary>
    public bool HasColumn(string name) => _byName.ContainsKey(name);

    /// <summary>Builds a dataset from numeric columns and an optional identifier column (for generated data and tests).</summary>
    /// <exception cref="ArgumentException">Columns differ in length or names repeat.</exception>
    public static Dataset FromColumns(IReadOnlyList<(string Name, double[] Values)> numeric, (string Name, string[] Values)? identifier = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(numeric);
        var rows = identifier?.Values.Length ?? (numeric.Count > 0 ? numeric[0].Values.Length : 0);
        var columns = new List<DataColumn>();
        if (identifier is { } id)
        {
            columns.Add(new DataColumn(id.Name, 0, ColumnKind.Identifier, null, id.Values, 0, 0, 0));
        }

        foreach (var (name, values) in numeric)
        {
            if (values.Length != rows)
            {
                throw new ArgumentException($"Column '{name}' has {values.Length} values; expected {rows}.", nameof(numeric));
            }

            var missing = values.Count(double.IsNaN);
            columns.Add(new DataColumn(name, columns.Count, missing == rows ? ColumnKind.Empty : ColumnKind.Numeric, values, null, missing, 0, 0));
        }

        if (columns.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != columns.Count)
        {
            throw new ArgumentException("Column names must be unique.", nameof(numeric));
        }

        var lines = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            lines[i] = i + 2;
        }

        return new Dataset(columns, rows, lines, sourceName);
    }
}
