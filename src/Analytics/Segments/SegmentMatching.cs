namespace Segmentation.Analytics.Segments;

/// <summary>How customers move between two segmentations of the same rows (identities themselves: <see cref="Pipeline.SegmentIdentities"/>).</summary>
public static class SegmentMatching
{
    /// <summary>Customers moving between two segmentations of the same rows: counts[i, j] = in previous segment i and new segment j.</summary>
    public static TransitionTable Transitions(IReadOnlyList<int> previousLabels, IReadOnlyList<int> nextLabels, int previousK, int nextK)
    {
        ArgumentNullException.ThrowIfNull(previousLabels);
        ArgumentNullException.ThrowIfNull(nextLabels);
        var counts = new int[previousK, nextK];
        var rows = new int[previousK];
        var columns = new int[nextK];
        for (var i = 0; i < previousLabels.Count; i++)
        {
            counts[previousLabels[i], nextLabels[i]]++;
            rows[previousLabels[i]]++;
            columns[nextLabels[i]]++;
        }

        var jaccard = new double[previousK, nextK];
        for (var a = 0; a < previousK; a++)
        {
            for (var b = 0; b < nextK; b++)
            {
                var union = rows[a] + columns[b] - counts[a, b];
                jaccard[a, b] = union == 0 ? 0 : counts[a, b] / (double)union;
            }
        }

        return new TransitionTable(counts, rows, jaccard);
    }
}

/// <summary>Customer flows between two segmentations.</summary>
/// <param name="Counts">Customers in previous segment i (rows) and new segment j (columns).</param>
/// <param name="PreviousSizes">Customers per previous segment.</param>
/// <param name="Jaccard">Overlap of previous segment i and new segment j.</param>
public sealed record TransitionTable(int[,] Counts, int[] PreviousSizes, double[,] Jaccard)
{
    /// <summary>The share of previous segment i that went to new segment j.</summary>
    public double Share(int previous, int next) => PreviousSizes[previous] == 0 ? 0 : Counts[previous, next] / (double)PreviousSizes[previous];
}
