using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests.Clustering;

public sealed class StabilityTests
{
    [Fact]
    public void Well_separated_blobs_are_stable_and_the_figures_are_deterministic_under_a_seed()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 120, blobs: 4, dimensions: 4, seed: 3);
        var solution = KMeansSweep.Run(matrix, new SweepOptions { KMin = 4, KMax = 4, Restarts = 3, StabilityResamples = 0 }).For(4);
        var first = Stability.Measure(matrix, solution, resamples: 4, seed: 9);
        var second = Stability.Measure(matrix, solution, resamples: 4, seed: 9);
        Assert.Equal(first.MeanAri, second.MeanAri);
        Assert.Equal(first.SegmentJaccard, second.SegmentJaccard);
        Assert.True(first.MeanAri >= 0.95, $"mean ARI {first.MeanAri:F3}");
        Assert.All(first.SegmentJaccard, j => Assert.True(j >= 0.95, $"segment Jaccard {j:F3}"));
        Assert.Equal((int)(480 * Stability.SampleShare), first.SampleRows);
        Assert.Equal(4, first.Resamples);
    }

    [Fact]
    public void Structureless_data_is_less_stable_than_clear_blobs()
    {
        var random = new Random(5);
        var noise = Synthetic.Matrix(Enumerable.Range(0, 400).Select(_ => new[] { Synthetic.Normal(random), Synthetic.Normal(random) }).To2D());
        var solution = KMeansSweep.Run(noise, new SweepOptions { KMin = 6, KMax = 6, Restarts = 2, StabilityResamples = 0 }).For(6);
        var stability = Stability.Measure(noise, solution, resamples: 4, seed: 1);
        Assert.True(stability.MeanAri < 0.9, $"mean ARI {stability.MeanAri:F3} on noise");
    }

    [Fact]
    public void The_sweep_measures_stability_per_k_and_reports_it_in_the_reason()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 100, blobs: 3, dimensions: 3, seed: 8);
        var sweep = KMeansSweep.Run(matrix, new SweepOptions { KMin = 2, KMax = 5, Restarts = 3, StabilityResamples = 3 });
        Assert.All(sweep.Solutions, s => Assert.NotNull(s.Stability));
        Assert.Equal(3, sweep.RecommendedK);
        Assert.Contains("come back when customers are resampled", sweep.RecommendationReason, StringComparison.Ordinal);
        Assert.True(sweep.TimingsMs.ContainsKey("stability"));
    }

    [Fact]
    public void The_sweep_s_stability_run_as_one_job_per_k_and_subsample_equals_measuring_each_k_alone()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 150, blobs: 4, dimensions: 5, seed: 3);
        var options = new SweepOptions { KMin = 2, KMax = 6, Restarts = 2, StabilityResamples = 3, Seed = 11 };
        var sweep = KMeansSweep.Run(matrix, options);
        var subsamples = Stability.Draw(matrix, 3, 11, 6);
        Assert.All(sweep.Solutions, s =>
        {
            var alone = Stability.Measure(matrix, s, subsamples, 11);
            Assert.Equal(alone.MeanAri, s.Stability!.MeanAri);
            Assert.Equal(alone.SdAri, s.Stability.SdAri);
            Assert.Equal(alone.SegmentJaccard, s.Stability.SegmentJaccard);
        });
    }

    [Fact]
    public void The_recommender_sets_aside_k_with_a_segment_under_one_percent()
    {
        // Identical measures except that k = 5 needs a 5-customer segment out of 1,000.
        KSolution Solution(int k, int[] sizes) => new(k, 100, new int[1], new float[k], new FeatureMatrix(new float[1], 1, 1, ["x"]), sizes, [100]) { Silhouette = 0.3, CalinskiHarabasz = 100, DaviesBouldin = 1 };
        var solutions = new[] { Solution(4, [400, 300, 200, 100]), Solution(5, [400, 300, 200, 95, 5]) };
        var (k, reason) = KRecommender.Recommend(solutions, elbowK: null);
        Assert.Equal(4, k);
        Assert.Contains("k = 5 has a segment under 1% of customers", reason, StringComparison.Ordinal);
    }
}

internal static class ArrayExtensions
{
    internal static double[,] To2D(this IEnumerable<double[]> rows)
    {
        var list = rows.ToList();
        var result = new double[list.Count, list[0].Length];
        for (var i = 0; i < list.Count; i++)
        {
            for (var c = 0; c < list[i].Length; c++)
            {
                result[i, c] = list[i][c];
            }
        }

        return result;
    }
}
