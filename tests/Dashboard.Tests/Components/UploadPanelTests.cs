using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using MiniExcelLibs;
using Segmentation.Dashboard.Components.Shared;

namespace Segmentation.Dashboard.Tests.Components;

public sealed class UploadPanelTests : DashboardTestContext
{
    [Fact]
    public void A_malformed_file_shows_its_error_with_the_line_and_keeps_the_data()
    {
        var cut = Render<UploadPanel>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("id,a\nx1,1\nx2,\"2\nx3,3\n", "broken.csv"));
        cut.WaitForAssertion(() => Assert.Contains("Line 3", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("broken.csv could not be read.", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal);
        Assert.Null(State.Data);
    }

    [Fact]
    public void A_good_file_becomes_the_data_and_a_bad_one_afterwards_does_not_replace_it()
    {
        var cut = Render<UploadPanel>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("id;spend\nx1;1,5\nx2;2,5\nx3;3\n", "good.csv"));
        cut.WaitForAssertion(() => Assert.NotNull(State.Data), TimeSpan.FromSeconds(10));
        Assert.Equal([1.5, 2.5, 3.0], State.Data!.Dataset.Column("spend").Numbers.ToArray());

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(string.Empty, "empty.csv"));
        cut.WaitForAssertion(() => Assert.Contains("empty", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal("good.csv", State.Data!.Dataset.SourceName);
        Assert.Contains("still in use", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_whose_first_line_is_not_the_header_offers_to_read_without_one()
    {
        var rows = string.Concat(Enumerable.Range(0, 30).Select(i => string.Join(',', Enumerable.Range(0, 14).Select(c => ((i * 5) + c) % 9)) + "\n"));
        var cut = Render<UploadPanel>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("178,13,class_0,class_1,class_2\n" + rows, "wine_data.csv"));
        cut.WaitForAssertion(() => Assert.Contains("the first line has 5 fields, the rows have 14", cut.Find("[data-testid=upload-error]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Null(State.Data);

        cut.Find("[data-testid=read-without-header] button, button[data-testid=read-without-header]").Click();
        cut.WaitForAssertion(() => Assert.NotNull(State.Data), TimeSpan.FromSeconds(10));
        Assert.Equal(30, State.Data!.Dataset.RowCount);
        Assert.Equal("column_14", State.Data.Dataset.Columns[13].Name);
        Assert.Empty(cut.FindAll("[data-testid=upload-error]"));
    }

    [Fact]
    public async Task A_workbook_loads_its_first_sheet_and_offers_the_others()
    {
        using var workbook = new MemoryStream();
        await workbook.SaveAsAsync(new Dictionary<string, object>
        {
            ["Summary"] = new[] { new Dictionary<string, object> { ["note"] = "totals are on the next sheet" } },
            ["Customers"] = Enumerable.Range(1, 30).Select(i => new Dictionary<string, object> { ["CustomerID"] = $"{i:0000}", ["SPEND"] = i * 10.5, ["VISITS"] = i % 7 }).ToArray(),
        });
        var cut = Render<UploadPanel>();
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(workbook.ToArray(), "customers.xlsx"));
        cut.WaitForAssertion(() => Assert.NotNull(State.Data), TimeSpan.FromSeconds(10));
        Assert.Equal(["note"], State.Data!.Dataset.Columns.Select(c => c.Name));
        Assert.Contains("customers.xlsx has 2 sheets", cut.Find("[data-testid=sheet-choice]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<string>>().Instance.ValueChanged.InvokeAsync("Customers"));
        cut.WaitForAssertion(() => Assert.Equal(30, State.Data!.Dataset.RowCount), TimeSpan.FromSeconds(10));
        Assert.Equal("0001", State.Data!.Dataset.Column("CustomerID").TextAt(0));
        Assert.Equal("CustomerID", State.IdentifierColumn);
    }
}
