using System.Diagnostics;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Segments;
using Segmentation.Analytics.Statistics;

namespace Segmentation.Analytics.Pipeline;

/// <summary>
/// The one place where an analysis is assembled: prepare the features and sweep k; the map coordinates and the segmentation at each k
/// (assignment, profiles, traits, names, silhouettes, borderline customers, centroids in original units) is built from the same
/// inputs on first use, or all at once with <see cref="AnalysisResult.PrecomputeAll"/>. The dashboard, the CLI, the tests and
/// the benchmarks all call <see cref="Run"/>.
/// </summary>
public static class SegmentationPipeline
{
    /// <summary>Runs <paramref name="recipe"/> on <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The data.</param>
    /// <param name="recipe">What to do; <see cref="SegmentationRecipe.Default"/> when null.</param>
    /// <param name="progress">Receives <c>"preparing"</c>, then the sweep's progress.</param>
    /// <param name="cancellationToken">Stops the analysis at the next fit, data pass, row block or k.</param>
    /// <exception cref="AnalysisInputException">The data cannot be analysed with this recipe; the message says what to change.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static AnalysisResult Run(Dataset dataset, SegmentationRecipe? recipe = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        recipe ??= SegmentationRecipe.Default;
        var clock = Stopwatch.StartNew();
        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        var plan = ColumnPlan.Resolve(dataset, recipe);
        var identifier = plan.Identifier;
        var (encoded, encoding) = FeatureEncoder.Apply(dataset, plan.Encodings);
        recipe = plan.Recipe;
        var preprocessOptions = recipe.ToPreprocessOptions() with { Features = plan.Features, IndicatorWeights = plan.IndicatorWeights };
        timings["encode"] = Lap(clock);
        cancellationToken.ThrowIfCancellationRequested();
        progress?.Report(new SweepProgress(0, 0, "preparing"));
        var preprocessed = Preprocessor.Run(encoded, preprocessOptions);
        timings["preprocess"] = Lap(clock);
        var sweep = KMeansSweep.Run(preprocessed.Matrix, recipe.ToSweepOptions(), progress, cancellationToken);
        foreach (var (stage, ms) in sweep.TimingsMs)
        {
            timings[stage] = ms;
        }

