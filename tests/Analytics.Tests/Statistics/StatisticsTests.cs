using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Segments;
using Segmentation.Analytics.Statistics;

namespace Segmentation.Analytics.Tests.Statistics;

public sealed class StatisticsTests
{
    [Fact]
    public void Summary_ignores_missing_values_and_uses_numpy_quartiles()
    {
        var summary = Descriptive.Summarize([4, 1, double.NaN, 3, 2]);
        Assert.Equal(4, summary.Count);
        Assert.Equal(1, summary.Missing);
        Assert.Equal(2.5, summary.Mean);
        Assert.Equal(1.75, summary.Q1);
        Assert.Equal(2.5, summary.Median);
        Assert.Equal(3.25, summary.Q3);
        Assert.Equal(Math.Sqrt(5.0 / 3), summary.StandardDeviation, 12);
        Assert.Equal(Math.Sqrt(1.25), summary.PopulationStandardDeviation, 12);
        Assert.Equal(0, summary.Skewness, 12);
        Assert.True(double.IsNaN(Descriptive.Summarize([double.NaN]).Mean));
    }

    [Fact]
    public void Spearman_is_1_for_monotonic_relations_and_averages_ties()
    {
        double[] x = [1, 2, 3, 4, 5];
        double[] cubed = [1, 8, 27, 64, 125];
        double[] reversed = [5, 4, 3, 2, 1];
        var matrix = Correlation.Spearman([x, cubed, reversed]);
        Assert.Equal(1, matrix[0, 1], 12);
        Assert.Equal(-1, matrix[0, 2], 12);
        Assert.True(Correlation.Pearson([x, cubed])[0, 1] < 0.95);
        Assert.Equal([1.5, 1.5, 3, 4.5, 4.5], Correlation.Ranks([7, 7, 8, 9, 9]));
        Assert.True(double.IsNaN(Correlation.Pearson([x, [2, 2, 2, 2, 2]])[0, 1]));
        Assert.Throws<ArgumentException>(() => Correlation.Pearson([x, [1, double.NaN, 3, 4, 5]]));
    }

    [Fact]
    public void Freedman_diaconis_histogram_counts_every_value_once()
    {
        var values = Enumerable.Range(0, 1000).Select(i => (double)(i % 100)).Append(double.NaN).ToArray();
        var histogram = Histogram.FreedmanDiaconis(values);
        Assert.Equal(1000, histogram.Counts.Sum());
        Assert.Equal(1, histogram.Missing);
        Assert.Equal(histogram.Counts.Count + 1, histogram.Edges.Count);
        // IQR 49.5, n 1000: width 2 · 49.5 / 10 = 9.9, range 99: 10 bins.
        Assert.Equal(10, histogram.Counts.Count);
        Assert.Single(Histogram.FreedmanDiaconis([3, 3, 3]).Counts);
        Assert.Empty(Histogram.FreedmanDiaconis([]).Counts);
    }

    [Fact]
    public void Segment_profiles_give_means_in_original_units_z_scores_and_anova()
    {
        double[] spend = [10, 12, 14, 100, 110, 120];
        double[] noise = [1, 2, 3, 1, 2, 3];
        var dataset = Dataset.FromColumns([("spend", spend), ("noise", noise)], ("id", ["a", "b", "c", "d", "e", "f"]));
        var preprocessed = Preprocessor.Run(dataset, new PreprocessOptions { Features = ["spend"] });
        var sweep = Segmentation.Analytics.Clustering.KMeansSweep.Run(preprocessed.Matrix, new() { KMin = 2, KMax = 2, Restarts = 2 });
        var assignment = new SegmentAssignment(dataset.RowCount, preprocessed.Matrix, sweep.For(2));
        var profiles = SegmentProfiler.Profile(dataset, assignment, ["spend", "noise"]);
        var low = profiles.Segments.Single(p => p.Means[0] < 50);
        Assert.Equal(12, low.Means[0], 12);
        Assert.Equal(0.5, low.Share);
        var overall = Descriptive.Summarize(spend);
        Assert.Equal((12 - overall.Mean) / overall.PopulationStandardDeviation, low.ZScores[0], 12);
        // spend: between = 6 · 49² = 14406, within = 8 + 200 = 208 → η² = 14406 / 14614, F = 14406 / (208 / 4).
        Assert.Equal(14406.0 / 14614, profiles.Separation[0].EtaSquared, 10);
        Assert.Equal(14406.0 / 52, profiles.Separation[0].F, 8);
        Assert.Equal(0, profiles.Separation[1].EtaSquared, 12);
    }
}

public sealed class MedianTests
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 8)]
    [InlineData(3, 1001)]
    [InlineData(4, 1000)]
    [InlineData(5, 2)]
    public void The_selection_median_equals_the_middle_of_the_sorted_values(int seed, int count)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, count).Select(_ => random.Next(0, 5) == 0 ? double.NaN : Math.Round(random.NextDouble() * 20, seed % 2 == 0 ? 0 : 3)).ToArray();
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        var expected = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        Assert.Equal(expected, Segmentation.Analytics.Statistics.Descriptive.Median(values), 12);
    }
}
