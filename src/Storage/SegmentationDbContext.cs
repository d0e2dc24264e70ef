using Microsoft.EntityFrameworkCore;

namespace Segmentation.Storage;

/// <summary>The store's schema. Column types are left to the provider, so one migrations history serves SQLite and PostgreSQL.</summary>
public sealed class SegmentationDbContext(DbContextOptions<SegmentationDbContext> options) : DbContext(options)
{
    /// <summary>Saved analyses.</summary>
    public DbSet<AnalysisRecord> Analyses => Set<AnalysisRecord>();

    /// <summary>Their files.</summary>
    public DbSet<AnalysisFile> Files => Set<AnalysisFile>();

    /// <summary>Share links.</summary>
    public DbSet<ShareLink> ShareLinks => Set<ShareLink>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        modelBuilder.Entity<AnalysisRecord>(analysis =>
        {
            analysis.ToTable("analyses");
            analysis.HasKey(a => a.Id);
            analysis.Property(a => a.Id).ValueGeneratedNever();
            analysis.Property(a => a.OwnerId).HasMaxLength(200);
            analysis.Property(a => a.Title).HasMaxLength(300);
            analysis.Property(a => a.FileName).HasMaxLength(300);
            analysis.Property(a => a.AppVersion).HasMaxLength(50);
            analysis.Property(a => a.Notes).HasMaxLength(300);
            analysis.Property(a => a.Revision).IsConcurrencyToken();
            analysis.HasIndex(a => new { a.OwnerId, a.ModifiedAt });
            analysis.HasIndex(a => a.OpenedAt);
            analysis.HasOne(a => a.File).WithOne().HasForeignKey<AnalysisFile>(f => f.AnalysisId).OnDelete(DeleteBehavior.Cascade);
            analysis.HasMany(a => a.ShareLinks).WithOne().HasForeignKey(l => l.AnalysisId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<AnalysisFile>(file =>
        {
            file.ToTable("analysis_files");
            file.HasKey(f => f.AnalysisId);
            file.Property(f => f.Sha256).HasMaxLength(64);
        });
        modelBuilder.Entity<ShareLink>(link =>
        {
            link.ToTable("share_links");
            link.HasKey(l => l.Id);
            link.Property(l => l.Id).ValueGeneratedNever();
            link.Property(l => l.TokenHash).HasMaxLength(64);
            link.HasIndex(l => l.TokenHash).IsUnique();
        });
    }
}