        return Assemble(encoded, recipe, plan, encoding, preprocessed, sweep, timings);
    }

    /// <summary>
    /// Rebuilds a saved analysis without fitting again: the data is prepared with the recipe as in <see cref="Run"/>, and every k's
    /// solution comes from the saved centroids and measures (<see cref="SweepSnapshot"/>); rows are assigned to the centroids with the
    /// arithmetic of the sweep, so the result is the one that was saved.
    /// </summary>
    /// <exception cref="AnalysisInputException">The snapshot does not fit the data prepared with the recipe (other features or rows).</exception>
    public static AnalysisResult Restore(Dataset dataset, SegmentationRecipe recipe, SweepSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(snapshot);
        var clock = Stopwatch.StartNew();
        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        var plan = ColumnPlan.Resolve(dataset, recipe);
        var (encoded, encoding) = FeatureEncoder.Apply(dataset, plan.Encodings);
        recipe = plan.Recipe;
        var preprocessed = Preprocessor.Run(encoded, recipe.ToPreprocessOptions() with { Features = plan.Features, IndicatorWeights = plan.IndicatorWeights });
        timings["preprocess"] = Lap(clock);
        var sweep = snapshot.ToSweep(preprocessed.Matrix, recipe.ToSweepOptions());
        timings["restore"] = Lap(clock);
        return Assemble(encoded, recipe, plan, encoding, preprocessed, sweep, timings);
    }

    private static AnalysisResult Assemble(Dataset encoded, SegmentationRecipe recipe, ColumnPlan plan, EncodingReport encoding, PreprocessResult preprocessed, SweepResult sweep, Dictionary<string, double> timings)
    {
        var identifier = plan.Identifier;
        var segmentations = sweep.Solutions.ToDictionary(
            s => s.K,
            s => new Lazy<KSegmentation>(() => Build(encoded, plan, preprocessed, sweep, s, identifier), LazyThreadSafetyMode.ExecutionAndPublication));
        var coordinates = new Lazy<float[]>(() => TwoDimensional(sweep.Pca.Project(preprocessed.Matrix, MapComponents(sweep)), MapComponents(sweep)), LazyThreadSafetyMode.ExecutionAndPublication);
        timings["total"] = Math.Round(timings.Where(t => t.Key != "total").Sum(t => t.Value), 2);
        return new AnalysisResult(encoded, recipe, identifier, preprocessed, sweep, coordinates, segmentations, timings) { Plan = plan, EncodingWarnings = [.. plan.Warnings, .. encoding.Warnings] };
    }

    private static KSegmentation Build(Dataset dataset, ColumnPlan plan, PreprocessResult preprocessed, SweepResult sweep, KSolution solution, string? identifier)
    {
        var matrix = preprocessed.Matrix;
        var features = matrix.FeatureNames;
        var unnamed = new SegmentAssignment(dataset.RowCount, matrix, solution);
        var shares = plan.Categories
            .SelectMany(g => g.Levels.Select(l => (l.Indicator, Label: g.Levels.Count == 1
                ? new ShareLabel(l.Level is "1" ? SegmentTraits.Readable(g.Column) : $"{SegmentTraits.Readable(g.Column)} {l.Level}", true)
                : new ShareLabel(l.Level == LevelEncoding.MissingLevel ? $"{g.Column} missing" : CategoryComposition.LevelLabel(g.Column, l.Level), false))))
            .ToDictionary(p => p.Indicator, p => p.Label, StringComparer.Ordinal);
        var profiles = SegmentProfiler.Profile(dataset, unnamed, features.Concat(plan.Described.Where(d => !features.Contains(d))).ToArray()) with { Shares = shares };
        var k = solution.Sizes.Count;
        var traits = Enumerable.Range(1, k).Select(s => SegmentTraits.For(profiles, s)).ToArray();
        var insights = SegmentNamer.Name(profiles);
        var assignment = unnamed.WithLabels(insights.Select(i => i.Name).ToArray());
        var silhouettes = SilhouetteProfile.Of(solution.Labels, solution.RowSilhouettes, k);
        var borderline = Borderline.Find(dataset, matrix, solution, identifier);
        var d = matrix.Columns;
        var original = Enumerable.Range(0, k)
            .Select(s => (IReadOnlyList<double>)Enumerable.Range(0, d).Select(j => preprocessed.Preparations[j].Invert(solution.Centroids[(s * d) + j])).ToArray())
            .ToArray();
        return new KSegmentation(solution, assignment, profiles, traits, TwoDimensional(sweep.Pca.ProjectPoints(solution.Centroids.ToArray(), MapComponents(sweep)), MapComponents(sweep)), insights, silhouettes, borderline, original, DistancePercentile(solution, k, 0.99))
        {
            Composition = CategoryComposition.Of(plan.Categories, profiles),
        };
    }

    /// <summary>Components on the map: 2, or 1 when there is a single feature.</summary>
    private static int MapComponents(SweepResult sweep) => Math.Min(2, sweep.Pca.ExplainedVarianceRatio.Count);

    /// <summary>Coordinates as n × 2, the second 0 when there is one component.</summary>
    private static float[] TwoDimensional(float[] coordinates, int components)
    {
        if (components == 2)
        {
            return coordinates;
        }

        var result = new float[coordinates.Length * 2];
        for (var i = 0; i < coordinates.Length; i++)
        {
            result[i * 2] = coordinates[i];
        }

        return result;
    }

    /// <summary>Per segment, the <paramref name="quantile"/> of its rows' distances to the centroid.</summary>
    private static double[] DistancePercentile(KSolution solution, int k, double quantile)
    {
        var bySegment = Enumerable.Range(0, k).Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < solution.Labels.Count; i++)
        {
            bySegment[solution.Labels[i]].Add(solution.Distances[i]);
        }

        return bySegment.Select(d => Descriptive.QuantileOfSorted(Descriptive.SortedFinite(d.ToArray()), quantile)).ToArray();
    }

    private static double Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        return Math.Round(elapsed, 2);
    }
}
