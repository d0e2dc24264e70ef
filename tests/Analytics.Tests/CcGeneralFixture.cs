using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests;

/// <summary>cc_general read and analysed with the default recipe (k = 2..10) by the pipeline, once for all tests that need it.</summary>
public sealed class CcGeneralFixture : IAsyncLifetime
{
    public IngestResult Ingest { get; private set; } = null!;

    public PreprocessResult Preprocessed { get; private set; } = null!;

    public SweepResult Sweep { get; private set; } = null!;

    public AnalysisResult Analysis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using var file = File.OpenRead(TestData.CcGeneralPath);
        Ingest = await CsvIngestor.ReadAsync(file);
        Analysis = SegmentationPipeline.Run(Ingest.Dataset);
        Preprocessed = Analysis.Preprocessed;
        Sweep = Analysis.Sweep;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class CcGeneralGroup : ICollectionFixture<CcGeneralFixture>
{
    public const string Name = "cc_general";
}
