using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>The outcome of one k-means fit.</summary>
/// <param name="Centroids">Row-major k × d centroids in the matrix's units.</param>
/// <param name="Inertia">Sum of squared distances of rows to their nearest centroid.</param>
/// <param name="Iterations">Lloyd passes run.</param>
public readonly record struct KMeansFit(float[] Centroids, double Inertia, int Iterations);

/// <summary>
/// Our own k-means: Lloyd passes with SIMD distances, greedy k-means++ initialisation and a warm start from a (k − 1) solution.
/// Written here rather than taken from ML.NET because ML.NET's per-fit set-up and per-pass cost (about 10× a plain SIMD loop at
/// d = 17) made the sweep's speed goal unreachable (DESIGN.md §4).
/// </summary>
/// <remarks>
/// <para>Eight rows sit in the lanes of one vector (<see cref="FeatureMatrix.LaneBlocks"/>): for each centre the kernel accumulates
/// the eight squared distances by direct differences (no ‖x‖² + ‖c‖² − 2x·c cancellation) and keeps the lane-wise minimum with a
/// strict comparison, so ties go to the lower centre index, as in a scalar scan.</para>
/// <para>Every fit is deterministic for its <see cref="Random"/>: rows are processed in fixed blocks of <see cref="BlockRows"/> whose
/// partial sums are reduced in block order, so the result is the same on any number of cores, whether or not blocks run in
/// parallel. An empty cluster is re-seeded from the row farthest from its centre.</para>
/// </remarks>
public static class KMeansKernel
{
    /// <summary>Rows per block of a Lloyd pass: the unit of parallelism and of the ordered reduction (a multiple of 8).</summary>
    public const int BlockRows = 4096;

    /// <summary>Lloyd passes at most.</summary>
    public const int MaxIterations = 300;

    /// <summary>Convergence: stop when the centres' total squared shift is at most this share of the mean feature variance (scikit-learn's rule).</summary>
    public const double Tolerance = 1e-4;

    private const int Lanes = FeatureMatrix.LaneWidth;

    /// <summary>Blocks run in parallel only from this many rows; below it one thread is faster.</summary>
    private const int ParallelFromRows = 4 * BlockRows;

    /// <summary>Greedy k-means++ centres: the first uniformly at random, each next one the best of 2 + ⌊ln k⌋ D²-sampled candidates
    /// (the one that lowers the potential most).</summary>
    /// <exception cref="ArgumentException">k is not in [1, rows].</exception>
    public static float[] KMeansPlusPlus(FeatureMatrix matrix, int k, Random random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(random);
        CheckK(matrix, k);
        var d = matrix.Columns;
        var centres = new float[k * d];
        matrix.Row(random.Next(matrix.Rows)).CopyTo(centres.AsSpan(0, d));
        var closest = new float[matrix.Rows];
        DistancesTo(matrix, centres.AsSpan(0, d), closest);
        AddCentres(matrix, centres, 1, k, closest, random, cancellationToken);
        return centres;
    }

    /// <summary>A warm start for k from a (k − 1) solution: its centres plus one new centre, the best of 2 + ⌊ln k⌋ D²-sampled candidates.</summary>
    /// <exception cref="ArgumentException">The previous centres are not a non-empty multiple of d, or k would exceed the rows.</exception>
    public static float[] WarmStart(FeatureMatrix matrix, ReadOnlySpan<float> previous, Random random, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(random);
        var d = matrix.Columns;
        CheckCentres(previous, d);
        var have = previous.Length / d;
        var k = have + 1;
        CheckK(matrix, k);
        var centres = new float[k * d];
        previous.CopyTo(centres);
        var closest = new float[matrix.Rows];
        var other = new float[matrix.Rows];
        DistancesTo(matrix, centres.AsSpan(0, d), closest);
        for (var c = 1; c < have; c++)
        {
            DistancesTo(matrix, centres.AsSpan(c * d, d), other);
            for (var i = 0; i < closest.Length; i++)
            {
                closest[i] = Math.Min(closest[i], other[i]);
            }
        }

        AddCentres(matrix, centres, have, k, closest, random, cancellationToken);
        return centres;
    }

