using System.Globalization;
using System.Text;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Resources;
using Segmentation.Analytics.Statistics;

namespace Segmentation.Analytics.Scoring;

/// <summary>How far a feature's distribution moved, by the usual population-stability thresholds.</summary>
public enum DriftLevel
{
    /// <summary>PSI under 0.1.</summary>
    Stable,

    /// <summary>PSI 0.1 to 0.25: a moderate shift, worth watching.</summary>
    Moderate,

    /// <summary>PSI over 0.25: a significant shift.</summary>
    Significant,
}

/// <summary>A segment's size in the analysis and in the scored table.</summary>
/// <param name="Segment">The segment.</param>
/// <param name="Before">Training rows.</param>
/// <param name="BeforeShare">Their share of the training rows.</param>
/// <param name="Now">Scored rows.</param>
/// <param name="NowShare">Their share of the scored rows.</param>
public sealed record SegmentShift(ModelSegment Segment, int Before, double BeforeShare, int Now, double NowShare)
{
    /// <summary>The change in share, in percentage points.</summary>
    public double ChangePoints => (NowShare - BeforeShare) * 100;
}

/// <summary>One feature's drift.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Psi">Its population stability index against the training rows.</param>
/// <param name="MedianBefore">The training median.</param>
/// <param name="MedianNow">The scored table's median.</param>
/// <param name="MeanBefore">The training mean.</param>
/// <param name="MeanNow">The scored table's mean.</param>
/// <param name="MeanShift">The change in mean in training standard deviations (NaN when the model has no standard deviation).</param>
public sealed record FeatureDrift(string Feature, double Psi, double MedianBefore, double MedianNow, double MeanBefore, double MeanNow, double MeanShift)
{
    /// <summary>
    /// How far the feature moved: by its PSI (under 0.1 stable, 0.1–0.25 moderate, over 0.25 significant), or by its mean, whichever
    /// says more (a shift of 0.1 standard deviation or more is moderate, 0.5 or more significant). The mean is there because PSI on
    /// deciles hardly sees a change of scale in a long-tailed feature: doubling a third of cc_general's cash advances moves the
    /// deciles' PSI only to 0.016, but the mean by 0.17 standard deviations (+36%).
    /// </summary>
    public DriftLevel Level
    {
        get
        {
            var shift = double.IsFinite(MeanShift) ? Math.Abs(MeanShift) : 0;
            return Psi > DriftReport.SignificantPsi || shift >= DriftReport.SignificantMeanShift ? DriftLevel.Significant
                : Psi >= DriftReport.ModeratePsi || shift >= DriftReport.ModerateMeanShift ? DriftLevel.Moderate
                : DriftLevel.Stable;
        }
    }

    /// <summary>The change in mean as a share of the training mean (NaN when that is 0).</summary>
    public double MeanChange => MeanBefore == 0 ? double.NaN : (MeanNow - MeanBefore) / Math.Abs(MeanBefore);
}

/// <summary>A customer who is in both tables and changed segment.</summary>
/// <param name="Id">The customer's identifier as written.</param>
/// <param name="Row">The row in the scored table.</param>
/// <param name="From">The segment number in the analysis.</param>
/// <param name="To">The segment number now.</param>
public sealed record MovedCustomer(string Id, int Row, int From, int To);

/// <summary>Where the customers of both tables went: counts from each analysis segment to each segment now, in model order.</summary>
/// <param name="Numbers">The segment numbers, in model order (rows and columns of <see cref="Counts"/>).</param>
/// <param name="Counts">Counts[from][to].</param>
/// <param name="Matched">Customers in both tables (and scored in both).</param>
/// <param name="OnlyBefore">Customers of the analysis not in the scored table.</param>
/// <param name="OnlyNow">Customers of the scored table not in the analysis (new customers).</param>
/// <param name="Moved">The matched customers whose segment changed.</param>
public sealed record SegmentMigration(IReadOnlyList<int> Numbers, IReadOnlyList<IReadOnlyList<int>> Counts, int Matched, int OnlyBefore, int OnlyNow, IReadOnlyList<MovedCustomer> Moved)
{
    /// <summary>The share of matched customers from <paramref name="from"/> (model index) who are now in <paramref name="to"/>.</summary>
    public double Share(int from, int to)
    {
        var total = Counts[from].Sum();
        return total == 0 ? 0 : Counts[from][to] / (double)total;
    }
}

/// <summary>What changed between the analysis a model came from and a table it scored: segment sizes, feature drift, customers who
/// moved (when the table shares identifiers with the analysis), and a verdict in plain words.</summary>
/// <param name="Segments">Sizes then and now, in model order.</param>
/// <param name="Features">Drift per feature (empty for a model made before version 3, which has no reference distributions).</param>
/// <param name="Migration">Where customers went, when the analysis' segments by identifier were given and the table has the identifier column.</param>
/// <param name="UnlikeShare">The share of scored rows unlike any segment (about 1% is expected: the 99th percentile).</param>
/// <param name="Verdict">The verdict, e.g. "Segments still fit." or "Cash-advance reliant grew from 18% to 27%; consider re-segmenting."</param>
/// <param name="StillFits">Whether the verdict is that the segments still fit.</param>
public sealed record DriftReport(IReadOnlyList<SegmentShift> Segments, IReadOnlyList<FeatureDrift> Features, SegmentMigration? Migration, double UnlikeShare, string Verdict, bool StillFits)
{
    /// <summary>From this index a shift is moderate.</summary>
    public const double ModeratePsi = 0.1;

