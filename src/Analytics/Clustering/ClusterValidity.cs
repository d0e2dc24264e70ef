using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>Calinski-Harabasz and Davies-Bouldin indices of a labeling, in O(n · k · d), with cluster means as centroids.</summary>
public static class ClusterValidity
{
    /// <summary>
    /// Calinski-Harabasz index: between-cluster dispersion over within-cluster dispersion, each divided by its degrees of freedom.
    /// Higher is better. NaN when there are fewer than 2 non-empty clusters or no more rows than clusters; +∞ when every row sits on its centroid.
    /// </summary>
    public static double CalinskiHarabasz(FeatureMatrix matrix, int[] labels) => Both(matrix, labels).CalinskiHarabasz;

    /// <summary>
    /// Davies-Bouldin index: the mean over clusters of the worst ratio of summed scatter (mean distance to the centroid)
    /// to centroid separation. Lower is better; 0 is the minimum. NaN with fewer than 2 non-empty clusters.
    /// </summary>
    public static double DaviesBouldin(FeatureMatrix matrix, int[] labels) => Both(matrix, labels).DaviesBouldin;

    /// <summary>Both indices from one pass over the rows for the cluster means and one for the distances to them (each index alone
    /// needs the same two passes). <paramref name="columnMeans"/> (from <see cref="FeatureMatrix.ColumnMeans"/>) can be given when
    /// several labelings of the same matrix are measured, so it is computed once.</summary>
    public static (double CalinskiHarabasz, double DaviesBouldin) Both(FeatureMatrix matrix, int[] labels, double[]? columnMeans = null)
    {
        var (means, counts, k) = ClusterMeans(matrix, labels);
        var n = matrix.Rows;
        var d = matrix.Columns;
        var occupied = counts.Count(c => c > 0);
        if (occupied < 2)
        {
            return (double.NaN, double.NaN);
        }

        // The squared distance of each row to its cluster's mean: summed for the within dispersion, rooted for the scatter.
        var within = 0.0;
        var scatter = new double[k];
        for (var i = 0; i < n; i++)
        {
            var row = matrix.Row(i);
            var offset = labels[i] * d;
            var squared = 0.0;
            for (var c = 0; c < d; c++)
            {
                var delta = row[c] - means[offset + c];
                squared += delta * delta;
            }

            within += squared;
            scatter[labels[i]] += Math.Sqrt(squared);
        }

        var calinskiHarabasz = n <= occupied ? double.NaN : CalinskiHarabaszFrom(means, counts, columnMeans ?? matrix.ColumnMeans(), within, n, occupied);
        return (calinskiHarabasz, DaviesBouldinFrom(means, counts, scatter, d, occupied));
    }

    private static double CalinskiHarabaszFrom(double[] means, int[] counts, double[] overall, double within, int n, int occupied)
    {
        var d = overall.Length;
        var between = 0.0;
        for (var cluster = 0; cluster < counts.Length; cluster++)
        {
            if (counts[cluster] == 0)
            {
                continue;
            }

            var squared = 0.0;
            for (var c = 0; c < d; c++)
            {
                var delta = means[(cluster * d) + c] - overall[c];
                squared += delta * delta;
            }

            between += counts[cluster] * squared;
        }

        return within == 0 ? double.PositiveInfinity : between * (n - occupied) / (within * (occupied - 1));
    }

    private static double DaviesBouldinFrom(double[] means, int[] counts, double[] scatter, int d, int occupied)
    {
        var k = counts.Length;
        for (var cluster = 0; cluster < k; cluster++)
        {
            scatter[cluster] = counts[cluster] == 0 ? 0 : scatter[cluster] / counts[cluster];
        }

        var total = 0.0;
        for (var a = 0; a < k; a++)
        {
            if (counts[a] == 0)
            {
                continue;
            }

            var worst = 0.0;
            for (var b = 0; b < k; b++)
            {
                if (b == a || counts[b] == 0)
                {
                    continue;
                }

                var separation = 0.0;
                for (var c = 0; c < d; c++)
                {
                    var delta = means[(a * d) + c] - means[(b * d) + c];
                    separation += delta * delta;
                }

                separation = Math.Sqrt(separation);
                var ratio = separation == 0 ? double.PositiveInfinity : (scatter[a] + scatter[b]) / separation;
                worst = Math.Max(worst, ratio);
            }

            total += worst;
        }

        return total / occupied;
    }

    private static (double[] Means, int[] Counts, int K) ClusterMeans(FeatureMatrix matrix, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != matrix.Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {matrix.Rows} rows.", nameof(labels));
        }

        var k = labels.Length == 0 ? 0 : labels.Max() + 1;
        if (labels.Length > 0 && labels.Min() < 0)
        {
            throw new ArgumentException("Labels must be non-negative.", nameof(labels));
        }

        var d = matrix.Columns;
        var means = new double[k * d];
        var counts = new int[k];
        for (var i = 0; i < matrix.Rows; i++)
        {
            var row = matrix.Row(i);
            var offset = labels[i] * d;
            counts[labels[i]]++;
            for (var c = 0; c < d; c++)
            {
                means[offset + c] += row[c];
            }
        }

        for (var cluster = 0; cluster < k; cluster++)
        {
            for (var c = 0; c < d; c++)
            {
                if (counts[cluster] > 0)
                {
                    means[(cluster * d) + c] /= counts[cluster];
                }
            }
        }

        return (means, counts, k);
    }
}
