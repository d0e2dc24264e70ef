using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Segmentation.Storage.Tests;

/// <summary>The store on SQLite and on a real PostgreSQL server: ownership, sharing, deletion and migrations.</summary>
public sealed class AnalysisStoreTests
{
    private static readonly byte[] File = Encoding.UTF8.GetBytes("CustomerID,SPEND\n0001,10\n0002,20\n");

    private static AnalysisContent Content(int? k = 3, string state = "{\"k\":3}") => new()
    {
        Rows = 2,
        Columns = 2,
        SelectedK = k,
        SegmentNames = ["Big spenders", "Low activity"],
        RecipeJson = "{\"kMin\":2}",
        ReadOptionsJson = "{\"hasHeader\":true}",
        StateJson = state,
    };

    [Theory]
    [MemberData(nameof(Databases.Providers), MemberType = typeof(Databases))]
    public async Task A_saved_analysis_opens_for_its_owner_exactly_and_for_nobody_else(string provider)
    {
        await using var database = await Databases.CreateAsync(provider);
        var store = database.Store;
        var created = await store.CreateAsync("browser:alice", "customers.csv", File, Content());
        Assert.Null(await store.OpenAsync("browser:bob", created.Id));
        Assert.False(await store.ExistsAsync("browser:bob", created.Id));
        Assert.True(await store.ExistsAsync("browser:alice", created.Id));

        var opened = await store.OpenAsync("browser:alice", created.Id);
        Assert.NotNull(opened);
        Assert.Equal(File, opened.File);
        Assert.Equal(3, opened.Record.SelectedK);
        Assert.Equal("{\"k\":3}", opened.Record.StateJson);

        var revision = await store.UpdateAsync("browser:alice", created.Id, created.Revision, Content(4, "{\"k\":4}"));
        Assert.Equal(created.Revision + 1, revision);
        Assert.Null(await store.UpdateAsync("browser:bob", created.Id, revision!.Value, Content(5)));
        Assert.Equal(4, (await store.OpenAsync("browser:alice", created.Id))!.Record.SelectedK);

        // A second tab saving an older revision does not overwrite the newer one.
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => store.UpdateAsync("browser:alice", created.Id, created.Revision, Content(6)));

