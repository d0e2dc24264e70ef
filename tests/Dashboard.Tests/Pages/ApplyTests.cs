using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class ApplyTests : DashboardTestContext
{
    private const string NextMonth = "CUST_ID,SPEND,VISITS,RETURNS,CHANNEL\nC1,3,0,1,web\nC2,1003,21,10,shop\nC900,500,10,1,web\n";

    [Fact]
    public async Task The_open_analysis_scores_next_months_file_with_who_moved_and_who_is_new()
    {
        await AnalyseBlobsAsync(3, 3);
        var cut = Render<Apply>();
        Assert.Contains("This analysis at k = 3", cut.Find("[data-testid=apply-model-source]").TextContent, StringComparison.Ordinal);

        Upload(cut, "apply-upload-input", NextMonth, "next-month.csv");
        cut.WaitForAssertion(() => Assert.Contains("scored 3 of 3 customers with k = 3", cut.Find("[data-testid=apply-summary]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var notes = cut.Find("[data-testid=apply-notes]").TextContent;
        Assert.Contains("CHANNEL", notes, StringComparison.Ordinal);

        // C2 was in the first group (spend 0-18) and now looks like the third; C900 is new. Three rows are too few to judge drift.
        Assert.Contains("2 customers are in both", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("1 changed segment, 1 new, 88 no longer there", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Download the 1 who changed segment", cut.Find("[data-testid=download-moved]").TextContent, StringComparison.Ordinal);
        Assert.StartsWith("Too few customers to judge drift (3 scored", cut.Find("[data-testid=apply-verdict]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_without_the_model_columns_is_refused_naming_them_and_a_damaged_model_file_says_why()
    {
        await AnalyseBlobsAsync(3, 3);
        var cut = Render<Apply>();
        Upload(cut, "apply-upload-input", "CUST_ID,SPEND\nC1,3\n", "partial.csv");
        cut.WaitForAssertion(() => Assert.Contains("lacks the model's columns VISITS, RETURNS", cut.Find("[data-testid=apply-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));

        Upload(cut, "model-upload-input", "{\"format\": \"segmentation-model\", \"version\": 99}", "future.json");
        cut.WaitForAssertion(() => Assert.Contains("made by a newer version of the app", cut.Find("[data-testid=model-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("This analysis at k = 3", cut.Find("[data-testid=apply-model-source]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_analysis_a_model_file_is_enough_to_score_a_file()
    {
        using var other = new Segmentation.Dashboard.State.DashboardState(new Segmentation.Analytics.AnalysisThrottle(1));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("CUST_ID,SPEND,VISITS,RETURNS\n" + string.Concat(Enumerable.Range(0, 90).Select(i => FormattableString.Invariant($"C{i + 1},{(i % 3 * 500) + (i % 7 * 3)},{(i % 3 * 10) + (i % 5)},{(i % 3 == 2 ? 8 : 1) + (i % 3)}\n")))));
        await other.LoadCsvAsync(stream, "groups.csv", null, CancellationToken.None);
        other.SetKRange(3, 3);
        await other.RunAnalysisAsync();
        var json = other.Model()!.ToJson();

        var cut = Render<Apply>();
        Assert.Contains("No analysis is open", cut.Find("[data-testid=apply-model-source]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=apply-upload]"));
        Upload(cut, "model-upload-input", json, "groups-model.json");
        cut.WaitForAssertion(() => Assert.Contains("From the file groups-model.json: k = 3", cut.Find("[data-testid=apply-model-source]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Upload(cut, "apply-upload-input", NextMonth, "next-month.csv");
        cut.WaitForAssertion(() => Assert.Contains("scored 3 of 3", cut.Find("[data-testid=apply-summary]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Empty(cut.FindAll("[data-testid=chart-apply-migration]"));
    }

    private static void Upload(IRenderedComponent<Apply> cut, string inputClass, string content, string name) =>
        cut.FindComponents<InputFile>().Single(i => (i.Instance.AdditionalAttributes?.TryGetValue("class", out var c) ?? false) && c?.ToString()?.Contains(inputClass, StringComparison.Ordinal) == true)
            .UploadFiles(InputFileContent.CreateFromText(content, name));
}
