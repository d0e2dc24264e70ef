using Microsoft.AspNetCore.Components.Forms;
using Segmentation.Analytics.Ingest;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// Copies an upload to a temporary file (owner-only, in the app's <see cref="TempFiles"/> folder) before it is parsed, so a slow parse never holds the browser's upload stream open and
/// cannot time the circuit out. The file is deleted when the returned stream is disposed (and on any failure).
/// </summary>
public static class UploadSpooler
{
    /// <summary>The largest upload accepted, enforced on the server whatever the browser says.</summary>
    public static long MaxBytes => IngestOptions.Default.MaxBytes;

    /// <summary>Copies <paramref name="file"/> to a self-deleting temporary file, reporting bytes copied, and returns it positioned at 0.</summary>
    /// <exception cref="IngestException">The file is empty or larger than <see cref="MaxBytes"/>.</exception>
    public static async Task<FileStream> SpoolAsync(TempFiles temp, IBrowserFile file, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(temp);
        ArgumentNullException.ThrowIfNull(file);
        if (file.Size > MaxBytes)
        {
            throw new IngestException(Resources.Strings.Get("UploadTooLarge", file.Name, Size(file.Size), Size(MaxBytes)));
        }

        if (file.Size == 0)
        {
            throw new IngestException(Resources.Strings.Get("UploadEmpty", file.Name));
        }

        var target = temp.Create("upload");
        try
        {
            var source = file.OpenReadStream(MaxBytes, cancellationToken);
            await using (source.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                long copied = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    copied += read;
                    progress?.Report(copied);
                }
            }

            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            target.Position = 0;
            return target;
        }
        catch
        {
            await target.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A byte count for people: 12.3 MB, 512 KB.</summary>
    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? $"{bytes / (1024.0 * 1024.0):0.#} MB"
        : $"{Math.Max(1, bytes / 1024.0):0} KB";
}
