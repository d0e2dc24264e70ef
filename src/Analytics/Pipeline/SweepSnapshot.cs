using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Projection;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Pipeline;

/// <summary>
/// What a sweep found, saved so that an analysis reopens without fitting again: per k the centroids (ordered as shown), the measures,
/// the silhouette of every measured row and the stability; the recommendation and the PCA. Labels and distances are not saved: they
/// are the rows' nearest centroids, recomputed exactly with the sweep's own assignment. Float arrays are stored as base64 of their
/// little-endian bytes, so values come back bit for bit.
/// </summary>
public sealed record SweepSnapshot
{
    /// <summary>The version of this shape.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The features, in matrix order (checked on restore).</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>The clustered rows (checked on restore).</summary>
    public required int Rows { get; init; }

    /// <summary>One entry per k.</summary>
    public required IReadOnlyList<KEntry> Solutions { get; init; }

    /// <summary>The elbow's k, or null.</summary>
    public int? ElbowK { get; init; }

    /// <summary>The recommended k.</summary>
    public required int RecommendedK { get; init; }

    /// <summary>Why.</summary>
    public required string RecommendationReason { get; init; }

    /// <summary>Whether silhouettes were estimated on a sample.</summary>
    public bool SilhouetteSampled { get; init; }

    /// <summary>Rows in the silhouette.</summary>
    public int SilhouetteRows { get; init; }

    /// <summary>The sweep's warnings.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Feature means of the PCA.</summary>
    public required IReadOnlyList<double> PcaMeans { get; init; }

    /// <summary>Eigenvalues of the PCA.</summary>
    public required IReadOnlyList<double> PcaEigenvalues { get; init; }

    /// <summary>Components, row-major d × d.</summary>
    public required IReadOnlyList<double> PcaComponents { get; init; }

    /// <summary>The sweep's timings when it ran.</summary>
    public IReadOnlyDictionary<string, double> TimingsMs { get; init; } = new Dictionary<string, double>();

    /// <summary>The sample the restarts ran on above 50,000 rows, or null.</summary>
    public int? FitSampleRows { get; init; }

    /// <summary>One k.</summary>
    public sealed record KEntry
    {
        /// <summary>k.</summary>
        public required int K { get; init; }

        /// <summary>Inertia.</summary>
        public required double Inertia { get; init; }

        /// <summary>Centroids, k × d floats, base64.</summary>
        public required string Centroids { get; init; }

        /// <summary>Inertia of each restart.</summary>
        public IReadOnlyList<double> RestartInertias { get; init; } = [];

        /// <summary>Mean silhouette (null when undefined).</summary>
        public double? Silhouette { get; init; }

        /// <summary>Silhouette of every measured row, floats, base64.</summary>
        public string RowSilhouettes { get; init; } = string.Empty;

        /// <summary>Calinski-Harabasz (null when undefined).</summary>
        public double? CalinskiHarabasz { get; init; }

        /// <summary>Davies-Bouldin (null when undefined).</summary>
        public double? DaviesBouldin { get; init; }

        /// <summary>Stability, or null.</summary>
        public StabilityResult? Stability { get; init; }
    }

    /// <summary>The snapshot of <paramref name="result"/>'s sweep.</summary>
    public static SweepSnapshot Of(AnalysisResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sweep = result.Sweep;
        var d = sweep.Pca.Components.GetLength(0);
        var components = new double[d * d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j < d; j++)
            {
                components[(i * d) + j] = sweep.Pca.Components[i, j];
            }
        }

