using Segmentation.Analytics.Scoring;

namespace Segmentation.Cli;

/// <summary>The JSON that <c>score --json</c> prints.</summary>
internal sealed record ScoreReport(
    int Rows,
    int Scored,
    int Written,
    string Output,
    IReadOnlyList<ScoreReport.SegmentLine> Segments,
    IReadOnlyDictionary<string, int> Fit,
    IReadOnlyList<ScoreReport.DriftLine> Drift,
    ScoreReport.MigrationLine? Migration,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> IgnoredColumns,
    string Verdict,
    bool StillFits,
    double ElapsedMs)
{
    public static ScoreReport Create(ScoredTable scored, DriftReport drift, int written, string output, double elapsedMs) => new(
        scored.Data.RowCount,
        scored.ScoredRows,
        written,
        output,
        drift.Segments.Select(s => new SegmentLine(s.Segment.Number, s.Segment.Name, s.Now, s.NowShare, s.Before, s.BeforeShare)).ToArray(),
        Enum.GetValues<SegmentFit>().ToDictionary(f => f == SegmentFit.Unscored ? "unscored" : ScoredTable.FitName(f), scored.CountOf),
        drift.Features.Select(f => new DriftLine(f.Feature, Math.Round(f.Psi, 4), f.Level.ToString().ToLowerInvariant(), f.MedianBefore, f.MedianNow, f.MeanBefore, f.MeanNow, double.IsFinite(f.MeanShift) ? Math.Round(f.MeanShift, 4) : null)).ToArray(),
        drift.Migration is { } m ? new MigrationLine(m.Numbers, m.Counts, m.Matched, m.Moved.Count, m.OnlyNow, m.OnlyBefore) : null,
        scored.Notes(),
        scored.IgnoredColumns,
        drift.Verdict,
        drift.StillFits,
        Math.Round(elapsedMs, 1));

    public static ScoreReport Create(StreamingScoreSummary summary, string output) => new(
        (int)Math.Min(int.MaxValue, summary.Rows),
        (int)Math.Min(int.MaxValue, summary.Rows - summary.FitCounts[SegmentFit.Unscored]),
        (int)Math.Min(int.MaxValue, summary.Rows),
        output,
        summary.Drift.Segments.Select(s => new SegmentLine(s.Segment.Number, s.Segment.Name, s.Now, s.NowShare, s.Before, s.BeforeShare)).ToArray(),
        summary.FitCounts.ToDictionary(f => f.Key == SegmentFit.Unscored ? "unscored" : ScoredTable.FitName(f.Key), f => (int)Math.Min(int.MaxValue, f.Value)),
        summary.Drift.Features.Select(f => new DriftLine(f.Feature, Math.Round(f.Psi, 4), f.Level.ToString().ToLowerInvariant(), f.MedianBefore, f.MedianNow, f.MeanBefore, f.MeanNow, double.IsFinite(f.MeanShift) ? Math.Round(f.MeanShift, 4) : null)).ToArray(),
        null,
        summary.Notes,
        [],
        summary.Drift.Verdict,
        summary.Drift.StillFits,
        Math.Round(summary.Seconds * 1000, 1));

    internal sealed record SegmentLine(int Number, string Name, int Rows, double Share, int AnalysisRows, double AnalysisShare);

    internal sealed record DriftLine(string Feature, double Psi, string Level, double MedianBefore, double MedianNow, double MeanBefore, double MeanNow, double? MeanShiftSd);

    internal sealed record MigrationLine(IReadOnlyList<int> Numbers, IReadOnlyList<IReadOnlyList<int>> Counts, int Matched, int Moved, int New, int Gone);
}