        var listed = Assert.Single(await store.ListAsync("browser:alice"));
        Assert.Equal(("customers.csv", 2, 4, "Big spenders · Low activity"), (listed.Title, listed.Rows, listed.SelectedK, listed.SegmentNames));
        Assert.Empty(await store.ListAsync("browser:bob"));
    }

    [Theory]
    [MemberData(nameof(Databases.Providers), MemberType = typeof(Databases))]
    public async Task Share_tokens_are_random_hashed_read_only_and_revocable(string provider)
    {
        await using var database = await Databases.CreateAsync(provider);
        var store = database.Store;
        var created = await store.CreateAsync("browser:alice", "customers.csv", File, Content());
        Assert.Null(await store.CreateShareLinkAsync("browser:bob", created.Id));
        var token = await store.CreateShareLinkAsync("browser:alice", created.Id);
        Assert.NotNull(token);
        Assert.Equal(22, token.Length); // 128 bits, base64url
        Assert.NotEqual(token, await store.CreateShareLinkAsync("browser:alice", created.Id));

        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            Assert.DoesNotContain(await db.ShareLinks.Select(l => l.TokenHash).ToListAsync(), h => h == token);
        }

        Assert.Equal(created.Id, (await store.OpenSharedAsync(token))!.Record.Id);
        Assert.Null(await store.OpenSharedAsync(token[..^1] + (token[^1] == 'A' ? 'B' : 'A')));
        Assert.True((await store.ListAsync("browser:alice"))[0].Shared);
        Assert.Equal(2, await store.RevokeShareLinksAsync("browser:alice", created.Id));
        Assert.Null(await store.OpenSharedAsync(token));
    }

    [Theory]
    [MemberData(nameof(Databases.Providers), MemberType = typeof(Databases))]
    public async Task Deleting_leaves_nothing_of_the_analysis_in_the_database(string provider)
    {
        await using var database = await Databases.CreateAsync(provider);
        var store = database.Store;
        var kept = await store.CreateAsync("browser:alice", "kept.csv", File, Content());
        var deleted = await store.CreateAsync("browser:alice", "gone.csv", File, Content());
        await store.CreateShareLinkAsync("browser:alice", deleted.Id);
        Assert.False(await store.DeleteAsync("browser:bob", deleted.Id));
        Assert.True(await store.DeleteAsync("browser:alice", deleted.Id));

        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            Assert.Equal([kept.Id], await db.Analyses.Select(a => a.Id).ToListAsync());
            Assert.Equal([kept.Id], await db.Files.Select(f => f.AnalysisId).ToListAsync());
            Assert.Empty(await db.ShareLinks.ToListAsync());
        }

        var copy = await store.DuplicateAsync("browser:alice", kept.Id);
        Assert.NotNull(copy);
        Assert.Equal(File, (await store.OpenAsync("browser:alice", copy.Value))!.File);
        Assert.True(await store.RenameAsync("browser:alice", copy.Value, "March customers"));
        Assert.Contains(await store.ListAsync("browser:alice"), s => s.Title == "March customers");
        Assert.Equal(2, await store.DeleteAllAsync("browser:alice"));
        Assert.Empty(await store.ListAsync("browser:alice"));
    }

    [Theory]
    [MemberData(nameof(Databases.Providers), MemberType = typeof(Databases))]
    public async Task Analyses_not_opened_within_the_retention_period_are_deleted(string provider)
    {
        await using var database = await Databases.CreateAsync(provider);
        var clock = new Clock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = new AnalysisStore(database.Factory, database.Options with { RetentionDays = 90 }, clock);
        var old = await store.CreateAsync("browser:alice", "old.csv", File, Content());
        clock.Now = clock.Now.AddDays(60);
        var recent = await store.CreateAsync("browser:alice", "recent.csv", File, Content());
        clock.Now = clock.Now.AddDays(31);
        Assert.Equal(1, await store.DeleteExpiredAsync());
        Assert.Null(await store.OpenAsync("browser:alice", old.Id));
        Assert.NotNull(await store.OpenAsync("browser:alice", recent.Id));
    }

    [Theory]
    [MemberData(nameof(Databases.Providers), MemberType = typeof(Databases))]
    public async Task The_migrations_build_the_model_and_leave_nothing_pending(string provider)
    {
        await using var database = await Databases.CreateAsync(provider);
        await using var db = await database.Factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(["20261202063359_InitialSchema", "20261202190000_AnalysisNotes"], await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Theory]
    [MemberData(nameof(Databases.Providers), MemberType = typeof(Databases))]
    public async Task A_database_at_the_first_migration_upgrades_at_start_up_and_its_analyses_still_open(string provider)
    {
        await using var database = await Databases.CreateAsync(provider);
        var created = await database.Store.CreateAsync("browser:alice", "customers.csv", File, Content() with { Notes = "For December." });

        // Back to the schema of the first migration (as a database of version 0.7.0 is), with the analysis in it.
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync("20261202063359_InitialSchema");
            Assert.Equal(["20261202063359_InitialSchema"], await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(["20261202190000_AnalysisNotes"], await db.Database.GetPendingMigrationsAsync());
        }

        // Start-up applies the pending migration; the old analysis opens, file and all, and takes notes from now on.
        await database.Store.MigrateAsync();
        var opened = await database.Store.OpenAsync("browser:alice", created.Id);
        Assert.NotNull(opened);
        Assert.Equal(File, opened.File);
        Assert.Equal("{\"k\":3}", opened.Record.StateJson);
        Assert.Null(opened.Record.Notes);
        var revision = await database.Store.UpdateAsync("browser:alice", created.Id, opened.Record.Revision, Content() with { Notes = "Reviewed." });
        Assert.NotNull(revision);
        Assert.Equal("Reviewed.", Assert.Single(await database.Store.ListAsync("browser:alice")).Notes);
    }

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
