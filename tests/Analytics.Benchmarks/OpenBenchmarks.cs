using BenchmarkDotNet.Attributes;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;

namespace Segmentation.Analytics.Benchmarks;

/// <summary>
/// What the server does to reopen a saved cc_general analysis before the page draws: read the saved file again, prepare it with the
/// recipe, restore every k from the saved sweep (no fitting) and build the chosen k's segmentation and the map. The store's read and
/// the page itself are measured in the browser (README).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class OpenBenchmarks
{
    private byte[] _file = null!;
    private string _snapshot = null!;
    private SegmentationRecipe _recipe = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _file = await File.ReadAllBytesAsync(SweepBenchmarks.FindCcGeneral());
        var saved = SegmentationPipeline.Run((await TableIngestor.ReadAsync(new MemoryStream(_file))).Dataset);
        _snapshot = SweepSnapshot.Of(saved).ToJson();
        _recipe = saved.Recipe;
    }

    [Benchmark(Description = "Open a saved analysis: read the file, restore the sweep, build k = 4 and the map")]
    public async Task<int> Open()
    {
        var ingest = await TableIngestor.ReadAsync(new MemoryStream(_file));
        var result = SegmentationPipeline.Restore(ingest.Dataset, _recipe, SweepSnapshot.FromJson(_snapshot));
        return result.For(4).K + result.RowCoordinates.Count;
    }
}
