using System.Collections.Concurrent;

namespace Segmentation.Analytics.Tests;

public sealed class FairSchedulerTests
{
    /// <summary>Records what a waiting job was told, synchronously (no context to post to).</summary>
    private sealed class Places : IProgress<QueuePosition>
    {
        public ConcurrentQueue<QueuePosition> Seen { get; } = new();

        public void Report(QueuePosition value) => Seen.Enqueue(value);

        public QueuePosition Last => Seen.Last();
    }

    private static Func<CancellationToken, Task<int>> Job(int id, TaskCompletionSource gate, ConcurrentQueue<int> started) => async token =>
    {
        started.Enqueue(id);
        await gate.Task.WaitAsync(token);
        return id;
    };

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    [Fact]
    public async Task Jobs_start_first_come_first_served_and_each_waiting_one_knows_how_many_are_ahead()
    {
        using var queue = new FairScheduler(1, TimeSpan.FromSeconds(2));
        var started = new ConcurrentQueue<int>();
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var places = Enumerable.Range(0, 4).Select(_ => new Places()).ToArray();
        var jobs = new List<Task<int>>();
        for (var i = 0; i < 4; i++)
        {
            jobs.Add(queue.RunAsync(Job(i, gates[i], started), CancellationToken.None, owner: $"user{i}", position: places[i]));
        }

        await UntilAsync(() => started.Count == 1);
        Assert.Empty(places[0].Seen);
        Assert.Equal(new QueuePosition(0, 1, TimeSpan.FromSeconds(2)), places[1].Last);
        Assert.Equal(new QueuePosition(1, 1, TimeSpan.FromSeconds(4)), places[2].Last);
        Assert.Equal(new QueuePosition(2, 1, TimeSpan.FromSeconds(6)), places[3].Last);
        Assert.Equal(3, queue.Waiting);

        for (var i = 0; i < 4; i++)
        {
            gates[i].SetResult();
            Assert.Equal(i, await jobs[i]);
            if (i < 3)
            {
                await UntilAsync(() => started.Count == i + 2);
            }
        }

        Assert.Equal([0, 1, 2, 3], started.ToArray());
        Assert.Equal(0, places[3].Last.Ahead);
        Assert.Equal(0, queue.Running);
    }

    [Fact]
    public async Task An_owner_runs_one_job_at_a_time_while_other_owners_pass_and_the_cap_holds()
    {
        using var queue = new FairScheduler(2);
        var started = new ConcurrentQueue<int>();
        var gates = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var a1 = queue.RunAsync(Job(0, gates[0], started), CancellationToken.None, owner: "a");
        var a2 = queue.RunAsync(Job(1, gates[1], started), CancellationToken.None, owner: "a");
        var b1 = queue.RunAsync(Job(2, gates[2], started), CancellationToken.None, owner: "b");
        var c1 = queue.RunAsync(Job(3, gates[3], started), CancellationToken.None, owner: "c");

        // a's second job waits for its first; b's passes it; c's waits for a free slot (2 at once).
        await UntilAsync(() => started.Count == 2);
        Assert.Equal([0, 2], started.ToArray());
        Assert.Equal(2, queue.Running);

        gates[0].SetResult();
        await a1;
        await UntilAsync(() => started.Count == 3);
        Assert.Equal(1, started.ToArray()[2]);
        Assert.Equal(2, queue.Running);

        gates[1].SetResult();
        gates[2].SetResult();
        gates[3].SetResult();
        await Task.WhenAll(a2, b1, c1);
        Assert.Equal([0, 2, 1, 3], started.ToArray());
    }

    [Fact]
    public async Task Cancelling_while_waiting_leaves_the_line_at_once_and_those_behind_move_up()
    {
        using var queue = new FairScheduler(1);
        var started = new ConcurrentQueue<int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = queue.RunAsync(Job(0, gate, started), CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var leaving = queue.RunAsync(Job(1, gate, started), cancel.Token);
        var behind = new Places();
        var last = queue.RunAsync(Job(2, gate, started), CancellationToken.None, position: behind);
        await UntilAsync(() => queue.Waiting == 2);
        Assert.Equal(1, behind.Last.Ahead);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        Assert.Equal(1, queue.Waiting);
        Assert.Equal(0, behind.Last.Ahead);

        gate.SetResult();
        await Task.WhenAll(running, last);
        Assert.Equal([0, 2], started.ToArray());
    }
}
