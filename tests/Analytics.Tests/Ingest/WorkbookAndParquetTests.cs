using MiniExcelLibs;
using Parquet;
using Parquet.Schema;
using Segmentation.Analytics.Ingest;

namespace Segmentation.Analytics.Tests.Ingest;

/// <summary>Excel and Parquet go through the same typing and report as CSV.</summary>
public sealed class WorkbookAndParquetTests
{
    [Fact]
    public async Task Xlsx_reads_the_first_sheet_by_default_and_another_by_name_or_number_with_text_ids_kept()
    {
        using var workbook = new MemoryStream();
        var sheets = new Dictionary<string, object>
        {
            ["Notes"] = new[] { new Dictionary<string, object> { ["note"] = "made for a test" } },
            ["Customers"] = Enumerable.Range(1, 40).Select(i => new Dictionary<string, object>
            {
                ["CustomerID"] = $"{i:0000}",
                ["Genre"] = i % 3 == 0 ? "Female" : "Male",
                ["Income"] = 20.5 + i,
                ["Since"] = new DateTime(2020, 1, 1).AddDays(i * 9),
            }).ToArray(),
        };
        await workbook.SaveAsAsync(sheets);
        var bytes = workbook.ToArray();

        Assert.Equal(TableFormat.Excel, TableIngestor.Detect(bytes));
        Assert.Equal(["Notes", "Customers"], TableIngestor.SheetNames(new MemoryStream(bytes)));
        var first = await TableIngestor.ReadAsync(new MemoryStream(bytes));
        Assert.Equal(["note"], first.Dataset.Columns.Select(c => c.Name));

        foreach (var sheet in new[] { "Customers", "2" })
        {
            var read = await TableIngestor.ReadAsync(new MemoryStream(bytes), new IngestOptions { Sheet = sheet });
            var data = read.Dataset;
            Assert.Equal(40, data.RowCount);
            Assert.Equal("0001", data.Column("CustomerID").TextAt(0));
            Assert.Equal(ColumnKind.Identifier, data.Column("CustomerID").Kind);
            Assert.Equal(ColumnKind.Categorical, data.Column("Genre").Kind);
            Assert.Equal(21.5, data.Column("Income").Numbers[0]);
            Assert.Equal((ColumnKind.Date, DateOrder.YearFirst), (data.Column("Since").Kind, data.Column("Since").Typing.DateOrder));
            Assert.Equal("2020-01-10", data.Column("Since").TextAt(0));
            Assert.Equal(2, data.LineNumber(0));
        }

        var missing = await Assert.ThrowsAsync<IngestException>(() => TableIngestor.ReadAsync(new MemoryStream(bytes), new IngestOptions { Sheet = "Q3" }));
        Assert.Equal("The workbook has no sheet \"Q3\"; its sheets are \"Notes\", \"Customers\".", missing.Message);
    }

    [Fact]
    public async Task Parquet_keeps_19_digit_ids_exact_and_types_columns_like_csv()
    {
        var id = new DataField<long>("account_number");
        var segment = new DataField<string>("Region");
        var balance = new DataField<double?>("BALANCE");
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, segment, balance), file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, Enumerable.Range(0, 50).Select(i => 9_223_372_036_854_775_000L + i).ToArray());
            await group.WriteAsync(segment, Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? "north" : "south").ToArray());
            await group.WriteAsync<double>(balance, Enumerable.Range(0, 50).Select(i => i == 4 ? (double?)null : i * 1.5).ToArray());
        }

        var bytes = file.ToArray();
        Assert.Equal(TableFormat.Parquet, TableIngestor.Detect(bytes));
        var data = (await TableIngestor.ReadAsync(new MemoryStream(bytes))).Dataset;
        Assert.Equal(50, data.RowCount);
        Assert.Equal("9223372036854775049", data.Column("account_number").TextAt(49));
        Assert.Equal(ColumnKind.Identifier, data.Column("account_number").Kind);
        Assert.Equal(ColumnKind.Categorical, data.Column("Region").Kind);
        Assert.Equal(1, data.Column("BALANCE").MissingCount);
        Assert.Equal(4.5, data.Column("BALANCE").Numbers[3]);
    }

    [Fact]
    public async Task Csv_through_the_table_reader_is_the_csv_reader()
    {
        var read = await TableIngestor.ReadAsync(new NonSeekable("id,a\nx1,1\nx2,2\nx3,5\n"u8.ToArray()));
        Assert.Equal(3, read.Dataset.RowCount);
        Assert.Equal(',', read.Report.Separator);
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
