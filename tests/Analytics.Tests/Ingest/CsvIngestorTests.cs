using System.Globalization;
using System.Text;
using Segmentation.Analytics.Ingest;

namespace Segmentation.Analytics.Tests.Ingest;

/// <summary>DESIGN.md §5, encoding and structure: every case either reads correctly or fails with a message naming the line.</summary>
public sealed class CsvIngestorTests
{
    private const string Simple = "id,a,b\nx1,1,2.5\nx2,3,4.5\n";

    [Theory]
    [InlineData("utf8")]
    [InlineData("utf8-bom")]
    [InlineData("utf16-bom")]
    public async Task Reads_utf8_with_and_without_bom_and_utf16_with_bom(string encoding)
    {
        var bytes = encoding switch
        {
            "utf8" => Encoding.UTF8.GetBytes(Simple),
            "utf8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Simple)],
            _ => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Simple)],
        };
        var result = await TestData.ReadBytesAsync(bytes);
        Assert.Equal(["id", "a", "b"], result.Dataset.Columns.Select(c => c.Name));
        Assert.Equal([1.0, 3.0], result.Dataset.Column("a").Numbers.ToArray());
        Assert.Equal([2.5, 4.5], result.Dataset.Column("b").Numbers.ToArray());
        Assert.DoesNotContain(result.Report.Issues, i => i.Code == "header-cleaned");
    }

    [Fact]
    public async Task Invalid_utf8_is_rejected_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("id,name\n1,ok\n2,caf").Concat(new byte[] { 0xE9 }).Concat(Encoding.UTF8.GetBytes("\n3,x\n")).ToArray();
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadBytesAsync(bytes));
        Assert.Equal(3, error.Line);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nul_bytes_are_rejected_as_binary_with_their_line()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,2\n3").Concat(new byte[] { 0 }).Concat(Encoding.UTF8.GetBytes(",4\n")).ToArray();
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadBytesAsync(bytes));
        Assert.Equal(3, error.Line);
        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "Excel workbook (.xlsx)")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1 }, "old Excel workbook (.xls)")]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00 }, "gzip")]
    public async Task Binary_files_are_named_for_what_they_are(byte[] bytes, string expected)
    {
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadBytesAsync(bytes));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_file_is_rejected()
    {
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadBytesAsync([]));
        Assert.Equal("The file is empty.", error.Message);
    }

    [Fact]
    public async Task Header_only_file_is_rejected()
    {
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadAsync("a,b,c\n"));
        Assert.Equal("The file has a header but no data rows.", error.Message);
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public async Task Detects_the_separator(char separator)
    {
        var text = string.Join('\n', new[] { "id,a,b", "x1,1,2", "x2,3,4", "x3,5,6" }.Select(l => l.Replace(',', separator))) + "\n";
        var result = await TestData.ReadAsync(text);
        Assert.Equal(separator, result.Report.Separator);
        Assert.Equal([1.0, 3.0, 5.0], result.Dataset.Column("a").Numbers.ToArray());
    }

    [Fact]
    public async Task Honours_an_excel_sep_line_and_counts_lines_from_it()
    {
        var result = await TestData.ReadAsync("sep=;\nid;a;b\nx1;1,5;2\nx2;oops;4\nx3;2,5;6\n");
        Assert.Equal(';', result.Report.Separator);
        Assert.Equal(1.5, result.Dataset.Column("a").Numbers[0]);
        var issue = Assert.Single(result.Report.Issues, i => i.Code == "invalid-number");
        Assert.Equal(4, issue.Line);
        Assert.Equal("a", issue.Column);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public async Task Reads_lf_crlf_and_cr_line_endings_without_a_final_newline(string newline)
    {
        var result = await TestData.ReadAsync(string.Join(newline, "id,a", "x1,1", "x2,2", "x3,3"));
        Assert.Equal(3, result.Dataset.RowCount);
        Assert.Equal([1.0, 2.0, 3.0], result.Dataset.Column("a").Numbers.ToArray());
        Assert.Equal(4, result.Dataset.LineNumber(2));
    }

    [Fact]
    public async Task Quoted_fields_keep_separators_and_newlines_and_later_lines_keep_their_numbers()
    {
        var result = await TestData.ReadAsync("id,note,a\nx1,\"hello, world\",1\nx2,\"two\nlines\",2\nx3,plain,oops\n");
        Assert.Equal("hello, world", result.Dataset.Column("note").Texts[0]);
        Assert.Equal("two\nlines", result.Dataset.Column("note").Texts[1]);
        var issue = Assert.Single(result.Report.Issues, i => i.Code == "invalid-number");
        Assert.Equal(5, issue.Line);
    }

    [Fact]
    public async Task Unclosed_quote_is_rejected_naming_the_line_where_it_opens()
    {
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadAsync("id,a\nx1,1\nx2,\"2\nx3,3\nx4,4\n"));
        Assert.Equal(3, error.Line);
        Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ragged_rows_are_reported_with_their_lines_and_never_shifted()
    {
        var result = await TestData.ReadAsync("id,a,b\nx1,1,2\nx2,3\nx3,5,6,7\nx4,8,9\n");
        Assert.Equal(new string?[] { "x1", "x4" }, result.Dataset.Column("id").Texts.ToArray());
        Assert.Equal([2.0, 9.0], result.Dataset.Column("b").Numbers.ToArray());
        var ragged = result.Report.Issues.Where(i => i.Code == "ragged-row").ToList();
        Assert.Equal([3L, 4L], ragged.Select(i => i.Line!.Value));
        Assert.Contains("Line 3 has 2 fields but the header has 3", ragged[0].Message, StringComparison.Ordinal);
        Assert.Equal(2, result.Report.SkippedRows);
    }

    [Fact]
    public async Task Duplicate_empty_and_bom_polluted_headers_get_unique_clean_names_with_warnings()
    {
        var result = await TestData.ReadAsync("id,a,,a,\uFEFFb\nx1,1,2,3,4\nx2,5,6,7,8\n");
        Assert.Equal(["id", "a", "Column 3", "a (2)", "b"], result.Dataset.Columns.Select(c => c.Name));
        Assert.Contains(result.Report.Issues, i => i.Code == "header-duplicate" && i.Column == "a (2)");
        Assert.Contains(result.Report.Issues, i => i.Code == "header-empty" && i.Column == "Column 3");
        Assert.Contains(result.Report.Issues, i => i.Code == "header-cleaned" && i.Column == "b");
    }

    [Fact]
    public async Task An_extra_empty_column_from_trailing_separators_is_an_empty_column_not_a_feature()
    {
        var result = await TestData.ReadAsync("id,a,b,\nx1,1,2,\nx2,3,4,\n");
        var extra = result.Dataset.Columns[^1];
        Assert.Equal(ColumnKind.Empty, extra.Kind);
        Assert.Equal(["a", "b"], result.Dataset.NumericFeatures.Select(c => c.Name));
    }

    [Fact]
    public async Task Trailing_empty_fields_beyond_the_header_are_ignored_but_counted()
    {
        var result = await TestData.ReadAsync("id,a\nx1,1,\nx2,2,\n");
        Assert.Equal(2, result.Dataset.RowCount);
        Assert.Equal(2, result.Report.IssueCounts["trailing-empty-fields"]);
    }

    [Fact]
    public async Task A_repeated_header_and_a_totals_row_mid_file_are_skipped_and_reported()
    {
        var result = await TestData.ReadAsync("id,a,b\nx1,1,2\nid,a,b\nx2,3,4\nTotal,4,6\n");
        Assert.Equal(new string?[] { "x1", "x2" }, result.Dataset.Column("id").Texts.ToArray());
        Assert.Equal(3, Assert.Single(result.Report.Issues, i => i.Code == "repeated-header").Line);
        Assert.Equal(5, Assert.Single(result.Report.Issues, i => i.Code == "totals-row").Line);
    }

    [Fact]
    public async Task Too_many_columns_is_rejected_with_the_limit()
    {
        var header = string.Join(',', Enumerable.Range(1, 12).Select(i => $"c{i}"));
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadAsync(header + "\n" + string.Join(',', Enumerable.Repeat("1", 12)) + "\n", new IngestOptions { MaxColumns = 10 }));
        Assert.Contains("12 columns", error.Message, StringComparison.Ordinal);
        Assert.Contains("10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_very_long_field_is_rejected_with_line_and_column()
    {
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadAsync("id,note\nx1,ok\nx2," + new string('z', 500) + "\n", new IngestOptions { MaxFieldBytes = 100 }));
        Assert.Equal(3, error.Line);
        Assert.Equal("note", error.Column);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_rejected()
    {
        var text = "id,a\n" + string.Concat(Enumerable.Range(0, 5000).Select(i => $"x{i},{i}\n"));
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadAsync(text, new IngestOptions { MaxBytes = 10_000 }));
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_rows_is_rejected_with_the_line()
    {
        var text = "id,a\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"x{i},{i}\n"));
        var error = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadAsync(text, new IngestOptions { MaxRows = 20 }));
        Assert.Equal(22, error.Line);
    }

    [Fact]
    public async Task Progress_reports_bytes_and_rows_and_cancellation_stops_the_read()
    {
        var text = "id,a\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"x{i},{i}\n"));
        var reports = new List<IngestProgress>();
        var result = await CsvIngestor.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), progress: new SynchronousProgress<IngestProgress>(reports.Add));
        Assert.Equal(20_000, result.Dataset.RowCount);
        Assert.True(reports.Count >= 2);
        Assert.Equal(20_000, reports[^1].Rows);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), reports[^1].Bytes);

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CsvIngestor.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task Column_kinds_are_inferred_identifier_numeric_categorical_and_empty()
    {
        var result = await TestData.ReadAsync("CUST_ID,region,spend,notes,customer_no\nC1,north,10,,101\nC2,south,20,,102\nC3,north,30,,103\n");
        Assert.Equal(ColumnKind.Identifier, result.Dataset.Column("CUST_ID").Kind);
        Assert.Equal(ColumnKind.Categorical, result.Dataset.Column("region").Kind);
        Assert.Equal(ColumnKind.Numeric, result.Dataset.Column("spend").Kind);
        Assert.Equal(ColumnKind.Empty, result.Dataset.Column("notes").Kind);
        Assert.Equal(ColumnKind.Identifier, result.Dataset.Column("customer_no").Kind);
        Assert.Equal("CUST_ID", result.Dataset.IdentifierColumn);
        Assert.Equal(["spend"], result.Dataset.NumericFeatures.Select(c => c.Name));
    }

    [Theory]
    [InlineData(10, ColumnKind.Identifier)]
    [InlineData(11, ColumnKind.Numeric)]
    public async Task A_numeric_column_named_like_an_identifier_is_one_while_at_most_a_tenth_of_its_values_repeat(int repeats, ColumnKind expected)
    {
        // 100 rows of "customer_no" (not the first column): the first repeats + 1 rows hold 999, so 100 − repeats numbers are distinct.
        var text = new StringBuilder("spend,customer_no\n");
        for (var i = 0; i < 100; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{i * 3.5},{(i <= repeats ? 999 : 1000 + i)}\n");
        }

        var result = await TestData.ReadAsync(text.ToString());
        Assert.Equal(expected, result.Dataset.Column("customer_no").Kind);
    }

    private sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
    {
        public void Report(T value) => handler(value);
    }
}
