namespace Segmentation.Analytics;

/// <summary>Where a queued piece of work stands: how many are ahead of it and about how long until it starts.</summary>
/// <param name="Ahead">Jobs waiting ahead of this one (0: it starts as soon as a running job ends).</param>
/// <param name="Running">Jobs running now.</param>
/// <param name="Estimate">About how long until it starts, from the recent jobs' durations.</param>
public readonly record struct QueuePosition(int Ahead, int Running, TimeSpan Estimate);

/// <summary>
/// A server-wide, first-come-first-served queue with a cap on jobs running at once, so that a few users cannot take every core and
/// everyone else still learns where they stand. Jobs of one owner (a browser, a signed-in user) run one at a time; a waiting job of
/// an owner who has one running lets later jobs of other owners pass, and keeps its place otherwise. Holds no user data.
/// </summary>
public class FairScheduler : IDisposable
{
    private readonly object _gate = new();
    private readonly LinkedList<Ticket> _waiting = new();
    private readonly Dictionary<string, int> _runningByOwner = new(StringComparer.Ordinal);
    private double _typicalSeconds;
    private int _running;

    /// <summary>Creates a queue running at most <paramref name="maxConcurrent"/> jobs at once.</summary>
    /// <param name="maxConcurrent">Jobs running at once, at least 1.</param>
    /// <param name="typicalDuration">The duration assumed for the first estimates, before any job has finished.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrent"/> is less than 1.</exception>
    public FairScheduler(int maxConcurrent, TimeSpan? typicalDuration = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        MaxConcurrent = maxConcurrent;
        _typicalSeconds = (typicalDuration ?? TimeSpan.FromSeconds(1)).TotalSeconds;
    }

    /// <summary>The most jobs that run at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>Jobs running now.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Jobs waiting now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>A recent job's duration (an exponential average of finished jobs).</summary>
    public TimeSpan TypicalDuration
    {
        get
        {
            lock (_gate)
            {
                return TimeSpan.FromSeconds(_typicalSeconds);
            }
        }
    }

    /// <summary>Raised when a job starts, ends or gives up waiting (for metrics); the argument is the queue length.</summary>
    public event Action<int>? Changed;

    /// <summary>Waits for a free slot and runs <paramref name="work"/> on the thread pool, off the caller's thread.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting or working.</exception>
    public Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken, string? owner = null, IProgress<QueuePosition>? position = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(token => Task.FromResult(work(token)), cancellationToken, owner, position);
    }

    /// <summary>
    /// Waits in line for a free slot (reporting its place to <paramref name="position"/> whenever it changes) and runs asynchronous
    /// <paramref name="work"/> on the thread pool. Cancelling while waiting leaves the line at once.
    /// </summary>
    /// <param name="work">The job.</param>
    /// <param name="cancellationToken">Cancels waiting and the job.</param>
    /// <param name="owner">Whose job it is: one job per owner runs at a time. Null: no such limit.</param>
    /// <param name="position">Told where the job stands while it waits; not called when it starts at once.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting or working.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken, string? owner = null, IProgress<QueuePosition>? position = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        var ticket = new Ticket(owner, position);
        List<(Ticket, QueuePosition)> updates;
        lock (_gate)
        {
            _waiting.AddLast(ticket.Node);
            updates = DispatchLocked();
        }

        Notify(updates);
        using (cancellationToken.Register(() => Leave(ticket)))
        {
            await ticket.Started.Task.ConfigureAwait(false);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            return await Task.Run(() => work(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Finish(ticket, clock.Elapsed);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases nothing: the queue holds no unmanaged state; subclasses may.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    private void Leave(Ticket ticket)
    {
        List<(Ticket, QueuePosition)> updates;
        lock (_gate)
        {
            if (ticket.Node.List is null)
            {
                return;
            }

            _waiting.Remove(ticket.Node);
            updates = DispatchLocked();
        }

        ticket.Started.TrySetCanceled();
        Notify(updates);
    }

    private void Finish(Ticket ticket, TimeSpan took)
    {
        List<(Ticket, QueuePosition)> updates;
        lock (_gate)
        {
            _running--;
            if (ticket.Owner is { } owner && --_runningByOwner[owner] == 0)
            {
                _runningByOwner.Remove(owner);
            }

            // Cancelled jobs say little about how long a job takes.
            if (took > TimeSpan.FromMilliseconds(50))
            {
                _typicalSeconds = (0.7 * _typicalSeconds) + (0.3 * took.TotalSeconds);
            }

            updates = DispatchLocked();
        }

        Notify(updates);
    }

    /// <summary>Starts waiting jobs in order while slots are free (skipping, for now, an owner's second job), then works out where
    /// each still-waiting job stands. Runs under the lock; the callers report outside it.</summary>
    private List<(Ticket, QueuePosition)> DispatchLocked()
    {
        for (var node = _waiting.First; node is not null && _running < MaxConcurrent;)
        {
            var next = node.Next;
            var ticket = node.Value;
            if (ticket.Owner is null || !_runningByOwner.ContainsKey(ticket.Owner))
            {
                _waiting.Remove(node);
                _running++;
                if (ticket.Owner is { } owner)
                {
                    _runningByOwner[owner] = _runningByOwner.GetValueOrDefault(owner) + 1;
                }

                ticket.Started.TrySetResult();
            }

            node = next;
        }

        var updates = new List<(Ticket, QueuePosition)>(_waiting.Count);
        var ahead = 0;
        foreach (var ticket in _waiting)
        {
            // Each round of MaxConcurrent jobs takes about one typical duration; the first round is what runs now.
            var rounds = (ahead / MaxConcurrent) + 1;
            var place = new QueuePosition(ahead, _running, TimeSpan.FromSeconds(rounds * _typicalSeconds));
            if (ticket.Last != place)
            {
                ticket.Last = place;
                updates.Add((ticket, place));
            }

            ahead++;
        }

        return updates;
    }

    private void Notify(List<(Ticket Ticket, QueuePosition Position)> updates)
    {
        foreach (var (ticket, place) in updates)
        {
            ticket.Position?.Report(place);
        }

        Changed?.Invoke(Waiting);
    }

    private sealed class Ticket
    {
        public Ticket(string? owner, IProgress<QueuePosition>? position)
        {
            Owner = owner;
            Position = position;
            Node = new LinkedListNode<Ticket>(this);
        }

        public string? Owner { get; }

        public IProgress<QueuePosition>? Position { get; }

        public LinkedListNode<Ticket> Node { get; }

        public QueuePosition? Last { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The queue for analyses (sweeps, reopening saved analyses, scoring): each uses every core, so few run at once.</summary>
public sealed class AnalysisThrottle(int maxConcurrent) : FairScheduler(maxConcurrent);

/// <summary>The queue for reading uploads and sources, bounded apart from analyses so that a user's upload never waits behind
/// other users' analyses.</summary>
public sealed class IngestThrottle(int maxConcurrent) : FairScheduler(maxConcurrent);
