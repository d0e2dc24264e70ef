using System.Text;
using Bunit;
using Segmentation.Analytics.Export;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class RenameTests : DashboardTestContext
{
    [Fact]
    public async Task A_renamed_segment_keeps_its_name_and_recommendation_when_k_changes_and_the_export_carries_it()
    {
        await AnalyseBlobsAsync(3, 4, perGroup: 40);
        var cut = Render<Segments>();
        var card = cut.FindAll("[data-testid=segment-card]")[0];
        var number = card.GetAttribute("data-segment")!;

        cut.Find($"[data-testid=edit-segment-{number}]").Click();
        cut.Find("[data-testid=segment-name-input]").Change("Weekend regulars <b>");
        cut.Find("[data-testid=segment-recommendation-input]").Change("Send the weekend brunch offer.");
        cut.Find("[data-testid=save-segment]").Click();
        Assert.Equal("Weekend regulars <b>", cut.Find($"[data-segment='{number}'] [data-testid=segment-name]").TextContent);
        Assert.Empty(cut.FindAll($"[data-segment='{number}'] [data-testid=segment-name] b"));

        State.SelectK(4);
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=segment-card]").Count));
        State.SelectK(3);
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-testid=segment-card]").Count));
        Assert.Equal("Weekend regulars <b>", cut.Find($"[data-segment='{number}'] [data-testid=segment-name]").TextContent);
        Assert.Equal("Send the weekend brunch offer.", cut.Find($"[data-segment='{number}'] [data-testid=segment-recommendation]").TextContent);

        using var stream = new MemoryStream();
        await SegmentExporter.WriteAsync(stream, State.Data!.Dataset, State.ExportAssignment()!, segment: int.Parse(number, System.Globalization.CultureInfo.InvariantCulture));
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(41, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.Contains($",{number},Weekend regulars <b>,", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cards_show_generated_names_with_the_evidence_behind_them()
    {
        await AnalyseBlobsAsync(3, 3);
        var cut = Render<Segments>();
        var names = cut.FindAll("[data-testid=segment-name]").Select(n => n.TextContent).ToArray();
        Assert.Equal(3, names.Distinct().Count());
        Assert.All(cut.FindAll("[data-testid=segment-recommendation]"), r => Assert.False(string.IsNullOrWhiteSpace(r.TextContent)));

        // No rule pack knows SPEND/VISITS/RETURNS, so a name is made of the segment's top traits, and the card lists those traits
        // with their numbers: the evidence behind the name.
        var view = State.View!;
        var cards = cut.FindAll("[data-testid=segment-card]");
        for (var i = 0; i < 3; i++)
        {
            var traits = cards[i].QuerySelectorAll("[data-testid=segment-traits] li").Select(li => li.TextContent).ToArray();
            Assert.NotEmpty(traits);
            Assert.All(traits, t => Assert.Matches(@"\d", t));
            Assert.Equal(view.Traits[i].Take(4).Select(t => t.Description), traits.Select(t => t[2..].Trim()));
            Assert.Contains(view.Traits[i][0].Feature, names[i], StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task A_renamed_segment_keeps_its_number_and_name_when_the_seed_changes()
    {
        await AnalyseBlobsAsync(3, 3, perGroup: 40);
        var renamed = State.Displayed!.Numbers[2];
        var size = State.View!.Solution.Sizes[2];
        State.EditSegment(renamed, "Our own name", null);

        State.SetSeed(77);
        await State.RunAnalysisAsync();
        var shown = State.Displayed!;
        var index = shown.IndexOf(renamed);
        Assert.True(index >= 0, "the renamed segment keeps its number after a re-run with another seed");
        Assert.Equal("Our own name", shown.Names[index]);
        Assert.Equal(size, State.View!.Solution.Sizes[index]);
        Assert.Equal([1, 2, 3], shown.Numbers.Order());
    }
}
