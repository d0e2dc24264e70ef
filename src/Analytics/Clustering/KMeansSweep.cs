using System.Diagnostics;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Projection;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Clustering;

/// <summary>Progress of a sweep: fits done out of fits planned, and the stage.</summary>
/// <param name="FitsDone">k-means fits finished (restarts, warm starts and refinements).</param>
/// <param name="FitsTotal">k-means fits planned.</param>
/// <param name="Stage">"preparing" (from the pipeline), "fitting", "silhouette", "stability", "metrics", "pca", or "profiling" (from the dashboard).</param>
public readonly record struct SweepProgress(int FitsDone, int FitsTotal, string Stage);

/// <summary>
/// Fits k-means for every k of a range with restarts, measures each solution and recommends a k.
/// Results are deterministic for a seed: each (k, restart) fit has its own seed and runs on one thread.
/// </summary>
public static class KMeansSweep
{
    /// <summary>Above this many rows our kernel runs its restarts on a seeded random sample of this size, then refines each k's best
    /// centres with Lloyd passes over every row.</summary>
    public const int FitSampleLimit = 50_000;

    /// <summary>Rounds of the warm-start chains (up from k − 1, down from k + 1) after the fresh restarts: a second round lets a k
    /// improved from below or above pass the improvement on.</summary>
    public const int ChainRounds = 2;

    /// <summary>Merge starts per k on the way down: the (k + 1) solution with each of its cheapest pairs of centres merged.</summary>
    public const int MergeStarts = 3;

    /// <summary>Lloyd passes over all rows after fitting on a sample: the sample's centres start close, so few are needed.</summary>
    public const int RefinePasses = 30;

    /// <summary>The fresh restarts used when <see cref="SweepOptions.Restarts"/> is null. Our kernel: 5 up to 50,000 rows, then fewer
    /// (at least 3), because the warm-start chains do the rest (on cc_general, 40 of 40 seeds reached every k = 2..10 within 0.06% of
    /// the best-known inertia). ML.NET: 12 up to 50,000 rows, then fewer: it has no chains and single fits land in poor minima often.</summary>
    public static int AutoRestarts(int rows, KMeansEngine engine = KMeansEngine.Simd)
    {
        var baseline = engine == KMeansEngine.MlNet ? 12 : 5;
        return rows <= 50_000 ? baseline : Math.Max(3, (int)Math.Round(baseline * Math.Sqrt(50_000.0 / rows)));
    }

