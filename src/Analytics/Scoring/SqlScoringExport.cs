using System.Globalization;
using System.Text;
using NCalc;
using NCalc.Visitors;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Scoring;

/// <summary>
/// Writes a model as one SQL <c>SELECT</c> that assigns every row of a table to its segment where the data lives: the model's
/// encodings, its fitted preparation step by step, the squared distance to each centre and the nearest-centre rule (ties to the
/// lower segment index, as in-process). It returns the model's identifier column (when it has one), <c>segment</c> (numbered as the
/// CSV export numbers it) and <c>segment_name</c>; <c>segment</c> is NULL where a feature is missing and the model has no imputation.
/// Identifiers and strings are quoted per dialect, so no column name or category value can change the statement; the arithmetic is
/// the portable subset the six dialects share. Numbers are computed in double precision (the in-process scoring in single), so a
/// customer exactly between two centres could in principle go either way; on cc_general every customer gets the same segment.
/// </summary>
public static class SqlScoringExport
{
    /// <summary>The dialect a name means (postgres, bigquery, spark, tsql, sqlite, duckdb).</summary>
    /// <exception cref="AnalysisInputException">Not a dialect this exporter writes.</exception>
    public static SqlDialect ParseDialect(string name) =>
        SqlDialects.Names.TryGetValue(name?.Trim() ?? string.Empty, out var dialect) ? dialect
        : throw new AnalysisInputException(AnalyticsTexts.Get("NotADialect", name));

    /// <summary>The short name of a dialect, as <see cref="ParseDialect"/> reads it.</summary>
    public static string NameOf(SqlDialect dialect) => dialect switch
    {
        SqlDialect.Postgres => "postgres",
        SqlDialect.BigQuery => "bigquery",
        SqlDialect.Spark => "spark",
        SqlDialect.TSql => "tsql",
        SqlDialect.Sqlite => "sqlite",
        _ => "duckdb",
    };

    /// <summary>Every dialect, in the order the dashboard offers them.</summary>
    public static IReadOnlyList<SqlDialect> All { get; } = Enum.GetValues<SqlDialect>();

    /// <summary>The query scoring every row of <paramref name="table"/> with <paramref name="model"/>.</summary>
    /// <exception cref="AnalysisInputException">The table name is empty, or a formula uses something SQL cannot express here (the message names it).</exception>
    public static string Generate(SegmentationModel model, SqlDialect dialect, string table)
    {
        ArgumentNullException.ThrowIfNull(model);
        var writer = new QueryWriter(model, dialect);
        return writer.Write(dialect.QuoteTable(table));
    }

    private sealed class QueryWriter(SegmentationModel model, SqlDialect dialect)
    {
        private readonly Dictionary<(string Column, char Form), string> _sources = [];
        private readonly List<string> _sourceSelects = [];
        private readonly Dictionary<string, string> _encoded = new(StringComparer.Ordinal);

