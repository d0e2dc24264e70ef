using Bunit;
using Parquet;
using Parquet.Schema;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class SourceTests : DashboardTestContext, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sources-ui-").FullName;

    void IDisposable.Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Without_configured_sources_the_data_page_shows_no_source_panel()
    {
        var page = Render<Data>();
        Assert.Empty(page.FindAll("[data-testid=source-panel]"));
    }

    [Fact]
    public async Task A_configured_parquet_file_is_sampled_every_chart_says_so_and_apply_scores_every_row()
    {
        await WriteCustomersAsync(Path.Combine(_root, "customers-2026-11.parquet"), rows: 2000);
        Sources.ParquetRoots.Add(_root);

        var data = Render<Data>();
        Assert.Contains("Parquet: customers-2026-11.parquet", data.Find("[data-testid=source-panel]").TextContent, StringComparison.Ordinal);
        await data.InvokeAsync(() => data.Find("[data-testid=source-read]").Click());
        data.WaitForAssertion(() => Assert.NotNull(State.SampleNote), TimeSpan.FromSeconds(20));
        Assert.Equal(500, State.Data!.Dataset.RowCount);
        Assert.Equal(2000, State.SourceRows);
        Assert.Equal("Fitted on a seeded random sample of 500 of 2,000 rows of customers-2026-11.parquet.", State.SampleNote);

        State.SetKRange(3, 3);
        await State.RunAnalysisAsync();
        var cut = Render<Microsoft.AspNetCore.Components.CascadingValue<string?>>(p => p
            .Add(c => c.Name, "SampleNote")
            .Add(c => c.Value, State.SampleNote)
            .AddChildContent<Segment>());
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=chart-sample-note]")), TimeSpan.FromSeconds(10));
        Assert.All(cut.FindAll("figure.chart-figure"), figure => Assert.Contains("seeded random sample of 500 of 2,000 rows", figure.TextContent, StringComparison.Ordinal));

        var apply = Render<Apply>();
        Assert.Contains("all 2,000 rows", apply.Find("[data-testid=apply-source]").TextContent, StringComparison.Ordinal);
        await apply.InvokeAsync(() => apply.Find("[data-testid=score-source]").Click());
        apply.WaitForAssertion(() => Assert.Contains("Scored 2,000 rows", apply.Find("[data-testid=score-source-summary]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
    }

    private static async Task WriteCustomersAsync(string path, int rows)
    {
        var id = new DataField<string>("CUST_ID");
        var spend = new DataField<double?>("SPEND");
        var visits = new DataField<double?>("VISITS");
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, spend, visits), file);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, Enumerable.Range(0, rows).Select(i => FormattableString.Invariant($"C{i + 1:00000}")).ToArray(), null);
        await group.WriteAsync<double>(spend, Enumerable.Range(0, rows).Select(i => (double?)((i % 3 * 500) + (i % 7 * 3))).ToArray(), null, null, default);
        await group.WriteAsync<double>(visits, Enumerable.Range(0, rows).Select(i => (double?)((i % 3 * 10) + (i % 5))).ToArray(), null, null, default);
    }
}
