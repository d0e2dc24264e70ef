namespace Segmentation.Storage;

/// <summary>A saved analysis: what cannot be recomputed cheaply, and what the library lists. Everything else is recomputed on open
/// from the file and the recipe, which the deterministic pipeline makes exact.</summary>
public sealed class AnalysisRecord
{
    /// <summary>A random identifier (never enough alone: every query also matches the owner or a share token).</summary>
    public Guid Id { get; set; }

    /// <summary>Who may open it: today an owner cookie ("browser:…"); an account id later, in the same column.</summary>
    public required string OwnerId { get; set; }

    /// <summary>The title shown in the library (the file name until renamed).</summary>
    public required string Title { get; set; }

    /// <summary>The uploaded file's name.</summary>
    public required string FileName { get; set; }

    /// <summary>Data rows.</summary>
    public int Rows { get; set; }

    /// <summary>Columns in the file.</summary>
    public int Columns { get; set; }

    /// <summary>The chosen k, or null before the first analysis finished.</summary>
    public int? SelectedK { get; set; }

    /// <summary>The segment names at the chosen k, as shown (for the library), joined by " · ".</summary>
    public string? SegmentNames { get; set; }

    /// <summary>The analyst's notes (the beginning, for the library; the whole text is in <see cref="StateJson"/>). Added by the
    /// second migration; null for analyses saved before it.</summary>
    public string? Notes { get; set; }

    /// <summary>The recipe (JSON): with the file, everything that decides the result.</summary>
    public required string RecipeJson { get; set; }

    /// <summary>How the file was read (JSON: header, sheet).</summary>
    public required string ReadOptionsJson { get; set; }

    /// <summary>The ingest report as the user saw it (JSON).</summary>
    public string? IngestReportJson { get; set; }

    /// <summary>The sweep's metrics per k (JSON), for the library and for checking a recomputation.</summary>
    public string? SweepJson { get; set; }

    /// <summary>Each k's model with the numbers, names and recommendations shown (JSON array of model files).</summary>
    public string? ModelsJson { get; set; }

    /// <summary>The user's work: segment identities, edits, notes and the page on screen (JSON).</summary>
    public string? StateJson { get; set; }

    /// <summary>The app version that saved it last.</summary>
    public required string AppVersion { get; set; }

    /// <summary>When it was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it was last saved (UTC).</summary>
    public DateTime ModifiedAt { get; set; }

    /// <summary>When it was last opened (UTC); retention counts from here.</summary>
    public DateTime OpenedAt { get; set; }

    /// <summary>Incremented by every save; a concurrency token, so two tabs never overwrite each other silently.</summary>
    public int Revision { get; set; }

    /// <summary>The uploaded file.</summary>
    public AnalysisFile? File { get; set; }

    /// <summary>Its share links.</summary>
    public List<ShareLink> ShareLinks { get; set; } = [];
}

/// <summary>The uploaded file, Brotli-compressed, exactly as uploaded: re-reading it gives the same dataset, identifiers and all.</summary>
public sealed class AnalysisFile
{
    /// <summary>The analysis.</summary>
    public Guid AnalysisId { get; set; }

    /// <summary>The compressed bytes (empty for the built-in sample, which is regenerated from its seed).</summary>
    public required byte[] Content { get; set; }

    /// <summary>The size before compression.</summary>
    public long OriginalBytes { get; set; }

    /// <summary>SHA-256 of the original bytes (hex), checked when the file is read back.</summary>
    public required string Sha256 { get; set; }
}

/// <summary>A read-only link: only the SHA-256 of its random token is stored.</summary>
public sealed class ShareLink
{
    /// <summary>The link's id.</summary>
    public Guid Id { get; set; }

    /// <summary>The analysis it opens.</summary>
    public Guid AnalysisId { get; set; }

    /// <summary>SHA-256 of the token (hex).</summary>
    public required string TokenHash { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>When it was revoked (UTC), or null while it works.</summary>
    public DateTime? RevokedAt { get; set; }
}
