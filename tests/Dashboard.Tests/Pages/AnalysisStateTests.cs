using Bunit;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class AnalysisStateTests : DashboardTestContext
{
    [Fact]
    public async Task Cancel_stops_a_running_analysis_and_leaves_no_results()
    {
        await State.LoadSampleAsync(CancellationToken.None);
        var page = Render<Segment>();
        var running = State.RunAnalysisAsync();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=analysis-progress]")));
        Assert.True(State.IsRunning);
        page.Find("[data-testid=cancel-analysis]").Click();
        await running;
        Assert.False(State.IsRunning);
        Assert.Null(State.Run);
        Assert.Null(State.AnalysisError);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=analysis-progress]")));
    }

    [Fact]
    public async Task Changing_a_setting_marks_results_outdated_and_a_bad_setting_shows_an_alert()
    {
        await AnalyseBlobsAsync(2, 3);
        Assert.False(State.ResultsOutdated);
        State.SetFeature("VISITS", false);
        Assert.True(State.ResultsOutdated);
        Assert.NotNull(State.Run);

        State.SetAllFeatures(false);
        State.SetFeature("RETURNS", true);
        State.SetKRange(10, 12);
        var page = Render<Segment>();
        await State.RunAnalysisAsync();
        page.WaitForAssertion(() => Assert.Contains("distinct rows", page.Find("[data-testid=analysis-error]").TextContent, StringComparison.Ordinal));
    }
}
