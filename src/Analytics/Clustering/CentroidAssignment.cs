using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>Assigns rows to their nearest centroid and measures the k-means objective.</summary>
public static class CentroidAssignment
{
    /// <summary>
    /// For every row, the index of the nearest centroid (ties go to the lower index) and the squared Euclidean distance to it, in
    /// single precision by direct differences, feature by feature in order. Training labels and a saved model's scoring both come from
    /// here, so a model gives its own rows their segments back exactly.
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
        if (labels.Length != matrix.Rows || squaredDistances.Length != matrix.Rows)
        {
            throw new ArgumentException("One label and one distance per row are required.", nameof(labels));
        }

        var labelArray = new int[matrix.Rows];
        var squaredArray = new float[matrix.Rows];
        var inertia = Assign(matrix, centroids, labelArray, squaredArray);
        labelArray.CopyTo(labels);
        squaredArray.CopyTo(squaredDistances);
        return inertia;
    }

    /// <summary>As <see cref="Assign(FeatureMatrix, ReadOnlySpan{float}, Span{int}, Span{float})"/>, written straight into the arrays
    /// (no copies: on a million rows each copy is 4 MB of large-object garbage per k).</summary>
    /// <exception cref="ArgumentException">The centroid array is not a multiple of d, or the arrays are not one per row.</exception>
    public static double Assign(FeatureMatrix matrix, ReadOnlySpan<float> centroids, int[] labels, float[] squaredDistances)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(squaredDistances);
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
        if (matrix.Rows == 0)
        {
            return 0;
        }

        // Eight rows per vector, direct differences, ties to the lower index; fixed blocks (in parallel on large data) whose
        // inertias are added in block order, so the result is the same on any core count.
        var blocks = (matrix.Rows + BlockRows - 1) / BlockRows;
        var partial = new double[blocks];
        var centres = centroids.ToArray();
        if (blocks > 1)
        {
            Parallel.For(0, blocks, b => partial[b] = AssignBlock(matrix, centres, k, labels, squaredDistances, b));
        }
        else
        {
            partial[0] = AssignBlock(matrix, centres, k, labels, squaredDistances, 0);
        }

        var inertia = 0.0;
        foreach (var value in partial)
        {
            inertia += value;
        }

        return inertia;
    }

    private const int BlockRows = 16_384;

    /// <summary>
    /// The Euclidean distance of every row to its assigned centroid: the square root of exactly the squared distance
    /// <see cref="Assign(FeatureMatrix, ReadOnlySpan{float}, int[], float[])"/> gave it (the same single-precision operations in the
    /// same order: direct differences, feature by feature, no fused multiply-add), read from the row-major values.
    /// </summary>
    internal static float[] DistancesToAssigned(FeatureMatrix matrix, float[] centroids, int[] labels)
    {
        var d = matrix.Columns;
        var distances = new float[matrix.Rows];
        var blocks = (matrix.Rows + BlockRows - 1) / BlockRows;
        Parallel.For(0, blocks, b =>
        {
            var end = Math.Min(matrix.Rows, (b + 1) * BlockRows);
            for (var i = b * BlockRows; i < end; i++)
            {
                var row = matrix.Row(i);
                var centre = centroids.AsSpan(labels[i] * d, d);
                var acc = 0f;
                for (var j = 0; j < d; j++)
                {
                    var diff = row[j] - centre[j];
                    acc += diff * diff;
                }

                distances[i] = MathF.Sqrt(acc);
            }
        });
        return distances;
    }

    /// <summary>
    /// Scoring from prepared columns (one single-precision array per feature): for every row its nearest centroid (ties to the lower
    /// index), the squared distance to it and to the second-nearest. The arithmetic of <see cref="Assign(FeatureMatrix, ReadOnlySpan{float}, int[], float[])"/> lane for lane (direct
    /// differences, feature by feature in order, no fused multiply-add), read straight from the columns instead of a row-major copy,
    /// so a model gives its own rows exactly the training labels and distances. Rows with a non-finite value get meaningless output:
    /// the caller leaves them out.
    /// </summary>
    internal static void AssignColumns(float[][] columns, int rows, ReadOnlySpan<float> centroids, int[] labels, float[] best, float[] second)
    {
        var d = columns.Length;
        var k = centroids.Length / d;
        var centres = centroids.ToArray();
        var blocks = (rows + BlockRows - 1) / BlockRows;
        Parallel.For(0, blocks, block =>
        {
            var start = block * BlockRows;
            var end = Math.Min(rows, start + BlockRows);
            var row0 = start;
            for (; row0 + 8 <= end; row0 += 8)
            {
                var first = Vector256.Create(float.PositiveInfinity);
                var next = first;
                var label = Vector256<int>.Zero;
                for (var c = 0; c < k; c++)
                {
                    var acc = Vector256<float>.Zero;
                    for (var j = 0; j < d; j++)
                    {
                        var diff = Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(columns[j]), (nuint)row0) - Vector256.Create(centres[(c * d) + j]);
                        acc += diff * diff;
                    }

                    var closer = Vector256.LessThan(acc, first);
                    var second = Vector256.LessThan(acc, next);
                    next = Vector256.ConditionalSelect(closer, first, Vector256.ConditionalSelect(second, acc, next));
                    first = Vector256.ConditionalSelect(closer, acc, first);
                    label = Vector256.ConditionalSelect(closer.AsInt32(), Vector256.Create(c), label);
                }

                label.CopyTo(labels.AsSpan(row0, 8));
                first.CopyTo(best.AsSpan(row0, 8));
                next.CopyTo(second.AsSpan(row0, 8));
            }

            for (; row0 < end; row0++)
            {
                var (first, next, label) = (float.PositiveInfinity, float.PositiveInfinity, 0);
                for (var c = 0; c < k; c++)
                {
                    var acc = 0f;
                    for (var j = 0; j < d; j++)
                    {
                        var diff = columns[j][row0] - centres[(c * d) + j];
                        acc += diff * diff;
                    }

                    if (acc < first)
                    {
                        (next, first, label) = (first, acc, c);
                    }
                    else if (acc < next)
                    {
                        next = acc;
                    }
                }

                (labels[row0], best[row0], second[row0]) = (label, first, next);
            }
        });
    }

    private static double AssignBlock(FeatureMatrix matrix, float[] centres, int k, int[] labels, float[] squared, int block)
    {
        var d = matrix.Columns;
        var start = block * BlockRows;
        var end = Math.Min(matrix.Rows, start + BlockRows);
        ref var lanes = ref MemoryMarshal.GetReference(matrix.LaneBlocks);
        ref var centre0 = ref MemoryMarshal.GetArrayDataReference(centres);
        Span<float> bestDistances = stackalloc float[8];
        Span<int> bestLabels = stackalloc int[8];
        var inertia = 0.0;
        for (var row0 = start; row0 < end; row0 += 8)
        {
            ref var laneBlock = ref Unsafe.Add(ref lanes, row0 * d);
            var best = Vector256.Create(float.PositiveInfinity);
            var bestLabel = Vector256<int>.Zero;
            for (var c = 0; c < k; c++)
            {
                ref var centre = ref Unsafe.Add(ref centre0, c * d);
                var acc = Vector256<float>.Zero;
                for (var j = 0; j < d; j++)
                {
                    var diff = Vector256.LoadUnsafe(ref laneBlock, (nuint)(j * 8)) - Vector256.Create(Unsafe.Add(ref centre, j));
                    acc += diff * diff;
                }

                var closer = Vector256.LessThan(acc, best);
                best = Vector256.ConditionalSelect(closer, acc, best);
                bestLabel = Vector256.ConditionalSelect(closer.AsInt32(), Vector256.Create(c), bestLabel);
            }

            best.CopyTo(bestDistances);
            bestLabel.CopyTo(bestLabels);
            var count = Math.Min(8, end - row0);
            for (var lane = 0; lane < count; lane++)
            {
                labels[row0 + lane] = bestLabels[lane];
                squared[row0 + lane] = bestDistances[lane];
                inertia += bestDistances[lane];
            }
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
