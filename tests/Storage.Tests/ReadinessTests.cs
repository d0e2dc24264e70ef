using Segmentation.Storage;

namespace Segmentation.Storage.Tests;

public sealed class ReadinessTests
{
    [Theory]
    [MemberData(nameof(Databases.Providers), MemberType = typeof(Databases))]
    public async Task A_migrated_store_is_ready(string provider)
    {
        await using var database = await Databases.CreateAsync(provider);
        Assert.Null(await database.Store.CheckAsync());
    }

    [Fact]
    public async Task A_store_without_its_migrations_is_not_ready_and_says_how_many_are_missing()
    {
        var options = new StorageOptions { Path = Path.Combine(Path.GetTempPath(), $"segtest-{Guid.NewGuid():N}", "segmentation.db") };
        await using var database = new TestDatabase(options);
        Directory.CreateDirectory(Path.GetDirectoryName(options.Path)!);
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            await db.Database.EnsureCreatedAsync();
        }

        // EnsureCreated makes the tables but records no migration: an upgrade that has not run looks like this.
        var problem = await database.Store.CheckAsync();
        Assert.Equal("The sqlite store has 2 migration(s) not applied.", problem);
    }

    [Fact]
    public async Task An_unreachable_postgres_server_is_not_ready_and_the_check_does_not_throw()
    {
        var options = new StorageOptions { Provider = "postgres", ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2" };
        var store = new AnalysisStore(new TestDatabaseFactory(options), options);
        var problem = await store.CheckAsync();
        Assert.NotNull(problem);
        Assert.StartsWith("The postgres store cannot be reached", problem, StringComparison.Ordinal);
    }

    private sealed class TestDatabaseFactory(StorageOptions options) : Microsoft.EntityFrameworkCore.IDbContextFactory<SegmentationDbContext>
    {
        public SegmentationDbContext CreateDbContext()
        {
            var builder = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<SegmentationDbContext>();
            options.Configure(builder);
            return new SegmentationDbContext(builder.Options);
        }
    }
}
