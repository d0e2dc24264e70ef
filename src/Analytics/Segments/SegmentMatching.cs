namespace Segmentation.Analytics.Segments;

/// <summary>How the segments of one run correspond to those of another run on the same customers.</summary>
public static class SegmentMatching
{
    /// <summary>
    /// Matches the segments of a new solution to those of a previous one by their centroids (Euclidean, in the same preprocessed
    /// space) with the Hungarian algorithm. A pair is kept only when the two segments share at least <paramref name="minimumJaccard"/>
    /// of their customers, so a segment never inherits the identity of a different group of people.
    /// </summary>
    /// <param name="previousCentroids">Row-major k₁ × d.</param>
    /// <param name="nextCentroids">Row-major k₂ × d.</param>
    /// <param name="dimensions">d.</param>
    /// <param name="previousLabels">The previous segment (0-based) of each row.</param>
    /// <param name="nextLabels">The new segment (0-based) of each row, same rows.</param>
    /// <param name="minimumJaccard">Overlap needed to keep a pair.</param>
    /// <returns>For each new segment, the previous segment it continues, or −1.</returns>
    /// <exception cref="ArgumentException">The inputs do not fit together.</exception>
    public static int[] Match(IReadOnlyList<float> previousCentroids, IReadOnlyList<float> nextCentroids, int dimensions, IReadOnlyList<int> previousLabels, IReadOnlyList<int> nextLabels, double minimumJaccard = 0.3)
    {
        ArgumentNullException.ThrowIfNull(previousCentroids);
        ArgumentNullException.ThrowIfNull(nextCentroids);
        ArgumentNullException.ThrowIfNull(previousLabels);
        ArgumentNullException.ThrowIfNull(nextLabels);
        if (dimensions < 1 || previousCentroids.Count % dimensions != 0 || nextCentroids.Count % dimensions != 0 || previousLabels.Count != nextLabels.Count)
        {
            throw new ArgumentException("Centroids must be k × d and the labelings must cover the same rows.", nameof(dimensions));
        }

        var k1 = previousCentroids.Count / dimensions;
        var k2 = nextCentroids.Count / dimensions;
        var cost = new double[k2, k1];
        for (var a = 0; a < k2; a++)
        {
            for (var b = 0; b < k1; b++)
            {
                var sum = 0.0;
                for (var c = 0; c < dimensions; c++)
                {
                    var delta = nextCentroids[(a * dimensions) + c] - previousCentroids[(b * dimensions) + c];
                    sum += delta * delta;
                }

                cost[a, b] = Math.Sqrt(sum);
            }
        }

        var match = Hungarian.Solve(cost);
        var overlap = Transitions(previousLabels, nextLabels, k1, k2);
        for (var a = 0; a < k2; a++)
        {
            if (match[a] >= 0 && overlap.Jaccard[match[a], a] < minimumJaccard)
            {
                match[a] = -1;
            }
        }

        return match;
    }

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