    /// <summary>Warm starts for k from a (k + 1) solution: its centres with a pair merged, one start for each of the
    /// <paramref name="count"/> pairs whose merge raises the inertia least (Ward's criterion n_a·n_b / (n_a + n_b) · ‖c_a − c_b‖², with
    /// cluster sizes from a nearest-centre assignment), cheapest first.</summary>
    /// <exception cref="ArgumentException">The centres are not a multiple of d, or fewer than 2.</exception>
    public static IReadOnlyList<float[]> MergeStarts(FeatureMatrix matrix, ReadOnlySpan<float> above, int count)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var d = matrix.Columns;
        CheckCentres(above, d);
        var have = above.Length / d;
        if (have < 2)
        {
            throw new ArgumentException("Merging needs at least 2 centres.", nameof(above));
        }

        var labels = new int[matrix.Rows];
        CentroidAssignment.Assign(matrix, above, labels, new float[matrix.Rows]);
        var sizes = new double[have];
        foreach (var label in labels)
        {
            sizes[label]++;
        }

        var pairs = new List<(double Cost, int First, int Second)>();
        for (var a = 0; a < have; a++)
        {
            for (var b = a + 1; b < have; b++)
            {
                var weight = sizes[a] + sizes[b] == 0 ? 0 : sizes[a] * sizes[b] / (sizes[a] + sizes[b]);
                pairs.Add((weight * SquaredDistance(above.Slice(a * d, d), above.Slice(b * d, d)), a, b));
            }
        }

        // Stable order: by cost, then by pair, so equal costs never depend on anything but the centres.
        pairs.Sort((x, y) => x.Cost != y.Cost ? x.Cost.CompareTo(y.Cost) : x.First != y.First ? x.First.CompareTo(y.First) : x.Second.CompareTo(y.Second));
        var result = new List<float[]>();
        foreach (var (_, first, second) in pairs.Take(Math.Max(1, count)))
        {
            result.Add(Merge(above, d, sizes, first, second));
        }

