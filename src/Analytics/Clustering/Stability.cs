using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>How reproducible one k's segments are when the customers are resampled.</summary>
/// <param name="Resamples">Subsamples refitted.</param>
/// <param name="SampleRows">Rows in each subsample.</param>
/// <param name="MeanAri">Mean adjusted Rand index between each refit and the full solution, on the subsample's rows.</param>
/// <param name="SdAri">Sample standard deviation of those indices (0 with one resample).</param>
/// <param name="SegmentJaccard">Per segment (index 0 = segment 1): the mean over refits of the best Jaccard overlap with a refit cluster.</param>
public sealed record StabilityResult(int Resamples, int SampleRows, double MeanAri, double SdAri, IReadOnlyList<double> SegmentJaccard);

/// <summary>One subsample for stability refits: its rows (increasing indices into the full matrix) and their values.</summary>
/// <param name="Rows">The full matrix's row indices.</param>
/// <param name="Matrix">Those rows' values.</param>
public sealed record Subsample(int[] Rows, FeatureMatrix Matrix);

/// <summary>Bootstrap-style stability: refit on seeded subsamples and compare with the full solution.</summary>
public static class Stability
{
    /// <summary>The share of rows in each subsample.</summary>
    public const double SampleShare = 0.8;

    /// <summary>The most rows in a subsample, so stability stays affordable on large data.</summary>
    public const int MaxSampleRows = 20_000;

    /// <summary>Fits per refit, keeping the lower inertia: one fit alone often lands in another local minimum, which would be
    /// counted as instability of the data when it is the optimiser's. Both fits are fresh (never started from the full solution's
    /// centres, which would pull a refit of structureless data back to the solution and report it as stable).</summary>
    public const int RestartsPerRefit = 2;

    /// <summary>Below this mean adjusted Rand index a k's segments are called unstable.</summary>
    public const double StableAri = 0.6;

    /// <summary>
    /// Refits <paramref name="solution"/>'s k on <paramref name="resamples"/> subsamples drawn with seeds derived from
    /// <paramref name="seed"/> (so the figures are deterministic) and compares each refit's nearest-centroid labels with the
    /// solution's on the subsample's rows.
    /// </summary>
    public static StabilityResult Measure(FeatureMatrix matrix, KSolution solution, int resamples, int seed, KMeansEngine engine = KMeansEngine.Simd, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(solution);
        return Measure(matrix, solution, Draw(matrix, resamples, seed, solution.Sizes.Count), seed, engine, cancellationToken);
    }

    /// <summary>The subsamples for <see cref="Measure(FeatureMatrix, KSolution, IReadOnlyList{Subsample}, int, KMeansEngine, CancellationToken)"/>:
    /// <see cref="SampleShare"/> of the rows (at most <see cref="MaxSampleRows"/>, at least k + 1 for the largest k measured), each from its
    /// own seed. A sweep draws them once for all k, so every k is refitted on the same customers.</summary>
    public static IReadOnlyList<Subsample> Draw(FeatureMatrix matrix, int resamples, int seed, int largestK)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var n = matrix.Rows;
        var size = Math.Min(MaxSampleRows, Math.Max(Math.Min(n, largestK + 1), (int)(n * SampleShare)));
        var subsamples = new Subsample[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var rows = KMeansSweep.SampleRows(n, size, new Random(unchecked((seed * 7919) + (b * 104729))));
            var sub = matrix.SelectRows(rows);

            // The lane-major copy the kernel reads is built here, once, not by every k's refits at the same time.
            _ = sub.LaneBlocks.Length;
            subsamples[b] = new Subsample(rows, sub);
        }

