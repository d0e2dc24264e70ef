using System.Globalization;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Pipeline;

/// <summary>A formula the user wrote: <c>NAME = expression</c> over columns.</summary>
/// <param name="Name">The new column's name.</param>
/// <param name="Expression">The expression, in NCalc syntax (see <see cref="DerivedFormula"/>).</param>
public sealed record DerivedFeature(string Name, string Expression)
{
    /// <summary>Reads <c>NAME = expression</c>; the first single '=' (not part of ==, &lt;=, &gt;= or !=) separates them.</summary>
    /// <exception cref="AnalysisInputException">There is no name, no '=' or no expression.</exception>
    public static DerivedFeature Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '=' || (i + 1 < text.Length && text[i + 1] == '=') || (i > 0 && text[i - 1] is '<' or '>' or '!' or '='))
            {
                continue;
            }

            var name = text[..i].Trim();
            var expression = text[(i + 1)..].Trim();
            if (name.Length == 0 || expression.Length == 0)
            {
                break;
            }

            return new DerivedFeature(name, expression);
        }

        throw new AnalysisInputException(AnalyticsTexts.Get("NotDerived", text.Trim()));
    }

    /// <summary>As the user writes it.</summary>
    public override string ToString() => $"{Name} = {Expression}";
}

/// <summary>
/// How one column of the analysis is made from the data: a level of a category as 0/1, a yes/no flag as 1/0, a date as days before
/// a reference date, a year of birth as an age, or a formula. Recorded in the model, so new data is encoded exactly alike.
/// </summary>
/// <param name="Name">The column it makes.</param>
public abstract record FeatureEncoding(string Name)
{
    /// <summary>The file column it reads, or null for a formula.</summary>
    public abstract string? Column { get; }

    /// <summary>What it does, in words, e.g. "Genre = Female (1) or not (0)".</summary>
    public abstract string Describe();

    /// <summary>The values, one per row; NaN where the value is missing or cannot be read.</summary>
    /// <exception cref="AnalysisInputException">A column it needs is missing or of the wrong kind.</exception>
    internal abstract double[] Compute(Dataset data, EncodingReport report);

    /// <summary>One value per row from the text of <paramref name="source"/> (null where missing) and the row.</summary>
    private protected static double[] FromText(Dataset data, string source, string purpose, Func<string?, int, double> value)
    {
        var column = Required(data, source, purpose);
        var values = new double[data.RowCount];
        for (var row = 0; row < values.Length; row++)
        {
            values[row] = value(column.TextAt(row), row);
        }

        return values;
    }

    private protected static DataColumn Required(Dataset data, string column, string purpose)
    {
        if (!data.HasColumn(column))
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("LacksColumnFor", column, purpose));
        }

        return data.Column(column);
    }
}

/// <summary>1 where <see cref="Column"/> is <paramref name="Level"/> (as written), else 0; with a null level, 1 where it is missing.</summary>
/// <param name="Name">The column it makes, "Column=Level".</param>
/// <param name="Source">The categorical column.</param>
/// <param name="Level">The level, or null for the missing-value indicator.</param>
public sealed record LevelEncoding(string Name, string Source, string? Level) : FeatureEncoding(Name)
{
    /// <summary>The level shown for missing values.</summary>
    public const string MissingLevel = "(missing)";

    /// <inheritdoc />
    public override string? Column => Source;

    /// <inheritdoc />
    public override string Describe() => Level is null ? AnalyticsTexts.Get("OneHotMissing", Source) : AnalyticsTexts.Get("OneHotLevel", Source, Level);

    internal override double[] Compute(Dataset data, EncodingReport report) =>
        FromText(data, Source, Name, (text, _) => Level is null ? (text is null ? 1 : 0) : string.Equals(text, Level, StringComparison.Ordinal) ? 1 : 0);
}

