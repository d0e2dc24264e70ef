namespace Segmentation.Analytics;

/// <summary>
/// A server-wide cap on analyses running at once, so a few users cannot take every core. Holds no user data.
/// </summary>
public sealed class AnalysisThrottle : IDisposable
{
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates a throttle allowing <paramref name="maxConcurrent"/> analyses at once.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxConcurrent"/> is less than 1.</exception>
    public AnalysisThrottle(int maxConcurrent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        MaxConcurrent = maxConcurrent;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    /// <summary>The most analyses that run at once.</summary>
    public int MaxConcurrent { get; }

    /// <summary>Analyses running now.</summary>
    public int Running => MaxConcurrent - _slots.CurrentCount;

    /// <summary>Waits for a free slot and runs <paramref name="work"/> on the thread pool, off the caller's thread.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting or working.</exception>
    public Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(token => Task.FromResult(work(token)), cancellationToken);
    }

    /// <summary>Waits for a free slot and runs asynchronous <paramref name="work"/> on the thread pool.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled while waiting or working.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => work(cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();
}
