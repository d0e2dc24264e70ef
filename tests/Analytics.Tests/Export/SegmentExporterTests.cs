using System.Text;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Export;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Tests.Export;

public sealed class SegmentExporterTests
{
    [Fact]
    public async Task Formula_like_text_is_escaped_while_numbers_stay_numbers()
    {
        var csv = "id,name,balance,limit\n=HYPERLINK(\"x\"),+cmd,-10,100\n@SUM(A1),ok,20,200\n-minus,fine,-30.5,300\nplain,ok,40,400\n";
        var (dataset, assignment) = await SegmentAsync(csv, k: 2);
        var lines = (await ExportAsync(dataset, assignment)).Split("\r\n");
        Assert.Equal("id,name,balance,limit,segment,segment_name,distance_to_centroid,silhouette", lines[0]);
        Assert.StartsWith("\"'=HYPERLINK(\"\"x\"\")\",\"'+cmd\",-10,100,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("\"'@SUM(A1)\",ok,20,200,", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("\"'-minus\",fine,-30.5,300,", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("plain,ok,40,400,", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_starting_with_tab_or_carriage_return_is_escaped_too()
    {
        var dataset = Dataset.FromColumns([("a", [-10.0, 20, -30, 40])], ("id", ["\tTab", "\rcr", "=1+1", "normal"]));
        var preprocessed = Preprocessor.Run(dataset);
        var solution = KMeansSweep.Run(preprocessed.Matrix, new SweepOptions { KMin = 2, KMax = 2, Restarts = 1 }).For(2);
        var output = await ExportAsync(dataset, new SegmentAssignment(dataset.RowCount, preprocessed.Matrix, solution, ["=cmd|' /C calc'!A0", "@risk"]));
        Assert.Contains("\"'\tTab\",-10,", output, StringComparison.Ordinal);
        Assert.Contains("\"'\rcr\",20,", output, StringComparison.Ordinal);
        Assert.Contains("\"'=1+1\",-30,", output, StringComparison.Ordinal);
        Assert.Contains("normal,40,", output, StringComparison.Ordinal);
        Assert.DoesNotContain(",=cmd", output, StringComparison.Ordinal);
        Assert.DoesNotContain(",@risk", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_row_is_written_once_with_its_segment_and_one_segment_can_be_exported_alone()
    {
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => $"c{i},{(i < 25 ? i % 5 : 100 + (i % 5))},{i % 3}\n"));
        var (dataset, assignment) = await SegmentAsync("id,a,b\n" + rows, k: 2);
        var all = await ExportAsync(dataset, assignment);
        var records = all.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(40, records.Count);
        Assert.Equal(25, records.Count(r => r[3] == "1"));
        Assert.All(records, r => Assert.Equal($"Segment {r[3]}", r[4]));

        var second = await ExportAsync(dataset, assignment, segment: 2);
        Assert.Equal(15, second.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
        await Assert.ThrowsAsync<ArgumentException>(() => ExportAsync(dataset, assignment, segment: 3));
    }

    [Fact]
    public async Task Rows_dropped_for_missing_values_are_exported_without_a_segment_and_missing_values_stay_empty()
    {
        var (dataset, assignment) = await SegmentAsync("id,a,b\nx1,1,1\nx2,,2\nx3,10,10\nx4,11,11\nx5,2,1\n", k: 2, MissingValueStrategy.DropRows);
        var lines = (await ExportAsync(dataset, assignment)).Split("\r\n");
        Assert.Equal("x2,,2,,,,", lines[2]);
    }

    [Fact]
    public async Task Added_column_names_do_not_collide_with_existing_ones()
    {
        var (dataset, assignment) = await SegmentAsync("id,segment,a\nx1,5,1\nx2,6,2\nx3,7,30\nx4,8,31\n", k: 2);
        var header = (await ExportAsync(dataset, assignment)).Split("\r\n")[0];
        Assert.Equal("id,segment,a,segment_2,segment_name,distance_to_centroid,silhouette", header);
    }

    [Fact]
    public async Task A_German_Excel_export_uses_semicolons_and_decimal_commas_and_keeps_codes_as_written()
    {
        var csv = "customer_id,branch,balance,limit\n0001,=cmd,1234.5,100\n0002,north,-10.25,200\n0003,south,30,1000\n0004,west,40.75,1200\n";
        var (dataset, assignment) = await SegmentAsync(csv, k: 2);
        using var stream = new MemoryStream();
        await SegmentExporter.WriteAsync(stream, dataset, assignment, format: CsvFormat.ForExcel(System.Globalization.CultureInfo.GetCultureInfo("de-DE")));
        var bytes = stream.ToArray();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("customer_id;branch;balance;limit;segment;segment_name;distance_to_centroid;silhouette", lines[0]);
        Assert.StartsWith("0001;\"'=cmd\";1234,5;100;", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("0002;north;-10,25;200;", lines[2], StringComparison.Ordinal);
        var distance = lines[1].Split(';')[6];
        Assert.DoesNotContain(".", distance, StringComparison.Ordinal);
        Assert.True(double.Parse(distance, System.Globalization.CultureInfo.GetCultureInfo("de-DE")) >= 0);
    }

    [Theory]
    [InlineData("en-US", ',', ".", "comma-separated, decimal point")]
    [InlineData("de-DE", ';', ",", "semicolon-separated, decimal comma")]
    [InlineData("fr-FR", ';', ",", "semicolon-separated, decimal comma")]
    [InlineData("en-GB", ',', ".", "comma-separated, decimal point")]
    public void The_Excel_format_follows_the_culture(string culture, char separator, string decimalMark, string description)
    {
        var format = CsvFormat.ForExcel(System.Globalization.CultureInfo.GetCultureInfo(culture));
        Assert.Equal(separator, format.Separator);
        Assert.Equal(decimalMark, format.Numbers.NumberDecimalSeparator);
        Assert.Equal(description, format.Description);
        Assert.Equal($"-1234{decimalMark}5", format.Number(-1234.5));
    }

    private static async Task<(Dataset Dataset, SegmentAssignment Assignment)> SegmentAsync(string csv, int k, MissingValueStrategy missing = MissingValueStrategy.Median)
    {
        var dataset = (await TestData.ReadAsync(csv)).Dataset;
        var preprocessed = Preprocessor.Run(dataset, new PreprocessOptions { Missing = missing });
        var sweep = KMeansSweep.Run(preprocessed.Matrix, new SweepOptions { KMin = k, KMax = k });
        return (dataset, new SegmentAssignment(dataset.RowCount, preprocessed.Matrix, sweep.For(k)));
    }

    private static async Task<string> ExportAsync(Dataset dataset, SegmentAssignment assignment, int? segment = null)
    {
        using var stream = new MemoryStream();
        await SegmentExporter.WriteAsync(stream, dataset, assignment, segment);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