/// <summary>1 where <see cref="Column"/> is the true token, 0 where it is the false token (case ignored), missing otherwise.</summary>
/// <param name="Name">The column it makes, "Column=True".</param>
/// <param name="Source">The flag column.</param>
/// <param name="True">The token for 1, e.g. "Yes".</param>
/// <param name="False">The token for 0, e.g. "No".</param>
public sealed record FlagEncoding(string Name, string Source, string True, string False) : FeatureEncoding(Name)
{
    /// <inheritdoc />
    public override string? Column => Source;

    /// <inheritdoc />
    public override string Describe() => AnalyticsTexts.Get("FlagEncoding", Source, True, False);

    internal override double[] Compute(Dataset data, EncodingReport report) => FromText(data, Source, Name, (text, row) => text is null ? double.NaN
        : text.Equals(True, StringComparison.OrdinalIgnoreCase) ? 1
        : text.Equals(False, StringComparison.OrdinalIgnoreCase) ? 0
        : report.Unreadable(this, data, row, $"\"{text}\" is neither \"{True}\" nor \"{False}\""));
}

/// <summary>Days from the date in <see cref="Column"/> to <paramref name="Reference"/> (positive for earlier dates).</summary>
/// <param name="Name">The column it makes, "Column (days)".</param>
/// <param name="Source">The date column.</param>
/// <param name="Order">How its dates are written.</param>
/// <param name="Reference">The date days are counted to.</param>
public sealed record DaysEncoding(string Name, string Source, DateOrder Order, DateOnly Reference) : FeatureEncoding(Name)
{
    /// <inheritdoc />
    public override string? Column => Source;

    /// <inheritdoc />
    public override string Describe() => AnalyticsTexts.Get("DaysEncoding", Source, Reference.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    internal override double[] Compute(Dataset data, EncodingReport report)
    {
        var reference = Reference.DayNumber;
        return FromText(data, Source, Name, (text, row) => text is null ? double.NaN
            : DateValues.TryParse(text, Order, out var date) ? reference - date.DayNumber
            : report.Unreadable(this, data, row, AnalyticsTexts.Get("NotADate", text, DateValues.Describe(Order))));
    }
}

/// <summary><paramref name="ReferenceYear"/> minus the year of birth in <see cref="Column"/>.</summary>
/// <param name="Name">The column it makes, "Column (age)".</param>
/// <param name="Source">The year-of-birth column.</param>
/// <param name="ReferenceYear">The year ages are counted to.</param>
public sealed record AgeEncoding(string Name, string Source, int ReferenceYear) : FeatureEncoding(Name)
{
    /// <inheritdoc />
    public override string? Column => Source;

    /// <inheritdoc />
    public override string Describe() => AnalyticsTexts.Get("AgeEncoding", ReferenceYear.ToString(CultureInfo.InvariantCulture), Source);

    internal override double[] Compute(Dataset data, EncodingReport report)
    {
        var column = Required(data, Source, Name);
        if (!column.HasNumbers)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("NotYears", Source, Name));
        }

        var values = new double[data.RowCount];
        for (var row = 0; row < values.Length; row++)
        {
            values[row] = ReferenceYear - column.Numbers[row];
        }

        return values;
    }
}

/// <summary>A user's formula (see <see cref="DerivedFormula"/>).</summary>
/// <param name="Name">The column it makes.</param>
/// <param name="Expression">The expression.</param>
public sealed record FormulaEncoding(string Name, string Expression) : FeatureEncoding(Name)
{
    /// <inheritdoc />
    public override string? Column => null;

    /// <inheritdoc />
    public override string Describe() => Expression;

    internal override double[] Compute(Dataset data, EncodingReport report)
    {
        var formula = DerivedFormula.Compile(new DerivedFeature(Name, Expression), data);
        var result = formula.Evaluate(data);
        report.Formula(this, data, result);
        return result.Values;
    }
}

/// <summary>What encoding found: values that could not be read, and formula rows that were missing or divided by zero, with lines.</summary>
public sealed class EncodingReport
{
    private const int ListedPerColumn = 5;
    private readonly List<string> _warnings = [];
    private readonly Dictionary<string, List<long>> _unreadable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _firstReason = new(StringComparer.Ordinal);

