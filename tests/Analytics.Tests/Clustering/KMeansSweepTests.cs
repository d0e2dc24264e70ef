using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests.Clustering;

/// <summary>The sweep recovers known structure, is reproducible, and refuses what cannot be clustered (DESIGN.md §5, clustering).</summary>
public sealed class KMeansSweepTests
{
    private static readonly SweepOptions Quick = new() { KMin = 2, KMax = 6, Restarts = 4 };

    [Fact]
    public void Well_separated_blobs_are_recovered_with_adjusted_rand_index_at_least_099()
    {
        var (matrix, truth) = Synthetic.Blobs(perBlob: 150, blobs: 4, dimensions: 5, seed: 7);
        var sweep = KMeansSweep.Run(matrix, Quick);
        var solution = sweep.For(4);
        Assert.True(AdjustedRandIndex.Compute(solution.Labels, truth) >= 0.99);
        Assert.Equal([150, 150, 150, 150], solution.Sizes);
        Assert.Equal(4, sweep.RecommendedK);
        Assert.Equal(4, sweep.ElbowK);
        Assert.True(solution.Silhouette > 0.8);
    }

    [Fact]
    public void The_same_seed_gives_identical_results_and_another_seed_the_same_partition_of_clear_data()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 80, blobs: 3, dimensions: 4, seed: 3);
        var first = KMeansSweep.Run(matrix, Quick with { Seed = 11 });
        var second = KMeansSweep.Run(matrix, Quick with { Seed = 11 });
        foreach (var (a, b) in first.Solutions.Zip(second.Solutions))
        {
            Assert.Equal(a.Inertia, b.Inertia);
            Assert.Equal(a.Labels, b.Labels);
            Assert.Equal(a.Centroids, b.Centroids);
            Assert.Equal(a.Silhouette, b.Silhouette);
        }

        var other = KMeansSweep.Run(matrix, Quick with { Seed = 12345 });
        Assert.Equal(first.For(3).Labels, other.For(3).Labels);
    }

    [Fact]
    public void Segments_are_numbered_by_size_largest_first()
    {
        var rows = new double[60, 2];
        for (var i = 0; i < 60; i++)
        {
            rows[i, 0] = i < 10 ? 100 + (i % 3) : i < 30 ? 50 + (i % 3) : i % 3;
            rows[i, 1] = i % 2;
        }

        var solution = KMeansSweep.Run(Synthetic.Matrix(rows), new SweepOptions { KMin = 3, KMax = 3, Restarts = 3 }).For(3);
        Assert.Equal([30, 20, 10], solution.Sizes);
        Assert.Equal(0, solution.Labels[59]);
        Assert.Equal(2, solution.Labels[0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Fewer_than_two_rows_is_refused(int rows)
    {
        var matrix = new FeatureMatrix(new float[rows * 2], rows, 2, ["a", "b"]);
        var error = Assert.Throws<AnalysisInputException>(() => KMeansSweep.Run(matrix, Quick));
        Assert.Contains("at least 2 rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fewer_distinct_rows_than_k_limits_the_range_with_a_warning()
    {
        var rows = new double[12, 1];
        for (var i = 0; i < 12; i++)
        {
            rows[i, 0] = i % 3;
        }

        var sweep = KMeansSweep.Run(Synthetic.Matrix(rows), new SweepOptions { KMin = 2, KMax = 5, Restarts = 2 });
        Assert.Equal([2, 3], sweep.Solutions.Select(s => s.K));
        Assert.Contains(sweep.Warnings, w => w.Contains("only 3 distinct rows", StringComparison.Ordinal));

        var error = Assert.Throws<AnalysisInputException>(() => KMeansSweep.Run(Synthetic.Matrix(rows), new SweepOptions { KMin = 4, KMax = 5 }));
        Assert.Contains("only 3 distinct rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_segments_than_rows_is_refused_and_identical_rows_cannot_be_segmented()
    {
        var three = Synthetic.Matrix(new double[,] { { 1 }, { 2 }, { 3 } });
        Assert.Throws<AnalysisInputException>(() => KMeansSweep.Run(three, new SweepOptions { KMin = 4, KMax = 4 }));
        var same = Synthetic.Matrix(new double[,] { { 1, 1 }, { 1, 1 }, { 1, 1 } });
        var error = Assert.Throws<AnalysisInputException>(() => KMeansSweep.Run(same, Quick));
        Assert.Contains("same feature values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_feature_clusters()
    {
        var rows = new double[90, 1];
        for (var i = 0; i < 90; i++)
        {
            rows[i, 0] = (i % 3 * 100) + (i % 7);
        }

        var solution = KMeansSweep.Run(Synthetic.Matrix(rows), new SweepOptions { KMin = 2, KMax = 4, Restarts = 2 }).For(3);
        Assert.Equal([30, 30, 30], solution.Sizes);
    }

    [Fact]
    public void An_extreme_outlier_gets_its_own_segment_without_breaking_the_metrics()
    {
        var (blobs, _) = Synthetic.Blobs(perBlob: 50, blobs: 2, dimensions: 2, seed: 5);
        var values = blobs.Values.ToArray().Concat(new[] { 1e6f, 1e6f }).ToArray();
        var matrix = new FeatureMatrix(values, blobs.Rows + 1, 2, ["a", "b"]);
        var solution = KMeansSweep.Run(matrix, new SweepOptions { KMin = 2, KMax = 3, Restarts = 3 }).For(3);
        Assert.Equal(1, solution.Sizes[^1]);
        Assert.True(double.IsFinite(solution.Silhouette));
        Assert.True(double.IsFinite(solution.DaviesBouldin));
    }

    [Fact]
    public void Cancellation_stops_the_sweep()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 2000, blobs: 4, dimensions: 8, seed: 1);
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAfterFirstFit(cancellation);
        Assert.ThrowsAny<OperationCanceledException>(() => KMeansSweep.Run(matrix, new SweepOptions { Restarts = 8 }, progress, cancellation.Token));
        Assert.True(progress.Fits < 9 * 8, $"{progress.Fits} fits ran after cancellation");
    }

    [Fact]
    public void Above_the_exact_limit_the_silhouette_is_estimated_on_a_seeded_sample()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 200, blobs: 3, dimensions: 3, seed: 2);
        var options = new SweepOptions { KMin = 3, KMax = 3, Restarts = 2, SilhouetteExactLimit = 300, SilhouetteSampleSize = 250 };
        var sampled = KMeansSweep.Run(matrix, options);
        Assert.True(sampled.SilhouetteSampled);
        Assert.Equal(250, sampled.SilhouetteRows);
        Assert.Equal(250, sampled.For(3).RowSilhouettes.Count(v => !float.IsNaN(v)));
        var rows = sampled.For(3).RowSilhouettes;
        var listed = rows.ToArray();
        Assert.Equal(matrix.Rows, rows.Count);
        Assert.All(Enumerable.Range(0, matrix.Rows), i => Assert.Equal(listed[i], rows[i]));
        Assert.Throws<ArgumentOutOfRangeException>(() => rows[matrix.Rows]);
        var exact = KMeansSweep.Run(matrix, options with { SilhouetteExactLimit = 10_000 });
        Assert.False(exact.SilhouetteSampled);
        Assert.Equal(exact.For(3).Silhouette, sampled.For(3).Silhouette, 0.02);
        Assert.Equal(sampled.For(3).Silhouette, KMeansSweep.Run(matrix, options).For(3).Silhouette);
    }

    [Fact]
    public void Distances_measured_when_read_are_exactly_the_roots_of_the_assignment_s_squared_distances()
    {
        // 18,000 rows: the assignment runs in several parallel blocks; 17 features: not a whole number of vectors.
        var (matrix, _) = Synthetic.Blobs(perBlob: 6000, blobs: 3, dimensions: 17, seed: 5);
        var solution = KMeansSweep.Run(matrix, new SweepOptions { KMin = 3, KMax = 3, Restarts = 2, StabilityResamples = 0 }).For(3);
        var labels = new int[matrix.Rows];
        var squared = new float[matrix.Rows];
        CentroidAssignment.Assign(matrix, solution.Centroids.ToArray(), labels, squared);
        Assert.Equal(labels, solution.Labels);
        Assert.Equal(squared.Select(MathF.Sqrt), solution.Distances);
        Assert.Same(solution.Distances, solution.Distances);
    }

    [Theory]
    [InlineData(1_000_000, 20_000, 1)]
    [InlineData(100_000, 24_999, 42)]
    [InlineData(50, 3, 7)]
    public void A_small_sample_of_many_rows_is_drawn_without_an_index_per_row_yet_is_the_same_sample(int rows, int size, int seed)
    {
        var sparse = KMeansSweep.SampleRowsSparse(rows, size, new Random(seed));
        Assert.Equal(KMeansSweep.SampleRowsDense(rows, size, new Random(seed)), sparse);
        Assert.Equal(size, sparse.Distinct().Count());
        Assert.True(sparse[0] >= 0 && sparse[^1] < rows);
    }

    private sealed class CancelAfterFirstFit(CancellationTokenSource source) : IProgress<SweepProgress>
    {
        public int Fits;

        public void Report(SweepProgress value)
        {
            Interlocked.Increment(ref Fits);
            source.Cancel();
        }
    }
}
