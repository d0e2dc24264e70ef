using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Pipeline;

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

/// <summary>Segment identities and edits in a form that can be saved: anchors as (number, k, segment index) within one analysis.</summary>
/// <param name="Anchors">Each number with the k and 0-based segment index whose customers it was first given to.</param>
/// <param name="Edits">The user's names and recommendations by number.</param>
/// <param name="K">The k shown, or null.</param>
/// <param name="Numbers">The numbers shown at that k, by segment index.</param>
public sealed record IdentitySnapshot(IReadOnlyList<IdentityAnchor> Anchors, IReadOnlyDictionary<int, SegmentEdit> Edits, int? K, IReadOnlyList<int>? Numbers);

/// <summary>A number and the segment it was first given to.</summary>
/// <param name="Number">The number.</param>
/// <param name="K">The k of that segmentation.</param>
/// <param name="Index">The segment's 0-based index there.</param>
public sealed record IdentityAnchor(int Number, int K, int Index);

/// <summary>
/// Keeps segment identities stable while the user changes k or re-runs: a number (and so a colour and the user's edits) belongs to
/// the customers it was first given to, its anchor. Each newly shown segment takes the number whose anchor shares the most customers
/// with it (Hungarian algorithm over all numbers given so far, maximising the Jaccard overlap), provided they share at least 30%;
/// otherwise it gets a new number. So a number follows its customers across k, seeds and settings, comes back with them after a
/// detour (k = 4 → 2 → 5 → 4 shows the same four numbers), and is never given to a different group of customers: merges and splits
/// cannot walk it over to another group step by step.
/// </summary>
public sealed class SegmentIdentities
{
    private const double MinimumOverlap = 0.3;

    private readonly Dictionary<int, SegmentEdit> _edits = [];
    private readonly SortedDictionary<int, (KSegmentation View, int Index)> _anchors = [];
    private (KSegmentation View, int[] Numbers)? _current;

    /// <summary>Forgets everything (new data).</summary>
    public void Clear()
    {
        _edits.Clear();
        _anchors.Clear();
        _current = null;
    }

    /// <summary>Shows <paramref name="view"/> (of any analysis of the same data): gives each of its segments the number of the customers it continues.</summary>
    public void Show(KSegmentation view)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (_current is { } same && ReferenceEquals(same.View, view))
        {
            return;
        }

        var k = view.Assignment.K;
        var numbers = new int[k];
        var candidates = _anchors.Keys.ToArray();
        if (candidates.Length > 0)
        {
            var overlap = OverlapWithAnchors(view, candidates);
            var cost = new double[k, candidates.Length];
            for (var s = 0; s < k; s++)
            {
                for (var c = 0; c < candidates.Length; c++)
                {
                    cost[s, c] = -overlap[s, c];
                }
            }

            var match = Hungarian.Solve(cost);
            for (var s = 0; s < k; s++)
            {
                if (match[s] >= 0 && overlap[s, match[s]] >= MinimumOverlap)
                {
                    numbers[s] = candidates[match[s]];
                }
            }
        }

        for (var s = 0; s < k; s++)
        {
            if (numbers[s] == 0)
            {
                var next = 1;
                while (_anchors.ContainsKey(next))
                {
                    next++;
                }

                numbers[s] = next;
                _anchors[next] = (view, s);
            }
        }

        _current = (view, numbers);
    }

    /// <summary>The labels of the segments shown now.</summary>
    public DisplayedSegments Displayed(KSegmentation view)
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

    /// <summary>The identities and edits, with the anchors that belong to <paramref name="analysis"/> (anchors from earlier analyses
    /// of other settings cannot be rebuilt from it and are left out).</summary>
    public IdentitySnapshot Export(AnalysisResult analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var anchors = _anchors
            .Where(a => analysis.Has(a.Value.View.K) && ReferenceEquals(analysis.For(a.Value.View.K), a.Value.View))
            .Select(a => new IdentityAnchor(a.Key, a.Value.View.K, a.Value.Index))
            .ToArray();
        var current = _current is { } c && analysis.Has(c.View.K) && ReferenceEquals(analysis.For(c.View.K), c.View) ? c : ((KSegmentation View, int[] Numbers)?)null;
        return new IdentitySnapshot(anchors, new Dictionary<int, SegmentEdit>(_edits), current?.View.K, current?.Numbers);
    }

    /// <summary>Restores what <see cref="Export"/> saved, on the same analysis recomputed (the recipe makes it identical).</summary>
    public void Import(IdentitySnapshot snapshot, AnalysisResult analysis)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(analysis);
        Clear();
        foreach (var anchor in snapshot.Anchors.Where(a => analysis.Has(a.K) && a.Index >= 0 && a.Index < a.K))
        {
            _anchors[anchor.Number] = (analysis.For(anchor.K), anchor.Index);
        }

        foreach (var (number, edit) in snapshot.Edits)
        {
            _edits[number] = edit;
        }

        if (snapshot.K is { } k && snapshot.Numbers is { } numbers && analysis.Has(k) && numbers.Count == k)
        {
            _current = (analysis.For(k), numbers.ToArray());
        }
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

    /// <summary>Jaccard overlap of each segment of <paramref name="view"/> with each candidate number's anchor, over dataset rows:
    /// one pass over the rows per distinct anchor view.</summary>
    private double[,] OverlapWithAnchors(KSegmentation view, int[] candidates)
    {
        var k = view.Assignment.K;
        var result = new double[k, candidates.Length];
        foreach (var group in candidates.Select((number, c) => (number, c)).GroupBy(x => _anchors[x.number].View))
        {
            var anchorView = group.Key;
            var ka = anchorView.Assignment.K;
            var both = new int[k + 1, ka + 1];
            var rows = Math.Min(anchorView.Assignment.Rows, view.Assignment.Rows);
            for (var row = 0; row < rows; row++)
            {
                both[view.Assignment.IndexOf(row), anchorView.Assignment.IndexOf(row)]++;
            }

            var newSizes = new int[k + 1];
            var anchorSizes = new int[ka + 1];
            for (var a = 0; a <= k; a++)
            {
                for (var b = 0; b <= ka; b++)
                {
                    newSizes[a] += both[a, b];
                    anchorSizes[b] += both[a, b];
                }
            }

            foreach (var (number, c) in group)
            {
                var anchor = _anchors[number].Index + 1;
                for (var s = 0; s < k; s++)
                {
                    var union = newSizes[s + 1] + anchorSizes[anchor] - both[s + 1, anchor];
                    result[s, c] = union == 0 ? 0 : both[s + 1, anchor] / (double)union;
                }
            }
        }

        return result;
    }
}