    /// <summary>One sentence per finding, naming lines.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Per formula: rows where an input was missing, and rows where it divided by zero (or was otherwise undefined).</summary>
    public Dictionary<string, (int Missing, int Undefined)> FormulaCounts { get; } = new(StringComparer.Ordinal);

    internal double Unreadable(FeatureEncoding encoding, Dataset data, int row, string reason)
    {
        if (!_unreadable.TryGetValue(encoding.Name, out var lines))
        {
            _unreadable[encoding.Name] = lines = [];
            _firstReason[encoding.Name] = reason;
        }

        lines.Add(data.LineNumber(row));
        return double.NaN;
    }

    internal void Formula(FormulaEncoding encoding, Dataset data, FormulaResult result)
    {
        FormulaCounts[encoding.Name] = (result.MissingRows.Count, result.UndefinedRows.Count);
        if (result.UndefinedRows.Count > 0)
        {
            _warnings.Add(AnalyticsTexts.Get(result.UndefinedRows.Count == 1 ? "FormulaUndefinedOne" : "FormulaUndefined", encoding.Name, result.UndefinedRows.Count, Lines(data, result.UndefinedRows)));
        }

        if (result.MissingRows.Count > 0)
        {
            _warnings.Add(AnalyticsTexts.Get(result.MissingRows.Count == 1 ? "FormulaMissingOne" : "FormulaMissing", encoding.Name, result.MissingRows.Count, Lines(data, result.MissingRows)));
        }
    }

    internal void Finish(string? sourceName)
    {
        foreach (var (name, lines) in _unreadable)
        {
            var listed = string.Join(", ", lines.Take(ListedPerColumn).Select(l => l.ToString(CultureInfo.InvariantCulture)));
            _warnings.Add(AnalyticsTexts.Get(lines.Count == 1 ? "UnreadableOne" : "Unreadable", name, lines.Count, listed + (lines.Count > ListedPerColumn ? ", …" : string.Empty), _firstReason[name]));
        }
    }

    private static string Lines(Dataset data, IReadOnlyList<int> rows) =>
        AnalyticsTexts.Get(rows.Count == 1 ? "LineList" : "LinesList", string.Join(", ", rows.Take(ListedPerColumn).Select(r => data.LineNumber(r).ToString(CultureInfo.InvariantCulture))) + (rows.Count > ListedPerColumn ? ", …" : string.Empty));
}

/// <summary>Applies encodings to a dataset: the dataset with one more column per encoding, in order (a formula may use earlier ones).</summary>
public static class FeatureEncoder
{
    /// <summary>Adds the columns of <paramref name="encodings"/> to <paramref name="data"/>.</summary>
    /// <exception cref="AnalysisInputException">A column an encoding needs is missing, or a formula cannot be used (the message says why).</exception>
    public static (Dataset Data, EncodingReport Report) Apply(Dataset data, IReadOnlyList<FeatureEncoding> encodings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(encodings);
        var report = new EncodingReport();
        var current = data;
        foreach (var encoding in encodings)
        {
            if (current.HasColumn(encoding.Name))
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("AlreadyAColumn", encoding.Name));
            }

            var values = encoding.Compute(current, report);
            var origin = encoding is FormulaEncoding ? ColumnOrigin.Derived : ColumnOrigin.Encoded;
            var indicator = encoding is LevelEncoding or FlagEncoding;
            var typing = indicator
                ? new ColumnTyping(ColumnKind.Binary, ColumnRole.Feature, encoding.Describe())
                : new ColumnTyping(ColumnKind.Numeric, ColumnRole.Feature, encoding is FormulaEncoding ? "a derived feature" : encoding.Describe());
            var column = Dataset.Computed(encoding.Name, values, origin, encoding is FormulaEncoding f ? f.Expression : encoding.Describe(), encoding.Column, typing);
            current = current.WithColumns([column]);
        }

        report.Finish(data.SourceName);
        return (current, report);
    }
}
