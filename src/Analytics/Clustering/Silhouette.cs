using System.Numerics.Tensors;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>
/// Exact silhouette coefficients (Euclidean) for one or more labelings of the same rows.
/// The pairwise distances do not depend on the labels, so each row's distances to all others are computed once
/// and summed per cluster for every labeling: O(n² · (d + labelings)) time, O(n · labelings) memory.
/// </summary>
public static class Silhouette
{
    /// <summary>The silhouette of every row under every labeling.</summary>
    /// <param name="matrix">The rows; all values finite.</param>
    /// <param name="labelings">Each labeling gives one 0-based cluster index per row.</param>
    /// <param name="cancellationToken">Checked between rows.</param>
    /// <returns>
    /// Per labeling, one value per row in [-1, 1]. A row alone in its cluster scores 0, as in Rousseeuw's definition;
    /// a labeling with fewer than 2 clusters scores NaN for every row.
    /// </returns>
    /// <exception cref="ArgumentException">A labeling does not have one non-negative label per row.</exception>
    public static float[][] PerRow(FeatureMatrix matrix, IReadOnlyList<int[]> labelings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(labelings);
        var n = matrix.Rows;
        var plans = new LabelPlan[labelings.Count];
        for (var l = 0; l < plans.Length; l++)
        {
            plans[l] = LabelPlan.Create(labelings[l], n);
        }

        var results = new float[plans.Length][];
        for (var l = 0; l < results.Length; l++)
        {
            results[l] = new float[n];
        }

        if (n == 0)
        {
            return results;
        }

        var columns = matrix.ToColumnMajor();
        var d = matrix.Columns;
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(
            0,
            n,
            options,
            () => new Scratch(n, plans),
            (i, _, scratch) =>
            {
                var distances = scratch.Distances;
                Array.Clear(distances);
                var row = matrix.Row(i);
                for (var c = 0; c < d; c++)
                {
                    var column = columns.AsSpan(c * n, n);
                    TensorPrimitives.Subtract(column, row[c], scratch.Difference);
                    TensorPrimitives.MultiplyAdd(scratch.Difference, scratch.Difference, distances, distances);
                }

                TensorPrimitives.Sqrt(distances, distances);
                for (var l = 0; l < plans.Length; l++)
                {
                    results[l][i] = plans[l].Score(i, distances, scratch.ClusterSums[l]);
                }

                return scratch;
            },
            _ => { });
        return results;
    }

    /// <summary>The mean silhouette of a labeling (NaN with fewer than 2 clusters or no rows).</summary>
    public static double Mean(FeatureMatrix matrix, int[] labels, CancellationToken cancellationToken = default)
    {
        var perRow = PerRow(matrix, [labels], cancellationToken)[0];
        return MeanOf(perRow);
    }

    /// <summary>The mean of per-row silhouettes in double precision, ignoring NaN (NaN when all are NaN).</summary>
    public static double MeanOf(ReadOnlySpan<float> values)
    {
        var sum = 0.0;
        var count = 0;
        foreach (var value in values)
        {
            if (!float.IsNaN(value))
            {
                sum += value;
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    private sealed class Scratch
    {
        internal Scratch(int n, LabelPlan[] plans)
        {
            Distances = new float[n];
            Difference = new float[n];
            ClusterSums = new double[plans.Length][];
            for (var l = 0; l < plans.Length; l++)
            {
                ClusterSums[l] = new double[plans[l].ClusterCount];
            }
        }

        internal float[] Distances { get; }

        internal float[] Difference { get; }

        internal double[][] ClusterSums { get; }
    }

    /// <summary>The rows of one labeling sorted by cluster, so a cluster's distances are summed by one gather over a range.</summary>
    private sealed class LabelPlan
    {
        private readonly int[] _labels;
        private readonly int[] _order;
        private readonly int[] _starts;

        private LabelPlan(int[] labels, int[] order, int[] starts)
        {
            _labels = labels;
            _order = order;
            _starts = starts;
        }

        internal int ClusterCount => _starts.Length - 1;

        internal static LabelPlan Create(int[] labels, int n)
        {
            ArgumentNullException.ThrowIfNull(labels);
            if (labels.Length != n)
            {
                throw new ArgumentException($"A labeling has {labels.Length} labels for {n} rows.", nameof(labels));
            }

            var k = 0;
            foreach (var label in labels)
            {
                if (label < 0)
                {
                    throw new ArgumentException("Labels must be non-negative.", nameof(labels));
                }

                k = Math.Max(k, label + 1);
            }

            var starts = new int[k + 1];
            foreach (var label in labels)
            {
                starts[label + 1]++;
            }

            for (var c = 0; c < k; c++)
            {
                starts[c + 1] += starts[c];
            }

            var order = new int[n];
            var next = starts[..k];
            for (var i = 0; i < n; i++)
            {
                order[next[labels[i]]++] = i;
            }

            return new LabelPlan(labels, order, starts);
        }

        internal float Score(int row, ReadOnlySpan<float> distances, double[] sums)
        {
            var own = _labels[row];
            var occupied = 0;
            for (var c = 0; c < sums.Length; c++)
            {
                var size = _starts[c + 1] - _starts[c];
                if (size > 0)
                {
                    occupied++;
                }

                sums[c] = GatherSum(distances, _order.AsSpan(_starts[c], size));
            }

            if (occupied < 2)
            {
                return float.NaN;
            }

            var ownSize = _starts[own + 1] - _starts[own];
            if (ownSize <= 1)
            {
                return 0f;
            }

            var a = sums[own] / (ownSize - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < sums.Length; c++)
            {
                var size = _starts[c + 1] - _starts[c];
                if (c != own && size > 0)
                {
                    b = Math.Min(b, sums[c] / size);
                }
            }

            var denominator = Math.Max(a, b);
            return denominator == 0 ? 0f : (float)((b - a) / denominator);
        }

        private static double GatherSum(ReadOnlySpan<float> values, ReadOnlySpan<int> indices)
        {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            var i = 0;
            for (; i + 4 <= indices.Length; i += 4)
            {
                s0 += values[indices[i]];
                s1 += values[indices[i + 1]];
                s2 += values[indices[i + 2]];
                s3 += values[indices[i + 3]];
            }

            for (; i < indices.Length; i++)
            {
                s0 += values[indices[i]];
            }

            return s0 + s1 + s2 + s3;
        }
    }
}
