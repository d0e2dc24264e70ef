using System.Globalization;
using NCalc;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Pipeline;

/// <summary>The values of a formula over a dataset, with the rows where it gave no value.</summary>
/// <param name="Values">One per row; NaN where an input was missing or the result undefined (division by zero).</param>
/// <param name="MissingRows">Rows with a missing input.</param>
/// <param name="UndefinedRows">Rows whose inputs were present but whose result was infinite or undefined.</param>
public sealed record FormulaResult(double[] Values, IReadOnlyList<int> MissingRows, IReadOnlyList<int> UndefinedRows);

/// <summary>
/// A derived feature's formula, parsed and evaluated by NCalc (a maintained expression library; we parse nothing ourselves).
/// Columns are named as they are (<c>BALANCE / CREDIT_LIMIT</c>) or in brackets when the name has spaces or symbols
/// (<c>[Annual Income (k$)] / 12</c>). Operators + - * / and parentheses, comparisons, <c>and</c>/<c>or</c>; functions <c>log1p</c>,
/// <c>min</c>, <c>max</c>, <c>abs</c>, <c>if(condition, then, else)</c>, <c>sqrt</c>, <c>log</c>, <c>round</c> and NCalc's other built-ins.
/// A row with a missing input gives a missing value; a division by zero (an infinite or undefined result) gives a missing value;
/// both are counted, never infinity.
/// </summary>
public sealed class DerivedFormula
{
    private const int BlockRows = 4096;

    private readonly DerivedFeature _feature;
    private readonly string[] _inputs;

    private DerivedFormula(DerivedFeature feature, string[] inputs)
    {
        _feature = feature;
        _inputs = inputs;
    }

    /// <summary>The columns the formula reads.</summary>
    public IReadOnlyList<string> Inputs => _inputs;

    /// <summary>The names a formula reads (its parameters), in order of first use; empty when it cannot be read.</summary>
    public static IReadOnlyList<string> InputsOf(string expression)
    {
        var parsed = NewExpression(expression);
        if (parsed.HasErrors())
        {
            return [];
        }

        try
        {
            return parsed.GetParameterNames().Distinct(StringComparer.Ordinal).ToArray();
        }
        catch (Exception exception) when (exception is NCalc.Exceptions.NCalcException or InvalidOperationException or ArgumentException)
        {
            return [];
        }
    }

    /// <summary>Parses <paramref name="feature"/> and checks its columns against <paramref name="data"/>.</summary>
    /// <exception cref="AnalysisInputException">The formula cannot be read, uses a column that does not exist or is not numeric.</exception>
    public static DerivedFormula Compile(DerivedFeature feature, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(data);
        var expression = NewExpression(feature.Expression);
        if (expression.HasErrors())
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("FormulaUnreadable", feature.Name, feature.Expression, expression.Error?.Message ?? AnalyticsTexts.Get("SyntaxError")));
        }

        List<string> inputs;
        try
        {
            inputs = expression.GetParameterNames().Distinct(StringComparer.Ordinal).ToList();
        }
        catch (Exception exception) when (exception is NCalc.Exceptions.NCalcException or InvalidOperationException or ArgumentException)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("FormulaUnreadableBecause", feature.Name, feature.Expression, exception.Message), exception);
        }

        foreach (var input in inputs)
        {
            if (!data.HasColumn(input))
            {
                var close = data.Columns.Select(c => c.Name).Where(n => n.Equals(input, StringComparison.OrdinalIgnoreCase)).ToArray();
                throw new AnalysisInputException(close.Length > 0 ? AnalyticsTexts.Get("FormulaUnknownColumnDidYouMean", feature.Name, input, close[0]) : AnalyticsTexts.Get("FormulaUnknownColumn", feature.Name, input));
            }

            var column = data.Column(input);
            if (!column.HasNumbers)
            {
                throw new AnalysisInputException(AnalyticsTexts.Get(column.Kind == ColumnKind.Identifier ? "FormulaUsesIdentifier" : "FormulaUsesText", feature.Name, input));
            }
        }

        if (inputs.Count == 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("FormulaNoColumn", feature.Name, feature.Expression));
        }

        return new DerivedFormula(feature, inputs.ToArray());
    }

    /// <summary>Evaluates the formula on every row, in parallel blocks (results do not depend on the core count).</summary>
    /// <exception cref="AnalysisInputException">The formula fails on a row for a reason other than a missing value or a division by zero (e.g. a function that does not exist); the message names the line.</exception>
    public FormulaResult Evaluate(Dataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rows = data.RowCount;
        var values = new double[rows];
        var sources = _inputs.Select(name => data.Column(name)).ToArray();
        var blocks = (rows + BlockRows - 1) / BlockRows;
        var missing = new List<int>[blocks];
        var undefined = new List<int>[blocks];
        var failures = new AnalysisInputException?[blocks];
        Parallel.For(0, blocks, block =>
        {
            missing[block] = [];
            undefined[block] = [];
            var expression = NewExpression(_feature.Expression);
            var end = Math.Min(rows, (block + 1) * BlockRows);
            for (var row = block * BlockRows; row < end; row++)
            {
                var present = true;
                for (var i = 0; i < sources.Length; i++)
                {
                    var value = sources[i].Numbers[row];
                    present &= !double.IsNaN(value);
                    expression.Parameters[_inputs[i]] = value;
                }

                if (!present)
                {
                    values[row] = double.NaN;
                    missing[block].Add(row);
                    continue;
                }

                double result;
                try
                {
                    result = ToDouble(expression.Evaluate());
                }
                catch (DivideByZeroException)
                {
                    result = double.NaN;
                }
                catch (Exception exception) when (exception is NCalc.Exceptions.NCalcException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException or OverflowException)
                {
                    failures[block] = new AnalysisInputException(AnalyticsTexts.Get("FormulaFails", data.LineNumber(row), _feature.Name, _feature.Expression, exception.Message), exception);
                    return;
                }

                if (double.IsFinite(result))
                {
                    values[row] = result;
                }
                else
                {
                    values[row] = double.NaN;
                    undefined[block].Add(row);
                }
            }
        });
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw failure;
        }

        return new FormulaResult(values, missing.SelectMany(m => m).ToArray(), undefined.SelectMany(u => u).ToArray());
    }

    private static Expression NewExpression(string text)
    {
        var expression = new Expression(text, ExpressionOptions.IgnoreCaseAtBuiltInFunctions | ExpressionOptions.NoCache) { CultureInfo = CultureInfo.InvariantCulture };
        expression.Functions["log1p"] = args => Math.Log(1 + ToDouble(args.Evaluate(0)));
        expression.Functions["Log1p"] = expression.Functions["log1p"];
        expression.Functions["LOG1P"] = expression.Functions["log1p"];
        return expression;
    }

    private static double ToDouble(object? value) => value switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        null => double.NaN,
        IConvertible convertible => convertible.ToDouble(CultureInfo.InvariantCulture),
        _ => double.NaN,
    };
}
