namespace Segmentation.Dashboard.Services;

/// <summary>Where the temporary files (uploads being read, exports being sent) go.</summary>
public sealed class TempFilesOptions
{
    /// <summary>The folder; relative paths are from the working directory, as the store's <c>Storage:Path</c>. Default <c>data/tmp</c>, beside the embedded store.</summary>
    public string Path { get; set; } = System.IO.Path.Combine("data", "tmp");
}

/// <summary>
/// The app's own folder for temporary files: created owner-only (0700) with files owner-only (0600), each deleted when its stream
/// closes, and everything in it removed when the app starts, so that a server killed mid-upload leaves no customer rows behind
/// for longer than until the next start, and never readable by other local users in the meantime. One app instance per folder.
/// </summary>
public sealed class TempFiles
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Uses (and creates, owner-only) <paramref name="directory"/>.</summary>
    public TempFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = System.IO.Path.GetFullPath(directory);
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, FolderMode);
            File.SetUnixFileMode(Directory, FolderMode);
        }
    }

    /// <summary>The folder, absolute.</summary>
    public string Directory { get; }

    /// <summary>Deletes every file left in the folder (by a process that was killed); returns how many.</summary>
    public int Sweep()
    {
        var removed = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory))
        {
            try
            {
                File.Delete(file);
                removed++;
            }
            catch (IOException)
            {
                // In use (Windows): it goes with its stream.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return removed;
    }

    /// <summary>A new empty file, owner-only, deleted when the returned stream is disposed. <paramref name="kind"/> names it
    /// (<c>upload</c>, <c>export</c>); nothing of the user's file name is in the path.</summary>
    public FileStream Create(string kind)
    {
        var path = System.IO.Path.Combine(Directory, $"{kind}-{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 81920,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }
}
