using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Segments;

/// <summary>
/// The segment of every dataset row for one chosen k, with names. Rows that were not clustered (dropped for missing values) have no segment.
/// </summary>
public sealed class SegmentAssignment
{
    private readonly int[] _segment;
    private readonly float[] _distance;
    private readonly float[] _silhouette;

    /// <summary>Maps a solution's matrix rows back to dataset rows.</summary>
    /// <param name="datasetRows">Rows in the dataset.</param>
    /// <param name="matrix">The clustered matrix (its source rows say which dataset row each came from).</param>
    /// <param name="solution">The chosen solution.</param>
    /// <param name="names">One name per segment (in the solution's order); null gives "Segment 1", "Segment 2", ….</param>
    /// <param name="numbers">The number users see for each segment (in the solution's order), distinct and positive; null numbers them 1..k.
    /// Numbers let a segment keep its identity when k or the seed changes.</param>
    /// <exception cref="ArgumentException">The names or numbers are not one per segment, numbers repeat, or the solution does not fit the matrix.</exception>
    public SegmentAssignment(int datasetRows, FeatureMatrix matrix, KSolution solution, IReadOnlyList<string>? names = null, IReadOnlyList<int>? numbers = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(solution);
        if (solution.Labels.Count != matrix.Rows)
        {
            throw new ArgumentException("The solution has a different number of rows than the matrix.", nameof(solution));
        }

        var k = solution.Sizes.Count;
        names ??= Enumerable.Range(1, k).Select(s => AnalyticsTexts.Get("SegmentNumber", s)).ToArray();
        if (names.Count != k)
        {
            throw new ArgumentException($"Expected {k} segment names, got {names.Count}.", nameof(names));
        }

        numbers ??= Enumerable.Range(1, k).ToArray();
        if (numbers.Count != k || numbers.Any(n => n < 1) || numbers.Distinct().Count() != k)
        {
            throw new ArgumentException($"Expected {k} distinct positive segment numbers.", nameof(numbers));
        }

        Names = names;
        Numbers = numbers;
        K = k;
        _segment = new int[datasetRows];
        _distance = new float[datasetRows];
        _silhouette = new float[datasetRows];
        Array.Fill(_distance, float.NaN);
        Array.Fill(_silhouette, float.NaN);
        for (var i = 0; i < matrix.Rows; i++)
        {
            var row = matrix.SourceRow(i);
            _segment[row] = solution.Labels[i] + 1;
            _distance[row] = solution.Distances[i];
            _silhouette[row] = solution.RowSilhouettes.Count == matrix.Rows ? solution.RowSilhouettes[i] : float.NaN;
        }
    }

    private SegmentAssignment(SegmentAssignment source, IReadOnlyList<string> names, IReadOnlyList<int> numbers)
    {
        _segment = source._segment;
        _distance = source._distance;
        _silhouette = source._silhouette;
        K = source.K;
        Names = names;
        Numbers = numbers;
    }

    /// <summary>The same rows with other names and numbers (in the solution's order); the per-row arrays are shared, not copied.</summary>
    /// <exception cref="ArgumentException">The names or numbers are not one per segment, or numbers repeat or are not positive.</exception>
    public SegmentAssignment WithLabels(IReadOnlyList<string> names, IReadOnlyList<int>? numbers = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        numbers ??= Numbers;
        if (names.Count != K || numbers.Count != K || numbers.Any(n => n < 1) || numbers.Distinct().Count() != K)
        {
            throw new ArgumentException($"Expected {K} names and {K} distinct positive numbers.", nameof(names));
        }

        return new SegmentAssignment(this, names, numbers);
    }

    /// <summary>The number of segments.</summary>
    public int K { get; }

    /// <summary>Segment names in the solution's order (index 0 is the largest segment).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The number users see for each segment, in the solution's order.</summary>
    public IReadOnlyList<int> Numbers { get; }

    /// <summary>Dataset rows covered.</summary>
    public int Rows => _segment.Length;

    /// <summary>The segment's position in the solution (1 = largest) of dataset row <paramref name="row"/>, or 0 when the row was not clustered.</summary>
    public int IndexOf(int row) => _segment[row];

    /// <summary>The number users see for the segment of dataset row <paramref name="row"/>, or 0 when the row was not clustered.</summary>
    public int SegmentOf(int row) => _segment[row] == 0 ? 0 : Numbers[_segment[row] - 1];

    /// <summary>The name of the segment of dataset row <paramref name="row"/>, or null when the row was not clustered.</summary>
    public string? NameOf(int row) => _segment[row] == 0 ? null : Names[_segment[row] - 1];

    /// <summary>Distance of the row to its segment's centroid in preprocessed units; NaN when not clustered.</summary>
    public float DistanceOf(int row) => _distance[row];

    /// <summary>Silhouette of the row; NaN when not clustered or outside the silhouette sample.</summary>
    public float SilhouetteOf(int row) => _silhouette[row];
}
