using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Cli;

/// <summary>The JSON contract of <c>sweep --json</c>: other tools parse it, so names only ever get added.</summary>
internal sealed record SweepReport(
    int Rows,
    IReadOnlyList<string> Features,
    IReadOnlyList<SweepReport.KEntry> PerK,
    int RecommendedK,
    string RecommendationReason,
    int? ElbowK,
    int SilhouetteRows,
    IReadOnlyList<double> PcaExplainedVarianceRatio,
    IReadOnlyList<string> Preprocessing,
    IReadOnlyList<string> Warnings,
    SweepReport.IngestEntry Ingest,
    IReadOnlyDictionary<string, double> TimingsMs,
    SegmentationRecipe Recipe,
    string Engine,
    int? FitSampleRows)
{
    /// <summary>Every column with its kind, role and the reason; derived and encoded columns (one-hot "Column=value") too.</summary>
    public required IReadOnlyList<ColumnEntry> Columns { get; init; }

    internal static SweepReport Create(IngestResult ingest, AnalysisResult result, IReadOnlyDictionary<string, double> timings) =>
        Create(ingest, result.Preprocessed, result.Sweep, result.Recipe, timings, result.EncodingWarnings) with { Columns = ColumnEntries(result) };

    /// <summary>The kind as the JSON writes it.</summary>
    internal static string KindName(ColumnKind kind) => kind switch
    {
        ColumnKind.Identifier => "id",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The role as the JSON writes it.</summary>
    internal static string RoleName(ColumnRole role) => role.ToString().ToLowerInvariant();

    internal static IReadOnlyList<ColumnEntry> ColumnEntries(AnalysisResult result)
    {
        var entries = new List<ColumnEntry>();
        var encodings = result.Plan.Encodings.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var used = result.Preprocessed.Matrix.FeatureNames.ToHashSet(StringComparer.Ordinal);
        foreach (var column in result.Plan.Columns)
        {
            var excluded = result.Preprocessed.ExcludedFeatures.GetValueOrDefault(column.Name);
            var role = column.Role == ColumnRole.Feature && excluded is not null ? ColumnRole.Excluded : column.Role;
            entries.Add(new ColumnEntry(column.Name, KindName(column.Kind), RoleName(role), excluded is null ? column.Reason : $"{column.Reason}; left out: {excluded}", column.Expression, null));
            foreach (var name in column.Encoded.Where(n => n != column.Name && encodings.ContainsKey(n)))
            {
                var encoding = encodings[name];
                var kind = encoding is LevelEncoding or FlagEncoding ? "binary" : "numeric";
                var encodedRole = column.Role == ColumnRole.Feature && !used.Contains(name) ? ColumnRole.Excluded : column.Role;
                entries.Add(new ColumnEntry(name, kind, RoleName(encodedRole), encoding.Describe(), encoding.Describe(), column.Name));
            }
        }

        return entries;
    }

    private static SweepReport Create(IngestResult ingest, PreprocessResult preprocessed, SweepResult sweep, SegmentationRecipe recipe, IReadOnlyDictionary<string, double> timings, IReadOnlyList<string> encodingWarnings) => new(
        preprocessed.Matrix.Rows,
        preprocessed.Matrix.FeatureNames,
        sweep.Solutions.Select(s => new KEntry(s.K, s.Inertia, Finite(s.Silhouette), sweep.SilhouetteSampled, Finite(s.CalinskiHarabasz), Finite(s.DaviesBouldin), s.Sizes, s.RestartInertias)
        {
            StabilityMean = s.Stability?.MeanAri,
            StabilitySd = s.Stability?.SdAri,
            StabilityResamples = s.Stability?.Resamples,
            SegmentStability = s.Stability?.SegmentJaccard,
        }).ToArray(),
        sweep.RecommendedK,
        sweep.RecommendationReason,
        sweep.ElbowK,
        sweep.SilhouetteRows,
        sweep.Pca.ExplainedVarianceRatio,
        preprocessed.Steps,
        encodingWarnings.Concat(preprocessed.Warnings).Concat(sweep.Warnings).ToArray(),
        new IngestEntry(
            ingest.Report.Rows,
            ingest.Report.SkippedRows,
            ingest.Report.Bytes,
            ingest.Report.Separator.ToString(),
            ingest.Report.DecimalSeparator.ToString(),
            ingest.Report.Encoding,
            ingest.Report.IssueCount,
            ingest.Report.IssueCounts,
            ingest.Report.MissingByColumn,
            ingest.Report.Issues.Select(i => new IssueEntry(i.Severity.ToString().ToLowerInvariant(), i.Code, i.Message, i.Line, i.Column)).ToArray()),
        timings,
        recipe,
        recipe.Engine == KMeansEngine.MlNet ? "mlnet" : "simd",
        sweep.FitSampleRows)
    {
        Columns = [],
    };

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    internal sealed record KEntry(int K, double Inertia, double? Silhouette, bool SilhouetteSampled, double? CalinskiHarabasz, double? DaviesBouldin, IReadOnlyList<int> Sizes, IReadOnlyList<double> RestartInertias)
    {
        /// <summary>Mean adjusted Rand index of refits on subsamples against this solution (null when not measured).</summary>
        public double? StabilityMean { get; init; }

        public double? StabilitySd { get; init; }

        public int? StabilityResamples { get; init; }

        /// <summary>Per segment: mean best Jaccard overlap with a refit cluster.</summary>
        public IReadOnlyList<double>? SegmentStability { get; init; }
    }

    internal sealed record IngestEntry(int Rows, int SkippedRows, long Bytes, string Separator, string DecimalSeparator, string Encoding, int IssueCount, IReadOnlyDictionary<string, int> IssueCounts, IReadOnlyDictionary<string, int> Missing, IReadOnlyList<IssueEntry> Issues);

    internal sealed record IssueEntry(string Severity, string Code, string Message, long? Line, string? Column);

    /// <summary>One column: <c>kind</c> is numeric, id, categorical, binary, date, text, constant or empty; <c>role</c> is id, feature, described or excluded.</summary>
    internal sealed record ColumnEntry(string Name, string Kind, string Role, string Reason, string? Expression, string? Source);
}
