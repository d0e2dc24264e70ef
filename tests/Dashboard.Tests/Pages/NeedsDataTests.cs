using Bunit;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class NeedsDataTests : DashboardTestContext
{
    [Fact]
    public void Explore_without_data_points_to_the_data_page()
    {
        var cut = Render<Explore>();
        Assert.Equal(string.Empty, cut.Find("[data-testid=needs-data-link]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=chart-correlation]"));
    }

    [Fact]
    public void Segment_without_data_points_to_the_data_page()
    {
        var cut = Render<Segment>();
        Assert.NotNull(cut.Find("[data-testid=needs-data-link]"));
        Assert.Empty(cut.FindAll("[data-testid=run-analysis]"));
    }

    [Fact]
    public async Task Segments_without_data_and_without_an_analysis_say_what_is_missing()
    {
        var cut = Render<Segments>();
        Assert.NotNull(cut.Find("[data-testid=needs-data-link]"));

        await LoadBlobsAsync();
        cut.Render();
        var notice = cut.Find("[data-testid=needs-data]");
        Assert.Contains("Run one on the", notice.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=segment-card]"));
    }
}
