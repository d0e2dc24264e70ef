using BenchmarkDotNet.Attributes;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
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

    [Benchmark(Description = "Whole analysis k=2..10 (ingest, preparation, fits, silhouette, stability, metrics, PCA; per-k segmentations are built on first use)")]
    public async Task<int> FullAnalysis()
    {
        var ingest = await CsvIngestor.ReadAsync(new MemoryStream(_file));
        return SegmentationPipeline.Run(ingest.Dataset).Sweep.RecommendedK;
    }

    [Benchmark(Description = "Fits only, k=2..10 (our kernel, default restarts and warm-start chains)")]
    public int FitsOnly() => KMeansSweep.Run(_matrix, new SweepOptions { StabilityResamples = 0, SilhouetteExactLimit = 0, SilhouetteSampleSize = 10 }).Solutions.Count;

    [Benchmark(Description = "Fits only, k=2..10, ML.NET with 12 restarts")]
    public int FitsOnlyMlNet() => KMeansSweep.Run(_matrix, new SweepOptions { Engine = KMeansEngine.MlNet, Restarts = 12, StabilityResamples = 0, SilhouetteExactLimit = 0, SilhouetteSampleSize = 10 }).Solutions.Count;

    [Benchmark(Description = "Ingest cc_general")]
    public async Task<int> Ingest() => (await CsvIngestor.ReadAsync(new MemoryStream(_file))).Dataset.RowCount;

    [Benchmark(Description = "Silhouette, 9 labelings at once")]
    public int SilhouetteAllK() => Silhouette.PerRow(_matrix, _labelings).Length;

    [Benchmark(Description = "One kernel fit, k=6 (greedy k-means++ and Lloyd)")]
    public double OneFit() => KMeansKernel.Lloyd(_matrix, KMeansKernel.KMeansPlusPlus(_matrix, 6, new Random(1))).Inertia;

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