        return result;
    }

    private static float[] Merge(ReadOnlySpan<float> above, int d, double[] sizes, int first, int second)
    {
        var have = above.Length / d;
        var centres = new float[(have - 1) * d];
        var at = 0;
        for (var c = 0; c < have; c++)
        {
            if (c == second)
            {
                continue;
            }

            var target = centres.AsSpan(at * d, d);
            above.Slice(c * d, d).CopyTo(target);
            if (c == first && sizes[first] + sizes[second] > 0)
            {
                var wa = sizes[first] / (sizes[first] + sizes[second]);
                for (var j = 0; j < d; j++)
                {
                    target[j] = (float)((wa * above[(first * d) + j]) + ((1 - wa) * above[(second * d) + j]));
                }
            }

            at++;
        }

        return centres;
    }

    /// <summary>Runs Lloyd passes from <paramref name="initial"/> until no label changes, the centres stop moving (see
    /// <see cref="Tolerance"/>), or <paramref name="maxIterations"/> passes.</summary>
    /// <param name="matrix">The rows; all values finite.</param>
    /// <param name="initial">Row-major k × d starting centres (not modified).</param>
    /// <param name="maxIterations">Upper bound on Lloyd passes (at least 1).</param>
    /// <param name="cancellationToken">Checked before every pass.</param>
    /// <returns>Centres, with the labels and inertia of the last assignment pass belonging to exactly those centres.</returns>
    /// <exception cref="ArgumentException">The centres are not a non-empty multiple of d.</exception>
    public static KMeansFit Lloyd(FeatureMatrix matrix, ReadOnlySpan<float> initial, int maxIterations = MaxIterations, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var d = matrix.Columns;
        CheckCentres(initial, d);
        var k = initial.Length / d;
        var n = matrix.Rows;
        var centres = initial.ToArray();
        var labels = new int[n];
        Array.Fill(labels, -1);
        var tolerance = Tolerance * matrix.MeanVariance;
        var blocks = (n + BlockRows - 1) / BlockRows;
        var partial = new BlockSums[blocks];
        for (var b = 0; b < blocks; b++)
        {
            partial[b] = new BlockSums(k, d);
        }

        var sums = new double[k * d];
        var counts = new int[k];
        var scaled = new ScaledCentres(k, d);
        var iterations = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var changed = AssignPass(matrix, centres, scaled, labels, partial);
            iterations++;
            if (changed == 0 || iterations >= Math.Max(1, maxIterations))
            {
                break;
            }

            Accumulate(partial, sums, counts);
            var shift = Update(matrix, centres, sums, counts, labels);
            if (shift <= tolerance)
            {
                // Centres barely moved: one more assignment so labels and inertia belong to these centres.
                AssignPass(matrix, centres, scaled, labels, partial);
                break;
            }
        }

        // The passes scored with ‖c‖² − 2x·c; the objective is summed from direct differences, free of cancellation.
        var inertia = 0.0;
        var values = matrix.Values;
        for (var i = 0; i < n; i++)
        {
            inertia += SquaredDistance(values.Slice(i * d, d), centres.AsSpan(labels[i] * d, d));
        }

        return new KMeansFit(centres, inertia, iterations);
    }

    /// <summary>The squared Euclidean distance of two equal-length vectors, with SIMD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var i = 0;
        var sum = Vector256<float>.Zero;
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var diff = Vector256.LoadUnsafe(ref ra, (nuint)i) - Vector256.LoadUnsafe(ref rb, (nuint)i);
            sum += diff * diff;
        }

        var total = Vector256.Sum(sum);
        for (; i < a.Length; i++)
        {
            var diff = Unsafe.Add(ref ra, i) - Unsafe.Add(ref rb, i);
            total += diff * diff;
        }

        return total;
    }

    /// <summary>The squared distance of every row to <paramref name="centre"/>.</summary>
    internal static void DistancesTo(FeatureMatrix matrix, ReadOnlySpan<float> centre, Span<float> output)
    {
        var d = matrix.Columns;
        ref var lanes = ref MemoryMarshal.GetReference(matrix.LaneBlocks);
        ref var c = ref MemoryMarshal.GetReference(centre);
        Span<float> buffer = stackalloc float[Lanes];
        var blocks = (matrix.Rows + Lanes - 1) / Lanes;
        for (var b = 0; b < blocks; b++)
        {
            ref var block = ref Unsafe.Add(ref lanes, b * d * Lanes);
            var acc = Vector256<float>.Zero;
            for (var j = 0; j < d; j++)
            {
                var diff = Vector256.LoadUnsafe(ref block, (nuint)(j * Lanes)) - Vector256.Create(Unsafe.Add(ref c, j));
                acc = MultiplyAdd(diff, diff, acc);
            }

            var row = b * Lanes;
            if (row + Lanes <= output.Length)
            {
                acc.StoreUnsafe(ref MemoryMarshal.GetReference(output), (nuint)row);
            }
            else
            {
                acc.CopyTo(buffer);
                buffer[..(output.Length - row)].CopyTo(output[row..]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    private static void CheckCentres(ReadOnlySpan<float> centres, int d)
    {
        if (d == 0 || centres.Length == 0 || centres.Length % d != 0)
        {
            throw new ArgumentException($"Centres must be a non-empty k × {d} array.", nameof(centres));
        }
    }

    private static void CheckK(FeatureMatrix matrix, int k)
    {
        if (k < 1 || k > matrix.Rows)
        {
            throw new ArgumentException($"k must be between 1 and the {matrix.Rows} rows; got {k}.", nameof(k));
        }
    }

    private static void AddCentres(FeatureMatrix matrix, float[] centres, int have, int k, float[] closest, Random random, CancellationToken cancellationToken)
    {
        var d = matrix.Columns;
        var n = matrix.Rows;
        var candidates = 2 + (int)Math.Log(k);
        var cumulative = new double[n];
        var trial = new float[n];
        var bestTrial = new float[n];
        for (var c = have; c < k; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                total += closest[i];
                cumulative[i] = total;
            }

            var bestPotential = double.PositiveInfinity;
            var bestRow = -1;
            for (var t = 0; t < candidates; t++)
            {
                // All rows sit on a centre (total 0): any row is as good as another.
                var row = total > 0 ? Sample(cumulative, random.NextDouble() * total) : random.Next(n);
                DistancesTo(matrix, matrix.Row(row), trial);
                var potential = MinAndSum(closest, trial);

                if (potential < bestPotential)
                {
                    bestPotential = potential;
                    bestRow = row;
                    (trial, bestTrial) = (bestTrial, trial);
                }
            }

            matrix.Row(bestRow).CopyTo(centres.AsSpan(c * d, d));
            (closest, bestTrial) = (bestTrial, closest);
        }
    }

    /// <summary>trial[i] = min(closest[i], trial[i]) for every row; returns the sum of the results (eight lanes in single precision,
    /// added in double), the same on any x64 machine.</summary>
    private static double MinAndSum(float[] closest, float[] trial)
    {
        ref var a = ref MemoryMarshal.GetArrayDataReference(closest);
        ref var b = ref MemoryMarshal.GetArrayDataReference(trial);
        var n = trial.Length;
        var sum = Vector256<float>.Zero;
        var i = 0;
        for (; i <= n - Lanes; i += Lanes)
        {
            var least = Vector256.Min(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i));
            least.StoreUnsafe(ref b, (nuint)i);
            sum += least;
        }

        var total = 0.0;
        for (var lane = 0; lane < Lanes; lane++)
        {
            total += sum[lane];
        }

        for (; i < n; i++)
        {
            var least = Math.Min(closest[i], trial[i]);
            trial[i] = least;
            total += least;
        }

        return total;
    }

    /// <summary>The first index whose cumulative weight exceeds <paramref name="target"/> (never a zero-weight row).</summary>
    private static int Sample(double[] cumulative, double target)
    {
        var index = Array.BinarySearch(cumulative, target);
        index = index < 0 ? ~index : index + 1;
        index = Math.Min(index, cumulative.Length - 1);
        while (index > 0 && cumulative[index] == cumulative[index - 1])
        {
            index--;
        }

        return index;
    }

    /// <summary>One assignment pass over fixed row blocks; returns how many labels changed. Block sums are filled for the update.</summary>
    private static int AssignPass(FeatureMatrix matrix, float[] centres, ScaledCentres scaled, int[] labels, BlockSums[] partial)
    {
        scaled.Load(centres);
        if (matrix.Rows >= ParallelFromRows && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, partial.Length, b => AssignBlock(matrix, scaled, labels, partial[b], b));
        }
        else
        {
            for (var b = 0; b < partial.Length; b++)
            {
                AssignBlock(matrix, scaled, labels, partial[b], b);
            }
        }

        var changed = 0;
        foreach (var block in partial)
        {
            changed += block.Changed;
        }

        return changed;
    }

    private static void AssignBlock(FeatureMatrix matrix, ScaledCentres centres, int[] labels, BlockSums sums, int block)
    {
        var d = matrix.Columns;
        var start = block * BlockRows;
        var end = Math.Min(matrix.Rows, start + BlockRows);
        sums.Clear();
        ref var values = ref MemoryMarshal.GetReference(matrix.Values);
        ref var lanes = ref MemoryMarshal.GetReference(matrix.LaneBlocks);
        ref var scaled = ref MemoryMarshal.GetArrayDataReference(centres.Broadcast);
        ref var norms = ref MemoryMarshal.GetArrayDataReference(centres.Norms);
        ref var target = ref MemoryMarshal.GetArrayDataReference(sums.Deltas);
        Span<int> bestLabels = stackalloc int[Lanes];
        ref var labelsStart = ref MemoryMarshal.GetArrayDataReference(labels);
        var changed = 0;
        for (var row0 = start; row0 < end; row0 += Lanes)
        {
            ref var laneBlock = ref Unsafe.Add(ref lanes, row0 * d);
            var best = Vector256.Create(float.PositiveInfinity);
            var bestLabel = Vector256<int>.Zero;
            for (var c0 = 0; c0 < centres.Padded; c0 += 4)
            {
                // Scores ‖c‖² − 2x·c of 8 rows against 4 centres: the row vector is loaded once per feature, one FMA per centre.
                var s0 = Vector256.Create(Unsafe.Add(ref norms, c0));
                var s1 = Vector256.Create(Unsafe.Add(ref norms, c0 + 1));
                var s2 = Vector256.Create(Unsafe.Add(ref norms, c0 + 2));
                var s3 = Vector256.Create(Unsafe.Add(ref norms, c0 + 3));
                ref var chunk = ref Unsafe.Add(ref scaled, c0 * d * Lanes);
                for (var j = 0; j < d; j++)
                {
                    var x = Vector256.LoadUnsafe(ref laneBlock, (nuint)(j * Lanes));
                    ref var column = ref Unsafe.Add(ref chunk, j * 4 * Lanes);
                    s0 = MultiplyAdd(x, Vector256.LoadUnsafe(ref column), s0);
                    s1 = MultiplyAdd(x, Vector256.LoadUnsafe(ref column, Lanes), s1);
                    s2 = MultiplyAdd(x, Vector256.LoadUnsafe(ref column, 2 * Lanes), s2);
                    s3 = MultiplyAdd(x, Vector256.LoadUnsafe(ref column, 3 * Lanes), s3);
                }

                Keep(s0, c0, ref best, ref bestLabel);
                Keep(s1, c0 + 1, ref best, ref bestLabel);
                Keep(s2, c0 + 2, ref best, ref bestLabel);
                Keep(s3, c0 + 3, ref best, ref bestLabel);
            }

            var count = Math.Min(Lanes, end - row0);
            if (count == Lanes && Vector256.EqualsAll(bestLabel, Vector256.LoadUnsafe(ref labelsStart, (nuint)row0)))
            {
                // No row of these eight changes cluster: nothing to move (most blocks, once the centres settle).
                continue;
            }

            bestLabel.CopyTo(bestLabels);
            for (var lane = 0; lane < count; lane++)
            {
                var i = row0 + lane;
                var label = bestLabels[lane];

                var previous = labels[i];
                if (previous != label)
                {
                    // Only rows that change cluster move between the running sums.
                    changed++;
                    labels[i] = label;
                    ref var row = ref Unsafe.Add(ref values, i * d);
                    if (previous >= 0)
                    {
                        sums.Counts[previous]--;
                        Move(ref Unsafe.Add(ref target, previous * d), ref row, d, -1);
                    }

                    sums.Counts[label]++;
                    Move(ref Unsafe.Add(ref target, label * d), ref row, d, 1);
                }
            }
        }

        sums.Changed = changed;
    }

    /// <summary>Lane-wise: takes centre <paramref name="c"/> where its score is strictly lower, so ties keep the lower index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(Vector256<float> score, int c, ref Vector256<float> best, ref Vector256<int> bestLabel)
    {
        var closer = Vector256.LessThan(score, best);
        best = Vector256.ConditionalSelect(closer, score, best);
        bestLabel = Vector256.ConditionalSelect(closer.AsInt32(), Vector256.Create(c), bestLabel);
    }

    /// <summary>delta[0..d) += sign · row[0..d), in double precision.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Move(ref double delta, ref float row, int d, double sign)
    {
        for (var j = 0; j < d; j++)
        {
            Unsafe.Add(ref delta, j) += sign * Unsafe.Add(ref row, j);
        }
    }

    /// <summary>Adds each block's changes to the running sums and counts, in block order (so the result never depends on scheduling).</summary>
    private static void Accumulate(BlockSums[] partial, double[] sums, int[] counts)
    {
        foreach (var block in partial)
        {
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += block.Deltas[i];
            }

            for (var c = 0; c < counts.Length; c++)
            {
                counts[c] += block.Counts[c];
            }
        }
    }

    /// <summary>Moves each centre to its rows' mean; an empty cluster takes the row farthest from its centre. Returns the total squared shift.</summary>
    private static double Update(FeatureMatrix matrix, float[] centres, double[] sums, int[] counts, int[] labels)
    {
        var d = matrix.Columns;

        // Only an empty cluster needs the rows' distances (to the centres of the pass that emptied it), so they are measured only then.
        var distances = Array.IndexOf(counts, 0) >= 0 ? DistancesToOwnCentre(matrix, centres, labels) : null;
        var shift = 0.0;
        for (var c = 0; c < counts.Length; c++)
        {
            if (counts[c] == 0)
            {
                // The row leaves its cluster's sums now; the next pass assigns it afresh (its label is unset).
                var far = Farthest(distances!);
                var row = matrix.Row(far);
                var owner = labels[far];
                if (owner >= 0)
                {
                    counts[owner]--;
                    for (var j = 0; j < d; j++)
                    {
                        sums[(owner * d) + j] -= row[j];
                    }
                }

                shift += SquaredDistance(row, centres.AsSpan(c * d, d));
                row.CopyTo(centres.AsSpan(c * d, d));
                distances![far] = 0;
                labels[far] = -1;
                continue;
            }

            for (var j = 0; j < d; j++)
            {
                var next = (float)(sums[(c * d) + j] / counts[c]);
                var diff = next - centres[(c * d) + j];
                shift += diff * diff;
                centres[(c * d) + j] = next;
            }
        }

        return shift;
    }

    /// <summary>Each row's squared distance to its own centre (0 for an unassigned row).</summary>
    private static float[] DistancesToOwnCentre(FeatureMatrix matrix, float[] centres, int[] labels)
    {
        var d = matrix.Columns;
        var distances = new float[matrix.Rows];
        for (var i = 0; i < distances.Length; i++)
        {
            distances[i] = labels[i] < 0 ? 0 : SquaredDistance(matrix.Row(i), centres.AsSpan(labels[i] * d, d));
        }

        return distances;
    }

    private static int Farthest(float[] distances)
    {
        var best = 0;
        for (var i = 1; i < distances.Length; i++)
        {
            if (distances[i] > distances[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Centres as the assignment kernel reads them: in chunks of 4 (padded with centres that score +∞), feature-major
    /// within a chunk, each value −2·c broadcast to a vector; and ‖c‖² per centre.</summary>
    private sealed class ScaledCentres
    {
        public ScaledCentres(int k, int d)
        {
            K = k;
            D = d;
            Padded = (k + 3) / 4 * 4;
            Broadcast = new float[Padded * d * Lanes];
            Norms = new float[Padded];
        }

        public int K { get; }

        public int D { get; }

        public int Padded { get; }

        public float[] Broadcast { get; }

        public float[] Norms { get; }

        public void Load(float[] centres)
        {
            Array.Fill(Norms, float.PositiveInfinity);
            for (var c = 0; c < K; c++)
            {
                var chunk = c / 4;
                var slot = c % 4;
                var norm = 0f;
                for (var j = 0; j < D; j++)
                {
                    var value = centres[(c * D) + j];
                    norm += value * value;
                    var at = ((((chunk * D) + j) * 4) + slot) * Lanes;
                    Array.Fill(Broadcast, -2f * value, at, Lanes);
                }

                Norms[c] = norm;
            }
        }
    }

    /// <summary>Per-block changes to the clusters' sums and counts in one pass (rows that left or joined a cluster), so that the
    /// reduction order, and the result, does not depend on scheduling.</summary>
    private sealed class BlockSums(int k, int d)
    {
        public double[] Deltas { get; } = new double[k * d];

        public int[] Counts { get; } = new int[k];

        public int Changed { get; set; }

        public void Clear()
        {
            Array.Clear(Deltas);
            Array.Clear(Counts);
            Changed = 0;
        }
    }
}
