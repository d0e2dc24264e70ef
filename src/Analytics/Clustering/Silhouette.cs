using System.Numerics;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>
/// Exact silhouette coefficients (Euclidean) for one or more labelings of the same rows.
/// The pairwise distances do not depend on the labels, so each distance is computed once and added to its cluster's sum
/// for every labeling: O(n² · (d + labelings)) time, O(n · labelings) memory.
/// </summary>
/// <remarks>
/// The kernel puts <see cref="Vector{T}.Count"/> anchor rows in the SIMD lanes: for every other row it computes the anchors'
/// distances to it as one vector and adds that vector to one small accumulator per labeling, which stays in L1 cache.
/// Sums are flushed from single to double precision every 1,024 rows.
/// </remarks>
public static class Silhouette
{
    private const int FlushEvery = 1024;

    /// <summary>The silhouette of every row under every labeling.</summary>
    /// <param name="matrix">The rows; all values finite.</param>
    /// <param name="labelings">Each labeling gives one 0-based cluster index per row.</param>
    /// <param name="cancellationToken">Checked between blocks of rows.</param>
    /// <returns>
    /// Per labeling, one value per row in [-1, 1]. A row alone in its cluster scores 0, as in Rousseeuw's definition;
    /// a labeling with fewer than 2 non-empty clusters scores NaN for every row.
    /// </returns>
    /// <exception cref="ArgumentException">A labeling does not have one non-negative label per row.</exception>
    public static float[][] PerRow(FeatureMatrix matrix, IReadOnlyList<int[]> labelings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(labelings);
        var n = matrix.Rows;
        var layout = new Layout(labelings, n);
        var results = new float[labelings.Count][];
        for (var l = 0; l < results.Length; l++)
        {
            results[l] = new float[n];
        }

        if (n == 0)
        {
            return results;
        }

        var width = Vector<float>.Count;
        var blocks = (n + width - 1) / width;
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(
            0,
            blocks,
            options,
            () => new Scratch(layout.TotalClusters, matrix.Columns),
            (block, _, scratch) =>
            {
                AccumulateBlock(matrix, layout, block * width, scratch);
                var count = Math.Min(width, n - (block * width));
                for (var lane = 0; lane < count; lane++)
                {
                    var row = (block * width) + lane;
                    for (var l = 0; l < layout.Labelings; l++)
                    {
                        results[l][row] = layout.Score(l, row, scratch.Sums, lane, width);
                    }
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

    /// <summary>For the anchor rows first..first+width, the sum of distances to every cluster of every labeling (lane = anchor).</summary>
    private static void AccumulateBlock(FeatureMatrix matrix, Layout layout, int first, Scratch scratch)
    {
        var n = matrix.Rows;
        var d = matrix.Columns;
        var width = Vector<float>.Count;
        var anchors = scratch.Anchors;
        Span<float> lanes = stackalloc float[width];
        for (var c = 0; c < d; c++)
        {
            for (var lane = 0; lane < width; lane++)
            {
                // Lanes past the last row repeat it; their sums are never read.
                lanes[lane] = matrix.Row(Math.Min(first + lane, n - 1))[c];
            }

            anchors[c] = new Vector<float>(lanes);
        }

        var partial = scratch.Partial;
        Array.Clear(partial);
        Array.Clear(scratch.Sums);
        var labelings = layout.Labelings;
        var index = layout.Index;
        var values = matrix.Values;
        for (var j = 0; j < n; j++)
        {
            var row = values.Slice(j * d, d);
            var squared = Vector<float>.Zero;
            for (var c = 0; c < d; c++)
            {
                var delta = anchors[c] - new Vector<float>(row[c]);
                squared += delta * delta;
            }

            var distance = Vector.SquareRoot(squared);
            var offset = j * labelings;
            for (var l = 0; l < labelings; l++)
            {
                partial[index[offset + l]] += distance;
            }

            if ((j + 1) % FlushEvery == 0 || j == n - 1)
            {
                Flush(partial, scratch.Sums, width);
            }
        }
    }

    private static void Flush(Vector<float>[] partial, double[] sums, int width)
    {
        for (var cluster = 0; cluster < partial.Length; cluster++)
        {
            var vector = partial[cluster];
            for (var lane = 0; lane < width; lane++)
            {
                sums[(cluster * width) + lane] += vector[lane];
            }

            partial[cluster] = Vector<float>.Zero;
        }
    }

    private sealed class Scratch(int totalClusters, int columns)
    {
        internal Vector<float>[] Anchors { get; } = new Vector<float>[columns];

        internal Vector<float>[] Partial { get; } = new Vector<float>[totalClusters];

        internal double[] Sums { get; } = new double[totalClusters * Vector<float>.Count];
    }

    /// <summary>The clusters of all labelings numbered together, and for each row its cluster in every labeling.</summary>
    private sealed class Layout
    {
        private readonly int[][] _labels;
        private readonly int[] _offsets;
        private readonly int[][] _sizes;

        internal Layout(IReadOnlyList<int[]> labelings, int n)
        {
            Labelings = labelings.Count;
            _labels = new int[Labelings][];
            _offsets = new int[Labelings];
            _sizes = new int[Labelings][];
            var total = 0;
            for (var l = 0; l < Labelings; l++)
            {
                var labels = labelings[l] ?? throw new ArgumentException("A labeling is null.", nameof(labelings));
                if (labels.Length != n)
                {
                    throw new ArgumentException($"A labeling has {labels.Length} labels for {n} rows.", nameof(labelings));
                }

                var k = 0;
                foreach (var label in labels)
                {
                    if (label < 0)
                    {
                        throw new ArgumentException("Labels must be non-negative.", nameof(labelings));
                    }

                    k = Math.Max(k, label + 1);
                }

                _labels[l] = labels;
                _offsets[l] = total;
                _sizes[l] = new int[k];
                foreach (var label in labels)
                {
                    _sizes[l][label]++;
                }

                total += k;
            }

            TotalClusters = total;
            Index = new int[n * Labelings];
            for (var j = 0; j < n; j++)
            {
                for (var l = 0; l < Labelings; l++)
                {
                    Index[(j * Labelings) + l] = _offsets[l] + _labels[l][j];
                }
            }
        }

        internal int Labelings { get; }

        internal int TotalClusters { get; }

        /// <summary>Row j's cluster in labeling l, numbered across all labelings: Index[j × labelings + l].</summary>
        internal int[] Index { get; }

        internal float Score(int l, int row, double[] sums, int lane, int width)
        {
            var sizes = _sizes[l];
            var occupied = 0;
            foreach (var size in sizes)
            {
                if (size > 0)
                {
                    occupied++;
                }
            }

            if (occupied < 2)
            {
                return float.NaN;
            }

            var own = _labels[l][row];
            if (sizes[own] <= 1)
            {
                return 0f;
            }

            var a = sums[((_offsets[l] + own) * width) + lane] / (sizes[own] - 1);
            var b = double.PositiveInfinity;
            for (var c = 0; c < sizes.Length; c++)
            {
                if (c != own && sizes[c] > 0)
                {
                    b = Math.Min(b, sums[((_offsets[l] + c) * width) + lane] / sizes[c]);
                }
            }

            var denominator = Math.Max(a, b);
            return denominator == 0 ? 0f : (float)((b - a) / denominator);
        }
    }
}
