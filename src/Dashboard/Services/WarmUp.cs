using System.Diagnostics;
using System.Text.Json;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.SampleData;
using Segmentation.Dashboard.Components.Charts;
using Segmentation.Dashboard.State;
using Segmentation.Reporting.Charts;
using Segmentation.Storage;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Runs one small analysis of generated data when the server starts, the way a user's goes (a CSV file read and analysed, its
/// Segment-page charts built, then read back as a reopened analysis is and its pages rendered), so that the first user's upload, Run
/// or reopened link does not pay for compiling the pipeline, the chart code, the store's queries and the components (on a 2-core
/// machine a reopened cc_general analysis right after a restart showed its cards in 1.7–1.9 s without this, 0.8–0.95 s with it). Holds no
/// user data and writes nothing: the store is only asked for an analysis that does not exist; the result is dropped.
/// </summary>
public sealed partial class WarmUp(ILogger<WarmUp> logger, ILoggerFactory loggers, DashboardMetrics metrics, AnalysisStore store, IServiceProvider services) : BackgroundService
{
    private const int WarmRuns = 3;

    /// <summary>An owner no browser can have (theirs are random cookies): the store's queries for it find nothing.</summary>
    private const string NoOwner = "warm-up:none";

    private byte[] _file = [];
    private Dataset? _dataset;

    /// <summary>Before the server listens: one analysis read, run and drawn, then opened again as a saved one and its pages rendered,
    /// so that the first tabs to connect (those reopening their analyses right after a restart) find the code compiled.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var file = new MemoryStream();
            await CreditCardSample.WriteCsvAsync(file, 2_000, seed: 1, cancellationToken).ConfigureAwait(false);
            _file = file.ToArray();
            _dataset = await ReadAsync(_file, cancellationToken).ConfigureAwait(false);
            var result = SegmentationPipeline.Run(_dataset, Recipe, cancellationToken: cancellationToken);
            var read = clock.ElapsedMilliseconds;
            var json = DrawCharts(result);
            var drawn = clock.ElapsedMilliseconds;
            var rendered = await ReopenAsync(_file, result, cancellationToken).ConfigureAwait(false);
            LogStarted(logger, read, drawn - read, rendered, Pages.Length, clock.ElapsedMilliseconds - drawn, json);
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
            return;
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After the server listens: the default k range again, twice, with everything the pages show, so that the kernel's and
    /// the measures' methods are called often enough to be recompiled optimised (tiered compilation) before the first user's Run, not
    /// during it. Once a tab has connected, the repeats stop, so they never take the cores from a user.</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                for (var run = 1; run < WarmRuns && _dataset is not null && !metrics.AnyCircuitOpened; run++)
                {
                    SegmentationPipeline.Run(_dataset, Recipe, cancellationToken: stoppingToken).PrecomputeAll(stoppingToken);
                }

