namespace Segmentation.Analytics.Statistics;

/// <summary>Summary of one numeric column, ignoring missing (NaN) values.</summary>
/// <param name="Count">Non-missing values.</param>
/// <param name="Missing">Missing values.</param>
/// <param name="Mean">Arithmetic mean; NaN when Count is 0.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1); NaN when Count &lt; 2.</param>
/// <param name="PopulationStandardDeviation">Population standard deviation (n); NaN when Count is 0.</param>
/// <param name="Min">Smallest value; NaN when Count is 0.</param>
/// <param name="Q1">First quartile (linear interpolation, as NumPy's default).</param>
/// <param name="Median">Median.</param>
/// <param name="Q3">Third quartile.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Skewness">Fisher-Pearson skewness, biased (population) form m3 / m2^1.5; 0 for a constant column, NaN when Count is 0.</param>
public sealed record ColumnSummary(int Count, int Missing, double Mean, double StandardDeviation, double PopulationStandardDeviation, double Min, double Q1, double Median, double Q3, double Max, double Skewness)
{
}

/// <summary>When log(1 + x) is worth suggesting for a feature.</summary>
public static class SkewAdvice
{
    /// <summary>
    /// True when every value is ≥ 0, the skewness is above 1 and log(1 + x) brings |skewness| down. DESIGN.md's rule is
    /// "min ≥ 0 and |skewness| &gt; 1"; the log only shortens a right tail, so on left-skewed columns (such as TENURE, skewness −2.3)
    /// it makes the skew worse and is not suggested.
    /// </summary>
    /// <param name="min">The smallest value.</param>
    /// <param name="skewBefore">Skewness of the values.</param>
    /// <param name="skewAfter">Skewness of log(1 + values).</param>
    public static bool SuggestLog1p(double min, double skewBefore, double skewAfter) =>
        min >= 0 && skewBefore > 1 && Math.Abs(skewAfter) < Math.Abs(skewBefore);

    /// <summary>Skewness of log(1 + x) of the non-missing values (NaN when a value is negative or nothing is left).</summary>
    public static double SkewnessAfterLog1p(ReadOnlySpan<double> values) => SkewnessAfterLog1p(values, new ScratchBuffers());

    /// <summary>As <see cref="SkewnessAfterLog1p(ReadOnlySpan{double})"/>, transforming into <paramref name="scratch"/>'s second buffer.</summary>
    internal static double SkewnessAfterLog1p(ReadOnlySpan<double> values, ScratchBuffers scratch)
    {
        var transformed = scratch.Exactly(ScratchBuffers.Working, values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                return double.NaN;
            }

            transformed[i] = double.IsNaN(values[i]) ? double.NaN : Math.Log(1 + values[i]);
        }

        return Descriptive.MomentsOf(transformed).Skewness;
    }
}

/// <summary>Moments of the non-missing values of a column, computed in O(n) without sorting.</summary>
/// <param name="Count">Non-missing values.</param>
/// <param name="Mean">Mean; NaN when Count is 0.</param>
/// <param name="PopulationVariance">Mean squared deviation (n); NaN when Count is 0.</param>
/// <param name="Skewness">Biased Fisher-Pearson skewness; 0 for a constant column, NaN when Count is 0.</param>
/// <param name="Min">Smallest value; NaN when Count is 0.</param>
/// <param name="Max">Largest value; NaN when Count is 0.</param>
public readonly record struct Moments(int Count, double Mean, double PopulationVariance, double Skewness, double Min, double Max)
{
    /// <summary>Population standard deviation.</summary>
    public double PopulationStandardDeviation => Math.Sqrt(PopulationVariance);
}

