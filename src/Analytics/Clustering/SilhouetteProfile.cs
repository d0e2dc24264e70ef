namespace Segmentation.Analytics.Clustering;

/// <summary>One point of a silhouette profile: the row at <paramref name="Rank"/> (0 = best fit) and its silhouette.</summary>
public readonly record struct SilhouettePoint(int Rank, float Value);

/// <summary>
/// One segment of a silhouette plot: its rows' silhouettes sorted from best to worst fit, reduced to evenly spaced ranks,
/// with the figures a reader needs beside it.
/// </summary>
/// <param name="Segment">0-based segment index.</param>
/// <param name="Count">Rows of the segment that have a silhouette (all of them, or those in the silhouette sample).</param>
/// <param name="Mean">Mean silhouette of those rows; NaN when there are none.</param>
/// <param name="ShareBelowZero">Share of those rows with a negative silhouette: closer on average to another segment.</param>
/// <param name="Points">Sorted silhouettes at evenly spaced ranks; always includes the best (rank 0) and the worst (rank Count − 1).</param>
public sealed record SilhouetteProfile(int Segment, int Count, double Mean, double ShareBelowZero, IReadOnlyList<SilhouettePoint> Points)
{
    /// <summary>
    /// The profile of every segment. Rows whose silhouette is NaN (outside the sample) are left out.
    /// </summary>
    /// <param name="labels">0-based segment of each row.</param>
    /// <param name="silhouettes">Silhouette of each row, NaN when not computed.</param>
    /// <param name="k">Number of segments.</param>
    /// <param name="maxPoints">Most points kept per segment (at least 2); a segment with fewer rows keeps every row.</param>
    /// <exception cref="ArgumentException">The two lists differ in length, or a label is outside 0..k−1.</exception>
    public static IReadOnlyList<SilhouetteProfile> Of(IReadOnlyList<int> labels, IReadOnlyList<float> silhouettes, int k, int maxPoints = 200)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(silhouettes);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (labels.Count != silhouettes.Count)
        {
            throw new ArgumentException($"{labels.Count} labels but {silhouettes.Count} silhouettes.", nameof(silhouettes));
        }

        var values = Enumerable.Range(0, k).Select(_ => new List<float>()).ToArray();
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            if ((uint)label >= (uint)k)
            {
                throw new ArgumentException($"Row {i} has label {label}, outside 0..{k - 1}.", nameof(labels));
            }

            if (!float.IsNaN(silhouettes[i]))
            {
                values[label].Add(silhouettes[i]);
            }
        }

        var profiles = new SilhouetteProfile[k];
        for (var s = 0; s < k; s++)
        {
            var sorted = values[s];
            sorted.Sort((a, b) => b.CompareTo(a));
            var n = sorted.Count;
            var sum = 0.0;
            var negative = 0;
            foreach (var value in sorted)
            {
                sum += value;
                negative += value < 0 ? 1 : 0;
            }

            var kept = Math.Min(n, maxPoints);
            var points = new SilhouettePoint[kept];
            for (var j = 0; j < kept; j++)
            {
                var rank = kept == 1 ? 0 : (int)Math.Round(j * (n - 1) / (double)(kept - 1), MidpointRounding.AwayFromZero);
                points[j] = new SilhouettePoint(rank, sorted[rank]);
            }

            profiles[s] = new SilhouetteProfile(s, n, n == 0 ? double.NaN : sum / n, n == 0 ? 0 : negative / (double)n, points);
        }

        return profiles;
    }
}
