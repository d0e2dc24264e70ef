using System.Globalization;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Pipeline;

/// <summary>
/// Everything that decides a segmentation's result: the features and how each is prepared, the k range, the seed, restarts, engine
/// and the silhouette and stability settings. Equal recipes on equal data give identical results on any core count, so a recipe
/// (saved with a model or printed by <c>sweep --json</c>) repeats an analysis exactly.
/// </summary>
public sealed record SegmentationRecipe
{
    /// <summary>The default recipe: every numeric non-identifier column, median imputation, z-score, k = 2..10, seed 1.</summary>
    public static SegmentationRecipe Default { get; } = new();

    /// <summary>The column that identifies customers (never a feature); null uses the one detected in the data.</summary>
    public string? IdentifierColumn { get; init; }

    /// <summary>The feature columns (file columns, categorical columns to one-hot encode, dates, and derived features by name); null
    /// means every column whose default role is feature (see <see cref="Ingest.ColumnTyping"/>) and every derived feature.</summary>
    public IReadOnlyList<string>? Features { get; init; }

    /// <summary>Columns to treat as categories and cluster on by one-hot encoding (one 0/1 column per value, weighted so that one column counts like one numeric feature).</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];

    /// <summary>Columns not clustered on but described per segment: the share of each category, the rate of a flag, the mean of a number.</summary>
    public IReadOnlyList<string> Described { get; init; } = [];

    /// <summary>Formulas that make new columns (<c>NAME = expression</c>); they are features unless <see cref="Features"/> leaves them out.</summary>
    public IReadOnlyList<DerivedFeature> Derived { get; init; } = [];

    /// <summary>The date that dates are counted to, as days before it; null uses the newest date in the data (and the result's recipe records it).</summary>
    public DateOnly? ReferenceDate { get; init; }

    /// <summary>The year ages are counted to from years of birth; null uses the reference date's year, or the current year when the data has no dates.</summary>
    public int? ReferenceYear { get; init; }

    /// <summary>How dates are written in columns whose values do not prove it (e.g. every day is 12 or less).</summary>
    public IReadOnlyDictionary<string, Ingest.DateOrder> DateOrders { get; init; } = new Dictionary<string, Ingest.DateOrder>();

    /// <summary>How missing feature values are handled.</summary>
    public MissingValueStrategy Missing { get; init; } = MissingValueStrategy.Median;

    /// <summary>Features transformed with log(1 + x).</summary>
    public IReadOnlyList<string> Log1pColumns { get; init; } = [];

    /// <summary>Also log1p every feature where the skew assistant suggests it.</summary>
    public bool AutoLog1p { get; init; }

    /// <summary>Lower clipping percentile (0..1), with <see cref="ClipUpper"/>; null for no clipping.</summary>
    public double? ClipLower { get; init; }

    /// <summary>Upper clipping percentile (0..1).</summary>
    public double? ClipUpper { get; init; }

    /// <summary>How features are scaled.</summary>
    public ScalingMethod Scaling { get; init; } = ScalingMethod.ZScore;

    /// <summary>Smallest k.</summary>
    public int KMin { get; init; } = 2;

    /// <summary>Largest k.</summary>
    public int KMax { get; init; } = 10;

    /// <summary>Seed of every random choice.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Fresh restarts per k; null chooses by size (<see cref="KMeansSweep.AutoRestarts"/>).</summary>
    public int? Restarts { get; init; }

    /// <summary>The k-means implementation.</summary>
    public KMeansEngine Engine { get; init; } = KMeansEngine.Simd;

    /// <summary>ML.NET's initialisation (only with <see cref="KMeansEngine.MlNet"/>).</summary>
    public KMeansInitialization Initialization { get; init; } = KMeansInitialization.Yinyang;

    /// <summary>Subsamples refitted per k to measure stability; 0 skips it.</summary>
    public int StabilityResamples { get; init; } = 5;

    /// <summary>Up to this many rows the silhouette is exact; above, it is estimated on a seeded sample.</summary>
    public int SilhouetteExactLimit { get; init; } = 20_000;

    /// <summary>Rows in the silhouette sample.</summary>
    public int SilhouetteSampleSize { get; init; } = 10_000;

    /// <summary>The preprocessing part of the recipe.</summary>
    public PreprocessOptions ToPreprocessOptions() => new()
    {
        Features = Features,
        Missing = Missing,
        Log1pColumns = Log1pColumns,
        AutoLog1p = AutoLog1p,
        Winsorize = ClipLower is { } low && ClipUpper is { } high ? (low, high) : null,
        Scaling = Scaling,
    };

    /// <summary>The sweep part of the recipe.</summary>
    public SweepOptions ToSweepOptions() => new()
    {
        KMin = KMin,
        KMax = KMax,
        Seed = Seed,
        Restarts = Restarts,
        Engine = Engine,
        Initialization = Initialization,
        StabilityResamples = StabilityResamples,
        SilhouetteExactLimit = SilhouetteExactLimit,
        SilhouetteSampleSize = SilhouetteSampleSize,
    };

    /// <summary>A recipe with the preprocessing settings of <paramref name="options"/> (features, missing values, log1p, clipping, scaling).</summary>
    public SegmentationRecipe WithPreprocess(PreprocessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return this with
        {
            Features = options.Features,
            Missing = options.Missing,
            Log1pColumns = options.Log1pColumns,
            AutoLog1p = options.AutoLog1p,
            ClipLower = options.Winsorize?.Lower,
            ClipUpper = options.Winsorize?.Upper,
            Scaling = options.Scaling,
        };
    }

    /// <summary>The recipe in one sentence, for reports and logs.</summary>
    public string Describe()
    {
        var features = Features is null ? AnalyticsTexts.Get("RecipeDefaultFeatures") : AnalyticsTexts.Get(Features.Count == 1 ? "RecipeOneFeature" : "RecipeFeatures", Features.Count);
        if (Derived.Count > 0)
        {
            features += AnalyticsTexts.Get("RecipeDerived", Derived.Count);
        }

        var clip = ClipLower is { } low && ClipUpper is { } high
            ? AnalyticsTexts.Get("RecipeClipped", (low * 100).ToString("0.#", AnalyticsTexts.Numbers), (high * 100).ToString("0.#", AnalyticsTexts.Numbers))
            : string.Empty;
        var log = Log1pColumns.Count > 0 ? AnalyticsTexts.Get("RecipeLogOn", string.Join(", ", Log1pColumns)) : AutoLog1p ? AnalyticsTexts.Get("RecipeLogSuggested") : string.Empty;
        var missing = AnalyticsTexts.Get(Missing switch { MissingValueStrategy.Mean => "RecipeMissingMean", MissingValueStrategy.DropRows => "RecipeMissingDrop", _ => "RecipeMissingMedian" });
        var scaled = AnalyticsTexts.Get(Scaling switch { ScalingMethod.Robust => "RecipeRobust", ScalingMethod.MinMax => "RecipeMinMax", ScalingMethod.None => "RecipeUnscaled", _ => "RecipeZScore" });
        return AnalyticsTexts.Get("RecipeSentence", features, missing, log, clip, scaled, KMin, KMax, Seed, Engine == KMeansEngine.MlNet ? "ML.NET" : "SIMD");
    }
}