        return new SweepSnapshot
        {
            Features = result.Preprocessed.Matrix.FeatureNames,
            Rows = result.Preprocessed.Matrix.Rows,
            Solutions = sweep.Solutions.Select(s => new KEntry
            {
                K = s.K,
                Inertia = s.Inertia,
                Centroids = Floats(s.Centroids),
                RestartInertias = s.RestartInertias,
                Silhouette = Finite(s.Silhouette),
                RowSilhouettes = Floats(s.RowSilhouettes),
                CalinskiHarabasz = Finite(s.CalinskiHarabasz),
                DaviesBouldin = Finite(s.DaviesBouldin),
                Stability = s.Stability,
            }).ToArray(),
            ElbowK = sweep.ElbowK,
            RecommendedK = sweep.RecommendedK,
            RecommendationReason = sweep.RecommendationReason,
            SilhouetteSampled = sweep.SilhouetteSampled,
            SilhouetteRows = sweep.SilhouetteRows,
            Warnings = sweep.Warnings,
            PcaMeans = sweep.Pca.Means,
            PcaEigenvalues = sweep.Pca.Eigenvalues,
            PcaComponents = components,
            TimingsMs = sweep.TimingsMs,
            FitSampleRows = sweep.FitSampleRows,
        };
    }

    /// <summary>The snapshot as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SnapshotJsonContext.Default.SweepSnapshot);

    /// <summary>Reads a snapshot.</summary>
    /// <exception cref="ModelFormatException">Not a snapshot this version reads.</exception>
    public static SweepSnapshot FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var snapshot = JsonSerializer.Deserialize(json, SnapshotJsonContext.Default.SweepSnapshot) ?? throw new ModelFormatException(AnalyticsTexts.Get("SweepEmpty"));
            return snapshot.Version == 1 ? snapshot : throw new ModelFormatException(AnalyticsTexts.Get("SweepVersion", snapshot.Version));
        }
        catch (JsonException exception)
        {
            throw new ModelFormatException(AnalyticsTexts.Get("SweepDamaged", exception.Message), exception);
        }
    }

    /// <summary>The sweep on <paramref name="matrix"/>: labels and distances by the sweep's assignment to the saved centroids.</summary>
    /// <exception cref="AnalysisInputException">The matrix has other features or rows than the snapshot.</exception>
    internal SweepResult ToSweep(FeatureMatrix matrix, SweepOptions options)
    {
        if (!matrix.FeatureNames.SequenceEqual(Features, StringComparer.Ordinal) || matrix.Rows != Rows)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("SweepMismatch", Rows, string.Join(", ", Features), matrix.Rows, string.Join(", ", matrix.FeatureNames)));
        }

        var d = matrix.Columns;
        var solutions = new KSolution[Solutions.Count];
        Parallel.For(0, Solutions.Count, index =>
        {
            var entry = Solutions[index];
            var centroids = FromFloats(entry.Centroids);
            var labels = new int[matrix.Rows];
            var squared = new float[matrix.Rows];
            CentroidAssignment.Assign(matrix, centroids, labels, squared);
            var k = centroids.Length / d;
            var sizes = new int[k];
            foreach (var label in labels)
            {
                sizes[label]++;
            }

            solutions[index] = new KSolution(entry.K, entry.Inertia, labels, centroids, matrix, sizes, entry.RestartInertias)
            {
                Silhouette = entry.Silhouette ?? double.NaN,
                RowSilhouettes = FromFloats(entry.RowSilhouettes),
                CalinskiHarabasz = entry.CalinskiHarabasz ?? double.NaN,
                DaviesBouldin = entry.DaviesBouldin ?? double.NaN,
                Stability = entry.Stability,
            };
        });

        var dimension = PcaMeans.Count;
        var components = new double[dimension, dimension];
        for (var i = 0; i < dimension; i++)
        {
            for (var j = 0; j < dimension; j++)
            {
                components[i, j] = PcaComponents[(i * dimension) + j];
            }
        }

        var pca = new PcaResult(PcaMeans.ToArray(), PcaEigenvalues.ToArray(), components, Features);
        return new SweepResult(options, solutions, ElbowK, RecommendedK, RecommendationReason, SilhouetteSampled, SilhouetteRows, Warnings, pca, TimingsMs) { FitSampleRows = FitSampleRows };
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Floats(IReadOnlyList<float> values)
    {
        var array = values as float[] ?? values.ToArray();
        return Convert.ToBase64String(MemoryMarshal.AsBytes(array.AsSpan()));
    }

    private static float[] FromFloats(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(SweepSnapshot))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
