using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>What a column holds, as inferred from its values and name.</summary>
public enum ColumnKind
{
    /// <summary>Numbers (amounts, counts, rates).</summary>
    Numeric,

    /// <summary>Labels that repeat: text (a region name) or integer codes (a Region of 1/2/3).</summary>
    Categorical,

    /// <summary>A value unique to each row that names it (e.g. CUST_ID); kept as exact text, never a feature.</summary>
    Identifier,

    /// <summary>Every value is missing; never a feature.</summary>
    Empty,

    /// <summary>A yes/no flag: 0/1, yes/no, true/false, Y/N.</summary>
    Binary,

    /// <summary>Dates; as a feature, days before a reference date.</summary>
    Date,

    /// <summary>Free text with too many different values to compare segments by (names, comments).</summary>
    Text,

    /// <summary>The same value in every row; never a feature.</summary>
    Constant,
}

/// <summary>Where a column comes from.</summary>
public enum ColumnOrigin
{
    /// <summary>The file.</summary>
    File,

    /// <summary>A formula the user wrote (<see cref="DataColumn.Expression"/>); exported with the file's columns.</summary>
    Derived,

    /// <summary>Made from a file column to cluster or describe it (one-hot level, flag as 0/1, date as days, birth year as age); not exported.</summary>
    Encoded,
}

/// <summary>One column of an ingested dataset. Immutable.</summary>
public sealed class DataColumn
{
    internal DataColumn(string name, int index, ColumnTyping typing, double[]? numbers, string?[]? texts, int missing, int excelErrors, int invalid)
        : this(name, index, typing, numbers, numbers?.Length ?? 0, texts, missing, excelErrors, invalid)
    {
    }

    /// <summary>A column whose numbers are the first <paramref name="count"/> elements of <paramref name="numbers"/> (a buffer handed
    /// over by ingest, a little longer than the rows).</summary>
    internal DataColumn(string name, int index, ColumnTyping typing, double[]? numbers, int count, string?[]? texts, int missing, int excelErrors, int invalid)
    {
        Name = name;
        Index = index;
        Typing = typing;
        _numbers = numbers;
        _count = count;
        _texts = texts;
        MissingCount = missing;
        ExcelErrorCount = excelErrors;
        InvalidCount = invalid;
    }

    private readonly double[]? _numbers;
    private readonly int _count;
    private readonly string?[]? _texts;

    /// <summary>The column name as shown to users (made unique and non-empty by ingest).</summary>
    public string Name { get; }

    /// <summary>The 0-based position of the column in the file.</summary>
    public int Index { get; }

    /// <summary>What the column holds.</summary>
    public ColumnKind Kind => Typing.Kind;

    /// <summary>The inferred kind, default role and the reason for both.</summary>
    public ColumnTyping Typing { get; }

    /// <summary>Where the column comes from.</summary>
    public ColumnOrigin Origin { get; init; } = ColumnOrigin.File;

    /// <summary>For a derived column, the formula; for an encoded one, what it encodes (e.g. "Genre = Female").</summary>
    public string? Expression { get; init; }

    /// <summary>For an encoded column, the file column it was made from.</summary>
    public string? Source { get; init; }

    /// <summary>Whether the values as written are kept (<see cref="Texts"/> is non-empty): text columns, and numeric columns that may be
    /// identifiers or codes, so that "0001" and 17-digit account numbers come out exactly as they went in.</summary>
    public bool HasTexts => _texts is not null;

    /// <summary>Whether the column has numbers (<see cref="Numbers"/> is non-empty); identifiers may be numeric too.</summary>
    public bool HasNumbers => _numbers is not null;

    /// <summary>Numeric values, one per row; NaN where the value is missing or was invalid. Empty for text columns.</summary>
    public ReadOnlySpan<double> Numbers => _numbers is null ? default : _numbers.AsSpan(0, _count);

    /// <summary>The array behind <see cref="Numbers"/> (for returning a block's arrays to their pool; those are exactly one per row).</summary>
    internal double[] NumbersArray => _numbers ?? [];

    /// <summary>Values as written (trimmed), one per row; null where missing. Empty when not kept (see <see cref="HasTexts"/>).</summary>
    public ReadOnlySpan<string?> Texts => _texts;

    /// <summary>Values that were missing: empty fields, NA tokens and spreadsheet errors (those are also counted in <see cref="ExcelErrorCount"/>).</summary>
    public int MissingCount { get; }

    /// <summary>Spreadsheet error values such as #DIV/0!, which count as missing.</summary>
    public int ExcelErrorCount { get; }

    /// <summary>Values that could not be read as numbers in a numeric column (text, infinity, overflow); each was reported and is missing here.</summary>
    public int InvalidCount { get; }

