using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Segmentation.Analytics.Ingest;

namespace Segmentation.Analytics.Tests.Scoring;

/// <summary>A segment as a query returned it: the number and the name, both null for a row the model could not score.</summary>
internal readonly record struct SqlSegment(int? Number, string? Name);

/// <summary>
/// Loads a dataset into a real SQL engine as the table <c>customers</c> (numbers as double precision, everything else as text, missing
/// values as NULL), runs a query and reads back identifier → segment. Column names are quoted here by the tests' own code, not by the
/// exporter under test.
/// </summary>
internal static class SqlEngines
{
    internal const string Table = "customers";

    internal static string Standard(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    internal static bool IsNumber(DataColumn column) => column.HasNumbers && column.Kind != ColumnKind.Identifier && column.Kind != ColumnKind.Date;

    internal static string CreateTable(Dataset data, string doubleType, string textType) =>
        $"CREATE TABLE {Table} ({string.Join(", ", FileColumns(data).Select(c => $"{Standard(c.Name)} {(IsNumber(c) ? doubleType : textType)}"))})";

    internal static DataColumn[] FileColumns(Dataset data) => data.Columns.Where(c => c.Origin == ColumnOrigin.File).ToArray();

    internal static object Value(DataColumn column, int row) => IsNumber(column)
        ? double.IsNaN(column.Numbers[row]) ? DBNull.Value : column.Numbers[row]
        : (object?)column.TextAt(row) ?? DBNull.Value;

    internal static async Task<Dictionary<string, SqlSegment>> SqliteAsync(Dataset data, string query)
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await ExecuteAsync(connection, CreateTable(data, "REAL", "TEXT"));
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await InsertAsync(connection, transaction, data, i => $"$p{i}");
            await transaction.CommitAsync();
        }

        var result = await ReadAsync(connection, query);
        await AssertTableIntactAsync(connection, data.RowCount);
        return result;
    }

    internal static async Task<Dictionary<string, SqlSegment>> DuckDbAsync(Dataset data, string query, string? csvPath = null)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        if (csvPath is not null)
        {
            // As an analyst would load a file: DuckDB reads the CSV and infers the types itself.
            await ExecuteAsync(connection, $"CREATE TABLE {Table} AS SELECT * FROM read_csv('{csvPath.Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = false, types = {{'CUST_ID': 'VARCHAR'}})");
        }
        else
        {
            await ExecuteAsync(connection, CreateTable(data, "DOUBLE", "VARCHAR"));
            using var appender = connection.CreateAppender(Table);
            var columns = FileColumns(data);
            for (var row = 0; row < data.RowCount; row++)
            {
                var line = appender.CreateRow();
                foreach (var column in columns)
                {
                    line = Value(column, row) switch
                    {
                        double d => line.AppendValue(d),
                        string s => line.AppendValue(s),
                        _ => line.AppendNullValue(),
                    };
                }

                line.EndRow();
            }
        }

        var result = await ReadAsync(connection, query);
        await AssertTableIntactAsync(connection, data.RowCount);
        return result;
    }

    internal static async Task<Dictionary<string, SqlSegment>> PostgresAsync(string serverConnection, Dataset data, string query)
    {
        Dictionary<string, SqlSegment> result = [];
        await WithPostgresTableAsync(serverConnection, data, async connection =>
        {
            result = await ReadAsync(connection, query);
            await AssertTableIntactAsync(connection, data.RowCount);
        });
        return result;
    }

    /// <summary>A fresh database on the server with <paramref name="data"/> as the table customers, dropped afterwards; the action
    /// gets an open connection and the database's connection string.</summary>
    internal static async Task WithPostgresTableAsync(string serverConnection, Dataset data, Func<NpgsqlConnection, Task> action)
    {
        var database = "segsql_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(serverConnection + ";Database=postgres"))
        {
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        }

        try
        {
            await using var connection = new NpgsqlConnection($"{serverConnection};Database={database};Pooling=false");
            await connection.OpenAsync();
            await ExecuteAsync(connection, CreateTable(data, "DOUBLE PRECISION", "TEXT"));
            var columns = FileColumns(data);
            await using (var writer = await connection.BeginBinaryImportAsync($"COPY {Table} ({string.Join(", ", columns.Select(c => Standard(c.Name)))}) FROM STDIN (FORMAT BINARY)"))
            {
                for (var row = 0; row < data.RowCount; row++)
                {
                    await writer.StartRowAsync();
                    foreach (var column in columns)
                    {
                        switch (Value(column, row))
                        {
                            case double d:
                                await writer.WriteAsync(d, NpgsqlDbType.Double);
                                break;
                            case string s:
                                await writer.WriteAsync(s, NpgsqlDbType.Text);
                                break;
                            default:
                                await writer.WriteNullAsync();
                                break;
                        }
                    }
                }

                await writer.CompleteAsync();
            }

            await action(connection);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(serverConnection + ";Database=postgres");
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction transaction, Dataset data, Func<int, string> parameter)
    {
        var columns = FileColumns(data);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {Table} VALUES ({string.Join(", ", columns.Select((_, i) => parameter(i)))})";
        var parameters = columns.Select((_, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = parameter(i);
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        for (var row = 0; row < data.RowCount; row++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                parameters[c].Value = Value(columns[c], row);
            }

            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<Dictionary<string, SqlSegment>> ReadAsync(DbConnection connection, string query)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = query;
        await using var reader = await command.ExecuteReaderAsync();
        Assert.Equal(3, reader.FieldCount);
        Assert.Equal(["segment", "segment_name"], new[] { reader.GetName(1), reader.GetName(2) });
        var result = new Dictionary<string, SqlSegment>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var id = Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!;
            var number = reader.IsDBNull(1) ? (int?)null : Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            var name = reader.IsDBNull(2) ? null : reader.GetString(2);
            Assert.True(result.TryAdd(id, new SqlSegment(number, name)), $"The query returned {id} twice.");
        }

        return result;
    }

    private static async Task AssertTableIntactAsync(DbConnection connection, int rows)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {Table}";
        Assert.Equal(rows, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
