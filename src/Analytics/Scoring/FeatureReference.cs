using System.Runtime.Intrinsics;
using Segmentation.Analytics.Statistics;

namespace Segmentation.Analytics.Scoring;

/// <summary>
/// How one feature was distributed in the training rows, before preparation: the median, the decile edges and the share of rows in
/// each bin they make, and the share of missing values. A model keeps one per feature, so new data can be compared with the data it
/// was fitted on (population stability index) without the training file.
/// </summary>
/// <param name="Name">The feature (a column of the data, or one the model makes).</param>
/// <param name="Median">The median of the known values.</param>
/// <param name="Edges">Increasing bin edges: a value v is in the first bin i with v ≤ Edges[i], or in the last bin.</param>
/// <param name="Shares">The share of known values in each bin: Edges.Count + 1 values summing to 1.</param>
/// <param name="MissingShare">The share of rows without a value.</param>
/// <param name="Mean">The mean of the known values.</param>
/// <param name="Sd">Their population standard deviation (0 when absent: a model made before the mean was kept).</param>
public sealed record FeatureReference(string Name, double Median, IReadOnlyList<double> Edges, IReadOnlyList<double> Shares, double MissingShare, double Mean = 0, double Sd = 0)
{
    /// <summary>Deciles: at most ten bins (fewer where many values are equal, e.g. a feature that is mostly 0).</summary>
    public const int MaxBins = 10;

    /// <summary>The share that stands in for an empty bin, so the index stays finite (the usual convention).</summary>
    public const double EmptyBinShare = 1e-4;

    /// <summary>Whether the record is usable (a damaged model file's entry is dropped, not trusted).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsValid => !string.IsNullOrEmpty(Name) && Edges is not null && Shares is not null && Shares.Count == Edges.Count + 1
        && double.IsFinite(Median) && MissingShare is >= 0 and <= 1;

    /// <summary>Fits the reference on the training values (NaN is missing).</summary>
    public static FeatureReference Fit(string name, ReadOnlySpan<double> values)
    {
        var sorted = Descriptive.SortedFinite(values);
        if (sorted.Length == 0)
        {
            return new FeatureReference(name, 0, [], [0], 1);
        }

        var moments = Descriptive.MomentsOf(sorted);

        var edges = new List<double>();
        for (var q = 1; q < MaxBins; q++)
        {
            var edge = Descriptive.QuantileOfSorted(sorted, q / (double)MaxBins);
            if (edge < sorted[^1] && (edges.Count == 0 || edge > edges[^1]))
            {
                edges.Add(edge);
            }
        }

        var reference = new FeatureReference(name, Descriptive.QuantileOfSorted(sorted, 0.5), edges, [], 1 - (sorted.Length / (double)values.Length), moments.Mean, moments.PopulationStandardDeviation);
        return reference with { Shares = reference.SharesOf(sorted).Shares };
    }

    /// <summary>The bin shares and missing share of <paramref name="values"/> on this reference's edges.</summary>
    public (double[] Shares, double MissingShare) SharesOf(ReadOnlySpan<double> values)
    {
        var counts = new double[Edges.Count + 1];
        var known = 0;
        foreach (var value in values)
        {
            if (!double.IsFinite(value))
            {
                continue;
            }

            known++;
            counts[Bin(value)]++;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = known == 0 ? 0 : counts[i] / known;
        }

        return (counts, values.Length == 0 ? 0 : 1 - (known / (double)values.Length));
    }

    /// <summary>The population stability index of <paramref name="values"/> against the training rows: Σ (actual − expected) ·
    /// ln(actual / expected) over the bins, with the missing values as one more bin; under 0.1 stable, 0.1–0.25 a moderate shift,
    /// over 0.25 a significant one.</summary>
    public double Psi(ReadOnlySpan<double> values)
    {
        var (shares, missing) = SharesOf(values);
        return Psi(shares, missing);
    }

    /// <summary>Adds the values to running bin counts (<see cref="Edges"/>.Count + 1 of them); returns how many were missing.</summary>
    public long CountInto(ReadOnlySpan<double> values, long[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var edges = Edges as double[] ?? Edges.ToArray();
        long missing = 0;
        var start = 0;
        if (Vector256.IsHardwareAccelerated && edges.Length > 0)
        {
            // Four values at a time: the bin is the number of edges below the value (each comparison's mask is −1 where true).
            var lanes = edges.Select(Vector256.Create).ToArray();
            Span<long> bins = stackalloc long[Vector256<double>.Count];
            for (; start + Vector256<double>.Count <= values.Length; start += Vector256<double>.Count)
            {
                var v = Vector256.Create(values.Slice(start, Vector256<double>.Count));
                var finite = Vector256.Equals(v - v, Vector256<double>.Zero);
                var below = Vector256<long>.Zero;
                foreach (var edge in lanes)
                {
                    below -= Vector256.GreaterThan(v, edge).AsInt64();
                }

                below.CopyTo(bins);
                var mask = finite.ExtractMostSignificantBits();
                for (var lane = 0; lane < Vector256<double>.Count; lane++)
                {
                    if ((mask & (1u << lane)) != 0)
                    {
                        counts[bins[lane]]++;
                    }
                    else
                    {
                        missing++;
                    }
                }
            }
        }

        foreach (var value in values[start..])
        {
            if (!double.IsFinite(value))
            {
                missing++;
                continue;
            }

            // The bin is the number of edges below the value (v ≤ edge i puts it in bin i), counted without branches.
            var low = 0;
            foreach (var edge in edges)
            {
                low += value > edge ? 1 : 0;
            }

            counts[low]++;
        }

        return missing;
    }

    /// <summary>The index from bin counts gathered with <see cref="CountInto"/> (for sources scored block by block).</summary>
    public double Psi(IReadOnlyList<long> counts, long missing)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var known = counts.Sum();
        var total = known + missing;
        var shares = counts.Select(c => known == 0 ? 0 : c / (double)known).ToArray();
        return Psi(shares, total == 0 ? 0 : missing / (double)total);
    }

    private double Psi(double[] shares, double missing)
    {
        var psi = 0.0;
        for (var i = 0; i < shares.Length; i++)
        {
            psi += Term(Shares[i] * (1 - MissingShare), shares[i] * (1 - missing));
        }

        if (MissingShare > 0 || missing > 0)
        {
            psi += Term(MissingShare, missing);
        }

        return psi;
    }

    private static double Term(double expected, double actual)
    {
        var e = Math.Max(expected, EmptyBinShare);
        var a = Math.Max(actual, EmptyBinShare);
        return (a - e) * Math.Log(a / e);
    }

    private int Bin(double value)
    {
        // Binary search over the edges: the first edge ≥ value.
        var (low, high) = (0, Edges.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (value <= Edges[middle])
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }
}
