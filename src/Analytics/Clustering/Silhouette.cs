using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>
/// Exact silhouette coefficients (Euclidean) for one or more labelings of the same rows.
/// The pairwise distances do not depend on the labels, so each distance is computed once and added to its cluster's sum
/// for every labeling: O(n² · (d + labelings)) time, O(n · labelings) memory.
/// </summary>
/// <remarks>
/// The kernel puts 16 anchor rows in the lanes of two vectors (read straight from the matrix's lane-major copy): for every other
/// row it computes the anchors' distances to it by direct differences, broadcasting each of the row's features once for both
/// vectors, and adds them to one small accumulator per cluster of each labeling, which stays in L1 cache.
/// Sums are flushed from single to double precision every 1,024 rows.
/// </remarks>
public static class Silhouette
{
    private const int FlushEvery = 1024;

    /// <summary>Lanes of one vector.</summary>
    private const int Width = FeatureMatrix.LaneWidth;

    /// <summary>Anchor rows per task: two vectors, so each broadcast row feature and each cluster index serves 16 anchors.</summary>
    private const int Anchors = 2 * Width;

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

        var blocks = (n + Anchors - 1) / Anchors;
        var options = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(
            0,
            blocks,
            options,
            () => new Scratch(layout.TotalClusters),
            (block, _, scratch) =>
            {
                AccumulateBlock(matrix, layout, block * Anchors, scratch);
                var count = Math.Min(Anchors, n - (block * Anchors));
                for (var lane = 0; lane < count; lane++)
                {
                    var row = (block * Anchors) + lane;
                    for (var l = 0; l < layout.Labelings; l++)
                    {
                        results[l][row] = layout.Score(l, row, scratch.Sums, lane, Anchors);
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

    /// <summary>For the anchor rows first..first+16, the sum of distances to every cluster of every labeling (lane = anchor).</summary>
    private static void AccumulateBlock(FeatureMatrix matrix, Layout layout, int first, Scratch scratch)
    {
        var n = matrix.Rows;
        var d = matrix.Columns;

        // The anchors are two consecutive blocks of the lane-major copy: feature c of anchors first..first+7 is one vector. A
        // second block past the end repeats the first; its sums are never read.
        var lanes = matrix.LaneBlocks;
        var firstBlock = first / Width;
        var secondBlock = Math.Min(firstBlock + 1, ((n + Width - 1) / Width) - 1);
        ref var anchors0 = ref Unsafe.AsRef(in lanes[firstBlock * d * Width]);
        ref var anchors1 = ref Unsafe.AsRef(in lanes[secondBlock * d * Width]);
        var partial = scratch.Partial;
        Array.Clear(partial);
        Array.Clear(scratch.Sums);
        ref var sums = ref MemoryMarshal.GetArrayDataReference(partial);
        var labelings = layout.Labelings;
        ref var index = ref MemoryMarshal.GetArrayDataReference(layout.Index);
        ref var values = ref MemoryMarshal.GetReference(matrix.Values);
        for (var j = 0; j < n; j++)
        {
            // 16 anchors against row j: each feature of the row is broadcast once and serves both anchor vectors.
            ref var row = ref Unsafe.Add(ref values, j * d);
            var squared0 = Vector256<float>.Zero;
            var squared1 = Vector256<float>.Zero;
            for (var c = 0; c < d; c++)
            {
                var x = Vector256.Create(Unsafe.Add(ref row, c));
                var delta0 = Vector256.LoadUnsafe(ref anchors0, (nuint)(c * Width)) - x;
                var delta1 = Vector256.LoadUnsafe(ref anchors1, (nuint)(c * Width)) - x;
                squared0 = MultiplyAdd(delta0, delta0, squared0);
                squared1 = MultiplyAdd(delta1, delta1, squared1);
            }

            var distance0 = Vector256.Sqrt(squared0);
            var distance1 = Vector256.Sqrt(squared1);
            ref var clusters = ref Unsafe.Add(ref index, j * labelings);
            for (var l = 0; l < labelings; l++)
            {
                ref var sum = ref Unsafe.Add(ref sums, 2 * Unsafe.Add(ref clusters, l));
                sum += distance0;
                Unsafe.Add(ref sum, 1) += distance1;
            }

            if ((j + 1) % FlushEvery == 0 || j == n - 1)
            {
                Flush(partial, scratch.Sums);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>Adds the single-precision partial sums (cluster-major, two anchor vectors each) to the double sums and clears them.</summary>
    private static void Flush(Vector256<float>[] partial, double[] sums)
    {
        for (var at = 0; at < partial.Length; at++)
        {
            var vector = partial[at];
            for (var lane = 0; lane < Width; lane++)
            {
                sums[(at * Width) + lane] += vector[lane];
            }

            partial[at] = Vector256<float>.Zero;
        }
    }

    private sealed class Scratch(int totalClusters)
    {
        /// <summary>Per cluster, two vectors: anchors 0..7 and 8..15.</summary>
        internal Vector256<float>[] Partial { get; } = new Vector256<float>[totalClusters * 2];

        /// <summary>Per cluster, the 16 anchors' sums: Sums[cluster × 16 + anchor].</summary>
        internal double[] Sums { get; } = new double[totalClusters * Anchors];
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

/// <summary>
/// Per-row values known only on a sample of rows, NaN elsewhere, as a read-only list over every row: the silhouettes of a large
/// table are estimated on a sample, and holding them as a full array per k cost 4 MB per k per million rows of NaN.
/// </summary>
internal sealed class SampledRowValues : IReadOnlyList<float>
{
    private readonly int[] _rows;
    private readonly float[] _values;

    /// <param name="count">Rows in the whole list.</param>
    /// <param name="rows">The sampled rows, strictly increasing (shared, not copied).</param>
    /// <param name="values">The value of each sampled row, in the same order.</param>
    public SampledRowValues(int count, int[] rows, float[] values)
    {
        if (rows.Length != values.Length)
        {
            throw new ArgumentException($"{rows.Length} rows but {values.Length} values.", nameof(values));
        }

        Count = count;
        _rows = rows;
        _values = values;
    }

    public int Count { get; }

    public float this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var found = Array.BinarySearch(_rows, index);
            return found >= 0 ? _values[found] : float.NaN;
        }
    }

    public IEnumerator<float> GetEnumerator()
    {
        var next = 0;
        for (var i = 0; i < Count; i++)
        {
            if (next < _rows.Length && _rows[next] == i)
            {
                yield return _values[next++];
            }
            else
            {
                yield return float.NaN;
            }
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
