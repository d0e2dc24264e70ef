namespace Segmentation.Analytics.Preprocessing;

/// <summary>How missing feature values are handled.</summary>
public enum MissingValueStrategy
{
    /// <summary>Replace with the column median (the default; robust to the long tails of money columns).</summary>
    Median,

    /// <summary>Replace with the column mean.</summary>
    Mean,

    /// <summary>Drop every row with a missing feature; dropped rows get no segment.</summary>
    DropRows,
}

/// <summary>How features are put on a common scale before clustering.</summary>
public enum ScalingMethod
{
    /// <summary>Subtract the mean, divide by the population standard deviation (the default).</summary>
    ZScore,

    /// <summary>Subtract the median, divide by the interquartile range.</summary>
    Robust,

    /// <summary>Map the minimum to 0 and the maximum to 1.</summary>
    MinMax,

    /// <summary>Leave values as they are (after the other steps).</summary>
    None,
}

/// <summary>The recipe that turns dataset columns into a clustering matrix. Recorded with every result.</summary>
public sealed record PreprocessOptions
{
    /// <summary>The default recipe: every numeric non-identifier column, median imputation, no log, no winsorising, z-score.</summary>
    public static PreprocessOptions Default { get; } = new();

    /// <summary>The feature columns; null means every numeric, non-identifier, non-empty column.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>How missing values are handled.</summary>
    public MissingValueStrategy Missing { get; init; } = MissingValueStrategy.Median;

    /// <summary>Columns to transform with log(1 + x) (each must have no negative values).</summary>
    public IReadOnlyList<string> Log1pColumns { get; init; } = [];

    /// <summary>Also apply log1p to every feature where <see cref="Statistics.SkewAdvice.SuggestLog1p"/> suggests it.</summary>
    public bool AutoLog1p { get; init; }

    /// <summary>Clip each feature to these percentiles (e.g. 0.01 and 0.99) after the log step; null for no clipping.</summary>
    public (double Lower, double Upper)? Winsorize { get; init; }

    /// <summary>The scaling method.</summary>
    public ScalingMethod Scaling { get; init; } = ScalingMethod.ZScore;

    /// <summary>0/1 indicator features (one-hot levels, flags) with their weight: imputed, then multiplied by the weight, never
    /// log-transformed, clipped or scaled (see <see cref="Pipeline.ColumnPlan.IndicatorWeight"/>).</summary>
    public IReadOnlyDictionary<string, double> IndicatorWeights { get; init; } = new Dictionary<string, double>();
}
