using Segmentation.Analytics.Segments;

namespace Segmentation.Dashboard.State;

/// <summary>A user's own name and recommendation for a segment; null keeps the generated one.</summary>
/// <param name="Name">The name, or null.</param>
/// <param name="Recommendation">The recommendation, or null.</param>
public sealed record SegmentEdit(string? Name, string? Recommendation);

/// <summary>How the segments on screen are labelled: number (and so colour), name and recommendation, in the solution's order.</summary>
/// <param name="Numbers">The number users see for each segment.</param>
/// <param name="Names">The name shown (the user's, or the generated one).</param>
/// <param name="Recommendations">The recommendation shown.</param>
/// <param name="Edited">Whether the user edited the segment.</param>
public sealed record DisplayedSegments(IReadOnlyList<int> Numbers, IReadOnlyList<string> Names, IReadOnlyList<string> Recommendations, IReadOnlyList<bool> Edited)
{
    /// <summary>The solution index (0-based) of the segment numbered <paramref name="number"/>, or −1.</summary>
    public int IndexOf(int number)
    {
        for (var i = 0; i < Numbers.Count; i++)
        {
            if (Numbers[i] == number)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// Keeps segment identities stable while the user changes k or re-runs: each newly shown segment is matched to the segments on
/// screen before (Hungarian algorithm on centroids within one analysis; on shared customers across analyses with other settings,
/// whose centroids live in different spaces) and keeps their number, colour and edits. Edited segments that leave the screen are
/// remembered and revived when a later segmentation brings back the same customers.
/// </summary>
public sealed class SegmentIdentities
{
    private const double MinimumOverlap = 0.3;

    private readonly Dictionary<int, SegmentEdit> _edits = [];
    private readonly List<(KView View, int Index, int Number)> _retired = [];
    private (SegmentationRun Run, KView View, int[] Numbers)? _current;

    /// <summary>Forgets everything (new data).</summary>
    public void Clear()
    {
        _edits.Clear();
        _retired.Clear();
        _current = null;
    }

    /// <summary>Shows <paramref name="view"/> of <paramref name="run"/>: assigns its numbers by matching it to what was shown before.</summary>
    public void Show(SegmentationRun run, KView view)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(view);
        if (_current is { } same && ReferenceEquals(same.View, view))
        {
            return;
        }

        var k = view.Assignment.K;
        var numbers = new int[k];
        Array.Fill(numbers, 0);
        if (_current is { } current)
        {
            var match = ReferenceEquals(current.Run, run)
                ? SegmentMatching.Match(current.View.Solution.Centroids, view.Solution.Centroids, run.Preprocessed.Matrix.Columns, current.View.Solution.Labels, view.Solution.Labels, MinimumOverlap)
                : MatchByCustomers(current.View, view);
            for (var s = 0; s < k; s++)
            {
                if (match[s] >= 0)
                {
                    numbers[s] = current.Numbers[match[s]];
                }
            }

            // Edited segments that are no longer shown are remembered, so their edits come back with their customers.
            for (var old = 0; old < current.Numbers.Length; old++)
            {
                if (!match.Contains(old) && _edits.ContainsKey(current.Numbers[old]))
                {
                    _retired.Add((current.View, old, current.Numbers[old]));
                }
            }
        }

        for (var s = 0; s < k; s++)
        {
            if (numbers[s] != 0)
            {
                continue;
            }

            var revived = _retired
                .Select(r => (r.Number, Overlap: Jaccard(r.View, r.Index, view, s)))
                .Where(r => r.Overlap >= 0.5 && !numbers.Contains(r.Number))
                .OrderByDescending(r => r.Overlap)
                .FirstOrDefault();
            if (revived.Number != 0)
            {
                numbers[s] = revived.Number;
            }
        }

        _retired.RemoveAll(r => numbers.Contains(r.Number));
        var reserved = new HashSet<int>(numbers.Where(n => n != 0).Concat(_retired.Select(r => r.Number)));
        for (var s = 0; s < k; s++)
        {
            if (numbers[s] == 0)
            {
                var next = 1;
                while (reserved.Contains(next))
                {
                    next++;
                }

                numbers[s] = next;
                reserved.Add(next);
            }
        }

        _current = (run, view, numbers);
    }

    /// <summary>The labels of the segments shown now.</summary>
    public DisplayedSegments Displayed(KView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var numbers = _current is { } current && ReferenceEquals(current.View, view) ? current.Numbers : Enumerable.Range(1, view.Assignment.K).ToArray();
        var edits = numbers.Select(n => _edits.GetValueOrDefault(n)).ToArray();
        return new DisplayedSegments(
            numbers,
            numbers.Select((_, i) => edits[i]?.Name ?? view.Insights[i].Name).ToArray(),
            numbers.Select((_, i) => edits[i]?.Recommendation ?? view.Insights[i].Recommendation).ToArray(),
            edits.Select(e => e is not null).ToArray());
    }

    /// <summary>Sets the user's name and recommendation for segment <paramref name="number"/>; blank values restore the generated ones.</summary>
    public void Edit(int number, string? name, string? recommendation)
    {
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        recommendation = string.IsNullOrWhiteSpace(recommendation) ? null : recommendation.Trim();
        if (name is null && recommendation is null)
        {
            _edits.Remove(number);
        }
        else
        {
            _edits[number] = new SegmentEdit(name, recommendation);
        }
    }

    private static int[] MatchByCustomers(KView previous, KView next)
    {
        var k1 = previous.Assignment.K;
        var k2 = next.Assignment.K;
        var cost = new double[k2, k1];
        for (var a = 0; a < k2; a++)
        {
            for (var b = 0; b < k1; b++)
            {
                cost[a, b] = -Jaccard(previous, b, next, a);
            }
        }

        var match = Hungarian.Solve(cost);
        for (var a = 0; a < k2; a++)
        {
            if (match[a] >= 0 && -cost[a, match[a]] < MinimumOverlap)
            {
                match[a] = -1;
            }
        }

        return match;
    }

    /// <summary>Jaccard overlap of segment <paramref name="a"/> of one view and segment <paramref name="b"/> of another, over dataset rows.</summary>
    private static double Jaccard(KView first, int a, KView second, int b)
    {
        int both = 0, either = 0;
        var rows = Math.Min(first.Assignment.Rows, second.Assignment.Rows);
        for (var row = 0; row < rows; row++)
        {
            var inFirst = first.Assignment.IndexOf(row) == a + 1;
            var inSecond = second.Assignment.IndexOf(row) == b + 1;
            if (inFirst || inSecond)
            {
                either++;
                if (inFirst && inSecond)
                {
                    both++;
                }
            }
        }

        return either == 0 ? 0 : both / (double)either;
    }
}
