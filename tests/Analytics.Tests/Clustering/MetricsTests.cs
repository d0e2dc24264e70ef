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
