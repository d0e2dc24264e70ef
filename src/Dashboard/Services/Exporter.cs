using System.Text.RegularExpressions;
using Microsoft.JSInterop;
using Segmentation.Analytics.Export;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Segments;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Streams a segment export to the browser as a download: written to a self-deleting, owner-only temporary file in the app's <see cref="TempFiles"/> folder, then sent
/// through a <see cref="DotNetStreamReference"/> (no data URL, no whole file in one string).
/// </summary>
public static partial class Exporter
{
    /// <summary>Writes the export and hands it to the browser as <paramref name="fileName"/>. Returns the rows written.</summary>
    public static Task<int> DownloadAsync(IJSRuntime js, TempFiles temp, Dataset dataset, SegmentAssignment assignment, int? segment, IReadOnlySet<int>? rows, string fileName, CsvFormat format, CancellationToken cancellationToken) =>
        DownloadAsync(js, temp, fileName, file => SegmentExporter.WriteAsync(file, dataset, assignment, segment, rows, format, cancellationToken), cancellationToken);

    /// <summary>Writes a file with <paramref name="write"/> into a self-deleting temporary file and streams it to the browser as
    /// <paramref name="fileName"/>; returns what <paramref name="write"/> returned (e.g. the rows written).</summary>
    public static async Task<T> DownloadAsync<T>(IJSRuntime js, TempFiles temp, string fileName, Func<Stream, Task<T>> write, CancellationToken cancellationToken, string contentType = "text/csv;charset=utf-8")
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(temp);
        ArgumentNullException.ThrowIfNull(write);
        var file = temp.Create("export");
        await using (file.ConfigureAwait(false))
        {
            var result = await write(file).ConfigureAwait(false);
            file.Position = 0;
            using var reference = new DotNetStreamReference(file, leaveOpen: true);
            await using var module = await js.InvokeAsync<IJSObjectReference>("import", cancellationToken, "./js/download.js").ConfigureAwait(false);
            await module.InvokeVoidAsync("downloadFromStream", cancellationToken, fileName, reference, contentType).ConfigureAwait(false);
            return result;
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
