using Segmentation.Dashboard.Services;

namespace Segmentation.Dashboard.Tests.Services;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TempFilesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"segments-temp-test-{Guid.NewGuid():N}");

    [Fact]
    public async Task Files_are_owner_only_in_an_owner_only_folder_and_gone_when_their_stream_closes()
    {
        var temp = new TempFiles(_folder);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));

        string path;
        await using (var file = temp.Create("upload"))
        {
            await file.WriteAsync("CUST_ID,BALANCE\nC1,10\n"u8.ToArray());
            path = file.Name;
            Assert.Equal(_folder, Path.GetDirectoryName(path));
            Assert.StartsWith("upload-", Path.GetFileName(path), StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void A_folder_left_readable_is_made_owner_only_again_and_the_start_up_sweep_removes_what_a_crash_left()
    {
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, (UnixFileMode)Convert.ToInt32("755", 8));
        File.WriteAllText(Path.Combine(_folder, "upload-left-by-a-killed-server.tmp"), "CUST_ID\nC1\n");
        File.WriteAllText(Path.Combine(_folder, "export-left.tmp"), "x");

        var temp = new TempFiles(_folder);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        Assert.Equal(2, temp.Sweep());
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