                LogWarm(logger, clock.ElapsedMilliseconds);
            }
            catch (OperationCanceledException)
            {
                // The server is stopping.
            }
        },
        stoppingToken);

    private static readonly SegmentationRecipe Recipe = new() { StabilityResamples = 2 };

    /// <summary>Every Segment-page chart and the model file at every k; returns how many characters of options that made.</summary>
    private static int DrawCharts(AnalysisResult result)
    {
        var identities = new SegmentIdentities();
        var json = 0;
        foreach (var k in result.Ks)
        {
            var view = result.For(k);
            identities.Show(view);
            var shown = identities.Displayed(view);
            json += ChartFactory.PcaScatter(result, view, shown).Options.ToJson().Length + ChartFactory.Sizes(view, shown).ToJson().Length
                + ChartFactory.ProfileHeatmap(view, shown).ToJson().Length + ChartFactory.Elbow(result.Sweep, k).ToJson().Length
                + ChartFactory.SilhouetteByK(result.Sweep, k).ToJson().Length + ChartFactory.SegmentSilhouettes(view, shown, sampled: false).ToJson().Length
                + result.ToModel(k, shown).ToJson().Length;
        }

        return json;
    }

    private static async Task<Dataset> ReadAsync(byte[] bytes, CancellationToken cancellationToken) =>
        (await TableIngestor.ReadAsync(new MemoryStream(bytes), IngestOptions.Default with { SourceName = "warm-up.csv" }, null, cancellationToken).ConfigureAwait(false)).Dataset;

    /// <summary>What opening a saved analysis does, on this one as if it had been saved: the store's lookups (which find nothing), the
    /// file read again, the saved sweep restored on it, and the pages a reopened link shows rendered with it; returns how many pages
    /// rendered.</summary>
    private async Task<int> ReopenAsync(byte[] bytes, AnalysisResult result, CancellationToken cancellationToken)
    {
        try
        {
            _ = await store.ExistsAsync(NoOwner, Guid.NewGuid(), cancellationToken).ConfigureAwait(false);
            _ = await store.OpenAsync(NoOwner, Guid.NewGuid(), cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            // Reported where it matters: the start-up log and the user's next save.
        }

        var k = result.Ks[result.Ks.Count / 2];
        var record = new AnalysisRecord
        {
            OwnerId = NoOwner,
            Title = "warm-up.csv",
            FileName = "warm-up.csv",
            SelectedK = k,
            RecipeJson = JsonSerializer.Serialize(result.Recipe, SavedAnalyses.Json),
            ReadOptionsJson = JsonSerializer.Serialize(new ReadOptions(HasHeader: true, Sheet: null, SampleSeed: null), SavedAnalyses.Json),
            SweepJson = SweepSnapshot.Of(result).ToJson(),
            AppVersion = SegmentationModel.LibraryVersion,
        };
        var opened = new OpenedAnalysis(record, bytes);
        var rendered = 0;
        foreach (var page in Pages)
        {
            try
            {
                await RenderAsync(opened, page, cancellationToken).ConfigureAwait(false);
                rendered++;
            }
#pragma warning disable CA1031 // Whatever a page throws outside a circuit, the warm-up is only a head start: it must never stop the server.
            catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogRenderFailed(logger, exception, page);
            }
        }

        return rendered;
    }

    private static readonly string[] Pages = ["segments", "segment", "data", "explore"];

    /// <summary>Renders the app at <c>/{page}</c> with the analysis open, as a circuit would, to HTML that is dropped: the layout's,
    /// the page's and MudBlazor's components are compiled before a user's first page needs them.</summary>
    private async Task RenderAsync(OpenedAnalysis opened, string page, CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            if (scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>() is Microsoft.AspNetCore.Components.Routing.IHostEnvironmentNavigationManager navigation)
            {
                navigation.Initialize("http://warm-up/", "http://warm-up/" + page);
            }

            var state = scope.ServiceProvider.GetRequiredService<DashboardState>();
            await state.ShowAsync(opened, cancellationToken).ConfigureAwait(false);
            var renderer = new Microsoft.AspNetCore.Components.Web.HtmlRenderer(scope.ServiceProvider, loggers);
            await using (renderer.ConfigureAwait(false))
            {
                // The HTML is read on the renderer's dispatcher, so the continuation stays there.
                var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync<Components.Routes>().ConfigureAwait(true)).ToHtmlString()).ConfigureAwait(false);
                LogRendered(logger, page, html.Length);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up could not render /{Page} (the page itself is not affected)")]
    private static partial void LogRenderFailed(ILogger logger, Exception exception, string page);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Warm-up rendered /{Page}: {Characters} characters")]
    private static partial void LogRendered(ILogger logger, string page, int characters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up before listening: a file read and analysed in {Analysis} ms, its charts in {Charts} ms ({Characters} characters of options), reopened and {Rendered} of {Pages} pages rendered in {Reopen} ms")]
    private static partial void LogStarted(ILogger logger, long analysis, long charts, int rendered, int pages, long reopen, int characters);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics warmed up in {Milliseconds} ms more after listening")]
    private static partial void LogWarm(ILogger logger, long milliseconds);
}
