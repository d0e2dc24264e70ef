namespace Segmentation.Dashboard.E2E;

/// <summary>A temporary file for a test, deleted on dispose.</summary>
internal sealed class TempFile : IDisposable
{
    private TempFile(string extension = ".csv") => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"e2e-{Guid.NewGuid():N}{extension}");

    public string Path { get; }

    /// <summary>A path to write to; nothing is created yet.</summary>
    public static TempFile Reserve(string extension = ".csv") => new(extension);

    /// <summary>A file with <paramref name="content"/>.</summary>
    public static async Task<TempFile> WriteAsync(string content)
    {
        var file = new TempFile();
        await File.WriteAllTextAsync(file.Path, content);
        return file;
    }

    public void Dispose() => File.Delete(Path);
}
