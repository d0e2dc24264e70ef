using Segmentation.Storage;

namespace Segmentation.Dashboard.Services;

/// <summary>Deletes analyses not opened for <c>Storage:RetentionDays</c> (default 90): at start-up and every six hours.</summary>
public sealed class Retention(AnalysisStore store, ILogger<Retention> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(6));
        do
        {
            try
            {
                var deleted = await store.DeleteExpiredAsync(stoppingToken).ConfigureAwait(false);
                if (deleted > 0)
                {
                    Log.Expired(logger, deleted, store.Options.RetentionDays);
                }
            }
            catch (StoreUnavailableException exception)
            {
                Log.RetentionFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
