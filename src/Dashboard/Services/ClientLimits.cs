using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace Segmentation.Dashboard.Services;

/// <summary>Per-client limits (configuration section <c>RateLimits</c>).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Uploads (and files scored on the Apply page) one client may start per <see cref="WindowMinutes"/>.</summary>
    public int Uploads { get; set; } = 30;

    /// <summary>Analyses (Run) one client may start per <see cref="WindowMinutes"/>: tuning k and features means many runs.</summary>
    public int Analyses { get; set; } = 120;

    /// <summary>The window the two counts above refill over.</summary>
    public int WindowMinutes { get; set; } = 10;

    /// <summary>HTTP requests per minute from one address (pages, files, the hub's negotiation), before 429.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Messages per second one hub connection may send on average (clicks, keys, acknowledgements; upload chunks are
    /// not counted: their size is bounded by the upload limit).</summary>
    public int HubMessagesPerSecond { get; set; } = 60;

    /// <summary>How many hub messages may arrive at once above the average before the connection is closed.</summary>
    public int HubBurst { get; set; } = 600;
}

/// <summary>
/// Per-client budgets for uploads and analyses (System.Threading.RateLimiting token buckets, partitioned by the owner: the browser's
/// cookie or the signed-in user). A refused request gets a message that says when to try again; nothing is queued behind it.
/// </summary>
public sealed class ClientLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _uploads;
    private readonly PartitionedRateLimiter<string> _analyses;
    private readonly RateLimitOptions _options;

    /// <summary>Creates the budgets from <paramref name="options"/>.</summary>
    public ClientLimits(RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var window = TimeSpan.FromMinutes(Math.Max(1, options.WindowMinutes));
        _uploads = Bucket(Math.Max(1, options.Uploads), window);
        _analyses = Bucket(Math.Max(1, options.Analyses), window);
    }

    /// <summary>Takes one upload from <paramref name="client"/>'s budget; returns null when allowed, else the message for the user.</summary>
    public string? TryUpload(string? client) => Take(_uploads, client, _options.Uploads, "LimitUploads");

    /// <summary>Takes one analysis from <paramref name="client"/>'s budget; returns null when allowed, else the message for the user.</summary>
    public string? TryAnalysis(string? client) => Take(_analyses, client, _options.Analyses, "LimitAnalyses");

    private string? Take(PartitionedRateLimiter<string> limiter, string? client, int allowed, string message)
    {
        using var lease = limiter.AttemptAcquire(client ?? "anonymous");
        if (lease.IsAcquired)
        {
            return null;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
        return Resources.Strings.Get(message, allowed, _options.WindowMinutes, Math.Max(1, Math.Ceiling(wait.TotalSeconds)));
    }

    private static PartitionedRateLimiter<string> Bucket(int tokens, TimeSpan window) => PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = Math.Max(1, tokens / 10),
            ReplenishmentPeriod = window / 10,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <inheritdoc />
    public void Dispose()
    {
        _uploads.Dispose();
        _analyses.Dispose();
    }
}

/// <summary>
/// Closes a hub connection that sends messages faster than any person can (a script flooding the server), before its messages
/// cost the other users anything: a token bucket per connection, checked before each hub method runs. The tab may reconnect,
/// and is closed again if it goes on. Upload chunks are not counted.
/// </summary>
public sealed partial class HubFloodFilter(RateLimitOptions options, ILogger<HubFloodFilter> logger) : IHubFilter, IDisposable
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _connections = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        if (invocationContext.HubMethodName is "ReceiveJSDataChunk" or "ReceiveByteArray")
        {
            return next(invocationContext);
        }

        var connection = invocationContext.Context.ConnectionId;
        var bucket = _connections.GetOrAdd(connection, _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.HubBurst),
            TokensPerPeriod = Math.Max(1, options.HubMessagesPerSecond / 10),
            ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
        using var lease = bucket.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            Flooding(logger, connection, options.HubBurst, options.HubMessagesPerSecond);
            invocationContext.Context.Abort();
            return ValueTask.FromResult<object?>(null);
        }

        return next(invocationContext);
    }

    /// <inheritdoc />
    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_connections.TryRemove(context.Context.ConnectionId, out var bucket))
        {
            bucket.Dispose();
        }

        return next(context, exception);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var bucket in _connections.Values)
        {
            bucket.Dispose();
        }

        _connections.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub connection {ConnectionId} closed: more than {Burst} messages at once, above {PerSecond} a second.")]
    private static partial void Flooding(ILogger logger, string connectionId, int burst, int perSecond);
}
