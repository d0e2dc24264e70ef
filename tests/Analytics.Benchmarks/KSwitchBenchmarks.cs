using BenchmarkDotNet.Attributes;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Dashboard.Components.Charts;
using Segmentation.Dashboard.State;

namespace Segmentation.Analytics.Benchmarks;

/// <summary>
/// What the server does when a user picks another k after a sweep on cc_general: look up the precomputed view, match its segments
/// to those on screen (Hungarian algorithm) and build every chart of the Segment page for it. Target: under 100 ms.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class KSwitchBenchmarks
{
    private SegmentationRun _run = null!;
    private readonly SegmentIdentities _identities = new();
    private int _k = 2;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var file = await File.ReadAllBytesAsync(SweepBenchmarks.FindCcGeneral());
        var ingest = await CsvIngestor.ReadAsync(new MemoryStream(file));
        var preprocessed = Preprocessor.Run(ingest.Dataset);
        var sweep = KMeansSweep.Run(preprocessed.Matrix);
        _run = SegmentationRun.Create(ingest.Dataset, preprocessed, sweep, 0, CancellationToken.None);
    }

    [Benchmark(Description = "Switch k: match identities and build the Segment-page charts")]
    public int SwitchK()
    {
        _k = _k == 10 ? 2 : _k + 1;
        var view = _run.Views[_k];
        _identities.Show(_run, view);
        var labels = _identities.Displayed(view);
        var (scatter, points) = ChartFactory.PcaScatter(_run, view, labels);
        return scatter.ToJson().Length + ChartFactory.Sizes(view, labels).ToJson().Length + ChartFactory.ProfileHeatmap(view, labels).ToJson().Length
            + ChartFactory.Elbow(_run.Sweep, _k).ToJson().Length + ChartFactory.SilhouetteByK(_run.Sweep, _k).ToJson().Length
            + ChartFactory.SegmentSilhouettes(view, labels, sampled: false).ToJson().Length + points;
    }

    [Benchmark(Description = "Precompute the views of k = 2..10 after a sweep (once)")]
    public int PrecomputeViews() => SegmentationRun.Create(_run.Dataset, _run.Preprocessed, _run.Sweep, 0, CancellationToken.None).Views.Count;
}
