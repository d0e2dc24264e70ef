using System.Diagnostics;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.SampleData;
using Segmentation.Dashboard.Components.Charts;
using Segmentation.Reporting.Charts;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Runs one small analysis of generated data when the server starts and builds every Segment-page chart for it, so that the first
/// user's Run does not pay for compiling the pipeline and the chart code (about 1 s of JIT on a 2-core machine). Holds no user data;
/// its result is dropped.
/// </summary>
public sealed partial class WarmUp(ILogger<WarmUp> logger, DashboardMetrics metrics) : BackgroundService
{
    private const int WarmRuns = 3;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                // The default k range, three times: the kernel's and the measures' methods are called often enough to be recompiled
                // optimised (tiered compilation) before the first user's Run, not during it. Once a tab has connected (a reopened
                // analysis right after a restart), the repeats stop, so they never take the cores from a user.
                var sample = CreditCardSample.Generate(2_000, seed: 1);
                AnalysisResult result = null!;
                for (var run = 0; run < WarmRuns && (run == 0 || !metrics.AnyCircuitOpened); run++)
                {
                    result = SegmentationPipeline.Run(sample, new SegmentationRecipe { StabilityResamples = 2 }, cancellationToken: stoppingToken);
                    result.PrecomputeAll(stoppingToken);
                }

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

                LogWarm(logger, clock.ElapsedMilliseconds, json);
            }
            catch (OperationCanceledException)
            {
                // The server is stopping.
            }
        },
        stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics and charts warmed up in {Milliseconds} ms ({Characters} characters of chart options)")]
    private static partial void LogWarm(ILogger logger, long milliseconds, int characters);
}
