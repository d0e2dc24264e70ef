using System.Text.Json;
using System.Text.Json.Serialization;
using Segmentation.Dashboard.Resources;
using Microsoft.EntityFrameworkCore;
using Segmentation.Analytics;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.SampleData;
using Segmentation.Storage;

namespace Segmentation.Dashboard.State;

/// <summary>Who the circuit works for: the owner cookie today, an account later. Set once per circuit by the router.</summary>
public sealed class OwnerContext
{
    /// <summary>The owner id ("browser:…", or "user:…" when signed in), or null when unknown (tests, a request without the cookie,
    /// or someone not signed in opening a share link).</summary>
    public string? OwnerId { get; set; }

    /// <summary>The signed-in user's name, or null without sign-in.</summary>
    public string? UserName { get; set; }
}

/// <summary>The user's work as saved: segment identities and edits, the page on screen.</summary>
/// <param name="Identities">Numbers and edits.</param>
/// <param name="Page">The page on screen: data, explore, segment or segments.</param>
public sealed record SavedWork(IdentitySnapshot Identities, string Page, string? Notes = null);

/// <summary>Persistence: analyses are saved when they finish and on every edit, and reopened by their URL or a share link.</summary>
public sealed partial class DashboardState
{
    private static JsonSerializerOptions Json => SavedAnalyses.Json;
    private readonly SemaphoreSlim _saving = new(1, 1);
    private byte[]? _file;
    private ReadOptions _read = new(true, null, null);
    private int _revision;

    /// <summary>The saved analysis on screen, or null until the first analysis finished (or without a store).</summary>
    public Guid? AnalysisId { get; private set; }

    /// <summary>When the analysis was last saved (UTC), or null.</summary>
    public DateTime? SavedAt { get; private set; }

    /// <summary>Why the last save failed, for the user, or null.</summary>
    public string? SaveError { get; private set; }

    /// <summary>Whether this is a read-only view opened by a share link.</summary>
    public bool IsReadOnly { get; private set; }

    /// <summary>The share token of a read-only view, or null.</summary>
    public string? ShareToken { get; private set; }

    /// <summary>Whether the last analysis asked for by URL does not exist or is not this browser's.</summary>
    public bool NotFound { get; private set; }

    /// <summary>Whether work is saved at all (a store and an owner).</summary>
    public bool CanSave => store is not null && owner?.OwnerId is not null && !IsReadOnly;

    /// <summary>The page on screen, saved with the work so that a link reopens it.</summary>
    public string Page { get; private set; } = "segments";

    /// <summary>The store, for the library page; null without one.</summary>
    public AnalysisStore? Store => store;

    /// <summary>The owner of this circuit, or null.</summary>
    public string? OwnerId => owner?.OwnerId;

    /// <summary>Raised after the first save of an analysis, so that the address bar can show its URL.</summary>
    public event Action<Guid>? Created;

    /// <summary>Notes the page on screen; saved with the next save.</summary>
    public void SetPage(string page)
    {
        if (page is "data" or "explore" or "segment" or "segments" && page != Page)
        {
            Page = page;
            if (AnalysisId is not null)
            {
                QueueSave();
            }
        }
    }

    /// <summary>Opens the owner's saved analysis: the file is read again and the recipe rerun (identical results), then k, numbers and edits restored.</summary>
    public Task<bool> OpenAsync(Guid id, CancellationToken cancellationToken) => OpenCoreAsync(
        () => store is null || owner?.OwnerId is not { } who ? Task.FromResult<OpenedAnalysis?>(null) : store.OpenAsync(who, id, cancellationToken),
        readOnly: false,
        token: null,
        cancellationToken);

    /// <summary>Opens the analysis of a share link, read-only.</summary>
    public Task<bool> OpenSharedAsync(string token, CancellationToken cancellationToken) => OpenCoreAsync(
        () => store is null ? Task.FromResult<OpenedAnalysis?>(null) : store.OpenSharedAsync(token, cancellationToken),
        readOnly: true,
        token: token,
        cancellationToken);

    /// <summary>Shows an analysis read back somewhere else (the start-up warm-up's own, never a user's) to render it once: nothing is
    /// saved (the state has no owner), logged, or computed ahead for other k.</summary>
    internal Task<bool> ShowAsync(OpenedAnalysis opened, CancellationToken cancellationToken) => OpenCoreAsync(
        () => Task.FromResult<OpenedAnalysis?>(opened),
        readOnly: false,
        token: null,
        cancellationToken,
        warmUp: true);

    /// <summary>Makes a read-only link token for the analysis on screen, or null.</summary>
    public async Task<string?> ShareAsync(CancellationToken cancellationToken) =>
        CanSave && AnalysisId is { } id ? await store!.CreateShareLinkAsync(owner!.OwnerId!, id, cancellationToken).ConfigureAwait(true) : null;

    /// <summary>Revokes every link to the analysis on screen.</summary>
    public async Task<int> RevokeSharesAsync(CancellationToken cancellationToken) =>
        CanSave && AnalysisId is { } id ? await store!.RevokeShareLinksAsync(owner!.OwnerId!, id, cancellationToken).ConfigureAwait(true) : 0;

