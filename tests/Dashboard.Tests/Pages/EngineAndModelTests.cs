using Bunit;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Pipeline;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class EngineAndModelTests : DashboardTestContext
{
    [Fact]
    public async Task The_mlnet_engine_chosen_under_advanced_settings_runs_and_finds_the_same_groups()
    {
        await AnalyseBlobsAsync(3, 3);
        var simd = State.View!.Solution.Sizes.ToArray();
        Assert.Equal(KMeansEngine.Simd, State.Run!.Recipe.Engine);

        var page = Render<Segment>();
        Assert.NotNull(page.Find("[data-testid=advanced-settings]"));
        State.SetEngine(KMeansEngine.MlNet);
        Assert.True(State.ResultsOutdated);
        await State.RunAnalysisAsync();

        Assert.Equal(KMeansEngine.MlNet, State.Run!.Recipe.Engine);
        Assert.Equal(simd, State.View!.Solution.Sizes);
    }

    [Fact]
    public async Task The_model_of_the_chosen_k_carries_the_numbers_names_and_colours_on_screen_and_scores_the_data_back()
    {
        await AnalyseBlobsAsync(2, 4);
        State.SelectK(4);
        State.SelectK(3);
        var shown = State.Displayed!;
        State.EditSegment(shown.Numbers[1], "Renamed by the analyst", "Call them.");

        var model = SegmentationModel.FromJson(State.Model()!.ToJson());
        Assert.Equal(State.Displayed!.Numbers, model.Segments.Select(s => s.Number));
        Assert.Equal("Renamed by the analyst", model.Segments[1].Name);
        Assert.Equal("Call them.", model.Segments[1].Recommendation);
        Assert.Equal(Segmentation.Analytics.Segments.SegmentPalette.Colour(shown.Numbers[1]), model.Segments[1].Colour);

        var scores = model.Score(State.Data!.Dataset);
        var assignment = State.ExportAssignment()!;
        Assert.Equal(Enumerable.Range(0, State.Data.Dataset.RowCount).Select(assignment.SegmentOf), scores.Numbers);
    }
}
