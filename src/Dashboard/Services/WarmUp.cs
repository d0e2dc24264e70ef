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
public sealed partial class WarmUp(ILogger<WarmUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(
        () =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var result = SegmentationPipeline.Run(CreditCardSample.Generate(2_000, seed: 1), new SegmentationRecipe { KMin = 2, KMax = 4, StabilityResamples = 2 }, cancellationToken: stoppingToken);
                result.PrecomputeAll(stoppingToken);
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
