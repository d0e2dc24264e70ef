using System.Globalization;
using System.Diagnostics;
using Segmentation.Analytics;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.SampleData;
using Segmentation.Analytics.Statistics;
using Segmentation.Dashboard.Resources;

namespace Segmentation.Dashboard.State;

/// <summary>Summary of one column for the column table.</summary>
/// <param name="Column">The column.</param>
/// <param name="Summary">Its statistics, for numeric columns.</param>
/// <param name="Histogram">Its distribution, for numeric columns.</param>
/// <param name="DistinctTexts">Distinct non-missing values, for text columns.</param>
/// <param name="TopValues">The most frequent values with their share of the rows, for text columns.</param>
public sealed record ColumnOverview(DataColumn Column, ColumnSummary? Summary, Histogram? Histogram, int? DistinctTexts = null, IReadOnlyList<(string Value, double Share)>? TopValues = null)
{
    /// <summary>The first and last date, for date columns.</summary>
    public (DateOnly First, DateOnly Last)? DateRange { get; init; }
}

/// <summary>What the analysis does with a column (the identifier is chosen apart).</summary>
public enum ColumnUse
{
    /// <summary>Clustered on (numbers as they are, flags as 0/1, dates as days, categories one-hot encoded).</summary>
    Feature,

    /// <summary>Clustered on as categories (one-hot encoded), also for integer codes.</summary>
    Category,

    /// <summary>Not clustered on; described per segment (composition, rates, means).</summary>
    Described,

    /// <summary>Left out.</summary>
    Excluded,
}

/// <summary>A column that can be a feature, with its kind in words.</summary>
/// <param name="Name">The column (or derived feature).</param>
/// <param name="Kind">Its kind, e.g. "number", "category", "flag", "date", "derived".</param>
public sealed record FeatureCandidate(string Name, string Kind);

/// <summary>Where an analysis is.</summary>
/// <param name="Stage">What is running, in words.</param>
/// <param name="Fraction">0..1, or null when unknown.</param>
public sealed record AnalysisProgress(string Stage, double? Fraction);

