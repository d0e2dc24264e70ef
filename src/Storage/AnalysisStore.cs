using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;

namespace Segmentation.Storage;

/// <summary>What a save writes besides the file: the recipe, results worth keeping and the user's work.</summary>
public sealed record AnalysisContent
{
    /// <summary>Data rows.</summary>
    public int Rows { get; init; }

    /// <summary>Columns in the file.</summary>
    public int Columns { get; init; }

    /// <summary>The chosen k, or null.</summary>
    public int? SelectedK { get; init; }

    /// <summary>The segment names shown at the chosen k.</summary>
    public IReadOnlyList<string> SegmentNames { get; init; } = [];

    /// <summary>The recipe as JSON.</summary>
    public required string RecipeJson { get; init; }

    /// <summary>How the file was read, as JSON.</summary>
    public required string ReadOptionsJson { get; init; }

    /// <summary>The ingest report as JSON.</summary>
    public string? IngestReportJson { get; init; }

    /// <summary>Metrics per k as JSON.</summary>
    public string? SweepJson { get; init; }

    /// <summary>Each k's model as JSON.</summary>
    public string? ModelsJson { get; init; }

    /// <summary>The user's work as JSON.</summary>
    public string? StateJson { get; init; }

    /// <summary>The analyst's notes, or null.</summary>
    public string? Notes { get; init; }
}

/// <summary>One line of the library.</summary>
/// <param name="Id">The analysis.</param>
/// <param name="Title">Its title.</param>
/// <param name="FileName">The file it was made from.</param>
/// <param name="Rows">Data rows.</param>
/// <param name="SelectedK">The chosen k, or null.</param>
/// <param name="SegmentNames">The segment names at that k.</param>
/// <param name="CreatedAt">Created (UTC).</param>
/// <param name="ModifiedAt">Last saved (UTC).</param>
/// <param name="OpenedAt">Last opened (UTC).</param>
/// <param name="Notes">The beginning of the analyst's notes, or null.</param>
/// <param name="Shared">Whether a share link works.</param>
public sealed record AnalysisSummary(Guid Id, string Title, string FileName, int Rows, int? SelectedK, string? SegmentNames, DateTime CreatedAt, DateTime ModifiedAt, DateTime OpenedAt, bool Shared, string? Notes = null);

/// <summary>An opened analysis: its record and the original file bytes.</summary>
/// <param name="Record">What was saved.</param>
/// <param name="File">The file as uploaded (empty for the built-in sample).</param>
public sealed record OpenedAnalysis(AnalysisRecord Record, byte[] File);

