using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Segments;

/// <summary>A customer on the border between segments.</summary>
/// <param name="Row">The dataset row (0-based).</param>
/// <param name="Line">The file line it came from.</param>
/// <param name="Identifier">The customer's identifier, or null without an identifier column.</param>
/// <param name="Segment">The solution index of its segment (0-based).</param>
/// <param name="Neighbour">The solution index of the next-nearest segment.</param>
/// <param name="Silhouette">Its silhouette: near 0 on the border, below 0 closer to the neighbour.</param>
public sealed record BorderlineCustomer(int Row, long Line, string? Identifier, int Segment, int Neighbour, float Silhouette);

/// <summary>Customers whose silhouette is below <see cref="Threshold"/>: the ones a campaign list may place in the wrong segment.</summary>
public static class Borderline
{
    /// <summary>Silhouettes below this are borderline.</summary>
    public const float Threshold = 0.05f;

    /// <summary>All borderline customers of a solution, lowest silhouette first (only rows with a silhouette: all of them, or the sample).</summary>
    public static IReadOnlyList<BorderlineCustomer> Find(Dataset dataset, FeatureMatrix matrix, KSolution solution, string? identifierColumn)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(solution);
        var d = matrix.Columns;
        var centroids = solution.Centroids.ToArray();
        var k = solution.Sizes.Count;
        var ids = identifierColumn is not null && dataset.HasColumn(identifierColumn) ? dataset.Column(identifierColumn) : null;
        var result = new List<BorderlineCustomer>();
        for (var i = 0; i < matrix.Rows; i++)
        {
            var silhouette = solution.RowSilhouettes.Count > i ? solution.RowSilhouettes[i] : float.NaN;
            if (float.IsNaN(silhouette) || silhouette >= Threshold)
            {
                continue;
            }

            var own = solution.Labels[i];
            var row = matrix.Row(i);
            var neighbour = -1;
            var best = double.PositiveInfinity;
            for (var c = 0; c < k; c++)
            {
                if (c == own)
                {
                    continue;
                }

                var sum = KMeansKernel.SquaredDistance(row, centroids.AsSpan(c * d, d));
                if (sum < best)
                {
                    best = sum;
                    neighbour = c;
                }
            }

            var source = matrix.SourceRow(i);
            result.Add(new BorderlineCustomer(source, dataset.LineNumber(source), ids?.TextAt(source), own, neighbour, silhouette));
        }

        return result.OrderBy(b => b.Silhouette).ThenBy(b => b.Row).ToArray();
    }
}
