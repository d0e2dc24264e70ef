using System.Collections.Concurrent;

namespace Segmentation.Analytics.Ingest;

/// <summary>
/// Arrays of an exact length, reused: the blocks of a large source (row groups of one size) need columns whose length is the row
/// count, which the shared <see cref="System.Buffers.ArrayPool{T}"/> gives only for powers of two. Reusing them keeps the large-object
/// heap from growing and the runtime from running a full collection for every few blocks. At most <see cref="MaxArrays"/> are kept.
/// </summary>
internal static class ExactPool<T>
{
    /// <summary>Arrays kept across all lengths.</summary>
    public const int MaxArrays = 96;

    private static readonly ConcurrentDictionary<int, ConcurrentBag<T[]>> Free = new();
    private static int _kept;

    /// <summary>An array of exactly <paramref name="length"/> elements (its contents are not cleared).</summary>
    public static T[] Rent(int length)
    {
        if (Free.TryGetValue(length, out var bag) && bag.TryTake(out var array))
        {
            Interlocked.Decrement(ref _kept);
            return array;
        }

        return new T[length];
    }

    /// <summary>Gives an array back for reuse; the caller must not use it afterwards.</summary>
    public static void Return(T[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (Interlocked.Increment(ref _kept) > MaxArrays)
        {
            Interlocked.Decrement(ref _kept);
            return;
        }

        Free.GetOrAdd(array.Length, _ => []).Add(array);
    }
}