    /// <summary>The value of row <paramref name="row"/> as written when kept, else the number formatted invariantly; null when missing.</summary>
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
        IdentifierColumn = columns.FirstOrDefault(c => c.Typing.Role == ColumnRole.Id)?.Name;
    }

    /// <summary>The columns in file order.</summary>
    public IReadOnlyList<DataColumn> Columns { get; }

    /// <summary>Number of data rows kept.</summary>
    public int RowCount { get; }

    /// <summary>A name for where the data came from (a file name), or null.</summary>
    public string? SourceName { get; }

    /// <summary>The first column inferred to be an identifier, or null.</summary>
    public string? IdentifierColumn { get; }

    /// <summary>Numeric columns whose default role is feature (amounts, counts, 0/1 flags): the default clustering features before encoding.</summary>
    public IEnumerable<DataColumn> NumericFeatures => Columns.Where(c => c.HasNumbers && c.Typing.Role == ColumnRole.Feature && c.Kind is ColumnKind.Numeric or ColumnKind.Binary);

    /// <summary>This dataset with <paramref name="added"/> columns after its own (same rows); names must be new.</summary>
    /// <exception cref="ArgumentException">A name is taken or a column has another length.</exception>
    public Dataset WithColumns(IReadOnlyList<DataColumn> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count == 0)
        {
            return this;
        }

        foreach (var column in added)
        {
            if (_byName.ContainsKey(column.Name))
            {
                throw new ArgumentException($"A column named \"{column.Name}\" already exists.", nameof(added));
            }

            if ((column.HasNumbers ? column.Numbers.Length : column.Texts.Length) != RowCount)
            {
                throw new ArgumentException($"Column \"{column.Name}\" has another number of rows.", nameof(added));
            }
        }

        return new Dataset([.. Columns, .. added], RowCount, _lineNumbers, SourceName);
    }

    /// <summary>A numeric column made from other columns (see <see cref="WithColumns"/>).</summary>
    public static DataColumn Computed(string name, double[] values, ColumnOrigin origin, string expression, string? source, ColumnTyping typing)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new DataColumn(name, -1, typing, values, null, values.Count(double.IsNaN), 0, 0) { Origin = origin, Expression = expression, Source = source };
    }

    /// <summary>The 1-based line of the file where row <paramref name="row"/> starts.</summary>
    public long LineNumber(int row) => _lineNumbers[row];

    /// <summary>The column named <paramref name="name"/> (exact match).</summary>
    /// <exception cref="KeyNotFoundException">No column has that name.</exception>
    public DataColumn Column(string name) =>
        _byName.TryGetValue(name, out var column) ? column : throw new KeyNotFoundException($"The data has no column named '{name}'.");

    /// <summary>Whether a column named <paramref name="name"/> exists.</summary>
    public bool HasColumn(string name) => _byName.ContainsKey(name);

    /// <summary>A block of rows read from a large source to be scored: numeric columns, text columns (categories, flags, dates as
    /// written) and the identifier; rows numbered from <paramref name="firstRow"/>. Columns are typed by what they are read as, not
    /// inferred: the model that scores them says what each one is.</summary>
    internal static Dataset FromBatch(IReadOnlyList<(string Name, double[] Values)> numeric, IReadOnlyList<(string Name, string?[] Values)> texts, (string Name, string?[] Values)? identifier, int rows, long firstRow, string? sourceName)
    {
        var columns = new List<DataColumn>();
        if (identifier is { } id)
        {
            columns.Add(new DataColumn(id.Name, 0, new ColumnTyping(ColumnKind.Identifier, ColumnRole.Id, "the identifier column"), null, id.Values, id.Values.Count(v => v is null), 0, 0));
        }

        foreach (var (name, values) in numeric)
        {
            columns.Add(new DataColumn(name, columns.Count, new ColumnTyping(ColumnKind.Numeric, ColumnRole.Feature, AnalyticsTexts.Get("ReasonNumbers")), values, null, values.Count(double.IsNaN), 0, 0));
        }

        foreach (var (name, values) in texts)
        {
            columns.Add(new DataColumn(name, columns.Count, new ColumnTyping(ColumnKind.Categorical, ColumnRole.Described, "text"), null, values, values.Count(v => v is null), 0, 0));
        }

        var lines = new long[rows];
        for (var i = 0; i < rows; i++)
        {
            lines[i] = firstRow + i;
        }

        return new Dataset(columns, rows, lines, sourceName);
    }

    /// <summary>Gives the numeric arrays of a block read from a large source back to <see cref="ExactPool{T}"/>; the dataset must not
    /// be read afterwards (the streaming scorer calls this once a block is scored).</summary>
    internal void ReturnPooledNumbers()
    {
        foreach (var column in Columns.Where(c => c.HasNumbers && c.Origin == ColumnOrigin.File))
        {
            ExactPool<double>.Return(column.NumbersArray);
        }
    }

    /// <summary>Builds a dataset from numeric columns and an optional identifier column (for generated data and tests).</summary>
    /// <exception cref="ArgumentException">Columns differ in length or names repeat.</exception>
    public static Dataset FromColumns(IReadOnlyList<(string Name, double[] Values)> numeric, (string Name, string[] Values)? identifier = null, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(numeric);
        var rows = identifier?.Values.Length ?? (numeric.Count > 0 ? numeric[0].Values.Length : 0);
        var columns = new List<DataColumn>();
        if (identifier is { } id)
        {
            columns.Add(new DataColumn(id.Name, 0, new ColumnTyping(ColumnKind.Identifier, ColumnRole.Id, "the identifier column"), null, id.Values, 0, 0, 0));
        }

        foreach (var (name, values) in numeric)
        {
            if (values.Length != rows)
            {
                throw new ArgumentException($"Column '{name}' has {values.Length} values; expected {rows}.", nameof(numeric));
            }

            var missing = values.Count(double.IsNaN);
            var typing = missing == rows ? new ColumnTyping(ColumnKind.Empty, ColumnRole.Excluded, AnalyticsTexts.Get("ReasonNoValues")) : new ColumnTyping(ColumnKind.Numeric, ColumnRole.Feature, AnalyticsTexts.Get("ReasonNumbers"));
            columns.Add(new DataColumn(name, columns.Count, typing, values, null, missing, 0, 0));
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
