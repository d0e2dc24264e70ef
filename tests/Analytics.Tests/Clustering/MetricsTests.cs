using Segmentation.Analytics.Clustering;

namespace Segmentation.Analytics.Tests.Clustering;

/// <summary>Silhouette, Calinski-Harabasz, Davies-Bouldin, the elbow and the adjusted Rand index against hand-computed values.</summary>
public sealed class MetricsTests
{
    [Fact]
    public void Silhouette_matches_a_naive_computation_for_several_labelings_at_once()
    {
        var (matrix, truth) = Synthetic.Blobs(perBlob: 23, blobs: 3, dimensions: 3, seed: 9);
        var random = new Random(4);
        var labelings = new[] { truth, truth.Select(_ => random.Next(4)).ToArray(), truth.Select(l => l == 2 ? 1 : l).ToArray() };
        var fast = Silhouette.PerRow(matrix, labelings);
        for (var l = 0; l < labelings.Length; l++)
        {
            var labels = labelings[l];
            for (var i = 0; i < matrix.Rows; i++)
            {
                Assert.Equal(NaiveSilhouette(matrix, labels, i), fast[l][i], 1e-5);
            }
        }
    }

    [Fact]
    public void Silhouette_of_a_singleton_is_zero_and_of_one_cluster_is_nan()
    {
        var matrix = Synthetic.Matrix(new double[,] { { 0 }, { 1 }, { 10 } });
        var values = Silhouette.PerRow(matrix, [[0, 0, 1], [0, 0, 0]]);
        Assert.Equal(0f, values[0][2]);
        Assert.All(values[1], v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public void Silhouette_profiles_sort_each_segment_keep_its_extremes_and_skip_unsampled_rows()
    {
        int[] labels = [0, 1, 0, 0, 1, 0, 1];
        float[] values = [0.2f, 0.9f, -0.1f, 0.5f, float.NaN, 0.3f, -0.4f];
        var profiles = SilhouetteProfile.Of(labels, values, k: 3);

        Assert.Equal([0.5f, 0.3f, 0.2f, -0.1f], profiles[0].Points.Select(p => p.Value));
        Assert.Equal([0, 1, 2, 3], profiles[0].Points.Select(p => p.Rank));
        Assert.Equal(4, profiles[0].Count);
        Assert.Equal(0.225, profiles[0].Mean, 6);
        Assert.Equal(0.25, profiles[0].ShareBelowZero, 12);

        // The NaN row is outside the sample: segment 1 has two measured rows, one of them negative.
        Assert.Equal(2, profiles[1].Count);
        Assert.Equal(0.25, profiles[1].Mean, 6);
        Assert.Equal(0.5, profiles[1].ShareBelowZero, 12);

        Assert.Equal(0, profiles[2].Count);
        Assert.True(double.IsNaN(profiles[2].Mean));
        Assert.Empty(profiles[2].Points);

        Assert.Throws<ArgumentException>(() => SilhouetteProfile.Of([0, 3], [0f, 0f], k: 3));
        Assert.Throws<ArgumentException>(() => SilhouetteProfile.Of([0, 1], [0f], k: 2));
    }

    [Fact]
    public void A_large_segment_is_reduced_to_evenly_spaced_ranks_from_best_to_worst()
    {
        var labels = new int[1001];
        var values = Enumerable.Range(0, 1001).Select(i => i / 1000f).ToArray();
        var profile = SilhouetteProfile.Of(labels, values, k: 1, maxPoints: 11)[0];

        Assert.Equal(1001, profile.Count);
        Assert.Equal(Enumerable.Range(0, 11).Select(j => j * 100), profile.Points.Select(p => p.Rank));
        Assert.Equal(Enumerable.Range(0, 11).Select(j => (1000 - j * 100) / 1000f), profile.Points.Select(p => p.Value));
        Assert.Equal(0.5, profile.Mean, 6);
    }

    [Fact]
    public void Calinski_harabasz_and_davies_bouldin_match_hand_computed_values()
    {
        // Two clusters on a line: {0, 2} with mean 1 and {10, 12} with mean 11; overall mean 6.
        var matrix = Synthetic.Matrix(new double[,] { { 0 }, { 2 }, { 10 }, { 12 } });
        int[] labels = [0, 0, 1, 1];
        // Between = 2·25 + 2·25 = 100; within = 4 · 1 = 4; CH = (100 / 1) / (4 / 2) = 50.
        Assert.Equal(50, ClusterValidity.CalinskiHarabasz(matrix, labels), 10);
        // Scatter of each cluster 1, separation 10: DB = (1 + 1) / 10 = 0.2.
        Assert.Equal(0.2, ClusterValidity.DaviesBouldin(matrix, labels), 10);
        Assert.True(double.IsNaN(ClusterValidity.CalinskiHarabasz(matrix, [0, 0, 0, 0])));
    }

    [Fact]
    public void Kneedle_finds_the_elbow_of_a_convex_decreasing_curve()
    {
        Assert.Equal(4, Elbow.Kneedle([2, 3, 4, 5, 6, 7, 8], [1000, 600, 300, 260, 230, 210, 195]));
        Assert.Null(Elbow.Kneedle([2, 3], [10, 5]));
        Assert.Null(Elbow.Kneedle([2, 3, 4], [5, 5, 5]));
    }

    [Fact]
    public void Adjusted_rand_index_is_1_for_relabelled_partitions_and_near_0_for_chance()
    {
        Assert.Equal(1, AdjustedRandIndex.Compute([0, 0, 1, 1, 2], [5, 5, 3, 3, 9]), 12);
        var random = new Random(1);
        var a = Enumerable.Range(0, 5000).Select(_ => random.Next(4)).ToArray();
        var b = Enumerable.Range(0, 5000).Select(_ => random.Next(4)).ToArray();
        Assert.InRange(AdjustedRandIndex.Compute(a, b), -0.01, 0.01);
        // A textbook value: ARI([0,0,1,1], [0,0,1,2]) = 0.5714285714.
        Assert.Equal(0.5714285714, AdjustedRandIndex.Compute([0, 0, 1, 1], [0, 0, 1, 2]), 9);

        // Large, sparse label numbers (counted in a dictionary, not a dense table) give the same value.
        Assert.Equal(0.5714285714, AdjustedRandIndex.Compute([0, 0, 100_000, 100_000], [0, 0, 1, 70_000]), 9);
        Assert.Equal(AdjustedRandIndex.Compute(a, b), AdjustedRandIndex.Compute(a.Select(x => x * 50_000).ToArray(), b), 12);
    }

    private static double NaiveSilhouette(Segmentation.Analytics.Preprocessing.FeatureMatrix matrix, int[] labels, int i)
    {
        var k = labels.Max() + 1;
        var sums = new double[k];
        var counts = new int[k];
        for (var j = 0; j < matrix.Rows; j++)
        {
            var distance = 0.0;
            for (var c = 0; c < matrix.Columns; c++)
            {
                var delta = (double)matrix.Row(i)[c] - matrix.Row(j)[c];
                distance += delta * delta;
            }

            sums[labels[j]] += Math.Sqrt(distance);
            counts[labels[j]]++;
        }

        if (counts[labels[i]] <= 1)
        {
            return 0;
        }

        var a = sums[labels[i]] / (counts[labels[i]] - 1);
        var b = Enumerable.Range(0, k).Where(c => c != labels[i] && counts[c] > 0).Min(c => sums[c] / counts[c]);
        return (b - a) / Math.Max(a, b);
    }
}
