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

    // Analysis logs carry the analysis id (or the tab's key before the first save), sizes and times: never rows, names or values.
    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis {AnalysisId}: {Rows} rows, {Features} features, recommended k {K}, {ElapsedMs} ms from Run (queue included).")]
    internal static partial void AnalysisFinished(ILogger logger, string analysisId, int rows, int features, int k, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis {AnalysisId}: refused for its input after {ElapsedMs} ms (the user was told why).")]
    internal static partial void AnalysisRefused(ILogger logger, string analysisId, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Analysis {AnalysisId}: reopened ({Rows} rows, k {K}) in {ElapsedMs} ms: {StoreMs} ms reading the store, {LoadMs} ms restoring it (queue included).")]
    internal static partial void AnalysisReopened(ILogger logger, string analysisId, int rows, int k, long elapsedMs, long storeMs, long loadMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysis {AnalysisId}: saving failed ({Reason}).")]
    internal static partial void SaveFailed(ILogger logger, string analysisId, string reason);
}