/// <summary>Descriptive statistics over values where NaN means missing.</summary>
public static class Descriptive
{
    /// <summary>Count, mean, population variance, skewness, min and max of the non-missing values, in two passes and no sort.</summary>
    public static Moments MomentsOf(ReadOnlySpan<double> values)
    {
        var n = 0;
        var sum = 0.0;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                n++;
                sum += v;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }
        }

        if (n == 0)
        {
            return new Moments(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var mean = sum / n;
        double m2 = 0, m3 = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                var delta = v - mean;
                m2 += delta * delta;
                m3 += delta * delta * delta;
            }
        }

        var variance = m2 / n;
        var skew = variance <= 1e-300 || max == min ? 0 : m3 / n / Math.Pow(variance, 1.5);
        return new Moments(n, mean, variance, skew, min, max);
    }

    /// <summary>Summarises <paramref name="values"/>, ignoring NaN. Infinite values are not expected (ingest reports them as invalid).</summary>
    public static ColumnSummary Summarize(ReadOnlySpan<double> values)
    {
        var moments = MomentsOf(values);
        var n = moments.Count;
        var missing = values.Length - n;
        if (n == 0)
        {
            return new ColumnSummary(0, missing, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = SortedFinite(values);
        return new ColumnSummary(
            n,
            missing,
            moments.Mean,
            n < 2 ? double.NaN : Math.Sqrt(moments.PopulationVariance * n / (n - 1)),
            moments.PopulationStandardDeviation,
            moments.Min,
            QuantileOfSorted(sorted, 0.25),
            QuantileOfSorted(sorted, 0.5),
            QuantileOfSorted(sorted, 0.75),
            moments.Max,
            moments.Skewness);
    }

    /// <summary>Median ignoring NaN (the mean of the two middle values for an even count); NaN when nothing is left.
    /// O(n) by selection (Math.NET's in-place median) rather than a sort: preparation takes one per feature.</summary>
    public static double Median(ReadOnlySpan<double> values) => Median(values, new ScratchBuffers());

    /// <summary>As <see cref="Median(ReadOnlySpan{double})"/>, selecting in <paramref name="scratch"/>'s second buffer.</summary>
    internal static double Median(ReadOnlySpan<double> values, ScratchBuffers scratch)
    {
        var finite = Finite(values, scratch);
        return finite.Length == 0 ? double.NaN : MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(finite);
    }

    /// <summary>The <paramref name="p"/>-quantile of already sorted values without NaN (type 7).</summary>
    public static double QuantileOfSorted(ReadOnlySpan<double> sorted, double p)
    {
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        var fraction = position - lower;
        return sorted[lower] + (fraction * (sorted[upper] - sorted[lower]));
    }

    /// <summary>Skewness (biased Fisher-Pearson) ignoring NaN.</summary>
    public static double Skewness(ReadOnlySpan<double> values) => MomentsOf(values).Skewness;

    /// <summary>The non-missing values, sorted ascending (a new array).</summary>
    public static double[] SortedFinite(ReadOnlySpan<double> values)
    {
        var result = Finite(values, new ScratchBuffers());
        Array.Sort(result);
        return result;
    }

    private static double[] Finite(ReadOnlySpan<double> values, ScratchBuffers scratch)
    {
        var count = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                count++;
            }
        }

        var result = scratch.Exactly(ScratchBuffers.Working, count);
        var i = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                result[i++] = v;
            }
        }

        return result;
    }
}

/// <summary>
/// Reusable working arrays for one worker that prepares features one after another. A million-row feature needs several 8 MB
/// working copies (its values, the finite values to select a median in, their logarithms); allocating them per feature left
/// about 300 MB of large-object garbage per analysis and raised the process's peak memory. Not thread-safe: one per worker.
/// </summary>
internal sealed class ScratchBuffers
{
    /// <summary>The buffer a feature's values are prepared in.</summary>
    public const int Values = 0;

    /// <summary>The buffer statistics work in (selection, transformed copies); never the one holding the values they read.</summary>
    public const int Working = 1;

    private readonly double[][] _buffers = [[], []];

    /// <summary>Buffer <paramref name="slot"/> with exactly <paramref name="length"/> elements (callers such as Math.NET's in-place
    /// median read the array's length): the array from the last call when the length matches, else a new one. Contents are undefined.</summary>
    public double[] Exactly(int slot, int length)
    {
        if (_buffers[slot].Length != length)
        {
            _buffers[slot] = new double[length];
        }

        return _buffers[slot];
    }
}
