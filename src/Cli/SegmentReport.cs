using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;

namespace Segmentation.Cli;

/// <summary>The JSON contract of <c>segment --json</c>: the columns, and every segment with its numbers, words and composition.</summary>
internal sealed record SegmentReport(
    int K,
    int Rows,
    int Written,
    string Output,
    double Silhouette,
    IReadOnlyList<SweepReport.ColumnEntry> Columns,
    IReadOnlyList<SegmentReport.SegmentEntry> Segments,
    IReadOnlyList<string> Warnings,
    SegmentationRecipe Recipe,
    IReadOnlyDictionary<string, double> TimingsMs)
{
    internal static SegmentReport Create(IngestResult ingest, AnalysisResult result, int k, int written, string output, IReadOnlyDictionary<string, double> timings)
    {
        var segmentation = result.For(k);
        var profiles = segmentation.Profiles;
        var segments = segmentation.Insights.Select((insight, s) => new SegmentEntry(
            insight.Segment,
            insight.Name,
            segmentation.Solution.Sizes[s],
            profiles.Segments[s].Share,
            insight.Recommendation,
            insight.Evidence,
            segmentation.Traits[s].Select(t => t.Description).ToArray(),
            profiles.Features.Select((f, i) => (f, i)).Where(p => !profiles.Shares.ContainsKey(p.f)).ToDictionary(p => p.f, p => Finite(profiles.Segments[s].Means[p.i]), StringComparer.Ordinal),
            segmentation.Composition.ToDictionary(
                c => c.Column,
                c => (IReadOnlyDictionary<string, double>)c.Levels.Select((level, l) => (level, l)).ToDictionary(p => p.level, p => Math.Round(c.BySegment[s][p.l], 4), StringComparer.Ordinal),
                StringComparer.Ordinal))).ToArray();
        return new SegmentReport(
            k,
            ingest.Dataset.RowCount,
            written,
            output,
            segmentation.Solution.Silhouette,
            SweepReport.ColumnEntries(result),
            segments,
            result.EncodingWarnings.Concat(result.Preprocessed.Warnings).Concat(result.Sweep.Warnings).ToArray(),
            result.Recipe,
            timings);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    /// <summary>One segment: <c>composition</c> maps each categorical column to the share of each of its values in the segment.</summary>
    internal sealed record SegmentEntry(
        int Number,
        string Name,
        int Size,
        double Share,
        string Recommendation,
        IReadOnlyList<string> Evidence,
        IReadOnlyList<string> Traits,
        IReadOnlyDictionary<string, double?> Means,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Composition);
}
