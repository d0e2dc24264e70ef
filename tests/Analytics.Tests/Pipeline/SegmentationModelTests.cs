using System.Text.Json;
using System.Text.Json.Nodes;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests.Pipeline;

/// <summary>The portable model: JSON round trip, exact replay of the preparation, and clear errors on files it cannot use.</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class SegmentationModelTests(CcGeneralFixture fixture)
{
    [Fact]
    public void A_reloaded_model_gives_every_cc_general_customer_the_segment_of_the_analysis()
    {
        var result = fixture.Analysis;
        var segmentation = result.For(4);
        var json = result.ToModel(4).ToJson();
        var model = SegmentationModel.FromJson(json);
        var scores = model.Score(fixture.Ingest.Dataset);

        Assert.Empty(scores.Unprepared);
        Assert.Equal(8950, scores.Numbers.Count);
        for (var row = 0; row < 8950; row++)
        {
            Assert.Equal(segmentation.Assignment.SegmentOf(row), scores.Numbers[row]);
            Assert.Equal(segmentation.Assignment.DistanceOf(row), scores.Distances[row]);
        }

        Assert.Equal(segmentation.Solution.Sizes, model.Segments.Select(s => s.Size));
        Assert.Equal(segmentation.Insights.Select(i => i.Name), model.Segments.Select(s => s.Name));
        Assert.Equal("CUST_ID", model.IdColumn);
    }

    [Fact]
    public void The_json_has_the_documented_fields_and_the_fitted_parameters()
    {
        using var json = JsonDocument.Parse(fixture.Analysis.ToModel(4).ToJson());
        var root = json.RootElement;
        Assert.Equal("segmentation-model", root.GetProperty("format").GetString());
        Assert.Equal(SegmentationModel.CurrentVersion, root.GetProperty("version").GetInt32());
        Assert.True(root.TryGetProperty("createdAt", out _));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("appVersion").GetString()));
        Assert.Equal(10, root.GetProperty("recipe").GetProperty("kMax").GetInt32());

        var features = root.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(17, features.Length);
        var minimum = features.Single(f => f.GetProperty("name").GetString() == "MINIMUM_PAYMENTS").GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal("median", minimum[0].GetProperty("impute").GetString());
        Assert.Equal(312.343947, minimum[0].GetProperty("value").GetDouble(), 1e-6);
        Assert.Equal("zscore", minimum[^1].GetProperty("scale").GetString());
        var column = fixture.Ingest.Dataset.Column("MINIMUM_PAYMENTS").Numbers.ToArray().Select(v => double.IsNaN(v) ? 312.343947 : v).ToArray();
        Assert.Equal(column.Average(), minimum[^1].GetProperty("mean").GetDouble(), 1e-3);

        var centroids = root.GetProperty("centroids").EnumerateArray().ToArray();
        Assert.Equal(4, centroids.Length);
        Assert.All(centroids, c => Assert.Equal(17, c.GetArrayLength()));
        var segment = root.GetProperty("segments")[0];
        foreach (var field in new[] { "number", "name", "colour", "recommendation", "size", "distanceP99" })
        {
            Assert.True(segment.TryGetProperty(field, out _), field);
        }

        Assert.Equal(8950, root.GetProperty("segments").EnumerateArray().Sum(s => s.GetProperty("size").GetInt32()));
    }

    [Fact]
    public void The_99th_percentile_distance_leaves_one_percent_of_each_segment_beyond_it()
    {
        var segmentation = fixture.Analysis.For(4);
        for (var s = 0; s < 4; s++)
        {
            var distances = Enumerable.Range(0, 8950).Where(r => segmentation.Solution.Labels[r] == s).Select(r => segmentation.Solution.Distances[r]).ToArray();
            var beyond = distances.Count(d => d > segmentation.DistanceP99[s]) / (double)distances.Length;
            Assert.InRange(beyond, 0.005, 0.011);
        }
    }

    [Fact]
    public async Task Log_clip_robust_and_dropped_rows_replay_exactly_and_unpreparable_new_rows_are_listed()
    {
        var csv = "id,a,b,c\n" + string.Concat(Enumerable.Range(0, 120).Select(i => $"x{i},{(i % 3 == 0 ? "" : (i * i % 97).ToString(System.Globalization.CultureInfo.InvariantCulture))},{i % 4 * 10 + i % 7},{(i % 11 == 0 ? "" : (i % 5 * 100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))}\n"));
        var dataset = (await TestData.ReadAsync(csv)).Dataset;
        foreach (var recipe in new[]
        {
            new SegmentationRecipe { KMin = 2, KMax = 4, Log1pColumns = ["a", "b"], ClipLower = 0.05, ClipUpper = 0.95, Scaling = ScalingMethod.Robust, StabilityResamples = 0 },
            new SegmentationRecipe { KMin = 2, KMax = 4, Missing = MissingValueStrategy.Mean, Scaling = ScalingMethod.MinMax, StabilityResamples = 0 },
            new SegmentationRecipe { KMin = 2, KMax = 4, Missing = MissingValueStrategy.DropRows, StabilityResamples = 0 },
        })
        {
            var result = SegmentationPipeline.Run(dataset, recipe);
            var model = SegmentationModel.FromJson(result.ToModel(3).ToJson());
            var scores = model.Score(dataset);
            var assignment = result.For(3).Assignment;
            Assert.Equal(Enumerable.Range(0, 120).Select(assignment.SegmentOf), scores.Numbers);
            Assert.Equal(recipe.Missing == MissingValueStrategy.DropRows ? result.Preprocessed.DroppedRows : 0, scores.Unprepared.Count);
        }
    }

    [Fact]
    public void A_newer_version_a_damaged_file_and_another_json_give_clear_messages()
    {
        var json = JsonNode.Parse(fixture.Analysis.ToModel(4).ToJson())!;
        json["version"] = SegmentationModel.CurrentVersion + 1;
        var newer = Assert.Throws<ModelFormatException>(() => SegmentationModel.FromJson(json.ToJsonString()));
        Assert.Contains("newer version", newer.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {SegmentationModel.CurrentVersion}", newer.Message, StringComparison.Ordinal);

        var text = fixture.Analysis.ToModel(4).ToJson();
        var damaged = Assert.Throws<ModelFormatException>(() => SegmentationModel.FromJson(text[..(text.Length / 2)]));
        Assert.Contains("damaged", damaged.Message, StringComparison.Ordinal);
        Assert.Contains("line", damaged.Message, StringComparison.Ordinal);

        var other = Assert.Throws<ModelFormatException>(() => SegmentationModel.FromJson("{\"format\":\"something-else\",\"version\":1}"));
        Assert.Contains("not a segmentation model", other.Message, StringComparison.Ordinal);

        json["version"] = 1;
        json["centroids"]![0]!.AsArray().RemoveAt(0);
        var short1 = Assert.Throws<ModelFormatException>(() => SegmentationModel.FromJson(json.ToJsonString()));
        Assert.Contains("centroid 1", short1.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scoring_data_without_a_model_column_names_the_missing_columns()
    {
        var model = fixture.Analysis.ToModel(4);
        var other = Dataset.FromColumns([("BALANCE", [1.0, 2.0]), ("PURCHASES", [3.0, 4.0])]);
        var error = Assert.Throws<AnalysisInputException>(() => model.Score(other));
        Assert.Contains("CASH_ADVANCE", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BALANCE,", error.Message, StringComparison.Ordinal);
    }
}