        public string Write(string table)
        {
            foreach (var encoding in model.Encodings)
            {
                _encoded[encoding.Name] = Encode(encoding);
            }

            var d = model.Features.Count;
            var stages = new List<string[]> { model.Features.Select(f => _encoded.TryGetValue(f.Name, out var sql) ? sql : Source(f.Name, 'n')).ToArray() };
            var depth = model.Features.Max(f => f.Steps.Count);
            for (var level = 0; level < depth; level++)
            {
                stages.Add(model.Features.Select((f, j) => level < f.Steps.Count ? Step(f.Steps[level], $"f{j + 1}") : $"f{j + 1}").ToArray());
            }

            var sql = new StringBuilder();
            sql.Append(CultureInfo.InvariantCulture, $"-- Segmentation model (k = {model.K}, {d} features, model version {SegmentationModel.CurrentVersion}, app {Safe(model.AppVersion)}, made {model.CreatedAt:yyyy-MM-dd}), {SqlScoringExport.NameOf(dialect)} dialect.\n");
            sql.Append("-- Returns each row's identifier, segment and segment_name; segment is NULL where a feature is missing and the model has no imputation.\n");
            sql.Append("WITH source_rows AS (\n  SELECT ");
            var idSelect = model.IdColumn is { } id ? $"{dialect.Quote(id)} AS segment_id" : null;
            sql.AppendJoin(",\n         ", new[] { idSelect }.Where(s => s is not null).Concat(_sourceSelects));
            sql.Append(CultureInfo.InvariantCulture, $"\n  FROM {table}\n)");
            var previous = "source_rows";
            string[] carry = model.IdColumn is null ? [] : ["segment_id"];
            for (var s = 0; s < stages.Count; s++)
            {
                var name = s == 0 ? "features" : $"step_{s}";
                sql.Append(CultureInfo.InvariantCulture, $",\n{name} AS (\n  SELECT ");
                sql.AppendJoin(",\n         ", carry.Concat(stages[s].Select((e, j) => $"{e} AS f{j + 1}")));
                sql.Append(CultureInfo.InvariantCulture, $"\n  FROM {previous}\n)");
                previous = name;
            }

            sql.Append(",\ndistances AS (\n  SELECT ");
            sql.AppendJoin(",\n         ", carry.Concat(Enumerable.Range(0, model.K).Select(s =>
                string.Join(" + ", Enumerable.Range(0, d).Select(j => $"(f{j + 1} - {SqlDialects.Number(model.Centroids[s][j])}) * (f{j + 1} - {SqlDialects.Number(model.Centroids[s][j])})")) + $" AS d{s + 1}")));
            sql.Append(CultureInfo.InvariantCulture, $"\n  FROM {previous}\n),\nnearest AS (\n  SELECT {string.Concat(carry.Select(c => c + ",\n         "))}CASE WHEN d1 IS NULL THEN NULL");
            for (var s = 0; s < model.K - 1; s++)
            {
                var conditions = Enumerable.Range(s + 1, model.K - s - 1).Select(t => $"d{s + 1} <= d{t + 1}");
                sql.Append(CultureInfo.InvariantCulture, $"\n              WHEN {string.Join(" AND ", conditions)} THEN {s + 1}");
            }

            sql.Append(CultureInfo.InvariantCulture, $"\n              ELSE {model.K} END AS segment_index\n  FROM distances\n)\nSELECT ");
            if (model.IdColumn is { } idColumn)
            {
                sql.Append(CultureInfo.InvariantCulture, $"segment_id AS {dialect.Quote(idColumn)},\n       ");
            }

            sql.Append("CASE segment_index");
            foreach (var (segment, index) in model.Segments.Select((s, i) => (s, i)))
            {
                sql.Append(CultureInfo.InvariantCulture, $" WHEN {index + 1} THEN {segment.Number}");
            }

            sql.Append(" END AS segment,\n       CASE segment_index");
            foreach (var (segment, index) in model.Segments.Select((s, i) => (s, i)))
            {
                sql.Append(CultureInfo.InvariantCulture, $" WHEN {index + 1} THEN {dialect.String(segment.Name)}");
            }

            sql.Append(" END AS segment_name\nFROM nearest");
            sql.Append(dialect == SqlDialect.TSql ? ";\n" : "\n");
            return sql.ToString();
        }

        /// <summary>A column of the table in one form (n: number, t: text, d: date), selected once under a short alias.</summary>
        public string Source(string column, char form)
        {
            if (_encoded.TryGetValue(column, out var made))
            {
                return made;
            }

            if (!_sources.TryGetValue((column, form), out var alias))
            {
                alias = $"{form}{_sources.Count + 1}";
                _sources[(column, form)] = alias;
                var quoted = dialect.Quote(column);
                _sourceSelects.Add(form switch
                {
                    'n' => $"CAST({quoted} AS {dialect.DoubleType()}) AS {alias}",
                    't' => $"CAST({quoted} AS {dialect.TextType()}) AS {alias}",
                    _ => $"{quoted} AS {alias}",
                });
            }

            return alias;
        }

        private string Encode(FeatureEncoding encoding) => encoding switch
        {
            LevelEncoding { Level: null } level => $"CASE WHEN {Source(level.Source, 't')} IS NULL THEN 1E0 ELSE 0E0 END",
            LevelEncoding level => $"CASE WHEN {Source(level.Source, 't')} = {dialect.String(level.Level)} THEN 1E0 ELSE 0E0 END",
            FlagEncoding flag => $"CASE WHEN LOWER({Source(flag.Source, 't')}) = {dialect.String(flag.True.ToLowerInvariant())} THEN 1E0 WHEN LOWER({Source(flag.Source, 't')}) = {dialect.String(flag.False.ToLowerInvariant())} THEN 0E0 END",
            DaysEncoding days => dialect.DaysBefore(Source(days.Source, 'd'), days.Reference),
            AgeEncoding age => $"({SqlDialects.Number(age.ReferenceYear)} - {Source(age.Source, 'n')})",
            FormulaEncoding formula => Formula(formula),
            _ => throw new AnalysisInputException(AnalyticsTexts.Get("EncodingNoSql", encoding.Name)),
        };

