using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Globalization;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Statistics;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Preprocessing;

/// <summary>What preprocessing did to one feature, in order.</summary>
/// <param name="Name">The feature.</param>
/// <param name="Imputed">Missing values replaced (0 when rows were dropped instead).</param>
/// <param name="ImputedWith">The replacement value in original units, or NaN when nothing was replaced.</param>
/// <param name="Log1p">Whether log(1 + x) was applied.</param>
/// <param name="WinsorLow">The lower clip bound (after log), or NaN.</param>
/// <param name="WinsorHigh">The upper clip bound (after log), or NaN.</param>
/// <param name="Clipped">Values changed by clipping.</param>
/// <param name="Center">Subtracted when scaling.</param>
/// <param name="Scale">Divided by when scaling.</param>
/// <param name="SkewnessBefore">Skewness of the imputed values before log1p.</param>
/// <param name="SkewnessAfter">Skewness after log1p (equal to before when no log was applied).</param>
public sealed record FeatureTransform(string Name, int Imputed, double ImputedWith, bool Log1p, double WinsorLow, double WinsorHigh, int Clipped, double Center, double Scale, double SkewnessBefore, double SkewnessAfter);

/// <summary>The preprocessed matrix with the record of how it was made.</summary>
/// <param name="Matrix">The clustering matrix; rows map to dataset rows through <see cref="FeatureMatrix.SourceRow"/>.</param>
/// <param name="Options">The recipe as given.</param>
/// <param name="Transforms">One entry per kept feature, in matrix column order.</param>
/// <param name="ExcludedFeatures">Requested features left out, with the reason.</param>
/// <param name="DroppedRows">Rows dropped for missing values (with <see cref="MissingValueStrategy.DropRows"/>).</param>
/// <param name="Steps">The steps in order, one sentence each.</param>
/// <param name="Warnings">Things the user should know.</param>
/// <param name="Preparations">The fitted steps of each kept feature, in matrix column order: replaying them on a raw value gives
/// exactly the matrix value (see <see cref="FeaturePreparation.Apply"/>).</param>
public sealed record PreprocessResult(
    FeatureMatrix Matrix,
    PreprocessOptions Options,
    IReadOnlyList<FeatureTransform> Transforms,
    IReadOnlyDictionary<string, string> ExcludedFeatures,
    int DroppedRows,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<FeaturePreparation> Preparations);

/// <summary>
/// Turns dataset columns into a finite clustering matrix: select the features, then per feature fit and apply its steps in order
/// (impute, log1p, clip, scale; see <see cref="PreparationStep"/>). The fitted steps are returned so that new rows can be prepared
/// identically.
/// </summary>
public static class Preprocessor
{
    /// <summary>Runs the recipe on <paramref name="dataset"/>.</summary>
    /// <exception cref="AnalysisInputException">A named feature does not exist or is not numeric, log1p is asked for a column with negative values, the winsorising percentiles are not 0 ≤ lower &lt; upper ≤ 1, or no usable feature or row remains.</exception>
    public static PreprocessResult Run(Dataset dataset, PreprocessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= PreprocessOptions.Default;
        var excluded = new Dictionary<string, string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var steps = new List<string>();
        var features = SelectFeatures(dataset, options, excluded);
        steps.Add(AnalyticsTexts.Get(features.Count == 1 ? "StepSelectedOne" : "StepSelected", features.Count, string.Join(", ", features.Select(f => f.Name))));

        var n = dataset.RowCount;
        var keep = new bool[n];
        Array.Fill(keep, true);
        var dropped = 0;
        if (options.Missing == MissingValueStrategy.DropRows)
        {
            for (var i = 0; i < n; i++)
            {
                foreach (var feature in features)
                {
                    if (double.IsNaN(feature.Numbers[i]))
                    {
                        keep[i] = false;
                        dropped++;
                        break;
                    }
                }
            }

            steps.Add(AnalyticsTexts.Get(dropped == 1 ? "StepDroppedOne" : "StepDropped", dropped));
        }

        var rows = new List<int>(n);
        for (var i = 0; i < n; i++)
        {
            if (keep[i])
            {
                rows.Add(i);
            }
        }

        if (rows.Count == 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("AllRowsMissing"));
        }

