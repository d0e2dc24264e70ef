using BenchmarkDotNet.Attributes;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Benchmarks;

/// <summary>
/// The full default pipeline on cc_general (ingest, preprocessing, k = 2..10 with all restarts, all metrics, PCA), and its stages.
/// Run: dotnet run -c Release --project tests/Analytics.Benchmarks -- --filter '*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class SweepBenchmarks
{
    private byte[] _file = [];
    private FeatureMatrix _matrix = null!;
    private int[][] _labelings = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _file = await File.ReadAllBytesAsync(FindCcGeneral());
        var ingest = await CsvIngestor.ReadAsync(new MemoryStream(_file));
        _matrix = Preprocessor.Run(ingest.Dataset).Matrix;
        var sweep = KMeansSweep.Run(_matrix);
        _labelings = sweep.Solutions.Select(s => s.Labels.ToArray()).ToArray();
    }

    [Benchmark(Description = "Full sweep k=2..10 (ingest+preprocess+fits+metrics+PCA)")]
    public async Task<int> FullSweep()
    {
        var ingest = await CsvIngestor.ReadAsync(new MemoryStream(_file));
        var preprocessed = Preprocessor.Run(ingest.Dataset);
        return KMeansSweep.Run(preprocessed.Matrix).RecommendedK;
    }

    [Benchmark(Description = "Ingest cc_general")]
    public async Task<int> Ingest() => (await CsvIngestor.ReadAsync(new MemoryStream(_file))).Dataset.RowCount;

    [Benchmark(Description = "Silhouette, 9 labelings at once")]
    public int SilhouetteAllK() => Silhouette.PerRow(_matrix, _labelings).Length;

    [Benchmark(Description = "One ML.NET fit, k=6")]
    public int OneFit() => KMeansSweep.Run(_matrix, new SweepOptions { KMin = 6, KMax = 6, Restarts = 1, SilhouetteExactLimit = 0, SilhouetteSampleSize = 10 }).For(6).K;

    internal static string FindCcGeneral()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "cc_general.csv");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("cc_general.csv was not found in a shared/data folder above the benchmark.");
    }
}
