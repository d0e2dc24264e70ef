using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Statistics;

namespace Segmentation.Analytics.Segments;

/// <summary>One segment described in original units.</summary>
/// <param name="Segment">1-based segment number.</param>
/// <param name="Size">Rows in the segment.</param>
/// <param name="Share">Size over clustered rows.</param>
/// <param name="Means">Mean per feature (original units, missing values left out).</param>
/// <param name="Medians">Median per feature.</param>
/// <param name="ZScores">(segment mean − overall mean) / overall population standard deviation, per feature; 0 for a constant feature.</param>
public sealed record SegmentProfile(int Segment, int Size, double Share, IReadOnlyList<double> Means, IReadOnlyList<double> Medians, IReadOnlyList<double> ZScores)
{
    /// <summary>Per feature: quartiles and Tukey whiskers in original units (empty when not computed).</summary>
    public IReadOnlyList<BoxStatistics> Boxes { get; init; } = [];
}

/// <summary>A distribution as a box plot draws it, in original units.</summary>
/// <param name="Q1">First quartile (linear interpolation, as NumPy's default).</param>
/// <param name="Median">Median.</param>
/// <param name="Q3">Third quartile.</param>
/// <param name="LowerWhisker">The smallest value at or above Q1 − 1.5 IQR.</param>
/// <param name="UpperWhisker">The largest value at or below Q3 + 1.5 IQR.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Outliers">Values beyond the whiskers.</param>
public sealed record BoxStatistics(double Q1, double Median, double Q3, double LowerWhisker, double UpperWhisker, double Min, double Max, int Outliers)
{
    /// <summary>The box of <paramref name="values"/> (NaN ignored; all NaN when nothing is left).</summary>
    public static BoxStatistics Of(ReadOnlySpan<double> values)
    {
        var sorted = Descriptive.SortedFinite(values);
        if (sorted.Length == 0)
        {
            return new BoxStatistics(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        var q1 = Descriptive.QuantileOfSorted(sorted, 0.25);
        var q3 = Descriptive.QuantileOfSorted(sorted, 0.75);
        var reach = 1.5 * (q3 - q1);
        var low = 0;
        while (sorted[low] < q1 - reach)
        {
            low++;
        }

        var high = sorted.Length - 1;
        while (sorted[high] > q3 + reach)
        {
            high--;
        }

        return new BoxStatistics(q1, Descriptive.QuantileOfSorted(sorted, 0.5), q3, sorted[low], sorted[high], sorted[0], sorted[^1], low + (sorted.Length - 1 - high));
    }
}

/// <summary>How a 0/1 indicator is worded: a level ("Female": "62% Female vs 56% overall") or a flag ("response": "response: 31% vs 15% overall").</summary>
/// <param name="Text">The level as written, or the flag column in readable form.</param>
/// <param name="IsFlag">Whether it is a flag rather than a level of a category.</param>
public sealed record ShareLabel(string Text, bool IsFlag);

/// <summary>How strongly one feature differs between segments.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="OverallMean">Mean over clustered rows.</param>
/// <param name="OverallStandardDeviation">Population standard deviation over clustered rows.</param>
/// <param name="F">One-way ANOVA F statistic across segments (NaN when undefined).</param>
/// <param name="EtaSquared">Share of the feature's variance explained by segment membership, 0..1.</param>
public sealed record FeatureSeparation(string Feature, double OverallMean, double OverallStandardDeviation, double F, double EtaSquared)
{
    /// <summary>The overall distribution over clustered rows, or null when not computed.</summary>
    public BoxStatistics? Overall { get; init; }
}

/// <summary>Profiles of all segments of one assignment.</summary>
/// <param name="Features">Feature names, the order of every per-feature list.</param>
/// <param name="Segments">One profile per segment, in segment order.</param>
/// <param name="Separation">One entry per feature.</param>
public sealed record SegmentProfiles(IReadOnlyList<string> Features, IReadOnlyList<SegmentProfile> Segments, IReadOnlyList<FeatureSeparation> Separation)
{
    /// <summary>Features that are 0/1 indicators (a level of a category, a flag) with how to word them: their means are shares.</summary>
    public IReadOnlyDictionary<string, ShareLabel> Shares { get; init; } = new Dictionary<string, ShareLabel>();
}

/// <summary>Describes segments in the units of the original data.</summary>
public static class SegmentProfiler
{
    /// <summary>Profiles every segment of <paramref name="assignment"/> on <paramref name="features"/> (numeric dataset columns), using clustered rows only.</summary>
    /// <exception cref="ArgumentException">A feature is not a numeric column, or the assignment covers different rows.</exception>
    public static SegmentProfiles Profile(Dataset dataset, SegmentAssignment assignment, IReadOnlyList<string> features)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(features);
        if (assignment.Rows != dataset.RowCount)
        {
            throw new ArgumentException("The assignment covers different rows than the dataset.", nameof(assignment));
        }

        var k = assignment.K;
        var sizes = new int[k];
        for (var row = 0; row < dataset.RowCount; row++)
        {
            var segment = assignment.IndexOf(row);
            if (segment > 0)
            {
                sizes[segment - 1]++;
            }
        }

        var clustered = sizes.Sum();
        var means = new double[k][];
        var medians = new double[k][];
        var zscores = new double[k][];
        var boxes = new BoxStatistics[k][];
        for (var s = 0; s < k; s++)
        {
            boxes[s] = new BoxStatistics[features.Count];
            means[s] = new double[features.Count];
            medians[s] = new double[features.Count];
            zscores[s] = new double[features.Count];
        }

        var separation = new FeatureSeparation[features.Count];
        for (var f = 0; f < features.Count; f++)
        {
            var column = dataset.Column(features[f]);
            if (!column.HasNumbers)
            {
                throw new ArgumentException($"{features[f]} is not numeric.", nameof(features));
            }

            var groups = new List<double>[k];
            for (var s = 0; s < k; s++)
            {
                groups[s] = new List<double>(sizes[s]);
            }

            var all = new List<double>(clustered);
            for (var row = 0; row < dataset.RowCount; row++)
            {
                var segment = assignment.IndexOf(row);
                var value = column.Numbers[row];
                if (segment > 0 && !double.IsNaN(value))
                {
                    groups[segment - 1].Add(value);
                    all.Add(value);
                }
            }

            var overall = Descriptive.Summarize(all.ToArray());
            var between = 0.0;
            var within = 0.0;
            var nonEmpty = 0;
            for (var s = 0; s < k; s++)
            {
                var values = groups[s].ToArray();
                var summary = Descriptive.Summarize(values);
                boxes[s][f] = BoxStatistics.Of(values);
                means[s][f] = summary.Mean;
                medians[s][f] = summary.Median;
                zscores[s][f] = overall.PopulationStandardDeviation > 0 ? (summary.Mean - overall.Mean) / overall.PopulationStandardDeviation : 0;
                if (summary.Count > 0)
                {
                    nonEmpty++;
                    between += summary.Count * (summary.Mean - overall.Mean) * (summary.Mean - overall.Mean);
                    within += summary.Count * summary.PopulationStandardDeviation * summary.PopulationStandardDeviation;
                }
            }

            var total = between + within;
            var f_ = nonEmpty > 1 && overall.Count > nonEmpty && within > 0 ? between / (nonEmpty - 1) / (within / (overall.Count - nonEmpty)) : double.NaN;
            separation[f] = new FeatureSeparation(features[f], overall.Mean, overall.PopulationStandardDeviation, f_, total > 0 ? between / total : 0) { Overall = BoxStatistics.Of(all.ToArray()) };
        }

        var profiles = Enumerable.Range(0, k)
            .Select(s => new SegmentProfile(s + 1, sizes[s], clustered == 0 ? 0 : sizes[s] / (double)clustered, means[s], medians[s], zscores[s]) { Boxes = boxes[s] })
            .ToArray();
        return new SegmentProfiles(features, profiles, separation);
    }
}
