using BenchmarkDotNet.Attributes;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;

namespace Segmentation.Analytics.Benchmarks;

/// <summary>
/// What the server does when a user picks another k after an analysis of cc_general: look up the precomputed segmentation and
/// match its segments to those on screen (Hungarian algorithm), and what it costs to make the model of a k. The charts are built in
/// the dashboard and measured in the browser (README).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class KSwitchBenchmarks
{
    private AnalysisResult _result = null!;
    private readonly SegmentIdentities _identities = new();
    private int _k = 2;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var file = await File.ReadAllBytesAsync(SweepBenchmarks.FindCcGeneral());
        var ingest = await CsvIngestor.ReadAsync(new MemoryStream(file));
        _result = SegmentationPipeline.Run(ingest.Dataset);
    }

    [Benchmark(Description = "Switch k: look up the segmentation and match identities")]
    public int SwitchK()
    {
        _k = _k == 10 ? 2 : _k + 1;
        var segmentation = _result.For(_k);
        _identities.Show(segmentation);
        return _identities.Displayed(segmentation).Numbers.Count;
    }

    [Benchmark(Description = "Model of k = 4 as JSON")]
    public int ModelJson() => _result.ToModel(4).ToJson().Length;
}
