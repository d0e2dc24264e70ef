using System.Diagnostics;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Projection;

namespace Segmentation.Analytics.Clustering;

/// <summary>Progress of a sweep: fits done out of fits planned, and the stage.</summary>
/// <param name="FitsDone">ML.NET fits finished.</param>
/// <param name="FitsTotal">ML.NET fits planned.</param>
/// <param name="Stage">"fitting", "silhouette", "stability", "metrics" or "pca".</param>
public readonly record struct SweepProgress(int FitsDone, int FitsTotal, string Stage);

/// <summary>
/// Fits k-means for every k of a range with restarts, measures each solution and recommends a k.
/// Results are deterministic for a seed: each (k, restart) fit has its own seed and runs on one thread.
/// </summary>
public static class KMeansSweep
{
    /// <summary>The restarts used when <see cref="SweepOptions.Restarts"/> is null: 12 up to 50,000 rows, then fewer (at least 3) so time grows slower than the rows.</summary>
    public static int AutoRestarts(int rows) => rows <= 50_000 ? 12 : Math.Max(3, (int)Math.Round(12 * Math.Sqrt(50_000.0 / rows)));

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
        var restarts = Math.Max(1, options.Restarts ?? AutoRestarts(matrix.Rows));
        var parallel = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism ?? Environment.ProcessorCount,
        };

        // Every (k, restart) fit is independent; the largest k go first so the slowest fits do not finish last.
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
            var fitted = MlNetKMeans.FitCentroids(matrix, job.K, unchecked(options.Seed + job.Restart), initialization, cancellationToken);
            var labels = new int[matrix.Rows];
            var squared = new float[matrix.Rows];
            inertias[job.K][job.Restart] = CentroidAssignment.Assign(matrix, fitted, labels, squared);
            centroids[job.K][job.Restart] = fitted;
            progress?.Report(new SweepProgress(Interlocked.Increment(ref done), jobs.Length, "fitting"));
        });
        timings["fit"] = Lap(clock);

        var solutions = new List<KSolution>();
        foreach (var k in ks)
        {
            var best = 0;
            for (var r = 1; r < restarts; r++)
            {
                if (inertias[k][r] < inertias[k][best])
                {
                    best = r;
                }
            }

            solutions.Add(Canonical(matrix, k, centroids[k][best], inertias[k], warnings));
        }

        timings["assign"] = Lap(clock);
        progress?.Report(new SweepProgress(done, jobs.Length, "silhouette"));
        var (sampled, silhouetteRows) = ComputeSilhouettes(matrix, solutions, options, cancellationToken);
        timings["silhouette"] = Lap(clock);

        if (options.StabilityResamples > 0)
        {
            progress?.Report(new SweepProgress(done, jobs.Length, "stability"));
            Parallel.ForEach(solutions, parallel, solution =>
                solution.Stability = Stability.Measure(matrix, solution, options.StabilityResamples, options.Seed, cancellationToken));
            timings["stability"] = Lap(clock);
        }

        progress?.Report(new SweepProgress(done, jobs.Length, "metrics"));
        Parallel.ForEach(solutions, parallel, solution =>
        {
            var labels = solution.Labels.ToArray();
            solution.CalinskiHarabasz = ClusterValidity.CalinskiHarabasz(matrix, labels);
            solution.DaviesBouldin = ClusterValidity.DaviesBouldin(matrix, labels);
        });
        var elbow = Elbow.Kneedle(solutions.Select(s => s.K).ToArray(), solutions.Select(s => s.Inertia).ToArray());
        var (recommended, reason) = KRecommender.Recommend(solutions, elbow);
        timings["metrics"] = Lap(clock);

        progress?.Report(new SweepProgress(done, jobs.Length, "pca"));
        var pca = Pca.Fit(matrix);
        timings["pca"] = Lap(clock);
        return new SweepResult(options, solutions, elbow, recommended, reason, sampled, silhouetteRows, warnings, pca, timings);
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
            throw new AnalysisInputException($"The k range must satisfy 2 ≤ from ≤ to; got {options.KMin}..{options.KMax}.");
        }

        if (matrix.Rows < 2)
        {
            throw new AnalysisInputException($"Segmenting needs at least 2 rows; the data has {matrix.Rows}.");
        }

        var distinct = CountDistinctRows(matrix, options.KMax + 1);
        if (distinct < 2)
        {
            throw new AnalysisInputException("Every row has the same feature values, so there is nothing to segment.");
        }

        if (distinct < options.KMin)
        {
            throw new AnalysisInputException($"The data has only {distinct} distinct rows in the selected features, fewer than the smallest k ({options.KMin}). Lower k or add features.");
        }

        var top = Math.Min(options.KMax, distinct);
        if (top < options.KMax)
        {
            warnings.Add($"k above {top} was skipped: the data has only {distinct} distinct rows in the selected features.");
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

    /// <summary>Assigns rows to the fitted centroids and numbers segments by size (ties by centroid), dropping empty ones.</summary>
    private static KSolution Canonical(FeatureMatrix matrix, int k, float[] fitted, double[] restartInertias, List<string> warnings)
    {
        var n = matrix.Rows;
        var d = matrix.Columns;
        var labels = new int[n];
        var squared = new float[n];
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
            warnings.Add($"At k = {k} the best fit left {k - order.Length} segment(s) empty; it has {order.Length} segments.");
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

        var distances = new float[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = map[labels[i]];
            distances[i] = MathF.Sqrt(squared[i]);
        }

        return new KSolution(k, inertia, labels, centroids, distances, sizes, restartInertias);
    }

    private static (bool Sampled, int Rows) ComputeSilhouettes(FeatureMatrix matrix, List<KSolution> solutions, SweepOptions options, CancellationToken cancellationToken)
    {
        var n = matrix.Rows;
        var sampled = n > options.SilhouetteExactLimit;
        int[]? sample = null;
        var target = matrix;
        if (sampled)
        {
            var random = new Random(options.Seed);
            var all = Enumerable.Range(0, n).ToArray();
            random.Shuffle(all);
            sample = all[..Math.Min(options.SilhouetteSampleSize, n)];
            Array.Sort(sample);
            target = matrix.SelectRows(sample);
        }

        var labelings = solutions.Select(s => sample is null ? s.Labels.ToArray() : sample.Select(i => s.Labels[i]).ToArray()).ToArray();
        var perRow = Silhouette.PerRow(target, labelings, cancellationToken);
        for (var l = 0; l < solutions.Count; l++)
        {
            var rows = perRow[l];
            solutions[l].Silhouette = Silhouette.MeanOf(rows);
            if (sample is null)
            {
                solutions[l].RowSilhouettes = rows;
            }
            else
            {
                var full = new float[n];
                Array.Fill(full, float.NaN);
                for (var i = 0; i < sample.Length; i++)
                {
                    full[sample[i]] = rows[i];
                }

                solutions[l].RowSilhouettes = full;
            }
        }

        return (sampled, target.Rows);
    }
}
