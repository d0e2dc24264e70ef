using System.Text.RegularExpressions;
using Microsoft.JSInterop;
using Segmentation.Analytics.Export;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Segments;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Streams a segment export to the browser as a download: written to a self-deleting temporary file on the server, then sent
/// through a <see cref="DotNetStreamReference"/> (no data URL, no whole file in one string).
/// </summary>
public static partial class Exporter
{
    /// <summary>Writes the export and hands it to the browser as <paramref name="fileName"/>. Returns the rows written.</summary>
    public static async Task<int> DownloadAsync(IJSRuntime js, Dataset dataset, SegmentAssignment assignment, int? segment, IReadOnlySet<int>? rows, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(js);
        var path = Path.Combine(Path.GetTempPath(), $"segments-export-{Guid.NewGuid():N}.csv");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            var written = await SegmentExporter.WriteAsync(file, dataset, assignment, segment, rows, cancellationToken).ConfigureAwait(false);
            file.Position = 0;
            using var reference = new DotNetStreamReference(file, leaveOpen: true);
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", cancellationToken, "./js/download.js").ConfigureAwait(false);
            await module.InvokeVoidAsync("downloadFromStream", cancellationToken, fileName, reference).ConfigureAwait(false);
            return written;
        }
    }

    /// <summary>A safe file name: letters, digits and dashes from <paramref name="text"/>.</summary>
    public static string Slug(string text)
    {
        var slug = Unsafe().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "segment" : slug[..Math.Min(slug.Length, 40)];
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Unsafe();
}
