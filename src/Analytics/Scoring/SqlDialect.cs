using System.Globalization;
using System.Text;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Scoring;

/// <summary>The SQL dialects a model can be exported to.</summary>
public enum SqlDialect
{
    /// <summary>PostgreSQL.</summary>
    Postgres,

    /// <summary>Google BigQuery Standard SQL.</summary>
    BigQuery,

    /// <summary>Apache Spark SQL (and Databricks).</summary>
    Spark,

    /// <summary>Microsoft SQL Server / Azure SQL (T-SQL).</summary>
    TSql,

    /// <summary>SQLite 3.35+ (with its math functions, as in Microsoft.Data.Sqlite's bundle).</summary>
    Sqlite,

    /// <summary>DuckDB.</summary>
    DuckDb,
}

/// <summary>What differs between dialects: quoting, literals, types and the few functions whose names differ. Everything else the
/// exporter writes is in the portable subset all six share (CASE, COALESCE, NULLIF, arithmetic, comparisons, CTEs).</summary>
internal static class SqlDialects
{
    /// <summary>The names the CLI and the dashboard accept, with the dialect each means.</summary>
    public static IReadOnlyDictionary<string, SqlDialect> Names { get; } = new Dictionary<string, SqlDialect>(StringComparer.OrdinalIgnoreCase)
    {
        ["postgres"] = SqlDialect.Postgres,
        ["postgresql"] = SqlDialect.Postgres,
        ["bigquery"] = SqlDialect.BigQuery,
        ["spark"] = SqlDialect.Spark,
        ["tsql"] = SqlDialect.TSql,
        ["sqlserver"] = SqlDialect.TSql,
        ["sqlite"] = SqlDialect.Sqlite,
        ["duckdb"] = SqlDialect.DuckDb,
    };

    /// <summary>An identifier, quoted so that no character of it can end the quotes: "a""b" (standard), [a]]b] (T-SQL),
    /// `a\`b` (BigQuery, backslash escapes), `a``b` (Spark).</summary>
    public static string Quote(this SqlDialect dialect, string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return dialect switch
        {
            SqlDialect.TSql => "[" + identifier.Replace("]", "]]", StringComparison.Ordinal) + "]",
            SqlDialect.BigQuery => "`" + Escape(identifier, '`') + "`",
            SqlDialect.Spark => "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`",
            _ => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        };
    }

    /// <summary>A table name, possibly qualified (schema.table, project.dataset.table): each dot-separated part quoted.</summary>
    public static string QuoteTable(this SqlDialect dialect, string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var parts = table.Split('.');
        if (parts.Any(p => p.Trim().Length == 0))
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("NotATable", table));
        }

        return string.Join(".", parts.Select(p => dialect.Quote(p.Trim())));
    }

    /// <summary>A string literal: quotes doubled in standard SQL (N'' in T-SQL); backslash escapes in BigQuery and Spark, whose
    /// string literals treat the backslash as an escape.</summary>
    public static string String(this SqlDialect dialect, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return dialect switch
        {
            SqlDialect.BigQuery or SqlDialect.Spark => "'" + Escape(value, '\'') + "'",
            SqlDialect.TSql => "N'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
            _ => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'",
        };
    }

    /// <summary>A double literal in exponent form, which every dialect reads as a double (1.5E0, never 1.5, which some read as a
    /// decimal); negative values in parentheses. The round-trip form: the SQL has the model's exact values.</summary>
    public static string Number(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers can be written as SQL literals.");
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('E', StringComparison.Ordinal))
        {
            text += "E0";
        }

        return value < 0 || text.StartsWith('-') ? "(" + text + ")" : text;
    }

    /// <summary>The type numbers are computed in.</summary>
    public static string DoubleType(this SqlDialect dialect) => dialect switch
    {
        SqlDialect.Postgres => "DOUBLE PRECISION",
        SqlDialect.BigQuery => "FLOAT64",
        SqlDialect.TSql => "FLOAT",
        SqlDialect.Sqlite => "REAL",
        _ => "DOUBLE",
    };

    /// <summary>The type category values are compared in.</summary>
    public static string TextType(this SqlDialect dialect) => dialect switch
    {
        SqlDialect.BigQuery or SqlDialect.Spark => "STRING",
        SqlDialect.TSql => "NVARCHAR(4000)",
        SqlDialect.DuckDb => "VARCHAR",
        _ => "TEXT",
    };

    /// <summary>The natural logarithm (T-SQL calls it LOG).</summary>
    public static string Ln(this SqlDialect dialect, string argument) => dialect == SqlDialect.TSql ? $"LOG({argument})" : $"LN({argument})";

    /// <summary>Days from the date <paramref name="value"/> to the date <paramref name="reference"/> (positive for earlier dates).</summary>
    public static string DaysBefore(this SqlDialect dialect, string value, DateOnly reference)
    {
        var day = reference.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return dialect switch
        {
            SqlDialect.Postgres => $"CAST(DATE '{day}' - CAST({value} AS DATE) AS DOUBLE PRECISION)",
            SqlDialect.BigQuery => $"CAST(DATE_DIFF(DATE '{day}', CAST({value} AS DATE), DAY) AS FLOAT64)",
            SqlDialect.Spark => $"CAST(DATEDIFF(DATE '{day}', CAST({value} AS DATE)) AS DOUBLE)",
            SqlDialect.TSql => $"CAST(DATEDIFF(day, CAST({value} AS DATE), CAST('{day}' AS DATE)) AS FLOAT)",
            SqlDialect.Sqlite => $"(julianday('{day}') - julianday({value}))",
            _ => $"CAST(DATE_DIFF('day', CAST({value} AS DATE), DATE '{day}') AS DOUBLE)",
        };
    }

    /// <summary>Backslash escaping for BigQuery and Spark: the backslash, the quote character and control characters.</summary>
    private static string Escape(string value, char quote)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c == '\\' || c == quote)
            {
                builder.Append('\\').Append(c);
            }
            else if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
