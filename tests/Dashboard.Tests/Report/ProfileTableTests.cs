using Bunit;
using MiniExcelLibs;
using Segmentation.Analytics.Statistics;
using Segmentation.Dashboard.Components.Shared;
using Segmentation.Reporting.Profiles;

namespace Segmentation.Dashboard.Tests.Report;

public sealed class ProfileTableTests : DashboardTestContext
{
    [Fact]
    public async Task Every_statistic_matches_the_data_and_z_scores_match_the_profiles()
    {
        await AnalyseBlobsAsync(3, 3);
        State.SelectK(3);
        var view = State.View!;
        var shown = State.Displayed!;
        var dataset = State.Run!.Dataset;

        var medians = ProfileTable.ByFeature(view, shown, ProfileStatistic.Median, zScores: false);
        Assert.Equal(["Feature", .. Enumerable.Range(0, 3).OrderBy(i => shown.Numbers[i]).Select(i => $"{shown.Numbers[i]} · {shown.Names[i]}"), "All customers"], medians.Columns);
        foreach (var row in medians.Rows)
        {
            var feature = (string)row[0]!;
            Assert.Equal(Descriptive.Median(dataset.Column(feature).Numbers), (double)row[^1]!, 9);
        }

        var q3 = ProfileTable.ByFeature(view, shown, ProfileStatistic.ThirdQuartile, zScores: false);
        Assert.Equal(Descriptive.Summarize(dataset.Column("SPEND").Numbers).Q3, (double)q3.Rows.Single(r => (string)r[0]! == "SPEND")[^1]!, 9);

        var z = ProfileTable.ByFeature(view, shown, ProfileStatistic.Mean, zScores: true);
        var first = Enumerable.Range(0, 3).OrderBy(i => shown.Numbers[i]).First();
        var f = view.Profiles.Features.ToList().IndexOf("VISITS");
        Assert.Equal(view.Profiles.Segments[first].ZScores[f], (double)z.Rows[f][1]!, 9);
        Assert.Equal(0, (double)z.Rows[f][^1]!, 9);

        var all = ProfileTable.AllStatistics(view, shown);
        Assert.Equal(3 * view.Profiles.Features.Count, all.Rows.Count);
        using var xlsx = new MemoryStream();
        await all.WriteXlsxAsync(xlsx);
        xlsx.Position = 0;
        var read = (await xlsx.QueryAsync(useHeaderRow: true)).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(all.Rows.Count, read.Count);
        Assert.Equal(all.Columns, read[0].Keys);
        Assert.Equal((double)all.Rows[0][4]!, Convert.ToDouble(read[0]["mean"], System.Globalization.CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public async Task The_panel_switches_statistics_and_units_and_draws_a_box_plot()
    {
        await AnalyseBlobsAsync(3, 3);
        State.SelectK(3);
        var cut = Render<ProfilesPanel>(p => p.Add(c => c.View, State.View!).Add(c => c.Shown, State.Displayed!));
        Assert.Contains("Mean per segment, in the data's own units", cut.Markup, StringComparison.Ordinal);
        cut.Find("[data-testid=profiles-panel] input[type=checkbox]").Change(true);
        Assert.Contains("in standard deviations from the overall mean", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("background:", cut.Find("[data-testid=profiles-table] tbody td.num").GetAttribute("style") ?? string.Empty, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=chart-boxplot]"));
    }
}
