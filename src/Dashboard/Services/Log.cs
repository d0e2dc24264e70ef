namespace Segmentation.Dashboard.Services;

/// <summary>The dashboard's log messages (source-generated).</summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Error, Message = "The analysis store could not be opened or upgraded ({Provider}).")]
    internal static partial void StoreUnavailable(ILogger logger, Exception exception, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} analyses not opened for {Days} days.")]
    internal static partial void Expired(ILogger logger, int count, int days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention could not run.")]
    internal static partial void RetentionFailed(ILogger logger, Exception exception);
}