        private string Formula(FormulaEncoding formula)
        {
            var expression = new Expression(formula.Expression, ExpressionOptions.IgnoreCaseAtBuiltInFunctions | ExpressionOptions.NoCache);
            if (expression.HasErrors() || expression.LogicalExpression is null)
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("FormulaNoSql", formula.Name, formula.Expression));
            }

            var translated = expression.LogicalExpression.Accept(new FormulaTranslator(this, dialect, formula));
            // As in-process, a row with a missing input has no value (even where a condition would otherwise choose a branch), and a
            // result that is not finite is missing (NULLIF and the guards give NULL instead of an error or infinity).
            var inputs = DerivedFormula.InputsOf(formula.Expression).Select(input => $"{Source(input, 'n')} IS NULL");
            return $"CASE WHEN {string.Join(" OR ", inputs)} THEN NULL ELSE {translated.AsNumber()} END";
        }

        private string Step(PreparationStep step, string x) => step switch
        {
            ImputeStep impute => $"COALESCE({x}, {SqlDialects.Number(impute.Value)})",
            Log1pStep => $"CASE WHEN {x} > -1E0 THEN {dialect.Ln($"1E0 + {x}")} END",
            ClipStep clip => $"CASE WHEN {x} < {SqlDialects.Number(clip.Low)} THEN {SqlDialects.Number(clip.Low)} WHEN {x} > {SqlDialects.Number(clip.High)} THEN {SqlDialects.Number(clip.High)} ELSE {x} END",
            ScaleStep scale => $"({x} - {SqlDialects.Number(scale.Center)}) / {SqlDialects.Number(scale.Scale)}",
            _ => throw new AnalysisInputException(AnalyticsTexts.Get("StepNoSql", step.Describe())),
        };

        /// <summary>Text from the model that goes into a comment: one line, no comment terminators.</summary>
        private static string Safe(string text) => new(text.Where(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_').ToArray());
    }

    /// <summary>A translated piece of formula: SQL text that is either a number or a condition.</summary>
    private readonly record struct Sql(string Text, bool IsCondition)
    {
        public string AsNumber() => IsCondition ? $"CASE WHEN {Text} THEN 1E0 ELSE 0E0 END" : Text;

        public string AsCondition() => IsCondition ? Text : $"({Text} <> 0E0)";
    }

    /// <summary>NCalc's parse tree of a formula, written as SQL with the same meaning: division by zero and functions outside their
    /// domain give NULL (in-process: a missing value), never an error. What SQL cannot express the same way is refused by name.</summary>
    private sealed class FormulaTranslator(QueryWriter writer, SqlDialect dialect, FormulaEncoding formula) : ILogicalExpressionVisitor<Sql>
    {
        public Sql Visit(TernaryExpression expression) => Number(
            $"CASE WHEN {expression.LeftExpression.Accept(this).AsCondition()} THEN {expression.MiddleExpression.Accept(this).AsNumber()} ELSE {expression.RightExpression.Accept(this).AsNumber()} END");

        public Sql Visit(BinaryExpression expression)
        {
            var left = expression.LeftExpression.Accept(this);
            var right = expression.RightExpression.Accept(this);
            return expression.Type switch
            {
                BinaryExpressionType.Plus => Number($"({left.AsNumber()} + {right.AsNumber()})"),
                BinaryExpressionType.Minus => Number($"({left.AsNumber()} - {right.AsNumber()})"),
                BinaryExpressionType.Times => Number($"({left.AsNumber()} * {right.AsNumber()})"),
                BinaryExpressionType.Div => Number($"({left.AsNumber()} / NULLIF({right.AsNumber()}, 0E0))"),
                BinaryExpressionType.Exponentiation => Power(left.AsNumber(), right.AsNumber()),
                BinaryExpressionType.Coalesce => Number($"COALESCE({left.AsNumber()}, {right.AsNumber()})"),
                BinaryExpressionType.And => Condition($"({left.AsCondition()} AND {right.AsCondition()})"),
                BinaryExpressionType.Or => Condition($"({left.AsCondition()} OR {right.AsCondition()})"),
                BinaryExpressionType.Equal => Condition($"({left.AsNumber()} = {right.AsNumber()})"),
                BinaryExpressionType.NotEqual => Condition($"({left.AsNumber()} <> {right.AsNumber()})"),
                BinaryExpressionType.Lesser => Condition($"({left.AsNumber()} < {right.AsNumber()})"),
                BinaryExpressionType.LesserOrEqual => Condition($"({left.AsNumber()} <= {right.AsNumber()})"),
                BinaryExpressionType.Greater => Condition($"({left.AsNumber()} > {right.AsNumber()})"),
                BinaryExpressionType.GreaterOrEqual => Condition($"({left.AsNumber()} >= {right.AsNumber()})"),
                _ => throw Unsupported($"the operator {expression.Type}"),
            };
        }

        public Sql Visit(UnaryExpression expression)
        {
            var operand = expression.Expression.Accept(this);
            return expression.Type switch
            {
                UnaryExpressionType.Negate => Number($"(-{operand.AsNumber()})"),
                UnaryExpressionType.Positive => operand,
                UnaryExpressionType.Not => Condition($"(NOT {operand.AsCondition()})"),
                _ => throw Unsupported($"the operator {expression.Type}"),
            };
        }

        public Sql Visit(ValueExpression expression) => expression.Value switch
        {
            bool b => Condition(b ? "(1 = 1)" : "(1 = 0)"),
            int or long or double or decimal or float => Number(SqlDialects.Number(Convert.ToDouble(expression.Value, CultureInfo.InvariantCulture))),
            _ => throw Unsupported($"the value {expression.Value}"),
        };

        public Sql Visit(Function function)
        {
            var name = function.Identifier.Name.ToLowerInvariant();
            var args = function.Parameters.Select(p => p.Accept(this)).ToArray();
            string A(int i) => args[i].AsNumber();
            return (name, args.Length) switch
            {
                ("abs", 1) => Number($"ABS({A(0)})"),
                ("sqrt", 1) => Number($"CASE WHEN {A(0)} >= 0E0 THEN SQRT({A(0)}) END"),
                ("exp", 1) => Number($"EXP({A(0)})"),
                ("ln", 1) => Number($"CASE WHEN {A(0)} > 0E0 THEN {dialect.Ln(A(0))} END"),
                ("log10", 1) => Number($"CASE WHEN {A(0)} > 0E0 THEN LOG10({A(0)}) END"),
                ("log", 2) => Number($"CASE WHEN {A(0)} > 0E0 AND {A(1)} > 0E0 THEN {dialect.Ln(A(0))} / NULLIF({dialect.Ln(A(1))}, 0E0) END"),
                ("log1p", 1) => Number($"CASE WHEN {A(0)} > -1E0 THEN {dialect.Ln($"1E0 + {A(0)}")} END"),
                ("pow", 2) => Power(A(0), A(1)),
                ("min", 2) => Number($"CASE WHEN {A(0)} <= {A(1)} THEN {A(0)} ELSE {A(1)} END"),
                ("max", 2) => Number($"CASE WHEN {A(0)} >= {A(1)} THEN {A(0)} ELSE {A(1)} END"),
                ("floor", 1) => Number($"FLOOR({A(0)})"),
                ("ceiling", 1) => Number($"CEILING({A(0)})"),
                ("if", 3) => Number($"CASE WHEN {args[0].AsCondition()} THEN {A(1)} ELSE {A(2)} END"),
                _ => throw Unsupported($"the function {function.Identifier.Name} with {args.Length} argument{(args.Length == 1 ? string.Empty : "s")}"),
            };
        }

        public Sql Visit(Identifier identifier) => Number(writer.Source(identifier.Name, 'n'));

        public Sql Visit(LogicalExpressionList list) => throw Unsupported("a list of values");

        private static Sql Number(string text) => new(text, false);

        private static Sql Condition(string text) => new(text, true);

        private static Sql Power(string x, string y) => Number($"CASE WHEN {x} > 0E0 OR ({x} = 0E0 AND {y} >= 0E0) OR ({x} < 0E0 AND {y} = FLOOR({y})) THEN POWER({x}, {y}) END");

        private AnalysisInputException Unsupported(string what) =>
            new($"The formula of {formula.Name} (\"{formula.Expression}\") uses {what}, which the SQL export cannot write with the same meaning in every dialect; the SQL supports + - * /, comparisons, and/or/not, if, abs, sqrt, exp, ln, log, log10, log1p, pow, min, max, floor and ceiling.");
    }
}
