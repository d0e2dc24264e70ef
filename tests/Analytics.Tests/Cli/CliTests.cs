using System.Text.Json;

namespace Segmentation.Analytics.Tests.Cli;

/// <summary>The CLI contract, run as a real process: JSON shape, export, exit codes and one-line errors.</summary>
public sealed class CliTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("segment-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Sweep_json_has_the_documented_shape()
    {
        var csv = await WriteAsync("data.csv", "id,a,b\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"c{i},{(i % 3 * 10) + (i % 5 * 0.1)},{i % 3}\n")));
        var (code, stdout, stderr) = await CliProcess.RunAsync("sweep", csv, "--k", "2-4", "--restarts", "2", "--json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(60, root.GetProperty("rows").GetInt32());
        Assert.Equal(["a", "b"], root.GetProperty("features").EnumerateArray().Select(e => e.GetString()));
        var perK = root.GetProperty("perK").EnumerateArray().ToList();
        Assert.Equal([2, 3, 4], perK.Select(e => e.GetProperty("k").GetInt32()));
        foreach (var name in new[] { "inertia", "silhouette", "silhouetteSampled", "calinskiHarabasz", "daviesBouldin", "sizes" })
        {
            Assert.True(perK[0].TryGetProperty(name, out _), name);
        }

        Assert.Equal(3, root.GetProperty("recommendedK").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("recommendationReason").GetString()));
        Assert.Equal(60, root.GetProperty("ingest").GetProperty("rows").GetInt32());
        var timings = root.GetProperty("timingsMs");
        var total = timings.GetProperty("total").GetDouble();
        Assert.True(total > 0);
        foreach (var stage in new[] { "ingest", "preprocess", "fit", "silhouette", "pca" })
        {
            Assert.InRange(timings.GetProperty(stage).GetDouble(), 0, total);
        }

        var recipe = root.GetProperty("recipe");
        Assert.Equal(2, recipe.GetProperty("kMin").GetInt32());
        Assert.Equal(4, recipe.GetProperty("kMax").GetInt32());
        Assert.Equal(2, recipe.GetProperty("restarts").GetInt32());
        Assert.Equal("Simd", recipe.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task Segment_writes_the_export()
    {
        var csv = await WriteAsync("data.csv", "id,a\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"c{i},{(i < 20 ? i % 4 : 50 + i % 4)}\n")));
        var output = Path.Combine(_directory, "out.csv");
        var (code, stdout, stderr) = await CliProcess.RunAsync("segment", csv, "--k", "2", "--out", output, "--restarts", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote 30 rows", stdout, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal("id,a,segment,segment_name,distance_to_centroid,silhouette", lines[0]);
        Assert.Equal(31, lines.Length);
        Assert.Equal(20, lines.Skip(1).Count(l => l.Split(',')[2] == "1"));
    }

    [Fact]
    public async Task Segment_k_is_the_sweeps_k_and_its_saved_model_reproduces_the_export()
    {
        var rows = string.Concat(Enumerable.Range(0, 90).Select(i => FormattableString.Invariant($"c{i:000},{(i % 3 * 40) + (i % 7)},{(i % 3 == 1 ? 30 : 5) + (i % 4)},{i % 5}\n")));
        var csv = await WriteAsync("three.csv", "id,a,b,c\n" + rows);
        var (sweepCode, sweepOut, sweepErr) = await CliProcess.RunAsync("sweep", csv, "--json", "--stability", "0");
        Assert.True(sweepCode == 0, sweepErr);
        using var sweep = JsonDocument.Parse(sweepOut);
        var sizesAtThree = sweep.RootElement.GetProperty("perK").EnumerateArray().Single(e => e.GetProperty("k").GetInt32() == 3).GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var output = Path.Combine(_directory, "segments.csv");
        var modelPath = Path.Combine(_directory, "model.json");
        var (code, stdout, stderr) = await CliProcess.RunAsync("segment", csv, "--k", "3", "--out", output, "--save-model", modelPath, "--stability", "0");
        Assert.True(code == 0, stderr);
        Assert.Contains("Saved the model", stdout, StringComparison.Ordinal);
        var exported = (await File.ReadAllLinesAsync(output)).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(sizesAtThree, exported.GroupBy(r => r[4]).Select(g => g.Count()).OrderDescending());

        await using var file = File.OpenRead(modelPath);
        var model = await Segmentation.Analytics.Pipeline.SegmentationModel.ReadAsync(file);
        var dataset = (await TestData.ReadAsync(await File.ReadAllTextAsync(csv))).Dataset;
        var scores = model.Score(dataset);
        Assert.Equal(exported.Select(r => int.Parse(r[4], System.Globalization.CultureInfo.InvariantCulture)), scores.Numbers);
        Assert.Equal(exported.Select(r => r[0]), Enumerable.Range(0, 90).Select(i => $"c{i:000}"));
    }

    [Fact]
    public async Task The_mlnet_engine_still_runs_and_says_so()
    {
        var csv = await WriteAsync("data.csv", "id,a,b\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"c{i},{(i % 3 * 10) + (i % 5 * 0.1)},{i % 3}\n")));
        var (code, stdout, stderr) = await CliProcess.RunAsync("sweep", csv, "--k", "2-4", "--engine", "mlnet", "--restarts", "3", "--json");
        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("mlnet", json.RootElement.GetProperty("engine").GetString());
        Assert.Equal(3, json.RootElement.GetProperty("recommendedK").GetInt32());
        Assert.Equal([20, 20, 20], json.RootElement.GetProperty("perK")[1].GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()));
        var (badCode, _, badErr) = await CliProcess.RunAsync("sweep", csv, "--engine", "sklearn");
        Assert.Equal(2, badCode);
        Assert.Contains("--engine expects simd or mlnet", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_exits_2_with_one_line_naming_the_line()
    {
        var csv = await WriteAsync("bad.csv", "id,a\nx1,1\nx2,\"2\nx3,3\n");
        var (code, stdout, stderr) = await CliProcess.RunAsync("sweep", csv);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Line 3:", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-file.csv")]
    [InlineData("--k")]
    public async Task Missing_files_and_bad_usage_exit_2_without_a_stack_trace(string argument)
    {
        var (code, _, stderr) = await CliProcess.RunAsync("sweep", argument == "--k" ? await WriteAsync("x.csv", "a\n1\n") : Path.Combine(_directory, argument), argument == "--k" ? "--k" : "--json");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unanalysable_data_exits_2_with_the_reason()
    {
        var csv = await WriteAsync("flat.csv", "id,a\nx1,5\nx2,5\nx3,5\n");
        var (code, _, stderr) = await CliProcess.RunAsync("sweep", csv);
        Assert.Equal(2, code);
        Assert.Contains("same value in every row", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_json_lists_every_column_with_kind_role_and_reason_including_derived_and_one_hot_ones()
    {
        var csv = await WriteAsync("mall.csv", CustomerTables.Mall());
        var (code, stdout, stderr) = await CliProcess.RunAsync("sweep", csv, "--k", "2-4", "--restarts", "2", "--stability", "0", "--json", "--categorical", "Genre", "--derive", "INCOME_PER_AGE = [Annual Income (k$)] / Age");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var columns = root.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.Equal(("id", "id"), (columns["CustomerID"].GetProperty("kind").GetString(), columns["CustomerID"].GetProperty("role").GetString()));
        Assert.Equal(("categorical", "feature"), (columns["Genre"].GetProperty("kind").GetString(), columns["Genre"].GetProperty("role").GetString()));
        Assert.Equal(("binary", "feature"), (columns["Genre=Female"].GetProperty("kind").GetString(), columns["Genre=Female"].GetProperty("role").GetString()));
        Assert.Equal(("numeric", "feature"), (columns["INCOME_PER_AGE"].GetProperty("kind").GetString(), columns["INCOME_PER_AGE"].GetProperty("role").GetString()));
        Assert.Equal("[Annual Income (k$)] / Age", columns["INCOME_PER_AGE"].GetProperty("expression").GetString());
        Assert.All(columns.Values, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("reason").GetString())));
        var features = root.GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.Equal(new[] { "Age", "Annual Income (k$)", "Genre=Female", "Genre=Male", "INCOME_PER_AGE", "Spending Score (1-100)" }, features.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Segment_json_gives_each_segment_its_composition_and_the_export_keeps_the_ids()
    {
        var csv = await WriteAsync("mall.csv", CustomerTables.Mall());
        var output = Path.Combine(_directory, "segments.csv");
        var (code, stdout, stderr) = await CliProcess.RunAsync("segment", csv, "--k", "5", "--out", output, "--json", "--stability", "0", "--scale", "robust", "--impute", "mean", "--clip", "1");
        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(5, root.GetProperty("k").GetInt32());
        var segments = root.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(5, segments.Length);
        foreach (var segment in segments)
        {
            var genre = segment.GetProperty("composition").GetProperty("Genre");
            Assert.Equal(1, genre.GetProperty("Female").GetDouble() + genre.GetProperty("Male").GetDouble(), 3);
        }

        Assert.Equal("Robust", root.GetProperty("recipe").GetProperty("scaling").GetString());
        Assert.Equal(0.99, root.GetProperty("recipe").GetProperty("clipUpper").GetDouble(), 9);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.StartsWith("0001,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_whose_first_line_is_not_its_header_exits_2_with_both_counts_and_reads_with_no_header()
    {
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => string.Join(',', Enumerable.Range(0, 14).Select(c => ((i * 7) + (c * 3)) % 13)) + "\n"));
        var csv = await WriteAsync("wine_data.csv", "178,13,class_0,class_1,class_2\n" + rows);
        var (code, _, stderr) = await CliProcess.RunAsync("sweep", csv, "--k", "2-3", "--stability", "0");
        Assert.Equal(2, code);
        Assert.Contains("the first line has 5 fields, the rows have 14", stderr, StringComparison.Ordinal);
        Assert.Contains("the header is missing or is not the first line", stderr, StringComparison.Ordinal);

        var (ok, stdout, errors) = await CliProcess.RunAsync("sweep", csv, "--k", "2-3", "--stability", "0", "--no-header", "--json");
        Assert.True(ok == 0, errors);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(40, root.GetProperty("rows").GetInt32());
        Assert.Contains("column_14", root.GetProperty("features").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task Id_and_describe_options_change_the_roles()
    {
        var csv = await WriteAsync("wholesale.csv", CustomerTables.Wholesale());
        var (code, stdout, stderr) = await CliProcess.RunAsync("sweep", csv, "--k", "2-3", "--stability", "0", "--json", "--describe", "Frozen", "--id", "Delicassen");
        Assert.True(code == 0, stderr);
        var columns = JsonDocument.Parse(stdout).RootElement.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("role").GetString());
        Assert.Equal("id", columns["Delicassen"]);
        Assert.Equal("described", columns["Frozen"]);
        Assert.Equal("described", columns["Channel"]);
        Assert.Equal("feature", columns["Milk"]);
        var warnings = JsonDocument.Parse(stdout).RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToArray();
        Assert.Contains(warnings, w => w!.StartsWith("The identifier Delicassen has ", StringComparison.Ordinal) && w.Contains(" on lines ", StringComparison.Ordinal));

        var (bad, _, message) = await CliProcess.RunAsync("sweep", csv, "--derive", "TOTAL");
        Assert.Equal(2, bad);
        Assert.Contains("write NAME = expression", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_writes_one_html_file_and_a_saved_model_gives_the_same_segments_with_its_names()
    {
        var csv = await WriteAsync("data.csv", "id,a,b\n" + string.Concat(Enumerable.Range(0, 60).Select(i => $"c{i},{(i % 3 * 10) + (i % 5 * 0.1)},{i % 3}\n")));
        var html = Path.Combine(_directory, "report.html");
        var (code, stdout, stderr) = await CliProcess.RunAsync("report", csv, "--k", "3", "--out", html, "--stability", "0", "--title", "Q4 <customers>");
        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote the report for k = 3 (60 customers)", stdout, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(html);
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(text, "data-section=\"segment\""));
        Assert.Contains("<h1 data-section=\"title\">Q4 &lt;customers&gt;</h1>", text, StringComparison.Ordinal);

        // From a saved model: its recipe reruns on the file, its names label the segments.
        var model = Path.Combine(_directory, "model.json");
        (code, _, stderr) = await CliProcess.RunAsync("segment", csv, "--k", "3", "--out", Path.Combine(_directory, "seg.csv"), "--save-model", model, "--stability", "0");
        Assert.True(code == 0, stderr);
        var json = await File.ReadAllTextAsync(model);
        var firstName = JsonDocument.Parse(json).RootElement.GetProperty("segments")[0].GetProperty("name").GetString()!;
        await File.WriteAllTextAsync(model, json.Replace($"\"{firstName}\"", "\"Renamed by the team\"", StringComparison.Ordinal));
        var fromModel = Path.Combine(_directory, "from-model.html");
        (code, _, stderr) = await CliProcess.RunAsync("report", csv, "--model", model, "--out", fromModel);
        Assert.True(code == 0, stderr);
        Assert.Contains("Renamed by the team", await File.ReadAllTextAsync(fromModel), StringComparison.Ordinal);

        (code, _, stderr) = await CliProcess.RunAsync("report", csv, "--out", html);
        Assert.Equal(2, code);
        Assert.Contains("report needs one k", stderr, StringComparison.Ordinal);
    }

    private async Task<string> WriteAsync(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
