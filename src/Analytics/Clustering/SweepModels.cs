using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>Settings of a k sweep. Recorded with its result.</summary>
public sealed record SweepOptions
{
    /// <summary>The default sweep: k = 2..10, seed 1, automatic restarts.</summary>
    public static SweepOptions Default { get; } = new();

    /// <summary>Smallest k (at least 2).</summary>
    public int KMin { get; init; } = 2;

    /// <summary>Largest k.</summary>
    public int KMax { get; init; } = 10;

    /// <summary>Seed of every random choice: restarts use seed, seed + 1, …; the silhouette sample uses the seed too.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Restarts per k, keeping the lowest inertia; null chooses by size (see <see cref="KMeansSweep.AutoRestarts"/>).</summary>
    public int? Restarts { get; init; }

    /// <summary>With our kernel: fits per k (above the smallest) started from the best (k − 1) centres plus one D²-sampled centre,
    /// each with its own random stream. They start near an optimum, so they cost a few passes each.</summary>
    public int WarmStarts { get; init; } = 2;

    /// <summary>The k-means implementation: our SIMD kernel (default) or ML.NET.</summary>
    public KMeansEngine Engine { get; init; } = KMeansEngine.Simd;

    /// <summary>How ML.NET restarts choose starting centroids (only with <see cref="KMeansEngine.MlNet"/>; our kernel always uses greedy k-means++).</summary>
    public KMeansInitialization Initialization { get; init; } = KMeansInitialization.Yinyang;

    /// <summary>Up to this many rows the silhouette is exact; above it, it is estimated on a seeded sample.</summary>
    public int SilhouetteExactLimit { get; init; } = 20_000;

    /// <summary>Rows in the silhouette sample when the exact limit is exceeded.</summary>
    public int SilhouetteSampleSize { get; init; } = 10_000;

    /// <summary>Subsamples refitted per k to measure stability (0 skips it; default 5).</summary>
    public int StabilityResamples { get; init; } = 5;

    /// <summary>Fits and distance blocks run on at most this many threads; null means all cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}

/// <summary>The best k-means solution found for one k, with its quality measures; immutable. Labels are 0-based and ordered by segment size (0 is the largest).</summary>
public sealed record KSolution
{
    private readonly Lazy<float[]> _distances;

    /// <param name="k">The number of segments asked for.</param>
    /// <param name="inertia">The objective.</param>
    /// <param name="labels">Each row's 0-based segment, from <see cref="CentroidAssignment.Assign(FeatureMatrix, ReadOnlySpan{float}, int[], float[])"/>.</param>
    /// <param name="centroids">k × d, in segment order.</param>
    /// <param name="matrix">The rows labelled: the distances are measured on them when first read.</param>
    /// <param name="sizes">Rows per segment.</param>
    /// <param name="restartInertias">Every restart's inertia.</param>
    internal KSolution(int k, double inertia, int[] labels, float[] centroids, FeatureMatrix matrix, int[] sizes, IReadOnlyList<double> restartInertias)
    {
        K = k;
        Inertia = inertia;
        Labels = labels;
        Centroids = centroids;
        Sizes = sizes;
        RestartInertias = restartInertias;

        // A million-row sweep would otherwise hold 4 MB of distances per k that only the k a reader opens ever needs.
        _distances = new Lazy<float[]>(() => CentroidAssignment.DistancesToAssigned(matrix, centroids, labels), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The number of segments.</summary>
    public int K { get; }

    /// <summary>Sum of squared distances of rows to their centroid (the k-means objective).</summary>
    public double Inertia { get; }

    /// <summary>Segment index of each matrix row, 0-based, 0 = largest segment.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The array behind <see cref="Labels"/>, for measures that only read it (no copy of a million labels per k).</summary>
    internal int[] LabelArray => (int[])Labels;

    /// <summary>Centroids in preprocessed units, row-major k × d, in segment order.</summary>
    public IReadOnlyList<float> Centroids { get; }

    /// <summary>Euclidean distance of each row to its centroid, in preprocessed units: exactly the square root of the squared distance
    /// the assignment measured. Measured on first read (one pass over the rows) and kept.</summary>
    public IReadOnlyList<float> Distances => _distances.Value;

    /// <summary>Rows per segment.</summary>
    public IReadOnlyList<int> Sizes { get; }

    /// <summary>The inertia of every restart, in restart order (with our kernel, the warm start from k − 1 last; on the fit sample when there was one).</summary>
    public IReadOnlyList<double> RestartInertias { get; }

    /// <summary>Mean silhouette (exact, or estimated on a sample: see <see cref="SweepResult.SilhouetteSampled"/>).</summary>
    public double Silhouette { get; init; } = double.NaN;

    /// <summary>Silhouette of each row; NaN for rows outside the sample when the silhouette was sampled.</summary>
    public IReadOnlyList<float> RowSilhouettes { get; init; } = [];

    /// <summary>Calinski-Harabasz index (higher is better).</summary>
    public double CalinskiHarabasz { get; init; } = double.NaN;

    /// <summary>Davies-Bouldin index (lower is better).</summary>
    public double DaviesBouldin { get; init; } = double.NaN;

    /// <summary>Stability under resampling, or null when it was not measured.</summary>
    public StabilityResult? Stability { get; init; }
}

/// <summary>Everything a sweep over k computed. Choosing a k afterwards needs no further computation.</summary>
public sealed class SweepResult
{
    internal SweepResult(SweepOptions options, IReadOnlyList<KSolution> solutions, int? elbowK, int recommendedK, string reason, bool sampled, int silhouetteRows, IReadOnlyList<string> warnings, Projection.PcaResult pca, IReadOnlyDictionary<string, double> timings)
    {
        Options = options;
        Solutions = solutions;
        ElbowK = elbowK;
        RecommendedK = recommendedK;
        RecommendationReason = reason;
        SilhouetteSampled = sampled;
        SilhouetteRows = silhouetteRows;
        Warnings = warnings;
        Pca = pca;
        TimingsMs = timings;
    }

    /// <summary>The settings used.</summary>
    public SweepOptions Options { get; }

    /// <summary>One solution per k, in increasing k.</summary>
    public IReadOnlyList<KSolution> Solutions { get; }

    /// <summary>The elbow of the inertia curve (Kneedle), or null when there is none.</summary>
    public int? ElbowK { get; }

    /// <summary>The k the metrics agree on best.</summary>
    public int RecommendedK { get; }

    /// <summary>One sentence on why, and where the metrics disagree.</summary>
    public string RecommendationReason { get; }

    /// <summary>Whether silhouettes were estimated on a sample.</summary>
    public bool SilhouetteSampled { get; }

    /// <summary>Rows the silhouette was computed on.</summary>
    public int SilhouetteRows { get; }

    /// <summary>Things the user should know (k values skipped, …).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>PCA of the clustered matrix.</summary>
    public Projection.PcaResult Pca { get; }

    /// <summary>Milliseconds per stage.</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; }

    /// <summary>When the restarts ran on a seeded sample (large data), its size; the winners were then refined on every row. Null when fitted on all rows.</summary>
    public int? FitSampleRows { get; init; }

    /// <summary>The solution for <paramref name="k"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sweep did not include that k.</exception>
    public KSolution For(int k) => Solutions.FirstOrDefault(s => s.K == k) ?? throw new ArgumentOutOfRangeException(nameof(k), k, $"The sweep covered k = {Solutions[0].K}..{Solutions[^1].K}.");
}
