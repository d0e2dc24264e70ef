using Segmentation.Analytics.Statistics;

namespace Segmentation.Analytics.Preprocessing;

/// <summary>
/// One fitted preparation step of one feature: its parameters come from the training rows (<c>Fit</c>), and <see cref="Apply"/>
/// replays it on any value, so a saved model prepares new rows exactly as the analysis prepared its own.
/// </summary>
public abstract record PreparationStep
{
    /// <summary>The value after this step. NaN stays NaN except in <see cref="ImputeStep"/>.</summary>
    public abstract double Apply(double value);

    /// <summary>The step in words, for reports and the recipe.</summary>
    public abstract string Describe();
}

/// <summary>Replaces a missing value with a value fitted on the training rows (their median or mean).</summary>
/// <param name="Method">How the value was fitted: <see cref="MissingValueStrategy.Median"/> or <see cref="MissingValueStrategy.Mean"/>.</param>
/// <param name="Value">The replacement, in original units.</param>
public sealed record ImputeStep(MissingValueStrategy Method, double Value) : PreparationStep
{
    /// <summary>Fits the replacement on <paramref name="values"/> (NaN ignored); NaN when no value is present.</summary>
    public static ImputeStep Fit(ReadOnlySpan<double> values, MissingValueStrategy method) => Fit(values, method, new ScratchBuffers());

    /// <summary>As <see cref="Fit(ReadOnlySpan{double}, MissingValueStrategy)"/>, with a worker's reusable buffers.</summary>
    internal static ImputeStep Fit(ReadOnlySpan<double> values, MissingValueStrategy method, ScratchBuffers scratch) =>
        new(method, method == MissingValueStrategy.Mean ? Descriptive.MomentsOf(values).Mean : Descriptive.Median(values, scratch));

    /// <inheritdoc />
    public override double Apply(double value) => double.IsNaN(value) ? Value : value;

    /// <inheritdoc />
    public override string Describe() => Resources.AnalyticsTexts.Get(Method == MissingValueStrategy.Mean ? "StepMissingMean" : "StepMissingMedian", Value.ToString("G6", Resources.AnalyticsTexts.Numbers));
}

/// <summary>log(1 + x): shortens the right tail of a non-negative feature.</summary>
public sealed record Log1pStep : PreparationStep
{
    /// <summary>The step (it has no parameters).</summary>
    public static Log1pStep Instance { get; } = new();

    /// <inheritdoc />
    public override double Apply(double value) => Math.Log(1 + value);

    /// <inheritdoc />
    public override string Describe() => "log(1 + x)";
}

/// <summary>Clips values to bounds fitted as percentiles of the training rows (winsorising).</summary>
/// <param name="Low">The lower bound, in the units this step receives (after log1p when that comes first).</param>
/// <param name="High">The upper bound.</param>
public sealed record ClipStep(double Low, double High) : PreparationStep
{
    /// <summary>Fits the bounds as the <paramref name="lower"/> and <paramref name="upper"/> quantiles (0..1) of <paramref name="values"/>.</summary>
    public static ClipStep Fit(ReadOnlySpan<double> values, double lower, double upper)
    {
        var sorted = Descriptive.SortedFinite(values);
        return new ClipStep(Descriptive.QuantileOfSorted(sorted, lower), Descriptive.QuantileOfSorted(sorted, upper));
    }

    /// <inheritdoc />
    public override double Apply(double value) => value < Low ? Low : value > High ? High : value;

    /// <inheritdoc />
    public override string Describe() => Resources.AnalyticsTexts.Get("StepClip", Low.ToString("G6", Resources.AnalyticsTexts.Numbers), High.ToString("G6", Resources.AnalyticsTexts.Numbers));
}

/// <summary>(x − center) / scale, with the center and scale fitted on the training rows.</summary>
/// <param name="Method">How they were fitted.</param>
/// <param name="Center">Subtracted: the mean (z-score), median (robust), minimum (min-max) or 0 (none).</param>
/// <param name="Scale">Divided by: the population standard deviation, the interquartile range, the range, or 1.</param>
public sealed record ScaleStep(ScalingMethod Method, double Center, double Scale) : PreparationStep
{
    /// <summary>Fits center and scale; the scale is 0 when every value is the same (such a feature cannot be used).</summary>
    public static ScaleStep Fit(ReadOnlySpan<double> values, ScalingMethod method)
    {
        var moments = Descriptive.MomentsOf(values);
        var range = moments.Max - moments.Min;
        if (!(range > 0))
        {
            return new ScaleStep(method, moments.Mean, 0);
        }

        if (method == ScalingMethod.Robust)
        {
            var summary = Descriptive.Summarize(values);
            var iqr = summary.Q3 - summary.Q1;
            return new ScaleStep(method, summary.Median, iqr > 0 ? iqr : moments.PopulationStandardDeviation);
        }

        return method switch
        {
            ScalingMethod.ZScore => new ScaleStep(method, moments.Mean, moments.PopulationStandardDeviation),
            ScalingMethod.MinMax => new ScaleStep(method, moments.Min, range),
            _ => new ScaleStep(method, 0, 1),
        };
    }

    /// <inheritdoc />
    public override double Apply(double value) => (value - Center) / Scale;

    /// <inheritdoc />
    public override string Describe() => $"(x − {Center:G6}) / {Scale:G6}";
}

/// <summary>How one feature is prepared: its name in the data and its fitted steps, in order.</summary>
/// <param name="Name">The dataset column.</param>
/// <param name="Steps">The fitted steps, applied in order.</param>
public sealed record FeaturePreparation(string Name, IReadOnlyList<PreparationStep> Steps)
{
    /// <summary>Runs every step on a raw value (NaN for missing). NaN out means the row cannot be prepared (missing, no imputation).</summary>
    public double Apply(double raw)
    {
        var value = raw;
        foreach (var step in Steps)
        {
            value = step.Apply(value);
        }

        return value;
    }

    /// <summary>Maps a prepared value back to original units by undoing scaling and log1p (clipping cannot be undone; imputation needs none).</summary>
    public double Invert(double prepared)
    {
        var value = prepared;
        for (var i = Steps.Count - 1; i >= 0; i--)
        {
            value = Steps[i] switch
            {
                ScaleStep scale => (value * scale.Scale) + scale.Center,
                Log1pStep => Math.Exp(value) - 1,
                _ => value,
            };
        }

        return value;
    }
}