        var autoLog = new HashSet<string>(options.Log1pColumns, StringComparer.Ordinal);
        var winsor = options.Winsorize;
        if (winsor is { } w && !(w.Lower >= 0 && w.Lower < w.Upper && w.Upper <= 1))
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("WinsorRange", w.Lower, w.Upper));
        }

        // Features are independent: prepared in parallel, gathered in feature order (so results and messages never depend on scheduling).
        // Each feature is written straight into its column of the matrix (no column copy per feature to gather afterwards), and each
        // worker reuses its own working arrays from feature to feature.
        var outcomes = new FeatureOutcome[features.Count];
        var errors = new AnalysisInputException?[features.Count];
        var wide = new float[rows.Count * features.Count];
        Parallel.For(0, features.Count, () => new ScratchBuffers(), (f, _, scratch) =>
        {
            try
            {
                outcomes[f] = PrepareFeature(features[f], rows, options, autoLog, winsor, scratch, new MatrixColumn(wide, f, features.Count));
            }
            catch (AnalysisInputException exception)
            {
                errors[f] = exception;
            }

            return scratch;
        }, _ => { });
        if (errors.FirstOrDefault(e => e is not null) is { } first)
        {
            throw first;
        }

        var columns = new List<(int Column, FeatureTransform Transform, FeaturePreparation Preparation)>();
        for (var f = 0; f < features.Count; f++)
        {
            var (feature, outcome) = (features[f], outcomes[f]);
            if (outcome.Excluded is { } reason)
            {
                excluded[feature.Name] = reason;
                if (outcome.Warning is { } warning)
                {
                    warnings.Add(warning);
                }

                continue;
            }

            columns.Add((f, outcome.Transform!, outcome.Preparation!));
        }

        if (columns.Count == 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("NoUsableFeature", string.Join("; ", excluded.Select(e => $"{e.Key}: {e.Value}"))));
        }

        AddStepSentences(options, columns.Select(c => c.Transform).ToList(), steps);
        var d = columns.Count;
        var matrix = wide;
        if (d < features.Count)
        {
            // Features left out leave their columns unused: the kept ones move together.
            matrix = new float[rows.Count * d];
            for (var r = 0; r < rows.Count; r++)
            {
                for (var c = 0; c < d; c++)
                {
                    matrix[(r * d) + c] = wide[(r * features.Count) + columns[c].Column];
                }
            }
        }

        var featureMatrix = new FeatureMatrix(matrix, rows.Count, d, columns.Select(c => c.Preparation.Name).ToArray(), dropped > 0 ? rows.ToArray() : null);
        return new PreprocessResult(featureMatrix, options, columns.Select(c => c.Transform).ToArray(), excluded, dropped, steps, warnings, columns.Select(c => c.Preparation).ToArray());
    }

    /// <summary>One feature's outcome: excluded with a reason (and maybe a warning), or its prepared column, report and fitted steps.</summary>
    private sealed record FeatureOutcome(string? Excluded, string? Warning, FeatureTransform? Transform, FeaturePreparation? Preparation);

    /// <summary>Column <paramref name="Column"/> of a row-major matrix <paramref name="Values"/> with <paramref name="Width"/> columns.</summary>
    private readonly record struct MatrixColumn(float[] Values, int Column, int Width)
    {
        public void Set(int row, double value) => Values[(row * Width) + Column] = (float)value;
    }

    /// <summary>Fits and applies one feature's steps on the kept rows.</summary>
    private static FeatureOutcome PrepareFeature(DataColumn feature, List<int> rows, PreprocessOptions options, HashSet<string> autoLog, (double Lower, double Upper)? winsor, ScratchBuffers scratch, MatrixColumn output)
    {
        var source = feature.Numbers;
        var values = scratch.Exactly(ScratchBuffers.Values, rows.Count);
        var missing = 0;
        for (var r = 0; r < rows.Count; r++)
        {
            values[r] = source[rows[r]];
            if (double.IsNaN(values[r]))
            {
                missing++;
            }
        }

        var chain = new List<PreparationStep>();

        // The replacement is fitted even when the training rows have no gap, so that new rows with one can still be prepared.
        if (options.Missing != MissingValueStrategy.DropRows)
        {
            var impute = ImputeStep.Fit(values, options.Missing, scratch);
            if (double.IsNaN(impute.Value))
            {
                return new FeatureOutcome("it has no values", null, null, null);
            }

            chain.Add(impute);
            ApplyInPlace(impute, values);
        }

        var summary = Descriptive.MomentsOf(values);
        if (options.IndicatorWeights.TryGetValue(feature.Name, out var weight))
        {
            if (!(summary.Max > summary.Min))
            {
                return new FeatureOutcome(AnalyticsTexts.Get("ConstantReason"), AnalyticsTexts.Get("ConstantLeftOut", feature.Name), null, null);
            }

            var weighted = new ScaleStep(ScalingMethod.None, 0, 1 / weight);
            chain.Add(weighted);
            var indicatorFill = missing > 0 && chain[0] is ImputeStep imputed ? imputed.Value : double.NaN;
            for (var r = 0; r < values.Length; r++)
            {
                output.Set(r, weighted.Apply(values[r]));
            }

            return new FeatureOutcome(null, null, new FeatureTransform(feature.Name, missing, indicatorFill, false, double.NaN, double.NaN, 0, 0, 1 / weight, summary.Skewness, summary.Skewness), new FeaturePreparation(feature.Name, chain));
        }

        var log = autoLog.Contains(feature.Name)
            || (options.AutoLog1p && SkewAdvice.SuggestLog1p(summary.Min, summary.Skewness, summary.Min >= 0 ? SkewAdvice.SkewnessAfterLog1p(values, scratch) : double.NaN));
        if (log && summary.Min < 0)
        {
            if (autoLog.Contains(feature.Name))
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("Log1pNegative", feature.Name, summary.Min.ToString("G6", AnalyticsTexts.Numbers)));
            }

            log = false;
        }

        var skewAfter = summary.Skewness;
        if (log)
        {
            chain.Add(Log1pStep.Instance);
            ApplyInPlace(Log1pStep.Instance, values);
            skewAfter = Descriptive.Skewness(values);
        }

        double low = double.NaN, high = double.NaN;
        var clipped = 0;
        if (winsor is { } bounds)
        {
            var clip = ClipStep.Fit(values, bounds.Lower, bounds.Upper);
            (low, high) = (clip.Low, clip.High);
            foreach (var value in values)
            {
                clipped += value < low || value > high ? 1 : 0;
            }

            chain.Add(clip);
            ApplyInPlace(clip, values);
        }

        var scale = ScaleStep.Fit(values, options.Scaling);
        if (!(scale.Scale > 0) || double.IsNaN(scale.Center))
        {
            return new FeatureOutcome(AnalyticsTexts.Get("ConstantReason"), AnalyticsTexts.Get("ConstantLeftOut", feature.Name), null, null);
        }

        chain.Add(scale);
        var fill = missing > 0 && chain[0] is ImputeStep fitted ? fitted.Value : double.NaN;
        var transform = new FeatureTransform(feature.Name, missing, fill, log, low, high, clipped, scale.Center, scale.Scale, summary.Skewness, skewAfter);
        for (var r = 0; r < values.Length; r++)
        {
            output.Set(r, scale.Apply(values[r]));
        }

        return new FeatureOutcome(null, null, transform, new FeaturePreparation(feature.Name, chain));
    }

    /// <summary>Prepares rows of <paramref name="dataset"/> with fitted preparations: the same arithmetic as the analysis, value by value.
    /// Rows where a feature cannot be prepared (missing without imputation) are left out and listed.</summary>
    /// <exception cref="AnalysisInputException">A feature column is missing from the dataset or is not numeric.</exception>
    public static (FeatureMatrix Matrix, IReadOnlyList<int> Unprepared) Apply(Dataset dataset, IReadOnlyList<FeaturePreparation> preparations)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(preparations);
        var missingColumns = preparations.Where(p => !dataset.HasColumn(p.Name)).Select(p => p.Name).ToArray();
        if (missingColumns.Length > 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get(missingColumns.Length == 1 ? "LacksModelColumn" : "LacksModelColumns", string.Join(", ", missingColumns)));
        }

        var sources = preparations.Select(p => dataset.Column(p.Name)).ToArray();
        foreach (var column in sources.Where(c => !c.HasNumbers))
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("ModelFeatureNotNumeric", column.Name));
        }

        var d = preparations.Count;
        var n = dataset.RowCount;
        var prepared = PrepareColumns(sources, preparations);

        // Rows with a value that cannot be used (missing without imputation, log of a value ≤ −1) are left out and listed.
        var blocks = (n + ApplyBlockRows - 1) / ApplyBlockRows;
        var bad = new List<int>[blocks];
        Parallel.For(0, blocks, b =>
        {
            var list = new List<int>();
            var end = Math.Min(n, (b + 1) * ApplyBlockRows);
            for (var r = b * ApplyBlockRows; r < end; r++)
            {
                for (var c = 0; c < d; c++)
                {
                    if (!float.IsFinite(prepared[c][r]))
                    {
                        list.Add(r);
                        break;
                    }
                }
            }

            bad[b] = list;
        });
        var unprepared = bad.SelectMany(b => b).ToArray();
        int[]? kept = null;
        if (unprepared.Length > 0)
        {
            kept = new int[n - unprepared.Length];
            for (int r = 0, u = 0, k = 0; r < n; r++)
            {
                if (u < unprepared.Length && unprepared[u] == r)
                {
                    u++;
                }
                else
                {
                    kept[k++] = r;
                }
            }
        }

        var rows = kept?.Length ?? n;
        var values = new float[rows * d];
        Parallel.For(0, (rows + ApplyBlockRows - 1) / ApplyBlockRows, b =>
        {
            var end = Math.Min(rows, (b + 1) * ApplyBlockRows);
            for (var i = b * ApplyBlockRows; i < end; i++)
            {
                var source = kept is null ? i : kept[i];
                var offset = i * d;
                for (var c = 0; c < d; c++)
                {
                    values[offset + c] = prepared[c][source];
                }
            }
        });

        var matrix = new FeatureMatrix(values, rows, d, preparations.Select(p => p.Name).ToArray(), kept);
        return (matrix, unprepared);
    }

    private const int ApplyBlockRows = 65_536;

    /// <summary>Prepares every row of <paramref name="dataset"/> column by column (in prepared units, single precision, NaN or
    /// infinity where a value cannot be prepared): what <see cref="Apply"/> lays out as a matrix, for scoring kernels that read columns.</summary>
    /// <exception cref="AnalysisInputException">A feature column is missing from the dataset or is not numeric.</exception>
    internal static float[][] PrepareColumns(Dataset dataset, IReadOnlyList<FeaturePreparation> preparations)
    {
        var missingColumns = preparations.Where(p => !dataset.HasColumn(p.Name)).Select(p => p.Name).ToArray();
        if (missingColumns.Length > 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get(missingColumns.Length == 1 ? "LacksModelColumn" : "LacksModelColumns", string.Join(", ", missingColumns)));
        }

        var sources = preparations.Select(p => dataset.Column(p.Name)).ToArray();
        foreach (var column in sources.Where(c => !c.HasNumbers))
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("ModelFeatureNotNumeric", column.Name));
        }

        return PrepareColumns(sources, preparations);
    }

    /// <summary>Feature by feature (in parallel), each step as one tight loop over the column: the same double arithmetic value by value
    /// as <see cref="FeaturePreparation.Apply"/>, so the result is identical to preparing row by row, and 10,000,000-row sources stay fast.</summary>
    private static float[][] PrepareColumns(DataColumn[] sources, IReadOnlyList<FeaturePreparation> preparations)
    {
        var prepared = new float[preparations.Count][];
        Parallel.For(0, preparations.Count, c =>
        {
            var numbers = sources[c].Numbers;
            var rented = ArrayPool<double>.Shared.Rent(numbers.Length);
            var work = rented.AsSpan(0, numbers.Length);
            numbers.CopyTo(work);
            foreach (var step in preparations[c].Steps)
            {
                ApplyInPlace(step, work);
            }

            var column = new float[work.Length];
            for (var r = 0; r < work.Length; r++)
            {
                column[r] = (float)work[r];
            }

            ArrayPool<double>.Shared.Return(rented);
            prepared[c] = column;
        });
        return prepared;
    }

    private static void ApplyInPlace(PreparationStep step, double[] values) => ApplyInPlace(step, values.AsSpan());

    private static void ApplyInPlace(PreparationStep step, Span<double> span)
    {
        // One loop per kind of step, with the step's own arithmetic (the same IEEE operations as its Apply, so the same results),
        // four values at a time where the hardware allows and the operation is exact lane by lane (select, subtract, divide).
        var vectors = Vector256.IsHardwareAccelerated ? span.Length / Vector256<double>.Count : 0;
        var tail = vectors * Vector256<double>.Count;
        ref var first = ref MemoryMarshal.GetReference(span);
        switch (step)
        {
            case ImputeStep impute:
                var fill = Vector256.Create(impute.Value);
                for (var i = 0; i < vectors; i++)
                {
                    var v = Vector256.LoadUnsafe(ref first, (nuint)(i * Vector256<double>.Count));
                    Vector256.ConditionalSelect(Vector256.Equals(v, v), v, fill).StoreUnsafe(ref first, (nuint)(i * Vector256<double>.Count));
                }

                for (var r = tail; r < span.Length; r++)
                {
                    span[r] = impute.Apply(span[r]);
                }

                break;
            case ClipStep clip:
                var (low, high) = (Vector256.Create(clip.Low), Vector256.Create(clip.High));
                for (var i = 0; i < vectors; i++)
                {
                    var v = Vector256.LoadUnsafe(ref first, (nuint)(i * Vector256<double>.Count));
                    Vector256.ConditionalSelect(Vector256.LessThan(v, low), low, Vector256.ConditionalSelect(Vector256.GreaterThan(v, high), high, v))
                        .StoreUnsafe(ref first, (nuint)(i * Vector256<double>.Count));
                }

                for (var r = tail; r < span.Length; r++)
                {
                    span[r] = clip.Apply(span[r]);
                }

                break;
            case ScaleStep scale:
                var (center, divisor) = (Vector256.Create(scale.Center), Vector256.Create(scale.Scale));
                for (var i = 0; i < vectors; i++)
                {
                    var v = Vector256.LoadUnsafe(ref first, (nuint)(i * Vector256<double>.Count));
                    ((v - center) / divisor).StoreUnsafe(ref first, (nuint)(i * Vector256<double>.Count));
                }

                for (var r = tail; r < span.Length; r++)
                {
                    span[r] = scale.Apply(span[r]);
                }

                break;
            default:
                for (var r = 0; r < span.Length; r++)
                {
                    span[r] = step.Apply(span[r]);
                }

                break;
        }
    }

    private static List<DataColumn> SelectFeatures(Dataset dataset, PreprocessOptions options, Dictionary<string, string> excluded)
    {
        if (options.Features is null)
        {
            var defaults = dataset.NumericFeatures.ToList();
            if (defaults.Count == 0)
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("NoNumericColumns"));
            }

            return defaults;
        }

        if (options.Features.Count == 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("NoFeaturesSelected"));
        }

        var result = new List<DataColumn>();
        foreach (var name in options.Features.Distinct(StringComparer.Ordinal))
        {
            if (!dataset.HasColumn(name))
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("NoSuchColumn", name, string.Join(", ", dataset.Columns.Select(c => c.Name))));
            }

            var column = dataset.Column(name);
            switch (column.Kind)
            {
                case ColumnKind.Empty:
                    excluded[name] = "it has no values";
                    break;
                case ColumnKind.Identifier:
                    throw new AnalysisInputException(AnalyticsTexts.Get("IsIdentifier", name));
                case not ColumnKind.Identifier when column.HasNumbers:
                    result.Add(column);
                    break;
                default:
                    throw new AnalysisInputException(AnalyticsTexts.Get("IsTextColumn", name));
            }
        }

        if (result.Count == 0)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("NoValuesToSegment"));
        }

        return result;
    }

    private static void AddStepSentences(PreprocessOptions options, List<FeatureTransform> transforms, List<string> steps)
    {
        var imputed = transforms.Where(t => t.Imputed > 0).ToList();
        if (imputed.Count > 0)
        {
            var list = string.Join("; ", imputed.Select(t => AnalyticsTexts.Get("StepImputedItem", t.Name, t.Imputed, t.ImputedWith.ToString("G6", AnalyticsTexts.Numbers))));
            steps.Add(AnalyticsTexts.Get(options.Missing == MissingValueStrategy.Mean ? "StepImputedMean" : "StepImputedMedian", list));
        }

        var logged = transforms.Where(t => t.Log1p).ToList();
        if (logged.Count > 0)
        {
            steps.Add(AnalyticsTexts.Get("StepLogged", string.Join(", ", logged.Select(t => AnalyticsTexts.Get("StepLoggedItem", t.Name, t.SkewnessBefore, t.SkewnessAfter)))));
        }

        if (options.Winsorize is { } w)
        {
            steps.Add(AnalyticsTexts.Get("StepClipped", Segments.SegmentTraits.Percent(w.Lower), Segments.SegmentTraits.Percent(w.Upper), transforms.Sum(t => t.Clipped)));
        }

        steps.Add(options.Scaling switch
        {
            ScalingMethod.ZScore => AnalyticsTexts.Get("StepZScore"),
            ScalingMethod.Robust => AnalyticsTexts.Get("StepRobust"),
            ScalingMethod.MinMax => AnalyticsTexts.Get("StepMinMax"),
            _ => AnalyticsTexts.Get("StepUnscaled"),
        });
    }
}
