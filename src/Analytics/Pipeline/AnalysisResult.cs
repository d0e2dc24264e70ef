using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Scoring;
using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Pipeline;

/// <summary>The segmentation at one k of an analysis: everything the pages, exports and models need, computed once after the sweep.</summary>
/// <param name="Solution">The k-means solution (labels, centroids in prepared units, metrics).</param>
/// <param name="Assignment">The segment of every dataset row, with the generated names.</param>
/// <param name="Profiles">Segment profiles in original units.</param>
/// <param name="Traits">The distinguishing traits of each segment, index 0 for segment 1.</param>
/// <param name="CentroidCoordinates">Centroids on the first two principal components, row-major k × 2.</param>
/// <param name="Insights">Generated names, recommendations and their evidence, in the solution's order.</param>
/// <param name="Silhouettes">Each segment's silhouettes sorted by fit, for the silhouette plot, in the solution's order.</param>
/// <param name="Borderline">Customers with a silhouette under <see cref="Segments.Borderline.Threshold"/>, lowest first.</param>
/// <param name="OriginalCentroids">Centroids mapped back to original units (scaling and log1p undone), one row per segment.</param>
/// <param name="DistanceP99">Per segment: the 99th percentile of its rows' distances to its centroid (prepared units).</param>
public sealed record KSegmentation(
    KSolution Solution,
    SegmentAssignment Assignment,
    SegmentProfiles Profiles,
    IReadOnlyList<IReadOnlyList<SegmentTrait>> Traits,
    IReadOnlyList<float> CentroidCoordinates,
    IReadOnlyList<SegmentInsight> Insights,
    IReadOnlyList<SilhouetteProfile> Silhouettes,
    IReadOnlyList<BorderlineCustomer> Borderline,
    IReadOnlyList<IReadOnlyList<double>> OriginalCentroids,
    IReadOnlyList<double> DistanceP99)
{
    /// <summary>The number of segments.</summary>
    public int K => Solution.Sizes.Count;

    /// <summary>Per categorical or flag column (clustered on or described): the share of each level per segment and overall.</summary>
    public IReadOnlyList<CategoryComposition> Composition { get; init; } = [];
}

/// <summary>The share of each level of one column, overall and per segment (shares of the rows whose value is known).</summary>
/// <param name="Column">The column.</param>
/// <param name="IsFeature">Whether the column is clustered on (one-hot) or only described.</param>
/// <param name="Levels">The levels as written (for a flag, only the "yes" level).</param>
/// <param name="Overall">Share of each level over clustered rows.</param>
/// <param name="BySegment">Per segment (solution order), the share of each level.</param>
public sealed record CategoryComposition(string Column, bool IsFeature, IReadOnlyList<string> Levels, IReadOnlyList<double> Overall, IReadOnlyList<IReadOnlyList<double>> BySegment)
{
    /// <summary>A level as people read it: a label as it is ("Female"), a numeric code with its column ("Region 2").</summary>
    public static string LevelLabel(string column, string level)
    {
        ArgumentNullException.ThrowIfNull(level);
        return double.TryParse(level, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) ? $"{column} {level}" : level;
    }

    /// <summary>Reads compositions off the profiles of the 0/1 level columns (their means are the shares).</summary>
    public static IReadOnlyList<CategoryComposition> Of(IReadOnlyList<CategoryGroup> groups, SegmentProfiles profiles)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(profiles);
        var index = profiles.Features.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        var result = new List<CategoryComposition>();
        foreach (var group in groups)
        {
            var levels = group.Levels.Where(l => index.ContainsKey(l.Indicator)).ToArray();
            if (levels.Length == 0)
            {
                continue;
            }

            var overall = levels.Select(l => profiles.Separation[index[l.Indicator]].OverallMean).ToArray();
            var bySegment = profiles.Segments.Select(s => (IReadOnlyList<double>)levels.Select(l => s.Means[index[l.Indicator]]).ToArray()).ToArray();
            result.Add(new CategoryComposition(group.Column, group.IsFeature, levels.Select(l => l.Level).ToArray(), overall, bySegment));
        }

        return result;
    }
}

/// <summary>
/// A finished analysis, immutable: the recipe and data it came from, the fitted preparation, the sweep over k (metrics, recommended
/// k, PCA) and the segmentation at every k. Only <see cref="SegmentationPipeline.Run"/> makes one.
/// </summary>
public sealed class AnalysisResult
{
    private readonly IReadOnlyDictionary<int, Lazy<KSegmentation>> _segmentations;
    private readonly Lazy<float[]> _rowCoordinates;
    private readonly Lazy<FeatureReference[]> _reference;

