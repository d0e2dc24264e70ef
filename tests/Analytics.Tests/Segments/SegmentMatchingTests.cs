using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Tests.Segments;

public sealed class SegmentMatchingTests
{
    [Fact]
    public void Hungarian_finds_the_least_total_cost_also_for_rectangular_matrices()
    {
        var cost = new double[,] { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };
        Assert.Equal([1, 0, 2], Hungarian.Solve(cost));
        Assert.Equal([1, -1, 0], Hungarian.Solve(new double[,] { { 5, 1 }, { 6, 7 }, { 0, 9 } }));
        Assert.Equal([2, 0], Hungarian.Solve(new double[,] { { 3, 3, 1 }, { 0, 4, 4 } }));
    }

    [Fact]
    public void When_k_grows_the_split_segment_shows_in_the_transitions()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 80, blobs: 4, dimensions: 3, seed: 4);
        var sweep = KMeansSweep.Run(matrix, new SweepOptions { KMin = 3, KMax = 4, Restarts = 3, StabilityResamples = 0 });
        var three = sweep.For(3);
        var four = sweep.For(4);
        var table = SegmentMatching.Transitions(three.Labels, four.Labels, 3, 4);
        var split = Enumerable.Range(0, 3).Single(s => Enumerable.Range(0, 4).Count(t => table.Share(s, t) > 0.2) == 2);
        Assert.Equal(160, three.Sizes[split]);
        Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(t => table.Share(split, t)), 9);
    }
}