    /// <summary>The seed of one restart's random stream, from (seed, k, restart) alone, so results never depend on scheduling.</summary>
    public static int RestartSeed(int seed, int k, int restart)
    {
        var x = unchecked(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)k << 32) ^ (uint)restart);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return (int)((x ^ (x >> 31)) & int.MaxValue);
    }

    /// <summary>Runs the sweep.</summary>
    /// <param name="matrix">Preprocessed, finite rows.</param>
    /// <param name="options">Settings; <see cref="SweepOptions.Default"/> when null.</param>
    /// <param name="progress">Receives progress after each fit and at each stage.</param>
    /// <param name="cancellationToken">Stops the sweep at the next fit, data pass or row block.</param>
    /// <exception cref="AnalysisInputException">Fewer than 2 rows or distinct rows, or an impossible k range.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static SweepResult Run(FeatureMatrix matrix, SweepOptions? options = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        options ??= SweepOptions.Default;
        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        var ks = PlanKs(matrix, options, warnings);
        var restarts = Math.Max(1, options.Restarts ?? AutoRestarts(matrix.Rows, options.Engine));
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount,
        };

        var fitted = options.Engine == KMeansEngine.MlNet
            ? FitWithMlNet(matrix, ks, restarts, options, parallel, progress)
            : FitWithKernel(matrix, ks, restarts, options, parallel, progress);
        var done = fitted.Jobs;
        var inertias = fitted.Inertias;
        var centroids = fitted.Centroids;
        timings["fit"] = Lap(clock);

        var solutions = new List<KSolution>();
        var squared = new float[matrix.Rows];
        foreach (var k in ks)
        {
            solutions.Add(Canonical(matrix, k, centroids[k], inertias[k], squared, warnings));
        }

        if (matrix.Rows > options.SilhouetteExactLimit)
        {
            // From here on only samples of the rows are fitted or measured.
            matrix.ReleaseLaneBlocks();
        }

        timings["assign"] = Lap(clock);
        progress?.Report(new SweepProgress(done, done, "silhouette"));
        var (sampled, silhouetteRows) = ComputeSilhouettes(matrix, solutions, options, cancellationToken);
        timings["silhouette"] = Lap(clock);

        if (options.StabilityResamples > 0)
        {
            progress?.Report(new SweepProgress(done, done, "stability"));
            // Every (k, subsample) refit is its own job, the largest k first, so both cores stay busy to the end; each k's figures
            // are then combined in subsample order, exactly as Stability.Measure does.
            var subsamples = Stability.Draw(matrix, options.StabilityResamples, options.Seed, solutions.Max(s => s.Sizes.Count));
            var refits = solutions.Select(_ => new Stability.Refit[subsamples.Count]).ToArray();
            var jobs = Enumerable.Range(0, solutions.Count).Reverse().SelectMany(i => Enumerable.Range(0, subsamples.Count).Select(b => (Solution: i, Subsample: b))).ToArray();
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(jobs, loadBalance: true), parallel, job =>
                refits[job.Solution][job.Subsample] = Stability.RefitOne(matrix, solutions[job.Solution], subsamples, job.Subsample, options.Seed, options.Engine, cancellationToken));
            for (var i = 0; i < solutions.Count; i++)
            {
                solutions[i] = solutions[i] with { Stability = Stability.Combine(refits[i], subsamples[0].Rows.Length) };
            }

            timings["stability"] = Lap(clock);
        }

        progress?.Report(new SweepProgress(done, done, "metrics"));
        var indices = new (double CalinskiHarabasz, double DaviesBouldin)[solutions.Count];
        var columnMeans = matrix.ColumnMeans();
        Parallel.For(0, solutions.Count, parallel, i => indices[i] = ClusterValidity.Both(matrix, solutions[i].LabelArray, columnMeans));
        for (var i = 0; i < solutions.Count; i++)
        {
            solutions[i] = solutions[i] with { CalinskiHarabasz = indices[i].CalinskiHarabasz, DaviesBouldin = indices[i].DaviesBouldin };
        }

        var elbow = Elbow.Kneedle(solutions.Select(s => s.K).ToArray(), solutions.Select(s => s.Inertia).ToArray());
        var (recommended, reason) = KRecommender.Recommend(solutions, elbow);
        timings["metrics"] = Lap(clock);

        progress?.Report(new SweepProgress(done, done, "pca"));
        var pca = Pca.Fit(matrix);
        timings["pca"] = Lap(clock);
        return new SweepResult(options, solutions, elbow, recommended, reason, sampled, silhouetteRows, warnings, pca, timings) { FitSampleRows = fitted.SampleRows };
    }

    private sealed record Fitted(Dictionary<int, float[]> Centroids, Dictionary<int, double[]> Inertias, int Jobs, int? SampleRows);

    /// <summary>ML.NET: every (k, restart) fit is independent; the lowest inertia per k wins.</summary>
    private static Fitted FitWithMlNet(FeatureMatrix matrix, List<int> ks, int restarts, SweepOptions options, ParallelOptions parallel, IProgress<SweepProgress>? progress)
    {
        // The largest k go first so the slowest fits do not finish last.
        var jobs = ks.OrderByDescending(k => k).SelectMany(k => Enumerable.Range(0, restarts).Select(r => (K: k, Restart: r))).ToArray();
        var inertias = ks.ToDictionary(k => k, _ => new double[restarts]);
        var centroids = ks.ToDictionary(k => k, _ => new float[restarts][]);
        var done = 0;
        Parallel.ForEach(jobs, parallel, job =>
        {
            var initialization = options.Initialization switch
            {
                KMeansInitialization.Alternating => job.Restart % 2 == 0 ? KMeansInitialization.Yinyang : KMeansInitialization.KMeansPlusPlus,
                var other => other,
            };
            var fitted = MlNetKMeans.FitCentroids(matrix, job.K, unchecked(options.Seed + job.Restart), initialization, parallel.CancellationToken);
            inertias[job.K][job.Restart] = CentroidAssignment.Assign(matrix, fitted, new int[matrix.Rows], new float[matrix.Rows]);
            centroids[job.K][job.Restart] = fitted;
            progress?.Report(new SweepProgress(Interlocked.Increment(ref done), jobs.Length, "fitting"));
        });
        var best = ks.ToDictionary(k => k, k => centroids[k][ArgMin(inertias[k])]);
        return new Fitted(best, inertias, jobs.Length, null);
    }

    /// <summary>
    /// Our kernel: n_init greedy k-means++ restarts for every k in one work queue over all cores, then, for k above the smallest, a
    /// warm start from the best (k − 1) centres plus one D²-sampled centre; the lowest inertia wins. Each fit's random stream comes
    /// from (seed, k, restart). Above <see cref="FitSampleLimit"/> rows this runs on a seeded sample and each k's winner is refined on all rows.
    /// </summary>
    private static Fitted FitWithKernel(FeatureMatrix matrix, List<int> ks, int restarts, SweepOptions options, ParallelOptions parallel, IProgress<SweepProgress>? progress)
    {
        var token = parallel.CancellationToken;
        var sampled = matrix.Rows > FitSampleLimit;
        var fitMatrix = sampled ? matrix.SelectRows(SampleRows(matrix.Rows, FitSampleLimit, options.Seed)) : matrix;
        var warm = Math.Max(0, options.WarmStarts);
        var total = (ks.Count * restarts) + (ChainRounds * (ks.Count - 1) * (warm + MergeStarts)) + (sampled ? ks.Count : 0);
        var jobs = ks.OrderByDescending(k => k).SelectMany(k => Enumerable.Range(0, restarts).Select(r => (K: k, Restart: r))).ToArray();
        var fresh = ks.ToDictionary(k => k, _ => new KMeansFit[restarts]);
        var done = 0;
        Parallel.ForEach(jobs, parallel, job =>
        {
            var random = new Random(RestartSeed(options.Seed, job.K, job.Restart));
            var start = KMeansKernel.KMeansPlusPlus(fitMatrix, job.K, random, token);
            fresh[job.K][job.Restart] = KMeansKernel.Lloyd(fitMatrix, start, cancellationToken: token);
            progress?.Report(new SweepProgress(Interlocked.Increment(ref done), total, "fitting"));
        });

        var fits = ks.ToDictionary(k => k, k => fresh[k].ToList());
        var best = ks.ToDictionary(k => k, k => Best(fits[k]));
        for (var round = 0; round < ChainRounds; round++)
        {
            // Upwards: the best (k − 1) centres plus one D²-sampled centre, several times with their own random streams.
            for (var i = 1; i < ks.Count; i++)
            {
                var k = ks[i];
                var previous = best[ks[i - 1]].Centroids;
                var warmFits = new KMeansFit[warm];
                Parallel.For(0, warm, parallel, w =>
                {
                    var random = new Random(RestartSeed(options.Seed, k, restarts + (round * warm) + w));
                    warmFits[w] = KMeansKernel.Lloyd(fitMatrix, KMeansKernel.WarmStart(fitMatrix, previous, random, token), cancellationToken: token);
                    progress?.Report(new SweepProgress(Interlocked.Increment(ref done), total, "fitting"));
                });
                fits[k].AddRange(warmFits);
                best[k] = Best(fits[k]);
            }

            // Downwards: the best (k + 1) centres with their cheapest pair merged often reach a better k than any fresh start.
            for (var i = ks.Count - 2; i >= 0; i--)
            {
                var k = ks[i];
                var starts = KMeansKernel.MergeStarts(fitMatrix, best[ks[i + 1]].Centroids, MergeStarts);
                var mergeFits = new KMeansFit[starts.Count];
                Parallel.For(0, starts.Count, parallel, m =>
                {
                    mergeFits[m] = KMeansKernel.Lloyd(fitMatrix, starts[m], cancellationToken: token);
                    progress?.Report(new SweepProgress(Interlocked.Increment(ref done), total, "fitting"));
                });
                fits[k].AddRange(mergeFits);
                best[k] = Best(fits[k]);
            }
        }

        var centroids = ks.ToDictionary(k => k, k => best[k].Centroids);
        var inertias = ks.ToDictionary(k => k, k => fits[k].Select(f => f.Inertia).ToArray());
        if (sampled)
        {
            Parallel.ForEach(ks, parallel, k =>
            {
                centroids[k] = KMeansKernel.Lloyd(matrix, centroids[k], RefinePasses, token).Centroids;
                progress?.Report(new SweepProgress(Interlocked.Increment(ref done), total, "fitting"));
            });
        }

        return new Fitted(centroids, inertias, total, sampled ? fitMatrix.Rows : null);
    }

    /// <summary>The lowest inertia; the earliest fit on ties, so the choice never depends on scheduling.</summary>
    private static KMeansFit Best(List<KMeansFit> fits)
    {
        var best = fits[0];
        foreach (var fit in fits)
        {
            if (fit.Inertia < best.Inertia)
            {
                best = fit;
            }
        }

        return best;
    }

    private static int ArgMin(double[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] < values[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>A seeded random sample of row indices, in increasing order.</summary>
    internal static int[] SampleRows(int rows, int size, int seed) => SampleRows(rows, size, new Random(seed));

    /// <summary>
    /// <paramref name="size"/> distinct row indices drawn uniformly from [0, <paramref name="rows"/>), in increasing order: the first
    /// steps of a Fisher–Yates shuffle, so drawing 20,000 of 1,000,000 rows costs 20,000 random numbers, not a million.
    /// </summary>
    internal static int[] SampleRows(int rows, int size, Random random)
    {
        size = Math.Min(size, rows);
        return size < rows / 4 ? SampleRowsSparse(rows, size, random) : SampleRowsDense(rows, size, random);
    }

    /// <summary>The shuffle over an array of every row index.</summary>
    internal static int[] SampleRowsDense(int rows, int size, Random random)
    {
        var all = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            all[i] = i;
        }

        for (var i = 0; i < size; i++)
        {
            var j = random.Next(i, rows);
            (all[i], all[j]) = (all[j], all[i]);
        }

        var sample = all[..size];
        Array.Sort(sample);
        return sample;
    }

    /// <summary>The same shuffle steps as <see cref="SampleRowsDense"/>, so the same rows for the same random stream,
    /// with only the moved positions held in a dictionary: a small sample of a large table no longer allocates an index per row.</summary>
    internal static int[] SampleRowsSparse(int rows, int size, Random random)
    {
        var moved = new Dictionary<int, int>(2 * size);
        var sample = new int[size];
        for (var i = 0; i < size; i++)
        {
            var j = random.Next(i, rows);
            var atI = moved.TryGetValue(i, out var a) ? a : i;
            var atJ = moved.TryGetValue(j, out var b) ? b : j;
            moved[j] = atI;
            sample[i] = atJ;
        }

        Array.Sort(sample);
        return sample;
    }

    private static double Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return Math.Round(elapsed, 2);
    }

    private static List<int> PlanKs(FeatureMatrix matrix, SweepOptions options, List<string> warnings)
    {
        if (options.KMin < 2 || options.KMax < options.KMin)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("KRange", options.KMin, options.KMax));
        }

        if (matrix.Rows < 2)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("TooFewRows", matrix.Rows));
        }

        var distinct = CountDistinctRows(matrix, options.KMax + 1);
        if (distinct < 2)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("AllRowsSame"));
        }

        if (distinct < options.KMin)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("TooFewDistinct", distinct, options.KMin));
        }

        var top = Math.Min(options.KMax, distinct);
        if (top < options.KMax)
        {
            warnings.Add(AnalyticsTexts.Get("KSkipped", top, distinct));
        }

        return Enumerable.Range(options.KMin, top - options.KMin + 1).ToList();
    }

    /// <summary>Distinct rows, counting up to <paramref name="stopAt"/>.</summary>
    private static int CountDistinctRows(FeatureMatrix matrix, int stopAt)
    {
        var seen = new HashSet<RowKey>();
        for (var i = 0; i < matrix.Rows && seen.Count < stopAt; i++)
        {
            seen.Add(new RowKey(matrix.Row(i).ToArray()));
        }

        return seen.Count;
    }

    private readonly struct RowKey(float[] values) : IEquatable<RowKey>
    {
        private readonly float[] _values = values;

        public bool Equals(RowKey other) => _values.AsSpan().SequenceEqual(other._values);

        public override bool Equals(object? obj) => obj is RowKey other && Equals(other);

        public override int GetHashCode()
        {
            var hash = default(HashCode);
            foreach (var v in _values)
            {
                hash.Add(v);
            }

            return hash.ToHashCode();
        }
    }

    /// <summary>Assigns rows to the fitted centroids and numbers segments by size (ties by centroid), dropping empty ones. The squared
    /// distances go to <paramref name="squared"/>, a scratch array shared by every k: the solution measures its distances when read.</summary>
    private static KSolution Canonical(FeatureMatrix matrix, int k, float[] fitted, double[] restartInertias, float[] squared, List<string> warnings)
    {
        var n = matrix.Rows;
        var d = matrix.Columns;
        var labels = new int[n];
        var inertia = CentroidAssignment.Assign(matrix, fitted, labels, squared);
        var fittedK = fitted.Length / d;
        var counts = new int[fittedK];
        foreach (var label in labels)
        {
            counts[label]++;
        }

        var order = Enumerable.Range(0, fittedK)
            .Where(c => counts[c] > 0)
            .OrderByDescending(c => counts[c])
            .ThenBy(c => c, Comparer<int>.Create((a, b) => fitted.AsSpan(a * d, d).SequenceCompareTo(fitted.AsSpan(b * d, d))))
            .ToArray();
        if (order.Length < k)
        {
            warnings.Add(AnalyticsTexts.Get("EmptySegments", k, k - order.Length, order.Length));
        }

        var map = new int[fittedK];
        var centroids = new float[order.Length * d];
        var sizes = new int[order.Length];
        for (var s = 0; s < order.Length; s++)
        {
            map[order[s]] = s;
            fitted.AsSpan(order[s] * d, d).CopyTo(centroids.AsSpan(s * d, d));
            sizes[s] = counts[order[s]];
        }

        for (var i = 0; i < n; i++)
        {
            labels[i] = map[labels[i]];
        }

        return new KSolution(k, inertia, labels, centroids, matrix, sizes, restartInertias);
    }

    private static (bool Sampled, int Rows) ComputeSilhouettes(FeatureMatrix matrix, List<KSolution> solutions, SweepOptions options, CancellationToken cancellationToken)
    {
        var n = matrix.Rows;
        var sampled = n > options.SilhouetteExactLimit;
        int[]? sample = null;
        var target = matrix;
        if (sampled)
        {
            sample = SampleRows(n, options.SilhouetteSampleSize, options.Seed);
            target = matrix.SelectRows(sample);
        }

        var labelings = solutions.Select(s => sample is null ? s.LabelArray : sample.Select(i => s.LabelArray[i]).ToArray()).ToArray();
        var perRow = Silhouette.PerRow(target, labelings, cancellationToken);
        for (var l = 0; l < solutions.Count; l++)
        {
            var rows = perRow[l];
            var mean = Silhouette.MeanOf(rows);
            if (sample is null)
            {
                solutions[l] = solutions[l] with { Silhouette = mean, RowSilhouettes = rows };
            }
            else
            {
                solutions[l] = solutions[l] with { Silhouette = mean, RowSilhouettes = new SampledRowValues(n, sample, rows) };
            }
        }

        return (sampled, target.Rows);
    }
}
