using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Segmentation.Analytics;
using Segmentation.Storage;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// The dashboard's metrics (System.Diagnostics.Metrics, meter <c>Segmentation.Dashboard</c>; exported with OpenTelemetry at
/// <c>/metrics</c> in Prometheus' text format). Counts and durations only: no customer data, no file names, no ids.
/// </summary>
public sealed class DashboardMetrics : IDisposable
{
    /// <summary>The meter's name (for OpenTelemetry's AddMeter).</summary>
    public const string MeterName = "Segmentation.Dashboard";

    private readonly Meter _meter;
    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _cancelled;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _uploadBytes;
    private readonly UpDownCounter<long> _circuits;
    private bool _anyCircuit;

    /// <summary>Creates the instruments; the queue lengths are read from the queues when exported.</summary>
    public DashboardMetrics(IMeterFactory meters, AnalysisThrottle analyses, IngestThrottle reads)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(analyses);
        ArgumentNullException.ThrowIfNull(reads);
        _meter = meters.Create(MeterName);
        _started = _meter.CreateCounter<long>("segments.analyses.started", "{analysis}", "Analyses started (Run pressed), including those that waited.");
        _finished = _meter.CreateCounter<long>("segments.analyses.finished", "{analysis}", "Analyses that finished with results.");
        _cancelled = _meter.CreateCounter<long>("segments.analyses.cancelled", "{analysis}", "Analyses cancelled by the user, new settings or a closed tab.");
        _failed = _meter.CreateCounter<long>("segments.analyses.failed", "{analysis}", "Analyses refused for their input (the user was told why).");
        _duration = _meter.CreateHistogram<double>("segments.analysis.duration", "s", "From Run to results, waiting in the queue included.");
        _uploadBytes = _meter.CreateCounter<long>("segments.upload.bytes", "By", "Bytes of uploaded files received.");
        _circuits = _meter.CreateUpDownCounter<long>("segments.circuits.active", "{circuit}", "Browser tabs connected now.");
        _meter.CreateObservableGauge("segments.analyses.queued", () => analyses.Waiting, "{analysis}", "Analyses waiting for a free slot.");
        _meter.CreateObservableGauge("segments.analyses.running", () => analyses.Running, "{analysis}", "Analyses running now.");
        _meter.CreateObservableGauge("segments.reads.queued", () => reads.Waiting, "{read}", "Uploads and sources waiting to be read.");
    }

    /// <summary>An analysis was asked for.</summary>
    public void AnalysisStarted() => _started.Add(1);

    /// <summary>An analysis ended: <paramref name="outcome"/> is finished, cancelled or failed.</summary>
    public void AnalysisEnded(string outcome, TimeSpan took)
    {
        (outcome switch { "finished" => _finished, "cancelled" => _cancelled, _ => _failed }).Add(1);
        _duration.Record(took.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));
    }

    /// <summary>An upload of <paramref name="bytes"/> arrived.</summary>
    public void Uploaded(long bytes) => _uploadBytes.Add(bytes);

    /// <summary>Whether a browser tab has connected since the server started (the start-up warm-up stops early once one has).</summary>
    public bool AnyCircuitOpened => Volatile.Read(ref _anyCircuit);

    internal void CircuitOpened()
    {
        Volatile.Write(ref _anyCircuit, true);
        _circuits.Add(1);
    }

    internal void CircuitClosed() => _circuits.Add(-1);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

/// <summary>
/// Gives memory back to the operating system after users leave. A closed tab drops its dataset and analysis (megabytes each), but
/// the garbage collector keeps the freed heap for reuse and only returns it when a collection asks it to, which an idle server
/// never does. So, a few seconds after circuits close (and at most once every 30 s), one full, compacting collection runs in the
/// aggressive mode that decommits free memory. It pauses the other circuits for tens of milliseconds, rarely.
/// </summary>
public sealed class MemoryReclaimer : IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinimumGap = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private DateTime _last = DateTime.MinValue;
    private bool _scheduled;

    /// <summary>Creates the reclaimer (idle until a circuit closes).</summary>
    public MemoryReclaimer() => _timer = new Timer(_ => Collect(), null, Timeout.Infinite, Timeout.Infinite);

    /// <summary>How many collections it has run (for tests and logs).</summary>
    public int Collections { get; private set; }

    /// <summary>A circuit closed: a collection is due soon.</summary>
    public void CircuitClosed()
    {
        lock (_gate)
        {
            if (_scheduled)
            {
                return;
            }

            _scheduled = true;
            var wait = _last + MinimumGap - DateTime.UtcNow;
            _timer.Change(wait > Delay ? wait : Delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Collect()
    {
        lock (_gate)
        {
            _scheduled = false;
            _last = DateTime.UtcNow;
        }

        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Collections++;
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}

/// <summary>Counts connected tabs for <see cref="DashboardMetrics"/> and tells the <see cref="MemoryReclaimer"/> when one closes.</summary>
public sealed class CircuitMetrics(DashboardMetrics metrics, MemoryReclaimer reclaimer) : CircuitHandler
{
    /// <inheritdoc />
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        reclaimer.CircuitClosed();
        return Task.CompletedTask;
    }
}

/// <summary>Readiness: the store answers and its schema is current. (Liveness checks nothing: the process answers.)</summary>
public sealed class StoreHealthCheck(AnalysisStore store) : IHealthCheck
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string Ready = "ready";

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = await store.CheckAsync(cancellationToken).ConfigureAwait(false);
        return problem is null
            ? HealthCheckResult.Healthy($"The {store.Options.Provider} store answers.")
            : HealthCheckResult.Unhealthy(problem);
    }
}
