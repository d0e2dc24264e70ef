using Parquet;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Scoring;

namespace Segmentation.Analytics.Tests.Scoring;

/// <summary>Sources other than an upload: a folder of Parquet files and a PostgreSQL query, sampled with a seed and scored in blocks.</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class TableSourceTests(CcGeneralFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sources-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_folder_of_parquet_files_is_scored_as_one_table_and_sampled_the_same_way_for_the_same_seed()
    {
        // Two files: the rows of cc_general split in two, read in name order.
        const int half = 4000;
        var data = fixture.Ingest.Dataset;
        await WriteRowsAsync(Path.Combine(_directory, "part-1.parquet"), data, 0, half);
        await WriteRowsAsync(Path.Combine(_directory, "part-2.parquet"), data, half, data.RowCount - half);

        var source = new ParquetSource(_directory);
        Assert.Equal($"{Path.GetFileName(_directory)}/ (2 files)", source.Description);
        var model = fixture.Analysis.ToModel(4);
        var expected = ScoredTable.Score(model, data);
        using var output = new MemoryStream();
        var summary = await StreamingScorer.ScoreAsync(model, source, output, csv: true);
        Assert.Equal(8950, summary.Rows);
        var written = (await CsvIngestor.ReadAsync(new MemoryStream(output.ToArray()))).Dataset;
        for (var r = 0; r < 8950; r++)
        {
            Assert.Equal(data.Column("CUST_ID").TextAt(r), written.Column("CUST_ID").TextAt(r));
            Assert.Equal(expected.SegmentOf(r)!.Number, (int)written.Column("segment").Numbers[r]);
        }

        var first = await source.SampleAsync(1000, seed: 7);
        var again = await source.SampleAsync(1000, seed: 7);
        var other = await source.SampleAsync(1000, seed: 8);
        Assert.Equal(8950, first.TotalRows);
        Assert.Equal(1000, first.Rows.Count);
        Assert.Equal(first.Rows.Select(r => r[0]), again.Rows.Select(r => r[0]));
        Assert.NotEqual(first.Rows.Select(r => r[0]), other.Rows.Select(r => r[0]));

        // Uniform: about 4000/8950 of the sample from the first file, and the rows keep the source's order.
        var ids = data.Column("CUST_ID");
        var position = Enumerable.Range(0, 8950).ToDictionary(r => ids.TextAt(r)!, r => r);
        var rows = first.Rows.Select(r => position[r[0]!]).ToArray();
        Assert.Equal(rows.Order(), rows);
        Assert.InRange(rows.Count(r => r < half), 400, 500);

        // The sample reads back as the same table an upload of those rows would be.
        var read = await CsvIngestor.ReadAsync(new MemoryStream(first.ToCsv()));
        Assert.Equal(1000, read.Dataset.RowCount);
        Assert.Equal(ColumnKind.Identifier, read.Dataset.Column("CUST_ID").Kind);
    }

    [PostgresFact]
    public async Task A_postgresql_query_is_scored_in_blocks_exactly_as_in_memory_read_only_and_under_a_timeout()
    {
        var data = fixture.Ingest.Dataset;
        var model = fixture.Analysis.ToModel(4);
        var expected = ScoredTable.Score(model, data);
        await SqlEngines.WithPostgresTableAsync(PostgresFactAttribute.Server, data, async connection =>
        {
            var server = connection.ConnectionString + ";Password=" + new Npgsql.NpgsqlConnectionStringBuilder(PostgresFactAttribute.Server).Password;
            var source = new PostgresSource("crm", server, "SELECT * FROM customers ORDER BY \"CUST_ID\"", TimeSpan.FromSeconds(30));
            Assert.Equal("crm: SELECT * FROM customers ORDER BY \"CUST_ID\"", source.Description);
            using var output = new MemoryStream();
            var summary = await StreamingScorer.ScoreAsync(model, source, output, csv: true);
            Assert.Equal(8950, summary.Rows);
            var written = (await CsvIngestor.ReadAsync(new MemoryStream(output.ToArray()))).Dataset;
            var byId = Enumerable.Range(0, 8950).ToDictionary(r => data.Column("CUST_ID").TextAt(r)!, r => expected.SegmentOf(r)!.Number);
            for (var r = 0; r < 8950; r++)
            {
                Assert.Equal(byId[written.Column("CUST_ID").TextAt(r)!], (int)written.Column("segment").Numbers[r]);
            }

            var sample = await source.SampleAsync(2000, seed: 3);
            Assert.Equal((8950L, 2000), (sample.TotalRows, sample.Rows.Count));
            Assert.Equal(sample.Rows.Select(r => r[0]), (await source.SampleAsync(2000, seed: 3)).Rows.Select(r => r[0]));

            var slow = new PostgresSource("crm", server, "SELECT pg_sleep(3), * FROM customers", TimeSpan.FromMilliseconds(300));
            var timeout = await Assert.ThrowsAsync<AnalysisInputException>(() => slow.SampleAsync(10, 1));
            Assert.Contains("longer than the statement timeout", timeout.Message, StringComparison.Ordinal);

            var delete = Assert.Throws<AnalysisInputException>(() => new PostgresSource("crm", server, "DELETE FROM customers", TimeSpan.FromSeconds(1)));
            Assert.Contains("not DELETE", delete.Message, StringComparison.Ordinal);
            var writing = new PostgresSource("crm", server, "WITH gone AS (DELETE FROM customers RETURNING *) SELECT * FROM gone", TimeSpan.FromSeconds(30));
            var refused = await Assert.ThrowsAsync<AnalysisInputException>(() => writing.SampleAsync(10, 1));
            Assert.Contains("read-only", refused.Message, StringComparison.Ordinal);
            Assert.Throws<AnalysisInputException>(() => new PostgresSource("crm", server, "SELECT 1; DROP TABLE customers", TimeSpan.FromSeconds(1)));
            await using var count = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM customers", connection);
            Assert.Equal(8950L, await count.ExecuteScalarAsync());
        });
    }

    private static async Task WriteRowsAsync(string path, Dataset data, int start, int count)
    {
        var id = new Parquet.Schema.DataField<string>("CUST_ID");
        var numeric = data.Columns.Where(c => c.HasNumbers && c.Kind != ColumnKind.Identifier).ToArray();
        var fields = numeric.Select(c => new Parquet.Schema.DataField<double?>(c.Name)).ToArray();
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema([id, .. fields]), file);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, Enumerable.Range(start, count).Select(r => data.Column("CUST_ID").TextAt(r)!).ToArray(), null);
        for (var c = 0; c < fields.Length; c++)
        {
            await group.WriteAsync<double>(fields[c], Enumerable.Range(start, count).Select(r => double.IsNaN(numeric[c].Numbers[r]) ? (double?)null : numeric[c].Numbers[r]).ToArray(), null, null, default);
        }
    }
}
