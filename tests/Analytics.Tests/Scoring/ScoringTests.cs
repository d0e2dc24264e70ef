using System.Text;
using Segmentation.Analytics.Export;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Scoring;

namespace Segmentation.Analytics.Tests.Scoring;

/// <summary>Applying a saved model to new customers: exact assignments, fit labels, the checks on the table, drift and migration.</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class ScoringTests(CcGeneralFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("scoring-tests-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_model_fitted_on_a_random_half_scores_the_other_half_the_same_in_process_and_from_the_cli()
    {
        var (fitted, other, otherCsv) = await SplitAsync(seed: 2026);
        var analysis = SegmentationPipeline.Run(fitted.Dataset, SegmentationRecipe.Default with { KMin = 3, KMax = 5 });
        var model = SegmentationModel.FromJson(analysis.ToModel(4).ToJson());
        var modelPath = Path.Combine(_directory, "model.json");
        await File.WriteAllTextAsync(modelPath, model.ToJson());

        // The fitted half gets the analysis' own segments back, row by row.
        var own = ScoredTable.Score(model, fitted.Dataset);
        var assignment = analysis.For(4).Assignment;
        Assert.Equal(fitted.Dataset.RowCount, own.ScoredRows);
        for (var row = 0; row < fitted.Dataset.RowCount; row++)
        {
            Assert.Equal(assignment.SegmentOf(row), own.SegmentOf(row)!.Number);
        }

        // The other half: the CLI writes the same segments as scoring in process.
        var scored = ScoredTable.Score(model, other.Dataset);
        Assert.Equal(other.Dataset.RowCount, scored.ScoredRows);
        var otherPath = Path.Combine(_directory, "other.csv");
        await File.WriteAllTextAsync(otherPath, otherCsv);
        var outPath = Path.Combine(_directory, "scored.csv");
        var (code, stdout, stderr) = await CliProcess.RunAsync("score", otherPath, "--model", modelPath, "--out", outPath);
        Assert.True(code == 0, stderr);
        Assert.Contains($"Scored {other.Dataset.RowCount:N0} of {other.Dataset.RowCount:N0} rows", stdout, StringComparison.Ordinal);
        var written = (await CsvIngestor.ReadAsync(File.OpenRead(outPath))).Dataset;
        Assert.Equal(other.Dataset.RowCount, written.RowCount);
        var ids = written.Column("CUST_ID");
        var segments = written.Column("segment");
        var names = written.Column("segment_name");
        var fits = written.Column("fit");
        for (var row = 0; row < written.RowCount; row++)
        {
            Assert.Equal(other.Dataset.Column("CUST_ID").TextAt(row), ids.TextAt(row));
            Assert.Equal(scored.SegmentOf(row)!.Number, (int)segments.Numbers[row]);
            Assert.Equal(scored.SegmentOf(row)!.Name, names.TextAt(row));
            Assert.Equal(ScoredTable.FitName(scored.Fits[row]), fits.TextAt(row));
        }

        // Customers like the training ones: about 1% beyond the 99th percentile, sizes close to the analysis.
        var unlike = scored.CountOf(SegmentFit.Unlike) / (double)scored.ScoredRows;
        Assert.InRange(unlike, 0.002, 0.03);
        var drift = DriftReport.Compare(scored);
        Assert.True(drift.StillFits, drift.Verdict);
        Assert.All(drift.Segments, s => Assert.InRange(Math.Abs(s.ChangePoints), 0, 3));
        Assert.All(drift.Features, f => Assert.True(f.Psi < 0.05, $"{f.Feature}: PSI {f.Psi}"));
    }

    [Fact]
    public void Doubling_cash_advances_for_a_third_of_the_customers_shows_in_the_psi_the_migration_and_the_verdict()
    {
        var model = fixture.Analysis.ToModel(4);
        var data = fixture.Ingest.Dataset;
        var random = new Random(11);
        var drifted = data.Column("CASH_ADVANCE").Numbers.ToArray();
        var changed = 0;
        for (var row = 0; row < drifted.Length; row++)
        {
            if (random.Next(3) == 0)
            {
                drifted[row] *= 2;
                changed++;
            }
        }

        var copy = Replace(data, "CASH_ADVANCE", drifted);
        var scored = ScoredTable.Score(model, copy);
        var previous = PreviousSegments(fixture.Analysis, 4);
        var drift = DriftReport.Compare(scored, previous);

        var cash = drift.Features.Single(f => f.Feature == "CASH_ADVANCE");
        Assert.Equal("CASH_ADVANCE", drift.Features.MaxBy(f => f.Psi)!.Feature);
        Assert.True(cash.Level >= DriftLevel.Moderate, $"PSI {cash.Psi}, mean shift {cash.MeanShift} sd");
        // PSI on deciles hardly sees a change of scale (numpy gives the same 0.016 on these rows); the mean does: +36%.
        Assert.InRange(cash.Psi, 0.01, 0.03);
        Assert.InRange(cash.MeanChange, 0.30, 0.42);
        Assert.All(drift.Features.Where(f => f.Feature != "CASH_ADVANCE"), f => Assert.Equal((0.0, DriftLevel.Stable), (Math.Round(f.Psi, 12), f.Level)));
        Assert.True(cash.MedianNow >= cash.MedianBefore);

        // Every customer is in both tables; the moves are towards the segment whose customers use cash advances.
        var migration = drift.Migration!;
        Assert.Equal(8950, migration.Matched);
        Assert.Equal(0, migration.OnlyNow + migration.OnlyBefore);
        Assert.InRange(migration.Moved.Count, 1, changed);
        var cashSegment = model.Segments.Single(s => s.Name == "Cash-advance reliant").Number;
        var into = migration.Moved.Count(m => m.To == cashSegment);
        Assert.True(into > migration.Moved.Count / 2, $"{into} of {migration.Moved.Count} moved into Cash-advance reliant");
        var diagonal = Enumerable.Range(0, model.K).Sum(s => migration.Counts[s][s]);
        Assert.Equal(8950 - migration.Moved.Count, diagonal);
        // The segments absorb the change (Cash-advance reliant grows by about a point), so they still fit; the verdict says where the
        // movers went and names the feature to watch.
        Assert.True(drift.StillFits, drift.Verdict);
        Assert.Contains("most of them into Cash-advance reliant", drift.Verdict, StringComparison.Ordinal);
        Assert.Contains("Watch CASH_ADVANCE (PSI 0.02, mean +3", drift.Verdict, StringComparison.Ordinal);

        // Tripling every customer's cash advances moves far more, and the verdict asks for a new segmentation.
        var tripled = data.Column("CASH_ADVANCE").Numbers.ToArray().Select(v => v * 3).ToArray();
        var strong = DriftReport.Compare(ScoredTable.Score(model, Replace(data, "CASH_ADVANCE", tripled)), previous);
        Assert.False(strong.StillFits, strong.Verdict);
        Assert.Equal(DriftLevel.Significant, strong.Features.Single(f => f.Feature == "CASH_ADVANCE").Level);
        Assert.Contains("Cash-advance reliant grew from 13.5% to", strong.Verdict, StringComparison.Ordinal);
        Assert.EndsWith("consider re-segmenting.", strong.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void The_analysis_own_customers_have_not_moved_and_still_fit()
    {
        var model = fixture.Analysis.ToModel(4);
        var scored = ScoredTable.Score(model, fixture.Ingest.Dataset);
        var drift = DriftReport.Compare(scored, PreviousSegments(fixture.Analysis, 4));
        Assert.Empty(drift.Migration!.Moved);
        Assert.True(drift.StillFits);
        Assert.StartsWith("Segments still fit", drift.Verdict, StringComparison.Ordinal);
        Assert.All(drift.Features, f => Assert.Equal(0, f.Psi, 12));
        Assert.Equal(model.Segments.Select(s => s.Size), scored.Counts);
        // The 99th percentile: about 1% of the training customers are beyond it (ties and rounding allow a little more).
        Assert.InRange(scored.CountOf(SegmentFit.Unlike), 85, 95);
    }

    [Fact]
    public async Task Missing_columns_are_named_together_extra_ones_are_listed_and_unseen_categories_are_counted()
    {
        var mall = await TestData.ReadAsync(CustomerTables.Mall());
        var analysis = SegmentationPipeline.Run(mall.Dataset, SegmentationRecipe.Default with { Categorical = ["Genre"], KMin = 3, KMax = 5 });
        var model = analysis.ToModel(4);
        Assert.Contains(model.Encodings, e => e is LevelEncoding { Level: "Female" });

        var lacking = await TestData.ReadAsync("CustomerID,Genre,Age\n0001,Female,30\n");
        var error = Assert.Throws<AnalysisInputException>(() => ScoredTable.Score(model, lacking.Dataset));
        Assert.Contains("Annual Income (k$), Spending Score (1-100)", error.Message, StringComparison.Ordinal);

        var next = await TestData.ReadAsync("CustomerID,Genre,Age,Annual Income (k$),Spending Score (1-100),Region\n0201,Female,30,40,60,North\n0202,Non-binary,41,80,20,South\n0203,Male,25,90,90,North\n0204,Non-binary,33,20,10,East\n");
        var scored = ScoredTable.Score(model, next.Dataset);
        Assert.Equal(["Region"], scored.IgnoredColumns);
        var unseen = Assert.Single(scored.UnseenLevels);
        Assert.Equal(("Genre", "Non-binary", 2), (unseen.Column, unseen.Value, unseen.Rows));
        Assert.Equal(4, scored.ScoredRows);
        var notes = string.Join(" ", scored.Notes());
        Assert.Contains("Region", notes, StringComparison.Ordinal);
        Assert.Contains("\"Non-binary\" ×2", notes, StringComparison.Ordinal);

        // Identifiers come out as written, with the segment columns after the input's.
        using var stream = new MemoryStream();
        await ScoredExporter.WriteAsync(stream, scored);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("CustomerID,Genre,Age,Annual Income (k$),Spending Score (1-100),Region,segment,segment_name,distance_to_centroid,fit", lines[0]);
        Assert.StartsWith("0201,Female,30,40,60,North,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_customer_far_beyond_every_segment_is_unlike_any_segment_and_one_between_two_centres_is_borderline()
    {
        var model = fixture.Analysis.ToModel(4);
        var data = fixture.Ingest.Dataset;
        var extreme = data.Column("BALANCE").Numbers.ToArray();
        extreme[0] = 1e7;
        var scored = ScoredTable.Score(model, Replace(data, "BALANCE", extreme));
        Assert.Equal(SegmentFit.Unlike, scored.Fits[0]);

        var borderline = Enumerable.Range(0, data.RowCount).Where(r => scored.Fits[r] == SegmentFit.Borderline).ToArray();
        Assert.NotEmpty(borderline);
        Assert.All(borderline, r => Assert.True(1 - (scored.Scores.Distances[r] / scored.Scores.SecondDistances[r]) < ScoredTable.BorderlineMargin));
        var typical = Enumerable.Range(0, data.RowCount).First(r => scored.Fits[r] == SegmentFit.Typical);
        Assert.True(1 - (scored.Scores.Distances[typical] / scored.Scores.SecondDistances[typical]) >= ScoredTable.BorderlineMargin);
    }

    [Fact]
    public void Psi_follows_its_definition_on_a_hand_computed_case()
    {
        // Ten training values 1..10: deciles 1.9, 2.8, … make ten bins of 10% each.
        var reference = FeatureReference.Fit("x", Enumerable.Range(1, 10).Select(v => (double)v).ToArray());
        Assert.Equal(9, reference.Edges.Count);
        Assert.All(reference.Shares, s => Assert.Equal(0.1, s, 12));
        Assert.Equal(5.5, reference.Median, 12);

        // Now every value is in the lowest bin: (1 − 0.1)·ln(1/0.1) + 9·(0.0001 − 0.1)·ln(0.0001/0.1).
        double[] now = [1, 1, 1, 1];
        var expected = (0.9 * Math.Log(10)) + (9 * (0.0001 - 0.1) * Math.Log(0.0001 / 0.1));
        Assert.Equal(expected, reference.Psi(now), 10);
        Assert.Equal(0, reference.Psi(Enumerable.Range(1, 10).Select(v => (double)v).ToArray()), 12);
    }

    [Fact]
    public void A_version_2_model_without_reference_distributions_still_scores_and_says_it_cannot_compare_features()
    {
        var json = fixture.Analysis.ToModel(4).ToJson();
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        node["version"] = 2;
        node.Remove("reference");
        var model = SegmentationModel.FromJson(node.ToJsonString());
        Assert.Empty(model.Reference);
        var drift = DriftReport.Compare(ScoredTable.Score(model, fixture.Ingest.Dataset));
        Assert.Empty(drift.Features);
        Assert.Contains("no feature distributions", drift.Verdict, StringComparison.Ordinal);
    }

    internal static Dictionary<string, int> PreviousSegments(AnalysisResult analysis, int k)
    {
        var assignment = analysis.For(k).Assignment;
        var ids = analysis.Dataset.Column(analysis.IdentifierColumn!);
        return Enumerable.Range(0, analysis.Dataset.RowCount).ToDictionary(r => ids.TextAt(r)!, assignment.SegmentOf, StringComparer.Ordinal);
    }

    /// <summary>cc_general (numeric columns and its identifier) with one column's values replaced.</summary>
    internal static Dataset Replace(Dataset data, string column, double[] values)
    {
        var numeric = data.Columns.Where(c => c.HasNumbers && c.Kind != ColumnKind.Identifier)
            .Select(c => (c.Name, c.Name == column ? values : c.Numbers.ToArray())).ToArray();
        var id = data.Columns.Single(c => c.Kind == ColumnKind.Identifier);
        return Dataset.FromColumns(numeric, (id.Name, Enumerable.Range(0, data.RowCount).Select(r => id.TextAt(r)!).ToArray()), data.SourceName);
    }

    /// <summary>cc_general's rows split at random into two halves, each read as its own file; the second also as its text.</summary>
    private static async Task<(IngestResult Fitted, IngestResult Other, string OtherCsv)> SplitAsync(int seed)
    {
        var lines = await File.ReadAllLinesAsync(TestData.CcGeneralPath);
        var rows = lines.Skip(1).Where(l => l.Length > 0).ToArray();
        var order = Enumerable.Range(0, rows.Length).ToArray();
        new Random(seed).Shuffle(order);
        var half = rows.Length / 2;
        string Csv(IEnumerable<int> picked) => lines[0] + "\n" + string.Join("\n", picked.Order().Select(i => rows[i])) + "\n";
        var other = Csv(order.Skip(half));
        return (await TestData.ReadAsync(Csv(order.Take(half))), await TestData.ReadAsync(other), other);
    }
}
