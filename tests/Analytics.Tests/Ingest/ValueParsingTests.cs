using Segmentation.Analytics.Ingest;

namespace Segmentation.Analytics.Tests.Ingest;

/// <summary>DESIGN.md §5, values: numbers mean what they say in the file's notation, or they are reported; never guessed.</summary>
public sealed class ValueParsingTests
{
    [Fact]
    public async Task Decimal_comma_is_detected_in_semicolon_files()
    {
        var result = await TestData.ReadAsync("id;balance;limit\nx1;1,5;1.000\nx2;2,25;2.500,5\nx3;-0,75;300\n");
        Assert.Equal(',', result.Report.DecimalSeparator);
        Assert.Equal([1.5, 2.25, -0.75], result.Dataset.Column("balance").Numbers.ToArray());
        Assert.Equal([1000.0, 2500.5, 300.0], result.Dataset.Column("limit").Numbers.ToArray());
    }

    [Fact]
    public async Task A_decimal_comma_in_a_decimal_point_file_is_reported_never_read_as_fifteen()
    {
        var result = await TestData.ReadAsync("id,a\nx1,2.5\nx2,\"1,5\"\nx3,3\n");
        Assert.Equal('.', result.Report.DecimalSeparator);
        var values = result.Dataset.Column("a").Numbers.ToArray();
        Assert.Equal(2.5, values[0]);
        Assert.True(double.IsNaN(values[1]));
        var issue = Assert.Single(result.Report.Issues, i => i.Code == "invalid-number");
        Assert.Equal(3, issue.Line);
        Assert.Contains("\"1,5\" uses a decimal comma", issue.Message, StringComparison.Ordinal);
        Assert.Equal(1, result.Report.InvalidByColumn["a"]);
    }

    [Fact]
    public async Task Thousands_separators_are_read_only_where_they_group_thousands()
    {
        var result = await TestData.ReadAsync("id,a\nx1,\"1,234,567.5\"\nx2,\"12,34\"\nx3,\"1,2345\"\nx4,7\nx5,8\nx6,\"12,345\"\n");
        var values = result.Dataset.Column("a").Numbers.ToArray();
        Assert.Equal(1234567.5, values[0]);
        Assert.True(double.IsNaN(values[1]));
        Assert.True(double.IsNaN(values[2]));
        Assert.Equal(12345.0, values[5]);
        Assert.Equal([3L, 4L], result.Report.Issues.Where(i => i.Code == "invalid-number").Select(i => i.Line!.Value));
    }

    [Fact]
    public async Task Unicode_minus_sign_is_a_minus()
    {
        var result = await TestData.ReadAsync("id,a\nx1,\u221212.5\nx2,3\n");
        Assert.Equal(-12.5, result.Dataset.Column("a").Numbers[0]);
    }

    [Fact]
    public async Task Na_tokens_become_missing_and_are_counted()
    {
        var tokens = new[] { string.Empty, "NA", "N/A", "#N/A", "NULL", "None", "NaN", "-", "?", "na", "null" };
        var text = "id,a\n" + string.Concat(tokens.Select((t, i) => $"x{i},{t}\n")) + "y1,1\ny2,2\n";
        var result = await TestData.ReadAsync(text);
        var column = result.Dataset.Column("a");
        Assert.Equal(ColumnKind.Numeric, column.Kind);
        Assert.Equal(tokens.Length, column.MissingCount);
        Assert.Equal(tokens.Length, result.Report.MissingByColumn["a"]);
        Assert.Equal(0, result.Report.IssueCounts.GetValueOrDefault("invalid-number"));
    }

    [Fact]
    public async Task Excel_errors_become_missing_and_are_reported_per_column()
    {
        var result = await TestData.ReadAsync("id,a,b\nx1,#VALUE!,1\nx2,#DIV/0!,2\nx3,#REF!,#N/A\nx4,4,3\n");
        Assert.Equal(3, result.Report.ExcelErrorsByColumn["a"]);
        Assert.False(result.Report.ExcelErrorsByColumn.ContainsKey("b"));
        Assert.Equal(3, result.Dataset.Column("a").MissingCount);
        Assert.Equal(1, result.Dataset.Column("b").MissingCount);
    }

    [Fact]
    public async Task Infinity_and_overflow_are_invalid_and_reported_with_line_and_column()
    {
        var result = await TestData.ReadAsync("id,a\nx1,1\nx2,Infinity\nx3,-inf\nx4,1e400\nx5,5e38\nx6,2\n");
        var issues = result.Report.Issues.Where(i => i.Code == "invalid-number").ToList();
        Assert.Equal([3L, 4L, 5L, 6L], issues.Select(i => i.Line!.Value));
        Assert.All(issues, i => Assert.Equal("a", i.Column));
        Assert.Contains("is infinite", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("too large", issues[2].Message, StringComparison.Ordinal);
        Assert.Equal(4, result.Dataset.Column("a").InvalidCount);
    }

    [Fact]
    public async Task Text_in_a_numeric_column_is_reported_by_line()
    {
        var rows = string.Concat(Enumerable.Range(1, 30).Select(i => $"x{i},{(i == 17 ? "twelve" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}\n"));
        var result = await TestData.ReadAsync("id,a\n" + rows);
        Assert.Equal(ColumnKind.Numeric, result.Dataset.Column("a").Kind);
        var issue = Assert.Single(result.Report.Issues, i => i.Code == "invalid-number");
        Assert.Equal(18, issue.Line);
        Assert.Equal("Line 18, column a: \"twelve\" is not a number; it counts as missing.", issue.Message);
    }

    [Fact]
    public async Task Text_beyond_the_sampled_rows_is_still_reported_by_line()
    {
        var rows = string.Concat(Enumerable.Range(1, 1500).Select(i => $"x{i},{(i == 1400 ? "n/a yet" : i.ToString(System.Globalization.CultureInfo.InvariantCulture))}\n"));
        var result = await TestData.ReadAsync("id,a\n" + rows);
        Assert.Equal(1401, Assert.Single(result.Report.Issues, i => i.Code == "invalid-number").Line);
    }

    [Fact]
    public async Task A_column_that_is_missing_in_the_first_rows_is_typed_from_later_rows()
    {
        var rows = string.Concat(Enumerable.Range(1, 1200).Select(i => $"x{i},{(i > 1100 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty)}\n"));
        var result = await TestData.ReadAsync("id,late\n" + rows);
        var column = result.Dataset.Column("late");
        Assert.Equal(ColumnKind.Numeric, column.Kind);
        Assert.Equal(1100, column.MissingCount);
        Assert.Equal(1200.0, column.Numbers[^1]);
    }
}
