using Segmentation.Analytics.Ingest;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Where the data lives, as the server's configuration names it (section <c>Sources</c>): PostgreSQL connections by name and
/// folders holding Parquet files. Users choose among these; they never type a connection string or a path.
/// </summary>
public sealed class SourcesOptions
{
    /// <summary>Named PostgreSQL connection strings, e.g. <c>"Sources:Postgres:crm": "Host=…;Database=crm;Username=reader;Password=…"</c>.</summary>
    public Dictionary<string, string> Postgres { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Folders whose <c>.parquet</c> files, and sub-folders of them, can be read.</summary>
    public List<string> ParquetRoots { get; init; } = [];

    /// <summary>Rows of the seeded random sample an analysis of a large source is fitted on.</summary>
    public int SampleRows { get; init; } = 200_000;

    /// <summary>The statement timeout of a PostgreSQL query, in seconds.</summary>
    public int StatementTimeoutSeconds { get; init; } = 60;
}

/// <summary>A source a user can choose: what the list shows and how to open it.</summary>
/// <param name="Key">An opaque key for the list (not a path).</param>
/// <param name="Label">What the list shows.</param>
/// <param name="IsQuery">Whether the user writes a query (PostgreSQL) or the source is a file or folder.</param>
public sealed record SourceChoice(string Key, string Label, bool IsQuery);

/// <summary>The configured sources, listed for the Data page and opened by key.</summary>
public sealed class SourceCatalog(SourcesOptions options)
{
    /// <summary>The configuration.</summary>
    public SourcesOptions Options => options;

    /// <summary>Whether any source is configured.</summary>
    public bool Any => options.Postgres.Count > 0 || options.ParquetRoots.Count > 0;

    /// <summary>Every source: each PostgreSQL connection, and each Parquet file or folder of Parquet files under the roots.</summary>
    public IReadOnlyList<SourceChoice> Choices()
    {
        var choices = options.Postgres.Keys.Order(StringComparer.Ordinal).Select(name => new SourceChoice($"pg:{name}", $"PostgreSQL: {name}", true)).ToList();
        foreach (var path in ParquetPaths())
        {
            choices.Add(new SourceChoice($"pq:{choices.Count}:{Path.GetFileName(path.TrimEnd('/'))}", Resources.Strings.Get(Directory.Exists(path) ? "ParquetFolderSource" : "ParquetFileSource", Path.GetFileName(path.TrimEnd('/'))), false));
        }

        return choices;
    }

    /// <summary>The source behind <paramref name="key"/>; <paramref name="query"/> for a PostgreSQL connection.</summary>
    /// <exception cref="Segmentation.Analytics.AnalysisInputException">The key is unknown, or the query cannot be used.</exception>
    public TableSource Open(string key, string? query)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.StartsWith("pg:", StringComparison.Ordinal) && options.Postgres.TryGetValue(key[3..], out var connection))
        {
            return new PostgresSource(key[3..], connection, query ?? string.Empty, TimeSpan.FromSeconds(Math.Max(1, options.StatementTimeoutSeconds)));
        }

        var choices = Choices();
        var index = choices.Select(c => c.Key).ToList().IndexOf(key);
        if (index >= 0 && key.StartsWith("pq:", StringComparison.Ordinal))
        {
            var paths = ParquetPaths();
            return new ParquetSource(paths[index - options.Postgres.Count]);
        }

        throw new Segmentation.Analytics.AnalysisInputException(Resources.Strings.Get("SourceNotConfigured"));
    }

    private List<string> ParquetPaths()
    {
        var paths = new List<string>();
        foreach (var root in options.ParquetRoots.Where(Directory.Exists))
        {
            paths.AddRange(Directory.GetFiles(root, "*.parquet").Order(StringComparer.Ordinal));
            paths.AddRange(Directory.GetDirectories(root).Where(d => Directory.EnumerateFiles(d, "*.parquet").Any()).Order(StringComparer.Ordinal));
        }

        return paths;
    }
}
