using Segmentation.Analytics.Pipeline;

namespace Segmentation.Analytics.Tests.Pipeline;

/// <summary>A saved sweep reopens without fitting, and gives the analysis that was saved.</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class SweepSnapshotTests(CcGeneralFixture fixture)
{
    [Fact]
    public void A_restored_cc_general_analysis_has_every_label_measure_and_name_of_the_saved_one()
    {
        var saved = fixture.Analysis;
        var json = SweepSnapshot.Of(saved).ToJson();
        var restored = SegmentationPipeline.Restore(fixture.Ingest.Dataset, saved.Recipe, SweepSnapshot.FromJson(json));

        Assert.Equal(saved.Ks, restored.Ks);
        Assert.Equal(saved.Sweep.RecommendedK, restored.Sweep.RecommendedK);
        Assert.Equal(saved.Sweep.RecommendationReason, restored.Sweep.RecommendationReason);
        foreach (var k in saved.Ks)
        {
            var (a, b) = (saved.Sweep.Solutions.Single(s => s.K == k), restored.Sweep.Solutions.Single(s => s.K == k));
            Assert.Equal(a.Labels, b.Labels);
            Assert.Equal(a.Centroids, b.Centroids);
            Assert.Equal(a.Distances, b.Distances);
            Assert.Equal(a.Sizes, b.Sizes);
            Assert.Equal(a.RowSilhouettes, b.RowSilhouettes);
            Assert.Equal(a.Silhouette, b.Silhouette);
            Assert.Equal(a.Stability!.SegmentJaccard, b.Stability!.SegmentJaccard);
            Assert.Equal(saved.For(k).Insights.Select(i => i.Name), restored.For(k).Insights.Select(i => i.Name));
        }

        Assert.Equal(saved.RowCoordinates, restored.RowCoordinates);
        Assert.False(restored.TimingsMs.ContainsKey("fit"));
    }

    [Fact]
    public void A_snapshot_of_other_data_is_refused_with_the_reason()
    {
        var snapshot = SweepSnapshot.Of(fixture.Analysis);
        var recipe = fixture.Analysis.Recipe with { Features = ["BALANCE", "PURCHASES"] };
        var refused = Assert.Throws<AnalysisInputException>(() => SegmentationPipeline.Restore(fixture.Ingest.Dataset, recipe, snapshot));
        Assert.Contains("the data prepared now has 8,950 rows of BALANCE, PURCHASES", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ModelFormatException>(() => SweepSnapshot.FromJson("{\"version\":2,\"features\":[],\"rows\":0,\"solutions\":[],\"recommendedK\":2,\"recommendationReason\":\"\",\"pcaMeans\":[],\"pcaEigenvalues\":[],\"pcaComponents\":[]}"));
    }
}
