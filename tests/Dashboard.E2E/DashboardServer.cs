using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>
/// Starts the built dashboard on a free loopback port and one headless Chromium for all end-to-end tests, and stops both.
/// </summary>
public class DashboardServer : IAsyncLifetime
{
    private readonly StringBuilder _log = new();
    private Process? _process;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = null!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(RepositoryRoot, "tests", "Dashboard.E2E", "TestResults", "screenshots")).FullName;

    public string ServerLog
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public virtual async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumFactAttribute.ChromiumPath))
        {
            return;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var project = Path.Combine(RepositoryRoot, "src", "Dashboard");
        var dll = Path.Combine(project, "bin", configuration, "net10.0", "Segmentation.Dashboard.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the dashboard first ({dll} is missing).");
        }

        _dll = dll;
        _project = project;
        await WriteSourceAsync(configuration);
        _port = FreePort();
        BaseUrl = $"http://127.0.0.1:{_port}";
        await StartServerAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>This server's folder for temporary files (uploads, exports): where the tests look for customer data left behind.</summary>
    public string TempDirectory { get; } = Path.Combine(Path.GetTempPath(), $"segments-e2e-tmp-{Guid.NewGuid():N}");

    /// <summary>What the server listens on (<c>--urls</c>).</summary>
    protected virtual string Urls => BaseUrl;

    /// <summary>Adds to the server's environment or arguments (a subclass's configuration).</summary>
    protected virtual void Customize(ProcessStartInfo start)
    {
    }

    private string _dll = string.Empty;
    private string _project = string.Empty;
    private int _port;

    /// <summary>Where the server keeps analyses: a SQLite file in a temporary folder (the same for every start of the server in this run).</summary>
    public virtual (string Provider, string Setting) Storage { get; } = ("sqlite", Path.Combine(Path.GetTempPath(), $"segments-e2e-{Guid.NewGuid():N}", "segmentation.db"));

    /// <summary>Kills the server as a crash would (no graceful shutdown) and starts it again on the same address, store and temp folder.</summary>
    public async Task RestartServerAsync()
    {
        await StopServerAsync();
        await StartServerAsync();
    }

    private async Task StopServerAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>A folder configured as a Parquet source (Sources:ParquetRoots) holding 20,000 generated card customers in row groups of
    /// 5,000, with samples of 5,000 rows: the journey through a source other than an upload.</summary>
    public string SourceDirectory { get; } = Directory.CreateTempSubdirectory("e2e-sources-").FullName;

    /// <summary>Rows of the configured Parquet source.</summary>
    public const int SourceRows = 20_000;

    /// <summary>Rows of a source's sample on this server.</summary>
    public const int SourceSampleRows = 5_000;

    private Task<string> WriteSourceAsync(string configuration)
    {
        _configuration = configuration;
        return RunCliAsync("generate", SourceRows.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "4", "--row-group", "5000", "--out", Path.Combine(SourceDirectory, "card-customers.parquet"));
    }

    private string _configuration = "Release";

    /// <summary>Runs the CLI of the same build (as a user would, to compare with what the dashboard does).</summary>
    /// <exception cref="InvalidOperationException">It exits with an error; the message holds its output.</exception>
    public async Task<string> RunCliAsync(params string[] arguments)
    {
        var cli = Path.Combine(RepositoryRoot, "src", "Cli", "bin", _configuration, "net10.0", "segment-cli.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"segment-cli {string.Join(' ', arguments)} failed: {await output} {await error}");
        }

        return await output;
    }

    private async Task StartServerAsync()
    {
        var dll = _dll;
        var project = _project;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Urls);
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(project);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Storage__Provider"] = Storage.Provider;
        start.Environment["Sources__ParquetRoots__0"] = SourceDirectory;
        start.Environment["Sources__SampleRows"] = SourceSampleRows.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment[Storage.Provider == "postgres" ? "Storage__ConnectionString" : "Storage__Path"] = Storage.Setting;
        start.Environment["TempFiles__Path"] = TempDirectory;
        // Every browser of the run comes from 127.0.0.1: the per-address HTTP limit is for deployments (unit-tested separately).
        start.Environment["RateLimits__RequestsPerMinute"] = "100000";
        Customize(start);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilServingAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await StopServerAsync();
        if (_dll.Length > 0)
        {
            // Kept with the screenshots for reading a failed or slow run afterwards (it holds ids, sizes and times, no customer data).
            await File.WriteAllTextAsync(Path.Combine(Path.GetDirectoryName(ScreenshotDirectory)!, $"server-{GetType().Name}.log"), ServerLog);
        }

        Directory.Delete(SourceDirectory, recursive: true);
        if (Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, recursive: true);
        }

        if (Storage.Provider == "sqlite")
        {
            var folder = Path.GetDirectoryName(Storage.Setting)!;
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitUntilServingAsync()
    {
        // A test server may listen on HTTPS with a certificate made for the test; the loopback check needs no trust in it.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The dashboard exited with code {_process.ExitCode}:\n{ServerLog}");
            }

            try
            {
                using var response = await client.GetAsync(BaseUrl);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The dashboard did not answer at {BaseUrl} within 90 s:\n{ServerLog}");
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A free loopback port never handed to another server of this test run: fixtures start in parallel, and the system
    /// can give a port just released to the next one who asks (an HTTPS test once reached another test's server).</summary>
    internal static int FreePort()
    {
        lock (HandedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Dashboard.sln was not found above the test directory.");
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardGroup : ICollectionFixture<DashboardServer>
{
    public const string Name = "dashboard";
}

/// <summary>The dashboard with <c>Storage:Provider=postgres</c> on a fresh database of the server in SEGMENTATION_TEST_POSTGRES (.ci/run starts one).</summary>
public sealed class PostgresDashboardServer : DashboardServer
{
    public override (string Provider, string Setting) Storage { get; } = Environment.GetEnvironmentVariable(PostgresFactAttribute.Variable) is { Length: > 0 } server
        ? ("postgres", $"{server};Database=segtest_e2e_{Guid.NewGuid():N}")
        : ("sqlite", Path.Combine(Path.GetTempPath(), $"segments-e2e-{Guid.NewGuid():N}", "segmentation.db"));
}

[CollectionDefinition(Name)]
public sealed class PostgresDashboardGroup : ICollectionFixture<PostgresDashboardServer>
{
    public const string Name = "dashboard on postgres";
}
