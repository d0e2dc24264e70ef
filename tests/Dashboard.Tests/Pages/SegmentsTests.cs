using Bunit;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class SegmentsTests : DashboardTestContext
{
    [Fact]
    public async Task Choosing_k_updates_the_cards_without_recomputing()
    {
        await AnalyseBlobsAsync(2, 4);
        Assert.NotNull(State.Run);
        var run = State.Run;
        Assert.Equal(3, State.SelectedK);

        var segments = Render<Segments>();
        Assert.Equal(3, segments.FindAll("[data-testid=segment-card]").Count);
        Assert.All(segments.FindAll("[data-testid=segment-card]"), card => Assert.Contains("30 customers", card.TextContent, StringComparison.Ordinal));

        var atThree = Numbers(segments);
        Assert.Equal([1, 2, 3], atThree);

        var page = Render<Segment>();
        page.Find("[data-testid=k-option-2]").Click();
        segments.WaitForAssertion(() => Assert.Equal(2, segments.FindAll("[data-testid=segment-card]").Count));
        Assert.Same(run, State.Run);
        var atTwo = Numbers(segments);
        Assert.Subset(atThree.ToHashSet(), atTwo.ToHashSet());
        Assert.Equal(atTwo.Select(n => $"export-segment-{n}"), segments.FindAll("[data-testid^=export-segment-]").Select(e => e.GetAttribute("data-testid")));

        page.Find("[data-testid=k-option-4]").Click();
        segments.WaitForAssertion(() => Assert.Equal(4, segments.FindAll("[data-testid=segment-card]").Count));
        Assert.Same(run, State.Run);
        Assert.Subset(Numbers(segments).ToHashSet(), atTwo.ToHashSet());
    }

    private static int[] Numbers(IRenderedComponent<Segments> page) =>
        page.FindAll("[data-testid=segment-card]").Select(c => int.Parse(c.GetAttribute("data-segment")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    [Fact]
    public async Task Cards_show_size_share_traits_with_numbers_and_a_recommendation()
    {
        await AnalyseBlobsAsync(3, 3);
        var cut = Render<Segments>();
        var card = cut.FindAll("[data-testid=segment-card]")[0];
        Assert.Contains("33.3", card.TextContent, StringComparison.Ordinal);
        var traits = card.QuerySelectorAll("[data-testid=segment-traits] li");
        Assert.NotEmpty(traits);
        Assert.Matches(@"\d", traits[0].TextContent);
        Assert.False(string.IsNullOrWhiteSpace(card.QuerySelector("[data-testid=segment-recommendation]")!.TextContent));
        Assert.NotNull(cut.Find("[data-testid=export-all]"));
    }
}
