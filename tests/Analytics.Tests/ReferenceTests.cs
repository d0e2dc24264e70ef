using System.Globalization;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Projection;
using Segmentation.Analytics.Statistics;

namespace Segmentation.Analytics.Tests;

/// <summary>The whole default pipeline on cc_general against the figures scikit-learn computed (shared/data/reference.json).</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class ReferenceTests(CcGeneralFixture fixture)
{
    private static readonly string[] Features = TestData.Reference.GetProperty("numeric_columns").EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void Ingest_finds_the_rows_the_identifier_and_the_17_numeric_features()
    {
        var dataset = fixture.Ingest.Dataset;
        Assert.Equal(TestData.Reference.GetProperty("rows").GetInt32(), dataset.RowCount);
        Assert.Equal("CUST_ID", dataset.IdentifierColumn);
        Assert.Equal(Features, dataset.NumericFeatures.Select(c => c.Name));
        Assert.Equal(',', fixture.Ingest.Report.Separator);
        Assert.Equal(0, fixture.Ingest.Report.IssueCount);
    }

    [Fact]
    public void Missing_counts_equal_the_reference()
    {
        foreach (var entry in TestData.Reference.GetProperty("missing_values").EnumerateObject())
        {
            Assert.Equal(entry.Value.GetInt32(), fixture.Ingest.Report.MissingByColumn[entry.Name]);
        }
    }

    [Fact]
    public void Imputation_medians_equal_the_reference()
    {
        foreach (var entry in TestData.Reference.GetProperty("medians_used_for_imputation").EnumerateObject())
        {
            var median = Descriptive.Median(fixture.Ingest.Dataset.Column(entry.Name).Numbers);
            Assert.Equal(entry.Value.GetDouble(), median, 1e-6);
        }

        var imputed = fixture.Preprocessed.Transforms.Single(t => t.Name == "MINIMUM_PAYMENTS");
        Assert.Equal(313, imputed.Imputed);
        Assert.Equal(312.343947, imputed.ImputedWith, 1e-6);
    }

    [Fact]
    public void Pearson_correlation_of_imputed_columns_equals_the_reference_to_1e6()
    {
        var matrix = Correlation.Pearson(ImputedColumns());
        var reference = TestData.Reference.GetProperty("pearson_correlation_of_imputed_columns");
        for (var a = 0; a < Features.Length; a++)
        {
            for (var b = 0; b < Features.Length; b++)
            {
                var expected = reference.GetProperty(Features[a]).GetProperty(Features[b]).GetDouble();
                Assert.True(Math.Abs(expected - matrix[a, b]) <= 1e-6, $"{Features[a]} × {Features[b]}: expected {expected}, got {matrix[a, b]}");
            }
        }
    }

    [Fact]
    public void Skewness_of_imputed_columns_equals_the_reference_to_1e4()
    {
        var columns = ImputedColumns();
        foreach (var entry in TestData.Reference.GetProperty("skewness_of_imputed_columns_fisher_biased").EnumerateObject())
        {
            var skew = Descriptive.Skewness(columns[Array.IndexOf(Features, entry.Name)]);
            Assert.True(Math.Abs(entry.Value.GetDouble() - skew) <= 1e-4, $"{entry.Name}: expected {entry.Value.GetDouble()}, got {skew}");
        }

        Assert.Equal(
            fixture.Preprocessed.Transforms.Select(t => t.SkewnessBefore),
            columns.Select(c => Descriptive.Skewness(c)),
            new ToleranceComparer(1e-9));
    }

    [Fact]
    public void Pca_explained_variance_ratio_equals_the_reference_to_1e4()
    {
        var expected = TestData.Reference.GetProperty("pca_explained_variance_ratio").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var pca = Pca.Fit(fixture.Preprocessed.Matrix);
        Assert.Equal(expected.Length, pca.ExplainedVarianceRatio.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - pca.ExplainedVarianceRatio[i]) <= 1e-4, $"PC{i + 1}: expected {expected[i]}, got {pca.ExplainedVarianceRatio[i]}");
        }

        Assert.Equal(expected[0], fixture.Sweep.Pca.ExplainedVarianceRatio[0], 1e-4);
    }

    [Fact]
    public void Silhouette_CH_and_DB_of_the_reference_labels_equal_the_reference_to_relative_1e4()
    {
        var labels = ReferenceLabels();
        var metrics = TestData.Reference.GetProperty("k4_metrics_for_those_labels");
        var matrix = fixture.Preprocessed.Matrix;
        AssertRelative(metrics.GetProperty("silhouette_euclidean_full").GetDouble(), Silhouette.Mean(matrix, labels), 1e-4, "silhouette");
        AssertRelative(metrics.GetProperty("calinski_harabasz").GetDouble(), ClusterValidity.CalinskiHarabasz(matrix, labels), 1e-4, "Calinski-Harabasz");
        AssertRelative(metrics.GetProperty("davies_bouldin").GetDouble(), ClusterValidity.DaviesBouldin(matrix, labels), 1e-4, "Davies-Bouldin");

        var means = CentroidAssignment.Means(matrix, labels, 4);
        var assigned = new int[matrix.Rows];
        var squared = new float[matrix.Rows];
        AssertRelative(metrics.GetProperty("inertia").GetDouble(), CentroidAssignment.Assign(matrix, means, assigned, squared), 1e-4, "inertia");
    }

    [Fact]
    public void Silhouette_profiles_of_the_reference_labels_average_to_the_reference_silhouette()
    {
        var labels = ReferenceLabels();
        var rows = Silhouette.PerRow(fixture.Preprocessed.Matrix, [labels])[0];
        var profiles = SilhouetteProfile.Of(labels, rows, k: 4);

        Assert.Equal(fixture.Ingest.Dataset.RowCount, profiles.Sum(p => p.Count));
        var weighted = profiles.Sum(p => p.Mean * p.Count) / profiles.Sum(p => p.Count);
        AssertRelative(TestData.Reference.GetProperty("k4_metrics_for_those_labels").GetProperty("silhouette_euclidean_full").GetDouble(), weighted, 1e-4, "silhouette");
        Assert.All(profiles, p => Assert.True(p.Points.Count <= 200 && p.Points.Zip(p.Points.Skip(1)).All(pair => pair.First.Value >= pair.Second.Value)));
    }

    [Fact]
    public void Default_sweep_inertia_is_within_half_a_percent_of_the_best_known_at_every_k()
    {
        var bestKnown = TestData.Reference.GetProperty("best_known_inertia_by_k");
        Assert.Equal(Enumerable.Range(2, 9), fixture.Sweep.Solutions.Select(s => s.K));
        foreach (var solution in fixture.Sweep.Solutions)
        {
            var reference = bestKnown.GetProperty(solution.K.ToString(CultureInfo.InvariantCulture)).GetDouble();
            var excess = (solution.Inertia / reference) - 1;
            Assert.True(excess <= 0.005, $"k = {solution.K}: inertia {solution.Inertia:F1} is {excess:P2} above the best known {reference:F1}");
            Assert.True(excess > -0.001, $"k = {solution.K}: inertia {solution.Inertia:F1} is below the best known {reference:F1} by more than rounding; the objective is computed wrongly");
        }
    }

    [Fact]
    public void The_k4_solution_matches_the_reference_partition()
    {
        var solution = fixture.Sweep.For(4);
        var ari = AdjustedRandIndex.Compute(solution.Labels, ReferenceLabels());
        Assert.True(ari >= 0.95, $"adjusted Rand index with the reference k = 4 labels is {ari:F4}");
        Assert.Equal(solution.Sizes.OrderByDescending(s => s), solution.Sizes);
    }

    [Fact]
    public void Sweep_metrics_agree_with_the_single_labeling_implementations()
    {
        var matrix = fixture.Preprocessed.Matrix;
        foreach (var solution in fixture.Sweep.Solutions)
        {
            var labels = solution.Labels.ToArray();
            Assert.Equal(Silhouette.Mean(matrix, labels), solution.Silhouette, 6);
            Assert.Equal(ClusterValidity.CalinskiHarabasz(matrix, labels), solution.CalinskiHarabasz, 6);
            Assert.Equal(solution.Sizes.Sum(), matrix.Rows);
            Assert.False(fixture.Sweep.SilhouetteSampled);
        }

    }

    [Fact]
    public void On_cc_general_the_recommendation_is_k4_the_elbow_and_the_reason_carries_its_stability()
    {
        // k = 4 is the analysts' answer for this data (the reference labels are a k = 4 clustering), and the inertia curve's elbow.
        var sweep = fixture.Sweep;
        Assert.Equal(4, sweep.ElbowK);
        Assert.Equal(4, sweep.RecommendedK);
        var stability = sweep.For(4).Stability!;
        Assert.StartsWith("k = 4 ", sweep.RecommendationReason, StringComparison.Ordinal);
        Assert.Contains($"{stability.MeanAri:F2} ± {stability.SdAri:F2}", sweep.RecommendationReason, StringComparison.Ordinal);
        var silhouetteBest = sweep.Solutions.MaxBy(s => s.Silhouette)!.K;
        Assert.Contains($"silhouette prefers k = {silhouetteBest}", sweep.RecommendationReason, StringComparison.Ordinal);
    }

    [Fact]
    public void At_k4_the_segments_are_named_like_an_analysts_summary_with_numbers()
    {
        var solution = fixture.Sweep.For(4);
        var assignment = new Segmentation.Analytics.Segments.SegmentAssignment(fixture.Ingest.Dataset.RowCount, fixture.Preprocessed.Matrix, solution);
        var profiles = Segmentation.Analytics.Segments.SegmentProfiler.Profile(fixture.Ingest.Dataset, assignment, fixture.Preprocessed.Matrix.FeatureNames);
        var insights = Segmentation.Analytics.Segments.SegmentNamer.Name(profiles);
        Assert.Equal(["dormant", "installment", "cash-advance", "high-spender"], insights.Select(i => i.ArchetypeKey));
        Assert.Equal(["Low activity", "Instalment buyers", "Cash-advance reliant", "High spenders"], insights.Select(i => i.Name));
        Assert.Contains(insights[2].Evidence, e => e.StartsWith("cash advance 4.", StringComparison.Ordinal) && e.Contains("× the average", StringComparison.Ordinal));
        Assert.All(insights, i => Assert.All(i.Evidence, e => Assert.Matches(@"\d", e)));
    }

    private static void AssertRelative(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance * Math.Abs(expected), $"{what}: expected {expected}, got {actual} (relative error {Math.Abs(actual - expected) / Math.Abs(expected):E2})");

    private double[][] ImputedColumns() => Features.Select(name =>
    {
        var values = fixture.Ingest.Dataset.Column(name).Numbers.ToArray();
        var median = Descriptive.Median(values);
        return values.Select(v => double.IsNaN(v) ? median : v).ToArray();
    }).ToArray();

    private int[] ReferenceLabels()
    {
        var byId = File.ReadLines(TestData.LabelsPath).Skip(1).Select(l => l.Split(',')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var ids = fixture.Ingest.Dataset.Column("CUST_ID");
        return Enumerable.Range(0, fixture.Ingest.Dataset.RowCount).Select(i => byId[ids.TextAt(i)!]).ToArray();
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
