using Microsoft.EntityFrameworkCore;

namespace Segmentation.Storage.Tests;

/// <summary>
/// The databases the store is tested on: a SQLite file, and a real PostgreSQL server when <c>SEGMENTATION_TEST_POSTGRES</c> holds
/// a connection string (set by .ci/run, which installs and starts Debian's postgresql). Without it the PostgreSQL cases are skipped
/// on a developer machine, and fail with CI=true.
/// </summary>
public static class Databases
{
    public const string PostgresVariable = "SEGMENTATION_TEST_POSTGRES";

    public static TheoryData<string> Providers
    {
        get
        {
            var data = new TheoryData<string> { "sqlite" };
            if (Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } || Environment.GetEnvironmentVariable("CI") == "true")
            {
                data.Add("postgres");
            }

            return data;
        }
    }

    /// <summary>A fresh, migrated, empty database of the provider, deleted on dispose.</summary>
    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        StorageOptions options;
        if (provider == "postgres")
        {
            var server = Environment.GetEnvironmentVariable(PostgresVariable)
                ?? throw new InvalidOperationException($"CI=true but {PostgresVariable} is not set: .ci/run should start PostgreSQL and set it.");
            var name = $"segtest_{Guid.NewGuid():N}";
            options = new StorageOptions { Provider = "postgres", ConnectionString = $"{server};Database={name}" };
        }
        else
        {
            options = new StorageOptions { Path = Path.Combine(Path.GetTempPath(), $"segtest-{Guid.NewGuid():N}", "segmentation.db") };
        }

        var database = new TestDatabase(options);
        await database.Store.MigrateAsync();
        return database;
    }
}

public sealed class TestDatabase : IAsyncDisposable
{
    internal TestDatabase(StorageOptions options)
    {
        Options = options;
        Factory = new ContextFactory(options);
        Store = new AnalysisStore(Factory, options);
    }

    public StorageOptions Options { get; }

    public IDbContextFactory<SegmentationDbContext> Factory { get; }

    public AnalysisStore Store { get; }

    public async ValueTask DisposeAsync()
    {
        await using (var db = await Factory.CreateDbContextAsync())
        {
            await db.Database.EnsureDeletedAsync();
        }

        if (!Options.IsPostgres)
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetFullPath(Options.Path))!, recursive: true);
        }
    }

    private sealed class ContextFactory(StorageOptions options) : IDbContextFactory<SegmentationDbContext>
    {
        public SegmentationDbContext CreateDbContext()
        {
            var builder = new DbContextOptionsBuilder<SegmentationDbContext>();
            options.Configure(builder);
            return new SegmentationDbContext(builder.Options);
        }
    }
}
