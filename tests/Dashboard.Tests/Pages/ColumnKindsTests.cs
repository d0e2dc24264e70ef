using System.Text;
using Bunit;
using Segmentation.Analytics.Ingest;
using Segmentation.Dashboard.Components.Pages;
using Segmentation.Dashboard.State;

namespace Segmentation.Dashboard.Tests.Pages;

/// <summary>Column kinds, uses, warnings, derived features and composition in the pages.</summary>
public sealed class ColumnKindsTests : DashboardTestContext
{
    /// <summary>Three groups of customers with an id written 0001…, a gender label, a region code, a constant and a gap.</summary>
    private async Task LoadCustomersAsync()
    {
        var text = new StringBuilder("CustomerID,Genre,Region,SPEND,VISITS,Z_Const\n");
        for (var i = 0; i < 90; i++)
        {
            var group = i % 3;
            var genre = group == 2 ? (i % 9 == 2 ? "Male" : "Female") : (i % 2 == 0 ? "Male" : "Female");
            var visits = i == 10 ? string.Empty : ((group * 10) + (i % 5)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1:0000},{genre},{(i % 3) + 1},{(group * 500) + (i % 7 * 3)},{visits},3\n");
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
        await State.LoadCsvAsync(stream, "customers.csv", null, CancellationToken.None);
    }

    [Fact]
    public async Task The_data_page_shows_each_kind_with_its_reason_and_a_use_to_change()
    {
        await LoadCustomersAsync();
        var page = Render<Data>();
        Assert.Contains("3 distinct integer values: a code, not an amount", page.Find("[data-testid='reason-Region']").TextContent, StringComparison.Ordinal);
        Assert.Contains("the same value in every row (3)", page.Find("[data-testid='reason-Z_Const']").TextContent, StringComparison.Ordinal);
        Assert.Contains("2 text labels", page.Find("[data-testid='reason-Genre']").TextContent, StringComparison.Ordinal);
        Assert.Equal("CustomerID", State.IdentifierColumn);
        Assert.Equal(ColumnUse.Described, State.UseOf("Genre"));
        Assert.Equal(ColumnUse.Described, State.UseOf("Region"));
        Assert.Equal(["SPEND", "VISITS"], State.Features);
        Assert.NotEmpty(page.FindAll("[data-testid='use-Genre']"));
    }

    [Fact]
    public async Task The_segment_page_lists_described_and_left_out_columns_and_gaps_where_features_are_chosen()
    {
        await LoadCustomersAsync();
        var page = Render<Segment>();
        var notes = page.Find("[data-testid=preprocessing-warnings]").TextContent;
        Assert.Contains("Z_Const is left out: the same value in every row (3)", notes, StringComparison.Ordinal);
        Assert.Contains("VISITS has 1 missing value, replaced with the median", notes, StringComparison.Ordinal);
        Assert.Contains("Genre, Region", page.Find("[data-testid=described-columns]").TextContent, StringComparison.Ordinal);

        State.SetUse("Genre", ColumnUse.Category);
        page.WaitForAssertion(() => Assert.Contains("Genre", page.Find("[data-testid=feature-list]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["Genre"], State.Recipe.Categorical);
        await State.RunAnalysisAsync();
        Assert.Null(State.AnalysisError);
        Assert.Contains("Genre=Female", State.Run!.Preprocessed.Matrix.FeatureNames);
        Assert.DoesNotContain("CustomerID", State.Run.Preprocessed.Matrix.FeatureNames);
    }

    [Fact]
    public async Task A_derived_feature_is_checked_on_the_data_and_its_division_by_zero_is_reported()
    {
        await LoadCustomersAsync();
        Assert.Contains("which is not a column", await State.AddDerivedAsync("X = SPEND / NOPE", CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("write NAME = expression", await State.AddDerivedAsync("SPEND / 2", CancellationToken.None), StringComparison.Ordinal);
        Assert.Null(await State.AddDerivedAsync("PER_VISIT = SPEND / VISITS", CancellationToken.None));
        Assert.Contains("PER_VISIT", State.Features);
        var page = Render<Segment>();
        var notes = page.Find("[data-testid=preprocessing-warnings]").TextContent;
        Assert.Contains("PER_VISIT: 6 rows divide by zero", notes, StringComparison.Ordinal);
        Assert.Contains("PER_VISIT: 1 row has a missing input (line 12)", notes, StringComparison.Ordinal);
        await State.RunAnalysisAsync();
        Assert.Contains("PER_VISIT", State.Run!.Preprocessed.Matrix.FeatureNames);
    }

    [Fact]
    public async Task Segment_cards_show_who_is_in_them_and_exports_keep_the_ids_as_written()
    {
        await LoadCustomersAsync();
        State.SetKRange(3, 3);
        await State.RunAnalysisAsync();
        var cards = Render<Segments>();
        var compositions = cards.FindAll("[data-testid=segment-composition]");
        Assert.Equal(3, compositions.Count);
        // The third group is two-thirds female (20 of 30) against 50 of 90 customers overall.
        Assert.Contains(compositions, c => c.TextContent.Contains("Genre: 66.7% Female vs 55.6% overall, 33.3% Male vs 44.4%", StringComparison.Ordinal));
        Assert.All(compositions, c => Assert.Contains("Region:", c.TextContent, StringComparison.Ordinal));

        using var export = new MemoryStream();
        await Segmentation.Analytics.Export.SegmentExporter.WriteAsync(export, State.Run!.Dataset, State.ExportAssignment()!);
        Assert.StartsWith("CustomerID,Genre,Region,SPEND,VISITS,Z_Const,segment", Encoding.UTF8.GetString(export.ToArray()), StringComparison.Ordinal);
        Assert.Contains("\r\n0001,", Encoding.UTF8.GetString(export.ToArray()), StringComparison.Ordinal);
    }
}