    private async Task<bool> OpenCoreAsync(Func<Task<OpenedAnalysis?>> open, bool readOnly, string? token, CancellationToken cancellationToken, bool warmUp = false)
    {
        NotFound = false;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        OpenedAnalysis? opened;
        try
        {
            opened = await open().ConfigureAwait(true);
        }
        catch (StoreUnavailableException exception)
        {
            SaveError = exception.Message;
            Changed?.Invoke();
            return false;
        }

        if (opened is null)
        {
            NotFound = true;
            Changed?.Invoke();
            return false;
        }

        var record = opened.Record;
        var storeMs = clock.ElapsedMilliseconds;
        var loaded = await throttle.RunAsync(ct => LoadAsync(opened, ct), cancellationToken, QueueOwner).ConfigureAwait(true);
        var (data, columns, run, recipe, read, work) = (loaded.Data, loaded.Columns, loaded.Run, loaded.Recipe, loaded.Read, loaded.Work);

        SetData(data, columns);
        ApplyRecipe(recipe);
        _file = opened.File;
        _read = read;
        SampleNote = read.SampleNote;
        AnalysisId = record.Id;
        _revision = record.Revision;
        SavedAt = record.ModifiedAt;
        IsReadOnly = readOnly;
        ShareToken = token;
        Page = work?.Page ?? "segments";
        Notes = work?.Notes ?? string.Empty;
        if (run is not null && record.SelectedK is { } chosen && run.Has(chosen))
        {
            Run = run;
            SelectedK = chosen;
            if (work is not null)
            {
                _identities.Import(work.Identities, run);
            }

            _identities.Show(run.For(chosen));
            if (!warmUp)
            {
                var lifetime = _lifetime.Token;
                _ = Task.Run(() => run.PrecomputeAll(lifetime), lifetime).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
        }

        if (!warmUp)
        {
            Segmentation.Dashboard.Services.Log.AnalysisReopened(_log, LogId, data.Dataset.RowCount, record.SelectedK ?? 0, clock.ElapsedMilliseconds, storeMs, clock.ElapsedMilliseconds - storeMs);
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>A saved analysis read back: its data, the result at its k (restored, not refitted) and the user's work.</summary>
    public sealed record LoadedAnalysis(AnalysisRecord Record, IngestResult Data, IReadOnlyList<ColumnOverview> Columns, AnalysisResult? Run, SegmentationRecipe Recipe, ReadOptions Read, SavedWork? Work)
    {
        /// <summary>The chosen k's segmentation and the labels shown for it, or null before the first analysis.</summary>
        public (KSegmentation View, DisplayedSegments Shown)? Chosen
        {
            get
            {
                if (Run is null || Record.SelectedK is not { } k || !Run.Has(k))
                {
                    return null;
                }

                var identities = new SegmentIdentities();
                if (Work is not null)
                {
                    identities.Import(Work.Identities, Run);
                }

                var view = Run.For(k);
                identities.Show(view);
                return (view, identities.Displayed(view));
            }
        }
    }

    /// <summary>Reads a saved analysis back: the file again, then the saved sweep on it.</summary>
    public static async Task<LoadedAnalysis> LoadAsync(OpenedAnalysis opened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opened);
        var record = opened.Record;
        var read = SavedAnalyses.ReadOptionsOf(record);
        var recipe = SavedAnalyses.RecipeOf(record);
        var work = record.StateJson is { } state ? JsonSerializer.Deserialize<SavedWork>(state, Json) : null;
        var ingest = await SavedAnalyses.ReadDataAsync(opened, cancellationToken).ConfigureAwait(false);
        var result = record.SelectedK is null ? null : SavedAnalyses.Reopen(ingest.Dataset, recipe, record.SweepJson, cancellationToken);
        if (result is not null && record.SelectedK is { } k && result.Has(k))
        {
            _ = result.For(k);
            _ = result.RowCoordinates;
        }

        return new LoadedAnalysis(record, ingest, Summarize(ingest.Dataset, cancellationToken), result, recipe, read, work);
    }

    /// <summary>Puts a saved recipe back into the settings, so that the pages show what was analysed.</summary>
    private void ApplyRecipe(SegmentationRecipe recipe)
    {
        if (Data is null)
        {
            return;
        }

        IdentifierColumn = recipe.IdentifierColumn ?? Data.Dataset.IdentifierColumn;
        Derived = recipe.Derived;
        var features = recipe.Features?.ToHashSet(StringComparer.Ordinal);
        foreach (var column in Data.Dataset.Columns.Where(c => c.Name != IdentifierColumn))
        {
            _uses[column.Name] = recipe.Categorical.Contains(column.Name) ? ColumnUse.Category
                : recipe.Described.Contains(column.Name) ? ColumnUse.Described
                : features is null ? _uses.GetValueOrDefault(column.Name, ColumnUse.Excluded)
                : features.Contains(column.Name) ? DefaultFeatureUse(column.Name)
                : column.Typing.Role == ColumnRole.Described ? ColumnUse.Described : ColumnUse.Excluded;
        }

        foreach (var derived in recipe.Derived)
        {
            _uses[derived.Name] = features is null || features.Contains(derived.Name) ? ColumnUse.Feature : ColumnUse.Described;
        }

        _uses.Remove(IdentifierColumn ?? string.Empty);
        foreach (var (column, order) in recipe.DateOrders)
        {
            _dateOrders[column] = order;
        }

        Preprocess = recipe.ToPreprocessOptions() with { Features = null };
        (KMin, KMax, Seed, Engine) = (recipe.KMin, recipe.KMax, recipe.Seed, recipe.Engine);
    }

    /// <summary>Saves the work in the background; saves never overlap, and each writes the state as it was when it was asked for
    /// (taken here, on the circuit's thread, so that a save never reads what the user is changing).</summary>
    private void QueueSave()
    {
        if (!CanSave || Run is not { } run || View is null || Displayed is not { } shown || Data is not { } data || _file is not { } file)
        {
            return;
        }

        var snapshot = new SaveSnapshot(run, SelectedK, shown, data, file, _read, new SavedWork(_identities.Export(run), Page, Notes.Length == 0 ? null : Notes));
        var lifetime = _lifetime.Token;
        _ = Task.Run(() => SaveAsync(snapshot, lifetime), lifetime).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private sealed record SerialisedRun(AnalysisResult Run, string SweepJson, IReadOnlyDictionary<int, string> Models);

    private SerialisedRun? _serialised;

    private sealed record SaveSnapshot(AnalysisResult Run, int K, DisplayedSegments Shown, IngestResult Data, byte[] File, ReadOptions Read, SavedWork Work);

    private async Task SaveAsync(SaveSnapshot snapshot, CancellationToken cancellationToken)
    {
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(snapshot.Run, Run))
            {
                return;
            }

            var (run, data) = (snapshot.Run, snapshot.Data);

            // What does not change with edits is serialised once per analysis run, not on every rename (cc_general: a 570 KB sweep, 9 models).
            if (_serialised is not { } cache || !ReferenceEquals(cache.Run, run))
            {
                cache = new SerialisedRun(run, SweepSnapshot.Of(run).ToJson(), run.Ks.ToDictionary(k => k, k => run.ToModel(k).ToJson()));
                _serialised = cache;
            }

            var content = new AnalysisContent
            {
                Rows = data.Dataset.RowCount,
                Columns = data.Dataset.Columns.Count,
                SelectedK = snapshot.K,
                SegmentNames = snapshot.Shown.Names,
                RecipeJson = JsonSerializer.Serialize(run.Recipe, Json),
                ReadOptionsJson = JsonSerializer.Serialize(snapshot.Read, Json),
                IngestReportJson = JsonSerializer.Serialize(data.Report, Json),
                SweepJson = cache.SweepJson,
                ModelsJson = "[" + string.Join(",", run.Ks.Select(k => k == snapshot.K ? run.ToModel(k, snapshot.Shown).ToJson() : cache.Models[k])) + "]",
                StateJson = JsonSerializer.Serialize(snapshot.Work, Json),
                Notes = snapshot.Work.Notes,
            };
            if (AnalysisId is { } id)
            {
                var revision = await store!.UpdateAsync(owner!.OwnerId!, id, _revision, content, cancellationToken).ConfigureAwait(false);
                if (revision is null)
                {
                    SaveError = Strings.Get("SaveDeleted");
                    AnalysisId = null;
                }
                else
                {
                    _revision = revision.Value;
                    SavedAt = DateTime.UtcNow;
                    SaveError = null;
                }
            }
            else
            {
                var record = await store!.CreateAsync(owner!.OwnerId!, data.Dataset.SourceName ?? "sample.csv", snapshot.File, content, cancellationToken).ConfigureAwait(false);
                AnalysisId = record.Id;
                _revision = record.Revision;
                SavedAt = record.ModifiedAt;
                SaveError = null;
                Created?.Invoke(record.Id);
            }
        }
        catch (StoreUnavailableException exception)
        {
            SaveError = exception.Message;
            Segmentation.Dashboard.Services.Log.SaveFailed(_log, LogId, "store unavailable");
        }
        catch (DbUpdateConcurrencyException)
        {
            SaveError = Strings.Get("SaveConflict");
            Segmentation.Dashboard.Services.Log.SaveFailed(_log, LogId, "changed in another tab");
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException or JsonException or ArgumentException)
        {
            SaveError = Strings.Get("SaveFailed", exception.GetType().Name, exception.Message);
        }
        finally
        {
            _saving.Release();
        }

        if (!_disposed)
        {
            Changed?.Invoke();
        }
    }

    private void ForgetSaved()
    {
        AnalysisId = null;
        _revision = 0;
        SavedAt = null;
        SaveError = null;
        IsReadOnly = false;
        ShareToken = null;
        NotFound = false;
        _file = null;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (!stream.CanSeek)
        {
            return [];
        }

        stream.Position = 0;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return copy.ToArray();
    }
}
