using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.SampleData;

namespace Segmentation.Analytics.Tests.SampleData;

public sealed class CreditCardSampleTests
{
    [Fact]
    public void Has_cc_generals_columns_consistent_values_and_a_few_missing()
    {
        var dataset = CreditCardSample.Generate(5000, seed: 3);
        Assert.Equal(["CUST_ID", .. CreditCardSample.Columns], dataset.Columns.Select(c => c.Name));
        Assert.Equal("CUST_ID", dataset.IdentifierColumn);
        var purchases = dataset.Column("PURCHASES").Numbers;
        var oneOff = dataset.Column("ONEOFF_PURCHASES").Numbers;
        var installments = dataset.Column("INSTALLMENTS_PURCHASES").Numbers;
        for (var i = 0; i < dataset.RowCount; i++)
        {
            Assert.Equal(oneOff[i] + installments[i], purchases[i], 6);
        }

        foreach (var name in new[] { "BALANCE_FREQUENCY", "PURCHASES_FREQUENCY", "CASH_ADVANCE_FREQUENCY", "PRC_FULL_PAYMENT" })
        {
            Assert.All(dataset.Column(name).Numbers.ToArray(), v => Assert.InRange(v, 0, 1));
        }

        Assert.InRange(dataset.Column("MINIMUM_PAYMENTS").MissingCount, 100, 260);
        Assert.True(Segmentation.Analytics.Statistics.Descriptive.Skewness(dataset.Column("PURCHASES").Numbers) > 2, "money columns are long-tailed");
    }

    [Fact]
    public void The_same_seed_gives_the_same_data()
    {
        var a = CreditCardSample.Generate(200, seed: 9);
        var b = CreditCardSample.Generate(200, seed: 9);
        var c = CreditCardSample.Generate(200, seed: 10);
        Assert.Equal(a.Column("BALANCE").Numbers.ToArray(), b.Column("BALANCE").Numbers.ToArray());
        Assert.NotEqual(a.Column("BALANCE").Numbers.ToArray(), c.Column("BALANCE").Numbers.ToArray());
    }

    [Fact]
    public async Task Written_csv_reads_back_identically_and_its_latent_groups_show_in_the_segments()
    {
        using var stream = new MemoryStream();
        await CreditCardSample.WriteCsvAsync(stream, 3000, seed: 4);
        stream.Position = 0;
        var read = await CsvIngestor.ReadAsync(stream);
        var generated = CreditCardSample.Generate(3000, 4, out var groups);
        Assert.Equal(0, read.Report.IssueCount);
        Assert.Equal(generated.Column("CASH_ADVANCE").Numbers.ToArray(), read.Dataset.Column("CASH_ADVANCE").Numbers.ToArray());

        var matrix = Preprocessor.Run(read.Dataset, new PreprocessOptions { AutoLog1p = true }).Matrix;
        var solution = KMeansSweep.Run(matrix, new SweepOptions { KMin = 5, KMax = 5, Restarts = 4 }).For(5);
        var ari = AdjustedRandIndex.Compute(solution.Labels, groups);
        Assert.True(ari > 0.5, $"the five latent groups should be largely recoverable; adjusted Rand index {ari:F3}");
    }

    [Fact]
    public void The_sample_segments_get_distinct_credit_card_names_backed_by_numbers()
    {
        var dataset = CreditCardSample.Generate(4000, seed: 2);
        var preprocessed = Preprocessor.Run(dataset);
        var solution = KMeansSweep.Run(preprocessed.Matrix, new SweepOptions { KMin = 5, KMax = 5, Restarts = 4, StabilityResamples = 0 }).For(5);
        var assignment = new Segmentation.Analytics.Segments.SegmentAssignment(dataset.RowCount, preprocessed.Matrix, solution);
        var insights = Segmentation.Analytics.Segments.SegmentNamer.Name(Segmentation.Analytics.Segments.SegmentProfiler.Profile(dataset, assignment, preprocessed.Matrix.FeatureNames));
        Assert.Equal(5, insights.Select(i => i.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.True(insights.Count(i => i.ArchetypeKey is not null) >= 3, string.Join(", ", insights.Select(i => i.Name)));
        Assert.Contains(insights, i => i.ArchetypeKey == "cash-advance");
        Assert.All(insights.Where(i => i.ArchetypeKey is not null), i => Assert.All(i.Evidence, e => Assert.Matches(@"\d", e)));
    }
}
