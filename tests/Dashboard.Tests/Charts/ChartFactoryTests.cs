using System.Text.Json;
using Segmentation.Analytics.Clustering;
using Segmentation.Dashboard.Components.Charts;
using Segmentation.Reporting.Charts;

namespace Segmentation.Dashboard.Tests.Charts;

public sealed class ChartFactoryTests : DashboardTestContext
{
    [Fact]
    public async Task The_silhouette_plot_lays_segments_side_by_side_sorted_each_as_wide_as_its_customers()
    {
        await AnalyseBlobsAsync(3, 3, perGroup: 40);
        var view = State.View!;
        var shown = State.Displayed!;

        using var json = JsonDocument.Parse(ChartFactory.SegmentSilhouettes(view, shown, sampled: false).ToJson());
        var series = json.RootElement.GetProperty("series").EnumerateArray().ToArray();
        Assert.Equal(3, series.Length);
        var start = 0.0;
        for (var s = 0; s < 3; s++)
        {
            var points = series[s].GetProperty("data").EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToArray();
            Assert.Equal(view.Solution.Sizes[s], points.Length); // under 200 customers: every one is drawn
            Assert.True(points[0].X >= start, "segments must not overlap");
            Assert.Equal(view.Solution.Sizes[s] - 1, points[^1].X - points[0].X);
            Assert.True(points.Zip(points.Skip(1)).All(p => p.First.Y >= p.Second.Y), "each segment is sorted from best to worst fit");
            Assert.StartsWith($"{shown.Numbers[s]} · {shown.Names[s]}: mean ", series[s].GetProperty("name").GetString(), StringComparison.Ordinal);
            start = points[^1].X + 1;
        }

        var mean = json.RootElement.GetProperty("annotations").GetProperty("yaxis")[0].GetProperty("y").GetDouble();
        Assert.Equal(view.Solution.Silhouette, mean, 3);
        Assert.Contains("All 120 customers", json.RootElement.GetProperty("subtitle").GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_silhouette_by_k_chart_says_when_the_silhouette_is_estimated_on_a_sample()
    {
        await AnalyseBlobsAsync(2, 4, perGroup: 40);
        var matrix = State.Run!.Preprocessed.Matrix;

        var exact = ChartFactory.SilhouetteByK(State.Run.Sweep, 3);
        Assert.Equal("Silhouette exact on all 120 customers", exact.Subtitle!.Text);
        Assert.StartsWith("Stability: 5 refits per k, each on a random 96 customers", ChartFactory.StabilityNote(State.Run.Sweep), StringComparison.Ordinal);

        var sampled = KMeansSweep.Run(matrix, new SweepOptions { KMin = 2, KMax = 4, SilhouetteExactLimit = 100, SilhouetteSampleSize = 60, StabilityResamples = 0 });
        Assert.True(sampled.SilhouetteSampled);
        Assert.Equal("Silhouette estimated on a sample of 60", ChartFactory.SilhouetteByK(sampled, 3).Subtitle!.Text);
        Assert.Null(ChartFactory.StabilityNote(sampled));
    }
}
