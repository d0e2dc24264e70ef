using System.Text.Json;
using System.Text.Json.Serialization;
using Segmentation.Analytics;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.SampleData;

namespace Segmentation.Storage;

/// <summary>How the file of a saved analysis was read.</summary>
/// <param name="HasHeader">Whether its first line named the columns.</param>
/// <param name="Sheet">The workbook sheet, or null.</param>
/// <param name="SampleSeed">For the built-in sample: its seed (the sample is generated again, not stored).</param>
/// <param name="SampleNote">When the data is a sample of a larger source: what that sample is.</param>
public sealed record ReadOptions(bool HasHeader, string? Sheet, int? SampleSeed, string? SampleNote = null);

/// <summary>
/// A saved analysis read back, the same way for the dashboard and the CLI: the file read again as it was read, the saved sweep
/// restored on it (no refitting), the model of each k with its names and recommendations as the user left them.
/// </summary>
public static class SavedAnalyses
{
    /// <summary>Rows of the built-in sample.</summary>
    public const int SampleRows = 8950;

    /// <summary>How the record's JSON columns are written and read.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>How <paramref name="record"/>'s file was read.</summary>
    public static ReadOptions ReadOptionsOf(AnalysisRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.Deserialize<ReadOptions>(record.ReadOptionsJson, Json) ?? new ReadOptions(true, null, null);
    }

    /// <summary>The recipe <paramref name="record"/> was analysed with.</summary>
    public static SegmentationRecipe RecipeOf(AnalysisRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.Deserialize<SegmentationRecipe>(record.RecipeJson, Json) ?? SegmentationRecipe.Default;
    }

    /// <summary>The data of <paramref name="opened"/>: its file read again with the same options, or the sample generated again.</summary>
    /// <exception cref="IngestException">The stored file cannot be read (it could when it was saved, so this means damage).</exception>
    public static async Task<IngestResult> ReadDataAsync(OpenedAnalysis opened, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opened);
        var read = ReadOptionsOf(opened.Record);
        if (read.SampleSeed is { } seed)
        {
            var sample = CreditCardSample.Generate(SampleRows, seed);
            return new IngestResult(sample, GeneratedReport(sample));
        }

        return await TableIngestor.ReadAsync(new MemoryStream(opened.File), IngestOptions.Default with { SourceName = opened.Record.FileName, HasHeader = read.HasHeader, Sheet = read.Sheet }, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The saved sweep on the data read again (no fitting); if it cannot be used, the recipe is run again, which gives the
    /// same result more slowly.</summary>
    public static AnalysisResult Reopen(Dataset dataset, SegmentationRecipe recipe, string? sweepJson, CancellationToken cancellationToken = default)
    {
        if (sweepJson is not null)
        {
            try
            {
                return SegmentationPipeline.Restore(dataset, recipe, SweepSnapshot.FromJson(sweepJson));
            }
            catch (AnalysisInputException)
            {
                // An older or damaged snapshot: fall through to a full run.
            }
        }

        return SegmentationPipeline.Run(dataset, recipe, null, cancellationToken);
    }

    /// <summary>The saved model at <paramref name="k"/>, with the segment numbers, names and recommendations as shown; null when
    /// the record has none for that k.</summary>
    /// <exception cref="ModelFormatException">The saved models are damaged.</exception>
    public static SegmentationModel? ModelAt(AnalysisRecord record, int k)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.ModelsJson is not { } json)
        {
            return null;
        }

        using var models = JsonDocument.Parse(json);
        return models.RootElement.EnumerateArray().Select(m => SegmentationModel.FromJson(m.GetRawText())).FirstOrDefault(m => m.K == k);
    }

    /// <summary>The ingest report of generated data: nothing was read, so nothing was found.</summary>
    public static IngestReport GeneratedReport(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return new IngestReport
        {
            Separator = ',',
            DecimalSeparator = '.',
            Encoding = "generated",
            Bytes = 0,
            Rows = dataset.RowCount,
            SkippedRows = 0,
            Issues = [],
            IssueCounts = new Dictionary<string, int>(),
            MissingByColumn = dataset.Columns.ToDictionary(c => c.Name, c => c.MissingCount),
            ExcelErrorsByColumn = new Dictionary<string, int>(),
            InvalidByColumn = new Dictionary<string, int>(),
        };
    }
}