    /// <summary>Above this index a shift is significant.</summary>
    public const double SignificantPsi = 0.25;

    /// <summary>From this shift of the mean (in training standard deviations) a feature has moved moderately.</summary>
    public const double ModerateMeanShift = 0.1;

    /// <summary>From this shift of the mean a feature has moved significantly.</summary>
    public const double SignificantMeanShift = 0.5;

    /// <summary>A segment whose share moves this many percentage points or more is named in the verdict.</summary>
    public const double SizeChangePoints = 5;

    /// <summary>More unlike rows than this share are named in the verdict (1% are expected).</summary>
    public const double UnlikeLimit = 0.05;

    /// <summary>Below this many scored rows, shares and deciles are too noisy to judge drift: the verdict says so and judges nothing.</summary>
    public const int MinRowsToJudge = 200;

    /// <summary>More matched customers moving than this share are named in the verdict.</summary>
    public const double MovedLimit = 0.2;

    /// <summary>Compares <paramref name="scored"/> with the analysis its model came from.</summary>
    /// <param name="scored">The scored table.</param>
    /// <param name="previous">The analysis' segment number of each customer by identifier (as written), or null.</param>
    public static DriftReport Compare(ScoredTable scored, IReadOnlyDictionary<string, int>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var model = scored.Model;
        var encoded = scored.Scores.Encoded ?? scored.Data;
        var features = model.Reference.Where(r => encoded.HasColumn(r.Name) && encoded.Column(r.Name).HasNumbers)
            .Select(r =>
            {
                var values = encoded.Column(r.Name).Numbers;
                var mean = Descriptive.MomentsOf(values).Mean;
                return new FeatureDrift(r.Name, r.Psi(values), r.Median, Descriptive.Median(values), r.Mean, mean, r.Sd > 0 ? (mean - r.Mean) / r.Sd : double.NaN);
            }).ToArray();
        var migration = previous is not null && scored.IdColumn is { } id ? Migrate(scored, id, previous) : null;
        return Build(model, scored.Counts.Select(c => (long)c).ToArray(), scored.CountOf(SegmentFit.Unlike), features, migration);
    }

    /// <summary>The report from counts: rows per segment (model order) and unlike rows, the features' drift and the migration.</summary>
    internal static DriftReport Build(SegmentationModel model, IReadOnlyList<long> counts, long unlikeRows, IReadOnlyList<FeatureDrift> features, SegmentMigration? migration)
    {
        var trained = model.Segments.Sum(s => (long)s.Size);
        var scoredRows = counts.Sum();
        var denominator = Math.Max(1, scoredRows);
        var segments = model.Segments.Select((s, i) => new SegmentShift(s, s.Size, trained == 0 ? 0 : s.Size / (double)trained, (int)Math.Min(int.MaxValue, counts[i]), counts[i] / (double)denominator)).ToArray();
        var unlike = unlikeRows / (double)denominator;
        var (verdict, fits) = scoredRows < MinRowsToJudge
            ? (AnalyticsTexts.Get("DriftTooFew", scoredRows.ToString("N0", AnalyticsTexts.Numbers), MinRowsToJudge.ToString("N0", AnalyticsTexts.Numbers)), true)
            : Judge(segments, features, migration, unlike, model.Reference.Count > 0);
        return new DriftReport(segments, features, migration, unlike, verdict, fits);
    }

    private static SegmentMigration Migrate(ScoredTable scored, DataColumn id, IReadOnlyDictionary<string, int> previous)
    {
        var model = scored.Model;
        var index = model.Segments.Select((s, i) => (s.Number, i)).ToDictionary(p => p.Number, p => p.i);
        var counts = model.Segments.Select(_ => new int[model.K]).ToArray();
        var moved = new List<MovedCustomer>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var (matched, onlyNow) = (0, 0);
        for (var row = 0; row < scored.Data.RowCount; row++)
        {
            if (id.TextAt(row) is not { } key || !seen.Add(key))
            {
                continue;
            }

            if (!previous.TryGetValue(key, out var before) || !index.TryGetValue(before, out var from))
            {
                onlyNow++;
                continue;
            }

            if (scored.Scores.Indices[row] is not (>= 0 and var to))
            {
                continue;
            }

            matched++;
            counts[from][to]++;
            if (from != to)
            {
                moved.Add(new MovedCustomer(key, row, before, model.Segments[to].Number));
            }
        }

        var onlyBefore = previous.Keys.Count(k => !seen.Contains(k));
        return new SegmentMigration(model.Segments.Select(s => s.Number).ToArray(), counts, matched, onlyBefore, onlyNow, moved);
    }