/// <summary>The store cannot be reached or written (a full disk, PostgreSQL down); the message is for the user.</summary>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException()
        : base("The store is unavailable.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Saves, lists, opens and deletes analyses, always for an owner (or through a share token): an id alone opens nothing. Every
/// write is one transaction, so a failed save leaves the previous version as it was.
/// </summary>
public sealed class AnalysisStore(IDbContextFactory<SegmentationDbContext> factory, StorageOptions options, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The store's settings.</summary>
    public StorageOptions Options => options;

    /// <summary>Creates or upgrades the schema (the committed migrations, in order).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the store answers and its schema is the one this version needs (no pending migrations): readiness.</summary>
    /// <returns>Null when ready; otherwise why not, for the health endpoint (no data in it).</returns>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (!await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false))
            {
                return $"The {options.Provider} store cannot be reached.";
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken).ConfigureAwait(false)).Count();
            return pending == 0 ? null : $"The {options.Provider} store has {pending} migration(s) not applied.";
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            return $"The {options.Provider} store cannot be reached ({exception.GetType().Name}).";
        }
    }

    /// <summary>Saves a new analysis with its file; returns its record.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot be written.</exception>
    public Task<AnalysisRecord> CreateAsync(string owner, string fileName, byte[] file, AnalysisContent content, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            ArgumentException.ThrowIfNullOrEmpty(owner);
            var now = Now();
            var record = new AnalysisRecord
            {
                Id = Guid.NewGuid(),
                OwnerId = owner,
                Title = Truncate(fileName, 300),
                FileName = Truncate(fileName, 300),
                RecipeJson = content.RecipeJson,
                ReadOptionsJson = content.ReadOptionsJson,
                AppVersion = Analytics.Pipeline.SegmentationModel.LibraryVersion,
                CreatedAt = now,
                ModifiedAt = now,
                OpenedAt = now,
                Revision = 1,
                File = new AnalysisFile { Content = Compress(file), OriginalBytes = file.LongLength, Sha256 = Convert.ToHexStringLower(SHA256.HashData(file)) },
            };
            Apply(record, content);
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            db.Analyses.Add(record);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            record.File = null;
            return record;
        });

    /// <summary>Saves the analysis' content if <paramref name="revision"/> is still the latest; returns the new revision, or null when the
    /// analysis is gone (deleted, or not the owner's).</summary>
    /// <exception cref="DbUpdateConcurrencyException">Another tab saved a newer revision.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be written.</exception>
    public Task<int?> UpdateAsync(string owner, Guid id, int revision, AnalysisContent content, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var record = await db.Analyses.SingleOrDefaultAsync(a => a.Id == id && a.OwnerId == owner, cancellationToken).ConfigureAwait(false);
            if (record is null)
            {
                return (int?)null;
            }

            db.Entry(record).Property(a => a.Revision).OriginalValue = revision;
            Apply(record, content);
            record.ModifiedAt = Now();
            record.AppVersion = Analytics.Pipeline.SegmentationModel.LibraryVersion;
            record.Revision = revision + 1;
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return record.Revision;
        });

    /// <summary>Opens the owner's analysis (and marks it opened), or null when there is none the owner may see.</summary>
    public Task<OpenedAnalysis?> OpenAsync(string owner, Guid id, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var record = await db.Analyses.Include(a => a.File).SingleOrDefaultAsync(a => a.Id == id && a.OwnerId == owner, cancellationToken).ConfigureAwait(false);
            return record is null ? null : await OpenedAsync(db, record, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Opens the analysis a share token points to, or null when the token is unknown or revoked.</summary>
    public Task<OpenedAnalysis?> OpenSharedAsync(string token, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            if (string.IsNullOrEmpty(token) || token.Length > 100)
            {
                return null;
            }

            var hash = Hash(token);
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var link = await db.ShareLinks.SingleOrDefaultAsync(l => l.TokenHash == hash && l.RevokedAt == null, cancellationToken).ConfigureAwait(false);
            if (link is null)
            {
                return null;
            }

            var record = await db.Analyses.Include(a => a.File).SingleAsync(a => a.Id == link.AnalysisId, cancellationToken).ConfigureAwait(false);
            return await OpenedAsync(db, record, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Whether the owner has an analysis with this id (nothing is read or marked opened).</summary>
    public Task<bool> ExistsAsync(string owner, Guid id, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            return await db.Analyses.AnyAsync(a => a.Id == id && a.OwnerId == owner, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>The owner's analyses, most recently saved first.</summary>
    public Task<IReadOnlyList<AnalysisSummary>> ListAsync(string owner, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var rows = await db.Analyses.Where(a => a.OwnerId == owner)
                .Select(a => new AnalysisSummary(a.Id, a.Title, a.FileName, a.Rows, a.SelectedK, a.SegmentNames, a.CreatedAt, a.ModifiedAt, a.OpenedAt, a.ShareLinks.Any(l => l.RevokedAt == null), a.Notes))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<AnalysisSummary>)rows.OrderByDescending(r => r.ModifiedAt).ToArray();
        });

    /// <summary>Renames the owner's analysis; false when there is none.</summary>
    public Task<bool> RenameAsync(string owner, Guid id, string title, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            var cleaned = Truncate(title.Trim(), 300);
            if (cleaned.Length == 0)
            {
                return false;
            }

            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            return await db.Analyses.Where(a => a.Id == id && a.OwnerId == owner).ExecuteUpdateAsync(s => s.SetProperty(a => a.Title, cleaned), cancellationToken).ConfigureAwait(false) == 1;
        });

    /// <summary>Copies the owner's analysis (file, recipe and work, not its share links); returns the copy's id, or null.</summary>
    public Task<Guid?> DuplicateAsync(string owner, Guid id, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var source = await db.Analyses.AsNoTracking().Include(a => a.File).SingleOrDefaultAsync(a => a.Id == id && a.OwnerId == owner, cancellationToken).ConfigureAwait(false);
            if (source?.File is null)
            {
                return (Guid?)null;
            }

            var now = Now();
            source.Id = Guid.NewGuid();
            source.Title = Truncate($"{source.Title} (copy)", 300);
            source.CreatedAt = source.ModifiedAt = source.OpenedAt = now;
            source.Revision = 1;
            source.ShareLinks = [];
            source.File.AnalysisId = source.Id;
            db.Analyses.Add(source);
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return source.Id;
        });

    /// <summary>Deletes the owner's analysis with its file and links; false when there is none.</summary>
    public Task<bool> DeleteAsync(string owner, Guid id, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            return await DeleteWhereAsync(db, db.Analyses.Where(a => a.Id == id && a.OwnerId == owner), cancellationToken).ConfigureAwait(false) == 1;
        });

    /// <summary>Deletes every analysis of the owner; returns how many.</summary>
    public Task<int> DeleteAllAsync(string owner, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            return await DeleteWhereAsync(db, db.Analyses.Where(a => a.OwnerId == owner), cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Deletes analyses not opened for <see cref="StorageOptions.RetentionDays"/>; returns how many.</summary>
    public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            var cutoff = Now().AddDays(-options.RetentionDays);
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            return await DeleteWhereAsync(db, db.Analyses.Where(a => a.OpenedAt < cutoff), cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Makes a read-only link token for the owner's analysis (128 random bits, base64url; only its hash is kept), or null.</summary>
    public Task<string?> CreateShareLinkAsync(string owner, Guid id, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (!await db.Analyses.AnyAsync(a => a.Id == id && a.OwnerId == owner, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            var token = Base64Url(RandomNumberGenerator.GetBytes(16));
            db.ShareLinks.Add(new ShareLink { Id = Guid.NewGuid(), AnalysisId = id, TokenHash = Hash(token), CreatedAt = Now() });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return token;
        });

    /// <summary>Revokes every link of the owner's analysis; returns how many worked until now.</summary>
    public Task<int> RevokeShareLinksAsync(string owner, Guid id, CancellationToken cancellationToken = default) =>
        Guarded(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            if (!await db.Analyses.AnyAsync(a => a.Id == id && a.OwnerId == owner, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            var now = Now();
            return await db.ShareLinks.Where(l => l.AnalysisId == id && l.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, now), cancellationToken).ConfigureAwait(false);
        });

    private async Task<OpenedAnalysis> OpenedAsync(SegmentationDbContext db, AnalysisRecord record, CancellationToken cancellationToken)
    {
        var file = Decompress(record.File!.Content);
        if (Convert.ToHexStringLower(SHA256.HashData(file)) != record.File.Sha256)
        {
            throw new StoreUnavailableException($"The saved file of \"{record.Title}\" is damaged (its checksum does not match).");
        }

        record.OpenedAt = Now();
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        record.File = null;
        return new OpenedAnalysis(record, file);
    }

    // Files and links go with their analysis in one transaction (the foreign keys cascade too; this does not rely on it).
    private static async Task<int> DeleteWhereAsync(SegmentationDbContext db, IQueryable<AnalysisRecord> analyses, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var ids = await analyses.Select(a => a.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            await db.ShareLinks.Where(l => ids.Contains(l.AnalysisId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await db.Files.Where(f => ids.Contains(f.AnalysisId)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            var deleted = await db.Analyses.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return deleted;
        }).ConfigureAwait(false);
    }

    private static void Apply(AnalysisRecord record, AnalysisContent content)
    {
        record.Rows = content.Rows;
        record.Columns = content.Columns;
        record.SelectedK = content.SelectedK;
        record.SegmentNames = content.SegmentNames.Count == 0 ? null : Truncate(string.Join(" · ", content.SegmentNames), 2000);
        record.RecipeJson = content.RecipeJson;
        record.ReadOptionsJson = content.ReadOptionsJson;
        record.IngestReportJson = content.IngestReportJson;
        record.SweepJson = content.SweepJson;
        record.ModelsJson = content.ModelsJson;
        record.StateJson = content.StateJson;
        record.Notes = content.Notes is { Length: > 0 } notes ? Truncate(notes, 300) : null;
    }

    private async Task<T> Guarded<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is DbUpdateException and not DbUpdateConcurrencyException || exception is System.Data.Common.DbException || exception is IOException || (exception is InvalidOperationException && CausedByTheDatabase(exception)))
        {
            throw new StoreUnavailableException(
                $"Your work could not be saved or read: the {(options.IsPostgres ? "PostgreSQL server" : "database file")} is unavailable ({FirstLine(exception)}). The analysis on screen keeps working.",
                exception);
        }
    }

    // EF wraps a refused or dropped connection in an InvalidOperationException ("transient failure") around the provider's error.
    private static bool CausedByTheDatabase(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Data.Common.DbException or System.Net.Sockets.SocketException or IOException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static string FirstLine(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        var message = inner.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] data)
    {
        using var input = new BrotliStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
