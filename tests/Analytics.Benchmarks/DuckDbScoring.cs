using System.Diagnostics;
using DuckDB.NET.Data;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Scoring;

namespace Segmentation.Analytics.Benchmarks;

/// <summary>
/// The reference for streaming scoring: DuckDB executing our own exported SQL over the same Parquet file and writing the same
/// columns to Parquet, timed in the same run. Usage: <c>Analytics.Benchmarks duckdb-score FILE.parquet MODEL.json OUT.parquet</c>.
/// </summary>
internal static class DuckDbScoring
{
    public static async Task<int> RunAsync(string parquet, string modelPath, string output)
    {
        var model = SegmentationModel.FromJson(await File.ReadAllTextAsync(modelPath));
        var sql = SqlScoringExport.Generate(model, SqlDialect.DuckDb, "customers");
        var clock = Stopwatch.StartNew();
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using (var view = connection.CreateCommand())
        {
            view.CommandText = $"CREATE VIEW customers AS SELECT * FROM read_parquet('{parquet.Replace("'", "''", StringComparison.Ordinal)}')";
            await view.ExecuteNonQueryAsync();
        }

        await using (var copy = connection.CreateCommand())
        {
            copy.CommandText = $"COPY ({sql}) TO '{output.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet)";
            await copy.ExecuteNonQueryAsync();
        }

        long rows;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = $"SELECT COUNT(*) FROM read_parquet('{output.Replace("'", "''", StringComparison.Ordinal)}')";
            rows = Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"DuckDB {DuckDBConnectionVersion(connection)} scored {rows:N0} rows with our exported SQL in {seconds:N2} s ({rows / seconds:N0} rows/s).");
        return 0;
    }

    private static string DuckDBConnectionVersion(DuckDBConnection connection) => connection.ServerVersion;
}
