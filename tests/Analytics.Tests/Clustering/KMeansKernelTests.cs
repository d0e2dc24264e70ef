using System.Globalization;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests.Clustering;

/// <summary>Our SIMD k-means kernel against a plain double-precision Lloyd, against ML.NET (the oracle) and against the best-known inertia.</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class KMeansKernelTests(CcGeneralFixture fixture)
{
    private static readonly SweepOptions FitsOnly = new() { StabilityResamples = 0, SilhouetteExactLimit = 0, SilhouetteSampleSize = 10 };

    [Fact]
    public void Lloyd_gives_the_labels_and_centres_of_a_plain_double_precision_lloyd_from_the_same_start()
    {
        var (matrix, _) = Synthetic.Blobs(perBlob: 70, blobs: 5, dimensions: 11, seed: 4);
        var start = KMeansKernel.KMeansPlusPlus(matrix, 5, new Random(2));
        var fit = KMeansKernel.Lloyd(matrix, start);
        var (naiveCentres, naiveLabels) = NaiveLloyd(matrix, start);
        var labels = new int[matrix.Rows];
        var inertia = CentroidAssignment.Assign(matrix, fit.Centroids, labels, new float[matrix.Rows]);
        Assert.Equal(naiveLabels, labels);
        for (var i = 0; i < naiveCentres.Length; i++)
        {
            Assert.Equal(naiveCentres[i], fit.Centroids[i], 1e-4);
        }

        Assert.Equal(inertia, fit.Inertia, inertia * 1e-6);
    }

    [Fact]
    public void Inertia_is_the_exact_sum_of_squared_distances_even_far_from_the_origin()
    {
        // Rows near 10,000 in every feature: ‖x‖² + ‖c‖² − 2x·c in single precision would lose every digit of the distances.
        var random = new Random(3);
        var rows = new double[300, 4];
        for (var i = 0; i < 300; i++)
        {
            for (var c = 0; c < 4; c++)
            {
                rows[i, c] = 10_000 + (i % 3 * 5) + Synthetic.Normal(random);
            }
        }

        var matrix = Synthetic.Matrix(rows);
        var fit = KMeansKernel.Lloyd(matrix, KMeansKernel.KMeansPlusPlus(matrix, 3, new Random(1)));
        var exact = CentroidAssignment.Assign(matrix, fit.Centroids, new int[300], new float[300]);
        Assert.Equal(exact, fit.Inertia, exact * 1e-4);
        Assert.InRange(fit.Inertia / 300 / 4, 0.8, 1.2);
    }

    [Fact]
    public void Rows_in_parallel_blocks_give_the_same_result_as_a_plain_lloyd()
    {
        // 20,000 rows: more than the kernel's parallel threshold, so blocks of 4,096 rows are assigned in parallel and reduced in order.
        var (matrix, truth) = Synthetic.Blobs(perBlob: 5_000, blobs: 4, dimensions: 6, seed: 9);
        var start = KMeansKernel.KMeansPlusPlus(matrix, 4, new Random(5));
        var first = KMeansKernel.Lloyd(matrix, start);
        var second = KMeansKernel.Lloyd(matrix, start);
        Assert.Equal(first.Centroids, second.Centroids);
        Assert.Equal(first.Inertia, second.Inertia);
        var labels = new int[matrix.Rows];
        CentroidAssignment.Assign(matrix, first.Centroids, labels, new float[matrix.Rows]);
        Assert.True(AdjustedRandIndex.Compute(labels, truth) > 0.999);
        Assert.Equal(NaiveLloyd(matrix, start).Labels, labels);
    }

    [Fact]
    public void An_empty_cluster_is_reseeded_from_the_farthest_row_instead_of_being_dropped()
    {
        // Two far-apart groups and three starting centres, two of them on the same point: one starts empty.
        var rows = new double[40, 1];
        for (var i = 0; i < 40; i++)
        {
            rows[i, 0] = i < 20 ? i * 0.01 : 100 + (i * 0.01);
        }

        var matrix = Synthetic.Matrix(rows);
        var fit = KMeansKernel.Lloyd(matrix, [0f, 0f, 100.3f]);
        var labels = new int[40];
        CentroidAssignment.Assign(matrix, fit.Centroids, labels, new float[40]);
        Assert.Equal(3, labels.Distinct().Count());
        Assert.All(fit.Centroids, c => Assert.True(float.IsFinite(c)));
    }

    [Fact]
    public void Greedy_kmeans_plus_plus_puts_one_centre_in_each_of_well_separated_blobs()
    {
        var (matrix, truth) = Synthetic.Blobs(perBlob: 50, blobs: 6, dimensions: 3, seed: 12);
        var centres = KMeansKernel.KMeansPlusPlus(matrix, 6, new Random(7));
        var labels = new int[matrix.Rows];
        CentroidAssignment.Assign(matrix, centres, labels, new float[matrix.Rows]);
        Assert.True(AdjustedRandIndex.Compute(labels, truth) > 0.99);
    }

    [Fact]
    public void The_merge_start_joins_the_pair_whose_merge_costs_least()
    {
        // Centres 0 and 0.5 (20 rows each) are far cheaper to merge than either with 100.
        var rows = new double[60, 1];
        for (var i = 0; i < 60; i++)
        {
            rows[i, 0] = i < 20 ? 0 : i < 40 ? 0.5 : 100;
        }

        var merged = KMeansKernel.MergeStarts(Synthetic.Matrix(rows), [0f, 0.5f, 100f], count: 1)[0];
        Assert.Equal([0.25f, 100f], merged);
    }

    [Fact]
    public void Seeds_1_to_5_reach_within_half_a_percent_of_the_best_known_inertia_at_every_k()
    {
        var bestKnown = TestData.Reference.GetProperty("best_known_inertia_by_k");
        foreach (var seed in Enumerable.Range(1, 5))
        {
            var sweep = KMeansSweep.Run(fixture.Preprocessed.Matrix, FitsOnly with { Seed = seed });
            foreach (var solution in sweep.Solutions)
            {
                var reference = bestKnown.GetProperty(solution.K.ToString(CultureInfo.InvariantCulture)).GetDouble();
                var excess = (solution.Inertia / reference) - 1;
                Assert.True(excess <= 0.005, $"seed {seed}, k = {solution.K}: {solution.Inertia:F1} is {excess:P3} above the best known {reference:F1}");
            }
        }
    }

    [Fact]
    public void Our_kernel_is_at_least_as_good_as_mlnet_best_of_12_restarts_at_every_k()
    {
        var matrix = fixture.Preprocessed.Matrix;
        var oracle = KMeansSweep.Run(matrix, FitsOnly with { Engine = KMeansEngine.MlNet, Restarts = 12 });
        foreach (var seed in Enumerable.Range(1, 5))
        {
            var ours = KMeansSweep.Run(matrix, FitsOnly with { Seed = seed });
            foreach (var (mine, theirs) in ours.Solutions.Zip(oracle.Solutions))
            {
                Assert.Equal(theirs.K, mine.K);
                Assert.True(mine.Inertia <= 1.001 * theirs.Inertia, $"seed {seed}, k = {mine.K}: ours {mine.Inertia:F1}, ML.NET's best of 12 {theirs.Inertia:F1}");
            }
        }
    }

    [Fact]
    public void The_same_recipe_gives_identical_results_on_one_core_and_on_all()
    {
        var matrix = fixture.Preprocessed.Matrix;
        var one = KMeansSweep.Run(matrix, FitsOnly with { KMax = 6, MaxDegreeOfParallelism = 1 });
        var all = KMeansSweep.Run(matrix, FitsOnly with { KMax = 6 });
        foreach (var (a, b) in one.Solutions.Zip(all.Solutions))
        {
            Assert.Equal(a.Centroids, b.Centroids);
            Assert.Equal(a.Labels, b.Labels);
            Assert.Equal(a.RestartInertias, b.RestartInertias);
        }
    }

    /// <summary>Lloyd's algorithm as in a textbook, in double precision: assign by direct distances (ties to the lower index), move to means.</summary>
    private static (float[] Centres, int[] Labels) NaiveLloyd(FeatureMatrix matrix, float[] start)
    {
        var d = matrix.Columns;
        var k = start.Length / d;
        var centres = start.Select(v => (double)v).ToArray();
        var labels = new int[matrix.Rows];
        for (var iteration = 0; iteration < 300; iteration++)
        {
            var changed = false;
            for (var i = 0; i < matrix.Rows; i++)
            {
                var row = matrix.Row(i);
                var best = 0;
                var bestDistance = double.PositiveInfinity;
                for (var c = 0; c < k; c++)
                {
                    var distance = 0.0;
                    for (var j = 0; j < d; j++)
                    {
                        var diff = row[j] - centres[(c * d) + j];
                        distance += diff * diff;
                    }

                    if (distance < bestDistance)
                    {
                        bestDistance = distance;
                        best = c;
                    }
                }

                changed |= labels[i] != best || iteration == 0;
                labels[i] = best;
            }

            if (!changed)
            {
                break;
            }

            var sums = new double[k * d];
            var counts = new int[k];
            for (var i = 0; i < matrix.Rows; i++)
            {
                counts[labels[i]]++;
                for (var j = 0; j < d; j++)
                {
                    sums[(labels[i] * d) + j] += matrix.Row(i)[j];
                }
            }

            for (var c = 0; c < k; c++)
            {
                for (var j = 0; j < d && counts[c] > 0; j++)
                {
                    centres[(c * d) + j] = sums[(c * d) + j] / counts[c];
                }
            }
        }

        return (centres.Select(v => (float)v).ToArray(), labels);
    }
}
