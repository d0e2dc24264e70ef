namespace Segmentation.Analytics.Statistics;

/// <summary>A histogram: equal-width bins from <see cref="Edges"/>[0] to <see cref="Edges"/>[^1]; the last bin includes its upper edge.</summary>
/// <param name="Edges">Bin edges, one more than the counts.</param>
/// <param name="Counts">Values per bin.</param>
/// <param name="Missing">Values left out because they were missing.</param>
public sealed record Histogram(IReadOnlyList<double> Edges, IReadOnlyList<int> Counts, int Missing)
{
    /// <summary>The most bins a histogram gets, however many the rule asks for.</summary>
    public const int MaxBins = 60;

    /// <summary>
    /// Bins the non-missing values with the Freedman–Diaconis width 2·IQR·n^(−1/3) (Sturges' rule when the IQR is 0), capped at <see cref="MaxBins"/>.
    /// A constant column gets one bin; no values gives no bins.
    /// </summary>
    public static Histogram FreedmanDiaconis(ReadOnlySpan<double> values)
    {
        var sorted = Descriptive.SortedFinite(values);
        var missing = values.Length - sorted.Length;
        if (sorted.Length == 0)
        {
            return new Histogram([], [], missing);
        }

        double min = sorted[0], max = sorted[^1];
        if (!(max > min))
        {
            return new Histogram([min, max], [sorted.Length], missing);
        }

        var iqr = Descriptive.QuantileOfSorted(sorted, 0.75) - Descriptive.QuantileOfSorted(sorted, 0.25);
        int bins;
        if (iqr > 0)
        {
            var width = 2 * iqr / Math.Cbrt(sorted.Length);
            bins = (int)Math.Ceiling((max - min) / width);
        }
        else
        {
            bins = (int)Math.Ceiling(Math.Log2(sorted.Length)) + 1;
        }

        bins = Math.Clamp(bins, 1, MaxBins);
        var edges = new double[bins + 1];
        for (var b = 0; b <= bins; b++)
        {
            edges[b] = min + ((max - min) * b / bins);
        }

        var counts = new int[bins];
        foreach (var v in sorted)
        {
            var bin = (int)((v - min) / (max - min) * bins);
            counts[Math.Min(bin, bins - 1)]++;
        }

        return new Histogram(edges, counts, missing);
    }
}
