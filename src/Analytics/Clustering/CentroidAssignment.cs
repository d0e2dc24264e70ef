using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>Assigns rows to their nearest centroid and measures the k-means objective.</summary>
public static class CentroidAssignment
{
    /// <summary>
    /// For every row, the index of the nearest centroid (ties go to the lower index) and the squared Euclidean distance to it.
    /// </summary>
    /// <param name="matrix">The rows; all values finite.</param>
    /// <param name="centroids">Row-major k × d centroids, d = <paramref name="matrix"/>.Columns.</param>
    /// <param name="labels">Receives one 0-based centroid index per row.</param>
    /// <param name="squaredDistances">Receives one squared distance per row.</param>
    /// <returns>The inertia: the sum of the squared distances, accumulated in double precision.</returns>
    /// <exception cref="ArgumentException">The centroid array is not a multiple of d, or the output spans are not one per row.</exception>
    public static double Assign(FeatureMatrix matrix, ReadOnlySpan<float> centroids, Span<int> labels, Span<float> squaredDistances)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var d = matrix.Columns;
        if (d == 0 || centroids.Length == 0 || centroids.Length % d != 0)
        {
            throw new ArgumentException($"Centroids must be a non-empty k × {d} array.", nameof(centroids));
        }

        if (labels.Length != matrix.Rows || squaredDistances.Length != matrix.Rows)
        {
            throw new ArgumentException("One label and one distance per row are required.", nameof(labels));
        }

        var k = centroids.Length / d;
        var inertia = 0.0;
        for (var i = 0; i < matrix.Rows; i++)
        {
            var row = matrix.Row(i);
            var best = 0;
            var bestDistance = float.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                var distance = KMeansKernel.SquaredDistance(row, centroids.Slice(c * d, d));
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = c;
                }
            }

            labels[i] = best;
            squaredDistances[i] = bestDistance;
            inertia += bestDistance;
        }

        return inertia;
    }

    /// <summary>The centroid (mean) of each cluster, row-major k × d; a cluster with no rows gets a row of NaN.</summary>
    /// <exception cref="ArgumentException">Labels are not one per row or fall outside [0, k).</exception>
    public static float[] Means(FeatureMatrix matrix, ReadOnlySpan<int> labels, int k)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (labels.Length != matrix.Rows)
        {
            throw new ArgumentException("One label per row is required.", nameof(labels));
        }

        var d = matrix.Columns;
        var sums = new double[k * d];
        var counts = new int[k];
        for (var i = 0; i < matrix.Rows; i++)
        {
            var label = labels[i];
            if ((uint)label >= (uint)k)
            {
                throw new ArgumentException($"Label {label} of row {i} is outside [0, {k}).", nameof(labels));
            }

            counts[label]++;
            var row = matrix.Row(i);
            for (var c = 0; c < d; c++)
            {
                sums[(label * d) + c] += row[c];
            }
        }

        var result = new float[k * d];
        for (var cluster = 0; cluster < k; cluster++)
        {
            for (var c = 0; c < d; c++)
            {
                result[(cluster * d) + c] = counts[cluster] == 0 ? float.NaN : (float)(sums[(cluster * d) + c] / counts[cluster]);
            }
        }

        return result;
    }
}