    private static (string Verdict, bool Fits) Judge(SegmentShift[] segments, IReadOnlyList<FeatureDrift> features, SegmentMigration? migration, double unlike, bool hasReference)
    {
        var findings = new List<string>();
        foreach (var shift in segments.Where(s => Math.Abs(s.ChangePoints) >= SizeChangePoints).OrderByDescending(s => Math.Abs(s.ChangePoints)))
        {
            findings.Add(AnalyticsTexts.Get(shift.ChangePoints > 0 ? "DriftGrew" : "DriftShrank", shift.Segment.Name, Percent(shift.BeforeShare), Percent(shift.NowShare)));
        }

        var moved = features.Where(f => f.Level != DriftLevel.Stable).OrderByDescending(f => f.Level).ThenByDescending(f => Math.Max(f.Psi, Math.Abs(f.MeanShift))).ToArray();
        foreach (var drift in moved.Where(f => f.Level == DriftLevel.Significant).Take(3))
        {
            findings.Add(AnalyticsTexts.Get("DriftShifted", drift.Feature, Describe(drift)));
        }

        // A feature that moved moderately is named when it also changed segment sizes, or alone when nothing else did (below).
        if (findings.Count > 0 || segments.Any(s => Math.Abs(s.ChangePoints) >= SizeChangePoints))
        {
            foreach (var drift in moved.Where(f => f.Level == DriftLevel.Moderate).Take(3))
            {
                findings.Add(AnalyticsTexts.Get("DriftMoved", drift.Feature, Describe(drift)));
            }
        }

        if (unlike > UnlikeLimit)
        {
            findings.Add(AnalyticsTexts.Get("DriftUnlike", Percent(unlike)));
        }

        if (migration is { Matched: > 0 } m && m.Moved.Count / (double)m.Matched > MovedLimit)
        {
            findings.Add(AnalyticsTexts.Get("DriftReturningChanged", Percent(m.Moved.Count / (double)m.Matched)));
        }

        if (findings.Count > 0)
        {
            var sentence = AnalyticsTexts.Get("DriftResegment", string.Join("; ", findings));
            return (char.ToUpper(sentence[0], AnalyticsTexts.Numbers) + sentence[1..], false);
        }

        var watch = moved.Select(f => AnalyticsTexts.Get("DriftWatchItem", f.Feature, Describe(f))).ToArray();
        var basis = new StringBuilder(AnalyticsTexts.Get("DriftSizesWithin", SizeChangePoints.ToString("0", AnalyticsTexts.Numbers)));
        if (segments.MaxBy(s => Math.Abs(s.ChangePoints)) is { } largest && Math.Abs(largest.ChangePoints) >= 1)
        {
            basis.Append(" (").Append(AnalyticsTexts.Get(largest.ChangePoints > 0 ? "DriftGrew" : "DriftShrank", largest.Segment.Name, Percent(largest.BeforeShare), Percent(largest.NowShare))).Append(')');
        }

        if (migration is { Matched: > 0 } known)
        {
            basis.Append(", ").Append(AnalyticsTexts.Get("DriftReturningChanged", Percent(known.Moved.Count / (double)known.Matched)));
            if (known.Moved.Count > 0)
            {
                var destination = known.Moved.GroupBy(m => m.To).MaxBy(g => g.Count())!;
                var name = segments.First(s => s.Segment.Number == destination.Key).Segment.Name;
                basis.Append(destination.Count() * 2 > known.Moved.Count ? AnalyticsTexts.Get("DriftMostInto", name) : AnalyticsTexts.Get("DriftSomeInto", destination.Count().ToString("N0", AnalyticsTexts.Numbers), name));
            }
        }

        basis.Append(AnalyticsTexts.Get(hasReference ? "DriftNoFeatureShifted" : "DriftNoReference"));
        var verdict = AnalyticsTexts.Get("DriftStillFit", basis.ToString());
        return (watch.Length > 0 ? verdict + " " + AnalyticsTexts.Get("DriftWatch", string.Join(", ", watch)) : verdict, true);
    }

    /// <summary>"PSI 0.02, mean +36% (979 → 1,334)" or with the median when the mean cannot say.</summary>
    private static string Describe(FeatureDrift drift)
    {
        var psi = drift.Psi.ToString("F2", AnalyticsTexts.Numbers);
        if (double.IsFinite(drift.MeanChange))
        {
            var change = (drift.MeanChange * 100).ToString("+0;−0;0", AnalyticsTexts.Numbers);
            return AnalyticsTexts.Get("DriftMeanChange", psi, change, Number(drift.MeanBefore), Number(drift.MeanNow));
        }

        return AnalyticsTexts.Get("DriftMedianChange", psi, Number(drift.MedianBefore), Number(drift.MedianNow));
    }

    private static string Percent(double share) => AnalyticsTexts.Get("PercentValue", (share * 100).ToString("0.#", AnalyticsTexts.Numbers));

    private static string Number(double value) => Math.Abs(value) >= 100 ? value.ToString("N0", AnalyticsTexts.Numbers) : value.ToString("G3", AnalyticsTexts.Numbers);
}
