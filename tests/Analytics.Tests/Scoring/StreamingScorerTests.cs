using Parquet;
using Parquet.Schema;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Scoring;

namespace Segmentation.Analytics.Tests.Scoring;

/// <summary>Scoring a Parquet file block by block gives every row what scoring the whole table in memory gives.</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class StreamingScorerTests(CcGeneralFixture fixture)
{
    [Fact]
    public async Task Cc_general_as_parquet_in_three_row_groups_is_scored_exactly_as_in_memory_into_parquet_and_csv()
    {
        var model = fixture.Analysis.ToModel(4);
        var data = fixture.Ingest.Dataset;
        var expected = ScoredTable.Score(model, data);
        using var parquet = await ParquetOfAsync(data, rowsPerGroup: 3000);

        using var output = new MemoryStream();
        var summary = await StreamingScorer.ScoreParquetAsync(model, parquet, output, csv: false, "cc_general.parquet");
        Assert.Equal(8950, summary.Rows);
        Assert.Equal(expected.Counts.Select(c => (long)c), summary.Drift.Segments.Select(s => (long)s.Now));
        Assert.Equal(expected.CountOf(SegmentFit.Unlike), summary.FitCounts[SegmentFit.Unlike]);
        Assert.All(summary.Drift.Features, f => Assert.Equal(0, f.Psi, 12));
        Assert.True(summary.Drift.StillFits, summary.Drift.Verdict);

        output.Position = 0;
        await using var reader = await ParquetReader.CreateAsync(output);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["CUST_ID", "segment", "segment_name", "distance_to_centroid", "fit"], fields.Select(f => f.Name));
        var row = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var ids = new string?[count];
            var segments = new int?[count];
            var names = new string?[count];
            var distances = new float?[count];
            var fits = new string?[count];
            await group.ReadAsync(fields[0], ids.AsMemory(), null, default);
            await group.ReadAsync(fields[1], segments.AsMemory(), null, default);
            await group.ReadAsync(fields[2], names.AsMemory(), null, default);
            await group.ReadAsync(fields[3], distances.AsMemory(), null, default);
            await group.ReadAsync(fields[4], fits.AsMemory(), null, default);
            for (var i = 0; i < count; i++, row++)
            {
                Assert.Equal(data.Column("CUST_ID").TextAt(row), ids[i]);
                Assert.Equal(expected.SegmentOf(row)!.Number, segments[i]);
                Assert.Equal(expected.SegmentOf(row)!.Name, names[i]);
                Assert.Equal(expected.Scores.Distances[row], distances[i]);
                Assert.Equal(ScoredTable.FitName(expected.Fits[row]), fits[i]);
            }
        }

        Assert.Equal(8950, row);

        parquet.Position = 0;
        using var csv = new MemoryStream();
        await StreamingScorer.ScoreParquetAsync(model, parquet, csv, csv: true);
        var written = (await CsvIngestor.ReadAsync(new MemoryStream(csv.ToArray()))).Dataset;
        Assert.Equal(8950, written.RowCount);
        for (var r = 0; r < 8950; r++)
        {
            Assert.Equal(expected.SegmentOf(r)!.Number, (int)written.Column("segment").Numbers[r]);
        }
    }

    [Fact]
    public async Task A_parquet_file_without_the_model_columns_is_refused_naming_them()
    {
        var model = fixture.Analysis.ToModel(4);
        var id = new DataField<string>("CUST_ID");
        var balance = new DataField<double?>("BALANCE");
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, balance), file))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, new[] { "C1", "C2" }, null);
            await group.WriteAsync<double>(balance, new double?[] { 1, null }, null, null, default);
        }

        file.Position = 0;
        var error = await Assert.ThrowsAsync<AnalysisInputException>(() => StreamingScorer.ScoreParquetAsync(model, file, new MemoryStream()));
        Assert.Contains("BALANCE_FREQUENCY, PURCHASES", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BALANCE,", error.Message, StringComparison.Ordinal);
    }

    internal static async Task<MemoryStream> ParquetOfAsync(Dataset data, int rowsPerGroup)
    {
        var id = new DataField<string>("CUST_ID");
        var numeric = data.Columns.Where(c => c.HasNumbers && c.Kind != ColumnKind.Identifier).ToArray();
        var fields = numeric.Select(c => new DataField<double?>(c.Name)).ToArray();
        var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema([id, .. fields]), file, cancellationToken: default))
        {
            for (var start = 0; start < data.RowCount; start += rowsPerGroup)
            {
                var count = Math.Min(rowsPerGroup, data.RowCount - start);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, Enumerable.Range(start, count).Select(r => data.Column("CUST_ID").TextAt(r)!).ToArray(), null);
                for (var c = 0; c < fields.Length; c++)
                {
                    var values = Enumerable.Range(start, count).Select(r => double.IsNaN(numeric[c].Numbers[r]) ? (double?)null : numeric[c].Numbers[r]).ToArray();
                    await group.WriteAsync<double>(fields[c], values, null, null, default);
                }
            }
        }

        file.Position = 0;
        return file;
    }
}