    internal AnalysisResult(Dataset dataset, SegmentationRecipe recipe, string? identifierColumn, PreprocessResult preprocessed, SweepResult sweep, Lazy<float[]> rowCoordinates, IReadOnlyDictionary<int, Lazy<KSegmentation>> segmentations, IReadOnlyDictionary<string, double> timingsMs)
    {
        Dataset = dataset;
        Recipe = recipe;
        IdentifierColumn = identifierColumn;
        Preprocessed = preprocessed;
        Sweep = sweep;
        _rowCoordinates = rowCoordinates;
        _segmentations = segmentations;
        TimingsMs = timingsMs;
        _reference = new Lazy<FeatureReference[]>(() => preprocessed.Preparations
            .Select(p => FeatureReference.Fit(p.Name, dataset.Column(p.Name).Numbers)).ToArray());
    }

    /// <summary>The training distribution of each feature before preparation (the model's reference for drift), computed once.</summary>
    public IReadOnlyList<FeatureReference> Reference => _reference.Value;

    /// <summary>The data analysed: the file's columns, then the derived and encoded ones (see <see cref="Plan"/>).</summary>
    public Dataset Dataset { get; }

    /// <summary>What the analysis did with every column, and why.</summary>
    public required ColumnPlan Plan { get; init; }

    /// <summary>Values encoding could not read and formula rows that were missing or divided by zero, naming lines.</summary>
    public IReadOnlyList<string> EncodingWarnings { get; init; } = [];

    /// <summary>The recipe that decided the result.</summary>
    public SegmentationRecipe Recipe { get; }

    /// <summary>The identifier column used (the recipe's, or the detected one), or null.</summary>
    public string? IdentifierColumn { get; }

    /// <summary>The clustering matrix and its fitted preparation.</summary>
    public PreprocessResult Preprocessed { get; }

    /// <summary>Metrics per k, the recommended k and the PCA.</summary>
    public SweepResult Sweep { get; }

    /// <summary>Each clustered row on the first two principal components, row-major n × 2 (the second 0 with one feature).
    /// Projected on first use (only the map needs it; a CLI sweep of 1,000,000 rows saves 0.3 s) and kept.</summary>
    public IReadOnlyList<float> RowCoordinates => _rowCoordinates.Value;

    /// <summary>The k values with a segmentation, increasing.</summary>
    public IReadOnlyList<int> Ks => Sweep.Solutions.Select(s => s.K).ToArray();

    /// <summary>Milliseconds per stage (preparation, every sweep stage, profiling) and <c>total</c>.</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; }

    /// <summary>Total time of the analysis in milliseconds.</summary>
    public double ElapsedMs => TimingsMs.TryGetValue("total", out var total) ? total : 0;

    /// <summary>Whether there is a segmentation at <paramref name="k"/>.</summary>
    public bool Has(int k) => _segmentations.ContainsKey(k);

    /// <summary>The segmentation at <paramref name="k"/>, built on first use (thread-safe, once) and kept; after
    /// <see cref="PrecomputeAll"/> no call computes anything.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The sweep did not include that k.</exception>
    public KSegmentation For(int k) => _segmentations.TryGetValue(k, out var segmentation)
        ? segmentation.Value
        : throw new ArgumentOutOfRangeException(nameof(k), k, $"The analysis covered k = {Ks[0]}..{Ks[^1]}.");

    /// <summary>Builds the segmentation of every k and the map coordinates now, so that choosing a k afterwards recomputes nothing.</summary>
    public void PrecomputeAll(CancellationToken cancellationToken = default)
    {
        Parallel.ForEach(_segmentations.Values, new ParallelOptions { CancellationToken = cancellationToken }, lazy => _ = lazy.Value);
        _ = _rowCoordinates.Value;
    }

    /// <summary>
    /// The portable model of k: the recipe, every fitted preparation parameter, the centroids and the segments as shown (numbers,
    /// names, recommendations from <paramref name="shown"/>, or the generated ones numbered 1..k).
    /// </summary>
    public SegmentationModel ToModel(int k, DisplayedSegments? shown = null, DateTimeOffset? createdAt = null)
    {
        var segmentation = For(k);
        var d = Preprocessed.Matrix.Columns;
        var centroids = segmentation.Solution.Centroids;
        var segments = new List<ModelSegment>();
        for (var s = 0; s < segmentation.K; s++)
        {
            var number = shown?.Numbers[s] ?? s + 1;
            segments.Add(new ModelSegment(
                number,
                shown?.Names[s] ?? segmentation.Insights[s].Name,
                SegmentPalette.Colour(number),
                shown?.Recommendations[s] ?? segmentation.Insights[s].Recommendation,
                segmentation.Solution.Sizes[s],
                segmentation.DistanceP99[s]));
        }

        return new SegmentationModel
        {
            CreatedAt = createdAt ?? DateTimeOffset.UtcNow,
            Recipe = Recipe,
            IdColumn = IdentifierColumn,
            Features = Preprocessed.Preparations,
            Encodings = Plan.Encodings.Where(e => e is FormulaEncoding || Preprocessed.Matrix.FeatureNames.Contains(e.Name)).ToArray(),
            Centroids = Enumerable.Range(0, segmentation.K).Select(s => (IReadOnlyList<float>)centroids.Skip(s * d).Take(d).ToArray()).ToArray(),
            Segments = segments,
            Reference = Reference,
        };
    }
}