        return subsamples;
    }

    /// <summary>Refits <paramref name="solution"/>'s k on each of <paramref name="subsamples"/> (from <see cref="Draw"/>) and compares
    /// each refit's nearest-centroid labels with the solution's on the subsample's rows.</summary>
    public static StabilityResult Measure(FeatureMatrix matrix, KSolution solution, IReadOnlyList<Subsample> subsamples, int seed, KMeansEngine engine = KMeansEngine.Simd, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(solution);
        ArgumentNullException.ThrowIfNull(subsamples);
        ArgumentOutOfRangeException.ThrowIfLessThan(subsamples.Count, 1);
        var refits = new Refit[subsamples.Count];
        for (var b = 0; b < refits.Length; b++)
        {
            refits[b] = RefitOne(matrix, solution, subsamples, b, seed, engine, cancellationToken);
        }

        return Combine(refits, subsamples[0].Rows.Length);
    }

    /// <summary>One subsample's refit compared with the solution: its adjusted Rand index and, per segment, the best Jaccard overlap.</summary>
    internal sealed record Refit(double Ari, double[] BestJaccard);

    /// <summary>Refits on subsample <paramref name="b"/> alone: independent of the other subsamples, so a sweep can run every
    /// (k, subsample) pair as its own job and still get what <see cref="Measure(FeatureMatrix, KSolution, IReadOnlyList{Subsample}, int, KMeansEngine, CancellationToken)"/> gives.</summary>
    internal static Refit RefitOne(FeatureMatrix matrix, KSolution solution, IReadOnlyList<Subsample> subsamples, int b, int seed, KMeansEngine engine, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var k = solution.Sizes.Count;
        var (sample, sub) = subsamples[b];
        var size = sample.Length;
        float[] centroids = [];
        var refit = new int[size];
        var bestInertia = double.PositiveInfinity;
        var labels = new int[size];
        var squared = new float[size];
        for (var r = 0; r < RestartsPerRefit; r++)
        {
            var fitted = engine == KMeansEngine.MlNet
                ? MlNetKMeans.FitCentroids(sub, k, unchecked(seed + 1000 + (b * RestartsPerRefit) + r), KMeansInitialization.Yinyang, cancellationToken)
                : KMeansKernel.Lloyd(sub, KMeansKernel.KMeansPlusPlus(sub, k, new Random(KMeansSweep.RestartSeed(unchecked(seed + 1000), k, (b * RestartsPerRefit) + r)), cancellationToken), cancellationToken: cancellationToken).Centroids;
            var inertia = CentroidAssignment.Assign(sub, fitted, labels, squared);
            if (inertia < bestInertia)
            {
                bestInertia = inertia;
                centroids = fitted;
                (refit, labels) = (labels, refit);
            }
        }

        var labelled = solution.LabelArray;
        var original = new int[size];
        for (var i = 0; i < size; i++)
        {
            original[i] = labelled[sample[i]];
        }

        return new Refit(AdjustedRandIndex.Compute(original, refit), BestJaccard(original, refit, k, centroids.Length / matrix.Columns));
    }

    /// <summary>The stability of one k from its refits, in subsample order.</summary>
    internal static StabilityResult Combine(IReadOnlyList<Refit> refits, int sampleRows)
    {
        var resamples = refits.Count;
        var k = refits[0].BestJaccard.Length;
        var jaccards = new double[k];
        foreach (var refit in refits)
        {
            for (var s = 0; s < k; s++)
            {
                jaccards[s] += refit.BestJaccard[s] / resamples;
            }
        }

        var aris = refits.Select(r => r.Ari).ToArray();
        var mean = aris.Average();
        var sd = resamples < 2 ? 0 : Math.Sqrt(aris.Sum(a => (a - mean) * (a - mean)) / (resamples - 1));
        return new StabilityResult(resamples, sampleRows, mean, sd, jaccards);
    }

    /// <summary>For each original segment, the largest Jaccard overlap with any refit cluster.</summary>
    private static double[] BestJaccard(int[] original, int[] refit, int k, int refitK)
    {
        var both = new int[k, refitK];
        var a = new int[k];
        var b = new int[refitK];
        for (var i = 0; i < original.Length; i++)
        {
            both[original[i], refit[i]]++;
            a[original[i]]++;
            b[refit[i]]++;
        }

        var best = new double[k];
        for (var s = 0; s < k; s++)
        {
            for (var c = 0; c < refitK; c++)
            {
                var union = a[s] + b[c] - both[s, c];
                if (union > 0)
                {
                    best[s] = Math.Max(best[s], both[s, c] / (double)union);
                }
            }
        }

        return best;
    }
}
