using System.Diagnostics;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.SampleData;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Runs one small analysis of generated data when the server starts, so that the first user's Run does not pay for compiling the
/// pipeline (about 1 s of JIT on a 2-core machine). Holds no user data; its result is dropped.
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
                LogWarm(logger, clock.ElapsedMilliseconds);
            }
            catch (OperationCanceledException)
            {
                // The server is stopping.
            }
        },
        stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics warmed up in {Milliseconds} ms")]
    private static partial void LogWarm(ILogger logger, long milliseconds);
}
