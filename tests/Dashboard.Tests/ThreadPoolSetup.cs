using System.Runtime.CompilerServices;

namespace Segmentation.Dashboard.Tests;

/// <summary>
/// On CI these tests run in parallel with the analytics tests on 2 cores; tests that wait synchronously for a render hold thread-pool
/// threads, and the renderer's dispatcher then waited for the pool to grow (one bunit wait timed out before its check ever ran).
/// Starting with more threads removes that wait.
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void RaiseMinimumThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 4), completion);
    }
}
