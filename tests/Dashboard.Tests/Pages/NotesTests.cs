using Bunit;
using Segmentation.Dashboard.Components.Pages;
using Segmentation.Dashboard.State;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class NotesTests : DashboardTestContext
{
    [Fact]
    public async Task Notes_typed_on_the_segments_page_are_kept_trimmed_and_bounded_and_cleared_by_new_data()
    {
        await AnalyseBlobsAsync(3, 3);
        var page = Render<Segments>();
        var field = page.Find("textarea[data-testid=analysis-notes], [data-testid=analysis-notes] textarea");
        await page.InvokeAsync(() => field.Input("  For the December campaign.  "));
        page.WaitForAssertion(() => Assert.Equal("For the December campaign.", State.Notes), TimeSpan.FromSeconds(5));

        State.SetNotes(new string('x', DashboardState.MaxNotesLength + 50));
        Assert.Equal(DashboardState.MaxNotesLength, State.Notes.Length);

        await LoadBlobsAsync();
        Assert.Equal(string.Empty, State.Notes);
    }
}