/// <summary>
/// The data, settings and results of one circuit (one browser tab). Scoped: never shared between users, and dropped with the circuit.
/// Analyses run on the thread pool through the server-wide <see cref="AnalysisThrottle"/>; starting another, changing the data or
/// closing the circuit cancels the one running. Components subscribe to <see cref="Changed"/>.
/// </summary>
public sealed partial class DashboardState(AnalysisThrottle throttle, Segmentation.Storage.AnalysisStore? store = null, OwnerContext? owner = null, IngestThrottle? ingest = null,
    Segmentation.Dashboard.Services.DashboardMetrics? metrics = null, ILogger<DashboardState>? logger = null,
    Segmentation.Dashboard.Services.ClientLimits? limits = null) : IDisposable
{
    private readonly ILogger _log = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>What the logs call this analysis: its saved id, or this tab's key until the first save (never customer data).</summary>
    private string LogId => AnalysisId?.ToString() ?? _circuitKey;

    /// <summary>Reading files and sources: bounded apart from analyses, so that an upload never waits behind other users' analyses.</summary>
    private readonly IngestThrottle _ingest = ingest ?? new IngestThrottle(Math.Max(1, Environment.ProcessorCount));

    /// <summary>Whose analyses these are in the server-wide queue (one running per owner); the circuit when there is no owner.</summary>
    private string QueueOwner => owner?.OwnerId ?? _circuitKey;

    private readonly string _circuitKey = "circuit:" + Guid.NewGuid().ToString("N");

    /// <summary>What the progress bar says while the analysis waits for a free slot.</summary>
    internal static string Waiting(QueuePosition place) => place.Ahead == 0
        ? Strings.Get("WaitingNext", Seconds(place.Estimate))
        : Strings.Get(place.Ahead == 1 ? "WaitingOneAhead" : "WaitingAhead", place.Ahead, Seconds(place.Estimate));

    private static string Seconds(TimeSpan span) => span.TotalSeconds < 1.5 ? Strings.Get("ASecond") : Strings.Get("SecondsCount", Math.Ceiling(span.TotalSeconds));

    /// <summary>Rows in the built-in sample: the size of cc_general.</summary>
    public const int SampleRows = Segmentation.Storage.SavedAnalyses.SampleRows;

    private readonly SegmentIdentities _identities = new();
    private readonly CancellationTokenSource _lifetime = new();
    private CancellationTokenSource? _analysis;
    private bool _disposed;

    /// <summary>Raised after anything changes; handlers must marshal to their renderer (InvokeAsync).</summary>
    public event Action? Changed;

    /// <summary>The browser's culture (from the request that opened the circuit): how numbers and dates are shown.</summary>
    public System.Globalization.CultureInfo Culture { get; } = System.Globalization.CultureInfo.CurrentCulture;

    /// <summary>Whether CSV exports follow <see cref="Culture"/> for Excel (its separator and decimal mark) rather than the
    /// standard comma and point; the user chooses, Excel's by default.</summary>
    public bool CsvForExcel { get; set; } = true;

    /// <summary>The format CSV exports are written in (<see cref="CsvForExcel"/>).</summary>
    public Segmentation.Analytics.Export.CsvFormat CsvFormat =>
        CsvForExcel ? Segmentation.Analytics.Export.CsvFormat.ForExcel(Culture) : Segmentation.Analytics.Export.CsvFormat.Standard;

    /// <summary>The loaded data with its ingest report, or null.</summary>
    public IngestResult? Data { get; private set; }

    /// <summary>Per-column summaries of <see cref="Data"/>.</summary>
    public IReadOnlyList<ColumnOverview> Columns { get; private set; } = [];

    /// <summary>The column that identifies customers (never a feature), or null.</summary>
    public string? IdentifierColumn { get; private set; }

    private readonly Dictionary<string, ColumnUse> _uses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateOrder> _dateOrders = new(StringComparer.Ordinal);

    /// <summary>The selected features, in column order, then the derived ones: file columns used as features or categories, and derived features.</summary>
    public IReadOnlyList<string> Features => Data is null ? [] :
        Data.Dataset.Columns.Where(c => c.Name != IdentifierColumn && UseOf(c.Name) is ColumnUse.Feature or ColumnUse.Category).Select(c => c.Name)
            .Concat(Derived.Where(d => UseOf(d.Name) == ColumnUse.Feature).Select(d => d.Name)).ToArray();

    /// <summary>Selected features that are numeric columns of the file (what the Explore page correlates).</summary>
    public IReadOnlyList<string> NumericFeatures => Data is null ? [] :
        Features.Where(f => Data.Dataset.HasColumn(f) && Data.Dataset.Column(f) is { HasNumbers: true, Kind: ColumnKind.Numeric or ColumnKind.Binary } && UseOf(f) == ColumnUse.Feature).ToArray();

    /// <summary>Derived features (<c>NAME = expression</c>), in the order they were added.</summary>
    public IReadOnlyList<DerivedFeature> Derived { get; private set; } = [];

    /// <summary>What the last derived feature added found (rows divided by zero, missing inputs), or empty.</summary>
    public IReadOnlyList<string> DerivedNotes { get; private set; } = [];

    /// <summary>What the column is used for.</summary>
    public ColumnUse UseOf(string column) => _uses.TryGetValue(column, out var use) ? use : ColumnUse.Excluded;

    /// <summary>How an ambiguous date column is written, when the user said so.</summary>
    public DateOrder? DateOrderOf(string column) => _dateOrders.TryGetValue(column, out var order) ? order : null;

    /// <summary>Changes what a column is used for.</summary>
    public void SetUse(string column, ColumnUse use)
    {
        if (UseOf(column) == use || column == IdentifierColumn)
        {
            return;
        }

        _uses[column] = use;
        SettingsChanged();
    }

    /// <summary>Says how an ambiguous date column is written (day or month first); it becomes a feature.</summary>
    public void SetDateOrder(string column, DateOrder order)
    {
        _dateOrders[column] = order;
        _uses[column] = ColumnUse.Feature;
        SettingsChanged();
    }

    /// <summary>Derived features the rule packs suggest for this data and that are not added yet.</summary>
    public IReadOnlyList<Segmentation.Analytics.Segments.DerivedSuggestion> Suggestions => Data is null ? []
        : Segmentation.Analytics.Segments.DerivedSuggestions.For(Data.Dataset).Where(s => Derived.All(d => d.Name != s.Feature.Name)).ToArray();

    /// <summary>Adds a derived feature after computing it on the data; returns null, or why it cannot be added.</summary>
    public async Task<string?> AddDerivedAsync(string text, CancellationToken cancellationToken)
    {
        if (Data is not { } data)
        {
            return Strings.Get("LoadDataFirst");
        }

        try
        {
            var feature = DerivedFeature.Parse(text);
            if (data.Dataset.HasColumn(feature.Name) || Derived.Any(d => d.Name == feature.Name))
            {
                return Strings.Get("DerivedIsColumn", feature.Name);
            }

            var all = Derived.Append(feature).ToArray();
            var notes = await _ingest.RunAsync(
                _ => FeatureEncoder.Apply(data.Dataset, all.Select(d => (FeatureEncoding)new FormulaEncoding(d.Name, d.Expression)).ToArray()).Report.Warnings.Where(w => w.StartsWith(feature.Name + ":", StringComparison.Ordinal)).ToArray(),
                cancellationToken);
            Derived = all;
            DerivedNotes = notes;
            _uses[feature.Name] = ColumnUse.Feature;
            SettingsChanged();
            return null;
        }
        catch (AnalysisInputException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>Removes a derived feature.</summary>
    public void RemoveDerived(string name)
    {
        Derived = Derived.Where(d => d.Name != name).ToArray();
        _uses.Remove(name);
        DerivedNotes = [];
        SettingsChanged();
    }

    /// <summary>What the next analysis will do with every column, or why it cannot run (<see cref="PlanError"/>).</summary>
    public ColumnPlan? Plan
    {
        get
        {
            PreviewPlan();
            return _plan;
        }
    }

    /// <summary>Why the current choices cannot be analysed, or null.</summary>
    public string? PlanError
    {
        get
        {
            PreviewPlan();
            return _planError;
        }
    }

    private ColumnPlan? _plan;
    private string? _planError;
    private SegmentationRecipe? _planRecipe;

    private void PreviewPlan()
    {
        if (Data is null)
        {
            (_plan, _planError, _planRecipe) = (null, null, null);
            return;
        }

        var recipe = Recipe;
        if (ReferenceEquals(_planRecipe, recipe) || (_planRecipe is not null && RecipeKey(_planRecipe) == RecipeKey(recipe)))
        {
            return;
        }

        _planRecipe = recipe;
        try
        {
            (_plan, _planError) = (ColumnPlan.Resolve(Data.Dataset, recipe), null);
        }
        catch (AnalysisInputException exception)
        {
            (_plan, _planError) = (null, exception.Message);
        }
    }

    private static string RecipeKey(SegmentationRecipe recipe) => string.Join(
        '\u001f',
        recipe.IdentifierColumn,
        string.Join('\u001e', recipe.Features ?? []),
        string.Join('\u001e', recipe.Categorical),
        string.Join('\u001e', recipe.Described),
        string.Join('\u001e', recipe.Derived),
        string.Join('\u001e', recipe.DateOrders.Select(d => $"{d.Key}={d.Value}")),
        recipe.Scaling);

    /// <summary>Preprocessing settings (features are taken from <see cref="Features"/>).</summary>
    public PreprocessOptions Preprocess { get; private set; } = PreprocessOptions.Default;

    /// <summary>Smallest k of the sweep.</summary>
    public int KMin { get; private set; } = 2;

    /// <summary>Largest k of the sweep.</summary>
    public int KMax { get; private set; } = 10;

    /// <summary>The latest finished analysis, or null.</summary>
    public AnalysisResult? Run { get; private set; }

    /// <summary>The chosen k of <see cref="Run"/>.</summary>
    public int SelectedK { get; private set; }

    /// <summary>The segmentation at the chosen k, or null.</summary>
    public KSegmentation? View => Run is not null && Run.Has(SelectedK) ? Run.For(SelectedK) : null;

    /// <summary>Numbers, names and recommendations of the segments shown, or null without results.</summary>
    public DisplayedSegments? Displayed => View is { } view ? _identities.Displayed(view) : null;

    /// <summary>The last change of k within one analysis: where customers went, with the numbers shown before. Null until k changes.</summary>
    public (KSegmentation From, KSegmentation To, IReadOnlyList<int> FromNumbers)? Transition { get; private set; }

    /// <summary>The recipe of the next analysis, from the current settings.</summary>
    public SegmentationRecipe Recipe => SegmentationRecipe.Default.WithPreprocess(Preprocess with { Features = Features }) with
    {
        IdentifierColumn = IdentifierColumn,
        Categorical = Data is null ? [] : Data.Dataset.Columns.Where(c => c.Name != IdentifierColumn && UseOf(c.Name) == ColumnUse.Category).Select(c => c.Name).ToArray(),
        Described = Data is null ? [] : Data.Dataset.Columns.Where(c => c.Name != IdentifierColumn && UseOf(c.Name) == ColumnUse.Described).Select(c => c.Name).ToArray(),
        Derived = Derived.Where(d => UseOf(d.Name) != ColumnUse.Excluded).ToArray(),
        DateOrders = new Dictionary<string, DateOrder>(_dateOrders, StringComparer.Ordinal),
        KMin = KMin,
        KMax = KMax,
        Seed = Seed,
        Engine = Engine,
    };

    /// <summary>The k-means engine of the next analysis (our SIMD kernel by default; ML.NET under advanced settings).</summary>
    public KMeansEngine Engine { get; private set; } = KMeansEngine.Simd;

    /// <summary>Seed of the next analysis (restarts, silhouette sample, stability resamples).</summary>
    public int Seed { get; private set; } = 1;

    /// <summary>Progress of the running analysis, or null when none runs.</summary>
    public AnalysisProgress? Progress { get; private set; }

    /// <summary>Whether an analysis is running.</summary>
    public bool IsRunning => Progress is not null;

    /// <summary>The last analysis error for the user, or null.</summary>
    public string? AnalysisError { get; private set; }

    /// <summary>Whether the results are from other settings than the current ones.</summary>
    public bool ResultsOutdated { get; private set; }

    /// <summary>Columns that can be features: numbers, flags, categories, dates (with a known order) and derived features; not the identifier.</summary>
    public IEnumerable<FeatureCandidate> CandidateFeatures => Data is null ? [] :
        Data.Dataset.Columns
            .Where(c => c.Name != IdentifierColumn && CanBeFeature(c))
            .Select(c => new FeatureCandidate(c.Name, KindWord(c.Kind, UseOf(c.Name))))
            .Concat(Derived.Select(d => new FeatureCandidate(d.Name, "derived")));

    /// <summary>The kind in one word for lists: number, category, flag, date, text, identifier, constant, empty.</summary>
    public static string KindWord(ColumnKind kind, ColumnUse use = ColumnUse.Feature) => use == ColumnUse.Category ? "category" : kind switch
    {
        ColumnKind.Numeric => "number",
        ColumnKind.Categorical => "category",
        ColumnKind.Binary => "flag",
        ColumnKind.Date => "date",
        ColumnKind.Text => "text",
        ColumnKind.Identifier => "identifier",
        ColumnKind.Constant => "constant",
        _ => "empty",
    };

    private bool CanBeFeature(DataColumn column) => column.Kind switch
    {
        ColumnKind.Numeric or ColumnKind.Binary or ColumnKind.Categorical => true,
        ColumnKind.Date => column.Typing.DateOrder is not null || _dateOrders.ContainsKey(column.Name),
        ColumnKind.Identifier => column.HasNumbers,
        _ => false,
    };

    /// <summary>Loads the built-in synthetic credit-card sample.</summary>
    public async Task LoadSampleAsync(CancellationToken cancellationToken)
    {
        var (dataset, columns) = await _ingest.RunAsync(
            token =>
            {
                var data = CreditCardSample.Generate(SampleRows, seed: 1);
                return (data, Summarize(data, token));
            },
            cancellationToken);
        var report = Segmentation.Storage.SavedAnalyses.GeneratedReport(dataset);
        SetData(new IngestResult(dataset, report), columns);
        _file = [];
        _read = new Segmentation.Storage.ReadOptions(true, null, SampleSeed: 1);
    }

    /// <summary>The source the data was sampled from in this circuit (to score every row of it), or null for an upload.</summary>
    public Segmentation.Analytics.Ingest.TableSource? Source { get; private set; }

    /// <summary>How many rows the source has.</summary>
    public long SourceRows { get; private set; }

    /// <summary>When the data is a sample of a larger source: what every chart says, e.g. "Fitted on a seeded random sample of
    /// 200,000 of 10,000,000 rows of crm: SELECT …"; null otherwise.</summary>
    public string? SampleNote { get; private set; }

    /// <summary>Reads a seeded random sample of at most <paramref name="rows"/> rows of <paramref name="source"/> (all of it when
    /// smaller) and makes it the data, as an upload of those rows would be (and saved as such).</summary>
    /// <exception cref="Segmentation.Analytics.AnalysisInputException">The source cannot be read (the message says why).</exception>
    public async Task LoadSourceAsync(Segmentation.Analytics.Ingest.TableSource source, int rows, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var sample = await _ingest.RunAsync(token => source.SampleAsync(rows, seed: 1, progress, token), cancellationToken);
        var note = sample.IsComplete ? null : Strings.Get("FittedOnSample", sample.Rows.Count.ToString("N0", CultureInfo.CurrentCulture), sample.TotalRows.ToString("N0", CultureInfo.CurrentCulture), source.Description);
        using var csv = new MemoryStream(sample.ToCsv());
        await LoadCsvAsync(csv, source.Description, null, cancellationToken);
        Source = source;
        SourceRows = sample.TotalRows;
        SampleNote = note;
        _read = _read with { SampleNote = note };
        Changed?.Invoke();
    }

    /// <summary>Reads a CSV (already on disk) and makes it the data; the previous data stays if reading fails.</summary>
    /// <exception cref="IngestException">The file cannot be used; the message names line and column.</exception>
    public async Task LoadCsvAsync(Stream stream, string fileName, IProgress<IngestProgress>? progress, CancellationToken cancellationToken, IngestOptions? options = null)
    {
        var (result, columns) = await _ingest.RunAsync(
            async token =>
            {
                var read = await TableIngestor.ReadAsync(stream, (options ?? IngestOptions.Default) with { SourceName = fileName }, progress, token).ConfigureAwait(false);
                return (read, Summarize(read.Dataset, token));
            },
            cancellationToken);
        SetData(result, columns);
        // The file is kept (in memory, until saved) only where there is a store to save it to.
        _file = CanSave ? await ReadAllAsync(stream, cancellationToken).ConfigureAwait(true) : null;
        _read = new Segmentation.Storage.ReadOptions(options?.HasHeader ?? true, options?.Sheet, null);
    }

    /// <summary>Makes another column the identifier; it leaves the features.</summary>
    public void SetIdentifier(string? column)
    {
        if (Data is null || column == IdentifierColumn)
        {
            return;
        }

        if (IdentifierColumn is { } previous)
        {
            _uses[previous] = ColumnUse.Excluded;
        }

        IdentifierColumn = column;
        if (column is not null)
        {
            _uses.Remove(column);
        }

        SettingsChanged();
    }

    /// <summary>Selects or clears a feature (a cleared one is left out; a selected category is one-hot encoded).</summary>
    public void SetFeature(string name, bool selected)
    {
        var current = UseOf(name);
        if (selected == (current is ColumnUse.Feature or ColumnUse.Category))
        {
            return;
        }

        _uses[name] = selected ? DefaultFeatureUse(name) : ColumnUse.Excluded;
        SettingsChanged();
    }

    /// <summary>Selects all candidate features or none.</summary>
    public void SetAllFeatures(bool selected)
    {
        foreach (var candidate in CandidateFeatures.ToArray())
        {
            if (selected != (UseOf(candidate.Name) is ColumnUse.Feature or ColumnUse.Category))
            {
                _uses[candidate.Name] = selected ? DefaultFeatureUse(candidate.Name) : ColumnUse.Excluded;
            }
        }

        SettingsChanged();
    }

    private ColumnUse DefaultFeatureUse(string name) =>
        Data?.Dataset.HasColumn(name) == true && Data.Dataset.Column(name).Kind == ColumnKind.Categorical ? ColumnUse.Category : ColumnUse.Feature;

    /// <summary>Changes the preprocessing recipe.</summary>
    public void SetPreprocess(PreprocessOptions options)
    {
        Preprocess = options with { Features = null };
        SettingsChanged();
    }

    /// <summary>Switches log1p for one feature.</summary>
    public void SetLog1p(string feature, bool on)
    {
        var set = new HashSet<string>(Preprocess.Log1pColumns, StringComparer.Ordinal);
        if (on ? set.Add(feature) : set.Remove(feature))
        {
            SetPreprocess(Preprocess with { Log1pColumns = set.Order(StringComparer.Ordinal).ToArray() });
        }
    }

    /// <summary>Changes the k range of the next sweep.</summary>
    public void SetKRange(int from, int to)
    {
        KMin = Math.Clamp(Math.Min(from, to), 2, 20);
        KMax = Math.Clamp(Math.Max(from, to), KMin, 20);
        SettingsChanged();
    }

    /// <summary>Chooses a k of the finished sweep: no recomputation. Matched segments keep their numbers, colours and edits.</summary>
    public void SelectK(int k)
    {
        if (Run is not null && Run.Has(k) && k != SelectedK && View is { } previous)
        {
            var next = Run.For(k);
            Transition = (previous, next, _identities.Displayed(previous).Numbers);
            SelectedK = k;
            _identities.Show(next);
            Changed?.Invoke();
            QueueSave();
        }
    }

    /// <summary>Sets the k-means engine of the next analysis.</summary>
    public void SetEngine(KMeansEngine engine)
    {
        if (engine != Engine)
        {
            Engine = engine;
            SettingsChanged();
        }
    }

    /// <summary>The portable model of the chosen k with the numbers, names and recommendations on screen, or null without results.</summary>
    public SegmentationModel? Model() => Run is not null && View is not null && Displayed is { } shown ? Run.ToModel(SelectedK, shown) : null;

    /// <summary>The report of the chosen k as on screen (names, recommendations, notes, the file's findings), or null without results.</summary>
    public Segmentation.Reporting.Report.ReportModel? Report(DateTimeOffset created) =>
        Run is { } run && View is not null && Displayed is { } shown
            ? new Segmentation.Reporting.Report.ReportModel(
                Path.GetFileNameWithoutExtension(run.Dataset.SourceName ?? Data?.Dataset.SourceName ?? Strings.Get("SampleCustomers")),
                run, SelectedK, shown, Data?.Report, Notes, created, Culture, SampleNote)
            : null;

    /// <summary>Sets the seed of the next analysis.</summary>
    public void SetSeed(int seed)
    {
        Seed = seed;
        SettingsChanged();
    }

    /// <summary>Renames segment <paramref name="number"/> and sets its recommendation; blank values restore the generated ones.</summary>
    public void EditSegment(int number, string? name, string? recommendation)
    {
        if (IsReadOnly)
        {
            return;
        }

        _identities.Edit(number, name, recommendation);
        Changed?.Invoke();
        QueueSave();
    }

    /// <summary>The analyst's notes on this analysis (what it is for, decisions taken), saved with it; empty when none.</summary>
    public string Notes { get; private set; } = string.Empty;

    /// <summary>Longest notes kept.</summary>
    public const int MaxNotesLength = 4000;

    /// <summary>Sets the notes (saved like every edit); ignored in a read-only view.</summary>
    public void SetNotes(string? notes)
    {
        var text = (notes ?? string.Empty).Trim();
        text = text.Length > MaxNotesLength ? text[..MaxNotesLength] : text;
        if (IsReadOnly || text == Notes)
        {
            return;
        }

        Notes = text;
        Changed?.Invoke();
        QueueSave();
    }

    /// <summary>The assignment to export: the numbers and names shown on screen.</summary>
    public Segmentation.Analytics.Segments.SegmentAssignment? ExportAssignment()
    {
        if (View is not { } view || Displayed is not { } shown)
        {
            return null;
        }

        return view.Assignment.WithLabels(shown.Names, shown.Numbers);
    }

    /// <summary>Runs preprocessing and the sweep with the current settings, cancelling any run in progress.</summary>
    public async Task RunAnalysisAsync()
    {
        if (Data is null || IsReadOnly)
        {
            return;
        }

        CancelAnalysis();
        if (limits?.TryAnalysis(QueueOwner) is { } refusal)
        {
            AnalysisError = refusal;
            Changed?.Invoke();
            return;
        }

        var cancellation = new CancellationTokenSource();
        _analysis = cancellation;
        var dataset = Data.Dataset;
        var recipe = Recipe;
        AnalysisError = null;
        Progress = new AnalysisProgress(Strings.Get("WaitingForSlot"), null);
        Changed?.Invoke();
        var place = new Progress<QueuePosition>(position => Report(cancellation, Waiting(position), null));
        var clock = Stopwatch.StartNew();
        var outcome = "cancelled";
        metrics?.AnalysisStarted();
        try
        {
            var run = await throttle.RunAsync(
                token =>
                {
                    var progress = new SweepProgressAdapter(this, cancellation);
                    var result = SegmentationPipeline.Run(dataset, recipe, progress, token);
                    progress.Report(new SweepProgress(1, 1, "profiling"));
                    // What the Segment page shows first is built here, off the circuit's thread: the recommended k and the map.
                    _ = result.For(result.Sweep.RecommendedK);
                    _ = result.RowCoordinates;
                    return result;
                },
                cancellation.Token,
                QueueOwner,
                place);
            if (!ReferenceEquals(_analysis, cancellation))
            {
                return;
            }

            Run = run;
            outcome = "finished";
            Segmentation.Dashboard.Services.Log.AnalysisFinished(_log, LogId, dataset.RowCount, run.Preprocessed.Preparations.Count, run.Sweep.RecommendedK, clock.ElapsedMilliseconds);
            SelectedK = run.Sweep.RecommendedK;
            Transition = null;
            _identities.Show(run.For(SelectedK));
            ResultsOutdated = false;
            QueueSave();

            // The recommended k is on screen; the other k are built now in the background, so that choosing one computes nothing.
            var lifetime = _lifetime.Token;
            _ = Task.Run(() => run.PrecomputeAll(lifetime), lifetime).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
        catch (OperationCanceledException)
        {
            // Cancelled by the user, by new settings or by the circuit closing: nothing to report.
        }
        catch (AnalysisInputException exception)
        {
            AnalysisError = exception.Message;
            outcome = "failed";
            Segmentation.Dashboard.Services.Log.AnalysisRefused(_log, LogId, clock.ElapsedMilliseconds);
        }
        finally
        {
            metrics?.AnalysisEnded(outcome, clock.Elapsed);
            if (ReferenceEquals(_analysis, cancellation))
            {
                _analysis = null;
                Progress = null;
            }

            cancellation.Dispose();
            if (!_disposed)
            {
                Changed?.Invoke();
            }
        }
    }

    /// <summary>Stops the running analysis, if any.</summary>
    public void CancelAnalysis()
    {
        var running = _analysis;
        _analysis = null;
        if (running is not null)
        {
            running.Cancel();
            Progress = null;
            Changed?.Invoke();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _analysis?.Cancel();
        _lifetime.Cancel();
        _lifetime.Dispose();
    }

    /// <summary>Shows progress of <paramref name="owner"/>'s run, unless that run has been cancelled or replaced: fits already in flight
    /// keep reporting for a moment after a cancel, and must not bring the progress bar back.</summary>
    private void Report(CancellationTokenSource owner, string stage, double? fraction)
    {
        if (!ReferenceEquals(_analysis, owner) || owner.IsCancellationRequested)
        {
            return;
        }

        Progress = new AnalysisProgress(stage, fraction);
        Changed?.Invoke();
    }

    private void SetData(IngestResult data, IReadOnlyList<ColumnOverview> columns)
    {
        CancelAnalysis();
        ForgetSaved();
        Source = null;
        SourceRows = 0;
        SampleNote = null;
        Notes = string.Empty;
        Data = data;
        Columns = columns;
        IdentifierColumn = data.Dataset.IdentifierColumn;
        _uses.Clear();
        _dateOrders.Clear();
        Derived = [];
        DerivedNotes = [];
        foreach (var column in data.Dataset.Columns.Where(c => c.Name != IdentifierColumn))
        {
            _uses[column.Name] = column.Typing.Role switch
            {
                ColumnRole.Feature => ColumnUse.Feature,
                ColumnRole.Described => ColumnUse.Described,
                _ => ColumnUse.Excluded,
            };
        }

        Preprocess = PreprocessOptions.Default;
        Run = null;
        SelectedK = 0;
        Transition = null;
        _identities.Clear();
        AnalysisError = null;
        ResultsOutdated = false;
        Changed?.Invoke();
    }

    private void SettingsChanged()
    {
        CancelAnalysis();
        ResultsOutdated = Run is not null;
        Changed?.Invoke();
    }

    private static ColumnOverview[] Summarize(Dataset dataset, CancellationToken cancellationToken) => dataset.Columns
        .Select(column =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return column.HasNumbers && column.Kind is not (ColumnKind.Empty or ColumnKind.Identifier)
                ? new ColumnOverview(column, Descriptive.Summarize(column.Numbers), Histogram.FreedmanDiaconis(column.Numbers))
                : column.Kind == ColumnKind.Empty ? new ColumnOverview(column, null, null) : TextOverview(column);
        })
        .ToArray();

    private static ColumnOverview TextOverview(DataColumn column)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = column.HasTexts ? column.Texts.Length : column.Numbers.Length;
        for (var row = 0; row < rows; row++)
        {
            if (column.TextAt(row) is { } text)
            {
                counts[text] = counts.GetValueOrDefault(text) + 1;
            }
        }

        if (column.Kind == ColumnKind.Date && column.Typing.DateOrder is { } order)
        {
            var dates = counts.Keys.Select(t => DateValues.TryParse(t, order, out var d) ? d : (DateOnly?)null).Where(d => d is not null).Select(d => d!.Value).ToArray();
            if (dates.Length > 0)
            {
                return new ColumnOverview(column, null, null, counts.Count, null) { DateRange = (dates.Min(), dates.Max()) };
            }
        }

        var top = column.Kind is ColumnKind.Categorical or ColumnKind.Binary
            ? counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(4).Select(c => (c.Key, c.Value / (double)rows)).ToArray()
            : null;
        return new ColumnOverview(column, null, null, counts.Count, top);
    }

    /// <summary>Turns pipeline progress into the state's progress: at most 10 updates a second (each one re-renders the page),
    /// and always when the stage changes.</summary>
    private sealed class SweepProgressAdapter(DashboardState state, CancellationTokenSource owner) : IProgress<SweepProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private string? _stage;
        private long _last = long.MinValue;

        public void Report(SweepProgress value)
        {
            lock (_gate)
            {
                var now = _clock.ElapsedMilliseconds;
                if (value.Stage == _stage && now - _last < 100)
                {
                    return;
                }

                _stage = value.Stage;
                _last = now;
            }

            var stage = value.Stage switch
            {
                "preparing" => Strings.Get("StagePreparing"),
                "fitting" => Strings.Get("StageFitting", value.FitsDone, value.FitsTotal),
                "silhouette" => Strings.Get("StageSilhouette"),
                "stability" => Strings.Get("StageStability"),
                "metrics" => Strings.Get("StageMetrics"),
                "pca" => Strings.Get("StagePca"),
                _ => Strings.Get("StageProfiling"),
            };
            state.Report(owner, stage, value.FitsTotal == 0 ? null : value.FitsDone / (double)value.FitsTotal);
        }
    }
}
