using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Segmentation.Storage;

/// <summary>Where analyses are kept: <c>Storage:Provider</c> (sqlite, the default, or postgres), <c>Storage:Path</c> and <c>Storage:ConnectionString</c>.</summary>
public sealed record StorageOptions
{
    /// <summary>"sqlite" (embedded, nothing to install) or "postgres".</summary>
    public string Provider { get; init; } = "sqlite";

    /// <summary>The SQLite file (created with its folder on first run).</summary>
    public string Path { get; init; } = "./data/segmentation.db";

    /// <summary>The PostgreSQL connection string (with <see cref="Provider"/> postgres).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Analyses not opened for this many days are deleted.</summary>
    public int RetentionDays { get; init; } = 90;

    /// <summary>Whether the provider is PostgreSQL.</summary>
    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(Provider, "postgresql", StringComparison.OrdinalIgnoreCase);

    /// <summary>Configures EF Core for these options.</summary>
    /// <exception cref="InvalidOperationException">The provider is unknown, or postgres has no connection string.</exception>
    public void Configure(DbContextOptionsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (IsPostgres)
        {
            builder.UseNpgsql(ConnectionString ?? throw new InvalidOperationException("Storage:Provider is postgres but Storage:ConnectionString is not set."));
        }
        else if (string.Equals(Provider, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var full = System.IO.Path.GetFullPath(Path);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            // A pooled connection keeps the file open after the app is done with it; without pooling it is closed with each context.
            builder.UseSqlite($"Data Source={full};Pooling=False");
        }
        else
        {
            throw new InvalidOperationException($"Storage:Provider must be sqlite or postgres, not \"{Provider}\".");
        }

        // One provider-neutral migrations history serves both providers; its snapshot is checked by the tests, not at start-up.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }
}

/// <summary>Registers the store.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AnalysisStore"/> and its DbContext factory.</summary>
    public static IServiceCollection AddAnalysisStore(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddDbContextFactory<SegmentationDbContext>(options.Configure);
        services.AddSingleton<AnalysisStore>();
        return services;
    }
}

/// <summary>For <c>dotnet ef migrations add</c>: a SQLite context in a temporary folder.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<SegmentationDbContext>
{
    public SegmentationDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SegmentationDbContext>();
        new StorageOptions { Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "segmentation-design.db") }.Configure(builder);
        return new SegmentationDbContext(builder.Options);
    }
}
