using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Segments;

namespace Segmentation.Dashboard.State;

/// <summary>Everything the pages show for one k, computed once after the sweep so that choosing a k recomputes nothing.</summary>
/// <param name="Solution">The k-means solution.</param>
/// <param name="Assignment">The segment of every dataset row.</param>
/// <param name="Profiles">Segment profiles in original units.</param>
/// <param name="Traits">The distinguishing traits of each segment, index 0 for segment 1.</param>
/// <param name="CentroidCoordinates">Centroids on the first two principal components, row-major k × 2.</param>
/// <param name="Insights">Generated names, recommendations and their evidence, in the solution's order.</param>
/// <param name="Silhouettes">Each segment's silhouettes sorted by fit, for the silhouette plot, in the solution's order.</param>
public sealed record KView(KSolution Solution, SegmentAssignment Assignment, SegmentProfiles Profiles, IReadOnlyList<IReadOnlyList<SegmentTrait>> Traits, float[] CentroidCoordinates, IReadOnlyList<SegmentInsight> Insights, IReadOnlyList<SilhouetteProfile> Silhouettes);

/// <summary>A finished analysis: the recipe, the sweep, the PCA coordinates and a view per k.</summary>
public sealed record SegmentationRun(
    Dataset Dataset,
    PreprocessResult Preprocessed,
    SweepResult Sweep,
    float[] RowCoordinates,
    IReadOnlyDictionary<int, KView> Views,
    double ElapsedMs)
{
    /// <summary>Builds the per-k views for a finished sweep.</summary>
    public static SegmentationRun Create(Dataset dataset, PreprocessResult preprocessed, SweepResult sweep, double elapsedMs, CancellationToken cancellationToken)
    {
        var features = preprocessed.Matrix.FeatureNames;
        var views = new Dictionary<int, KView>();
        foreach (var solution in sweep.Solutions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var assignment = new SegmentAssignment(dataset.RowCount, preprocessed.Matrix, solution);
            var profiles = SegmentProfiler.Profile(dataset, assignment, features);
            var traits = Enumerable.Range(1, assignment.K).Select(s => SegmentTraits.For(profiles, s)).ToArray();
            var insights = SegmentNamer.Name(profiles);
            assignment = assignment.WithLabels(insights.Select(i => i.Name).ToArray());
            var silhouettes = SilhouetteProfile.Of(solution.Labels, solution.RowSilhouettes, solution.K);
            views[solution.K] = new KView(solution, assignment, profiles, traits, sweep.Pca.ProjectPoints(solution.Centroids.ToArray(), 2), insights, silhouettes);
        }

        return new SegmentationRun(dataset, preprocessed, sweep, sweep.Pca.Project(preprocessed.Matrix, 2), views, elapsedMs);
    }
}
