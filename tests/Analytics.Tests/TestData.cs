using System.Text;
using System.Text.Json;
using Segmentation.Analytics.Ingest;

namespace Segmentation.Analytics.Tests;

/// <summary>Paths to the shared reference data (../shared/data beside the checkout) and small helpers.</summary>
internal static class TestData
{
    private static readonly Lazy<string> SharedDirectory = new(FindShared);

    internal static string CcGeneralPath => Path.Combine(SharedDirectory.Value, "cc_general.csv");

    internal static string LabelsPath => Path.Combine(SharedDirectory.Value, "cc_general_k4_labels.csv");

    internal static JsonElement Reference { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedDirectory.Value, "reference.json"))).RootElement;

    internal static async Task<IngestResult> ReadAsync(string text, IngestOptions? options = null) =>
        await CsvIngestor.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), options);

    internal static async Task<IngestResult> ReadBytesAsync(byte[] bytes, IngestOptions? options = null) =>
        await CsvIngestor.ReadAsync(new MemoryStream(bytes), options);

    private static string FindShared()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data"));
                return Directory.Exists(shared)
                    ? shared
                    : throw new DirectoryNotFoundException($"The shared reference data is expected at {shared} (../shared/data beside the checkout).");
            }
        }

        throw new DirectoryNotFoundException("Dashboard.sln was not found above the test directory.");
    }
}
