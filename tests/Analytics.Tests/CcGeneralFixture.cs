using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests;

/// <summary>cc_general read, preprocessed with the defaults and swept over k = 2..10 with the defaults, once for all tests that need it.</summary>
public sealed class CcGeneralFixture : IAsyncLifetime
{
    public IngestResult Ingest { get; private set; } = null!;

    public PreprocessResult Preprocessed { get; private set; } = null!;

    public SweepResult Sweep { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using var file = File.OpenRead(TestData.CcGeneralPath);
        Ingest = await CsvIngestor.ReadAsync(file);
        Preprocessed = Preprocessor.Run(Ingest.Dataset);
        Sweep = KMeansSweep.Run(Preprocessed.Matrix);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class CcGeneralGroup : ICollectionFixture<CcGeneralFixture>
{
    public const string Name = "cc_general";
}
