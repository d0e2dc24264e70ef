using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

// The load harness (issue #12): N browser sessions against the published dashboard, each doing the journey a marketing analyst does
// (upload cc_general, Run, choose k = 4, read the cards, export every customer), on a fresh server per N. It reports per-session
// times (p50/p95), server CPU-seconds per journey, server RSS before/peak/after, circuits lost and browser console errors.
//
//   dotnet run -c Release --project tests/Dashboard.Load -- [--sessions 1,5,10,20] [--app PUBLISHED_DIR] [--settle 120]
//
// The browsers run on the same machine as the server and share its cores: on 2 cores, Chromium takes most of the CPU, so the
// session times are an upper bound of what the server alone would give; the server's CPU-seconds per journey are its own.
namespace Segmentation.Dashboard.Load;

internal static class Program
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static async Task<int> Main(string[] args)
    {
        var sessions = Option(args, "--sessions", "1,5,10,20").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var settle = int.Parse(Option(args, "--settle", "120"), CultureInfo.InvariantCulture);
        var root = RepositoryRoot();
        var data = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "cc_general.csv"));
        var app = Option(args, "--app", string.Empty);
        if (app.Length == 0)
        {
            app = Path.Combine(Path.GetTempPath(), "segments-load-app");
            Console.Error.WriteLine($"Publishing the dashboard to {app} …");
            await RunAsync("dotnet", ["publish", Path.Combine(root, "src", "Dashboard"), "-c", "Release", "-o", app, "--nologo", "-v", "q"]);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
        });

        var results = new List<LevelResult>();
        foreach (var n in sessions)
        {
            Console.Error.WriteLine($"N = {n} …");
            results.Add(await RunLevelAsync(browser, app, data, n, settle));
            Console.Error.WriteLine(JsonSerializer.Serialize(results[^1]));
        }

        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores; browsers and server on the same machine; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        Console.WriteLine();
        Console.WriteLine("| N | finished | journey p50 / p95 | Run → results p50 / p95 | server CPU per journey | server RSS before / peak / 60 s after / settled | circuits lost | console errors |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Sessions} | {r.Finished} of {r.Sessions} | {r.JourneyP50:0.0} / {r.JourneyP95:0.0} s | {r.RunP50:0.00} / {r.RunP95:0.00} s | {r.CpuPerJourney:0.00} s | {r.RssBeforeMb:0} / {r.RssPeakMb:0} / {r.RssAfter60Mb:0} / {r.RssSettledMb:0} MB (after {r.SettleSeconds} s) | {r.CircuitsLost} | {r.ConsoleErrors} |"));
        }

        var output = Path.Combine(root, "tests", "Dashboard.Load", "TestResults");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, $"load-{DateTime.UtcNow:yyyyMMdd-HHmm}.json"), JsonSerializer.Serialize(results, Indented));
        return results.All(r => r.Finished == r.Sessions && r.CircuitsLost == 0 && r.ConsoleErrors == 0) ? 0 : 1;
    }

    private static async Task<LevelResult> RunLevelAsync(IBrowser browser, string app, string data, int n, int settle)
    {
        await using var server = await Server.StartAsync(app);

        // One journey first, not counted: the server's cost per journey is its steady state, not its start-up (JIT, first queries).
        await using (var warm = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true }))
        {
            var warmed = await JourneyAsync(warm, server.BaseUrl, data);
            if (warmed.Error is not null)
            {
                throw new InvalidOperationException($"The warm-up journey failed: {warmed.Error}");
            }
        }

        await Task.Delay(2000);
        var rssBefore = server.RssMb();
        var cpuBefore = server.CpuSeconds();
        var peak = rssBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, server.RssMb());
                await Task.Delay(250);
            }
        });

        var contexts = new List<IBrowserContext>();
        var journeys = new List<Task<Journey>>();
        for (var i = 0; i < n; i++)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
            contexts.Add(context);
            journeys.Add(JourneyAsync(context, server.BaseUrl, data));
        }

        var done = await Task.WhenAll(journeys);
        var cpuAfter = server.CpuSeconds();
        foreach (var context in contexts)
        {
            await context.DisposeAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(60));
        var after60 = server.RssMb();
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, settle - 60)));
        var settled = server.RssMb();
        await sampling.CancelAsync();
        await sampler;

        var finished = done.Where(j => j.Error is null).ToArray();
        foreach (var failed in done.Where(j => j.Error is not null))
        {
            Console.Error.WriteLine($"  session failed: {failed.Error}");
        }

        foreach (var error in done.SelectMany(j => j.ConsoleErrors).Distinct())
        {
            Console.Error.WriteLine($"  console: {error}");
        }

        return new LevelResult(
            n,
            finished.Length,
            Percentile(finished.Select(j => j.Total), 0.5),
            Percentile(finished.Select(j => j.Total), 0.95),
            Percentile(finished.Select(j => j.RunToResults), 0.5),
            Percentile(finished.Select(j => j.RunToResults), 0.95),
            (cpuAfter - cpuBefore) / n,
            rssBefore,
            peak,
            after60,
            settled,
            settle,
            done.Count(j => j.Reconnected) + server.CircuitFailures(),
            done.Sum(j => j.ConsoleErrors.Count));
    }

    private static async Task<Journey> JourneyAsync(IBrowserContext context, string baseUrl, string data)
    {
        var errors = new List<string>();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(600_000);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };

        // Any reconnect display means the circuit's connection was lost at least once.
        await page.AddInitScriptAsync("""
            window.__reconnects = 0;
            document.addEventListener('DOMContentLoaded', () => {
              const modal = document.getElementById('components-reconnect-modal');
              if (modal) new MutationObserver(() => { if (modal.className.includes('components-reconnect-')) window.__reconnects++; }).observe(modal, { attributes: true });
            });
            """);
        var clock = Stopwatch.StartNew();
        try
        {
            await page.GotoAsync(baseUrl);
            await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=upload-input]')?._blazorInputFileNextFileId !== undefined", null, new PageWaitForFunctionOptions { Timeout = 600_000 });
            await page.GetByTestId("upload-input").SetInputFilesAsync(data);
            await Assertions.Expect(page.GetByTestId("column-table")).ToContainTextAsync("CUST_ID", new LocatorAssertionsToContainTextOptions { Timeout = 600_000 });
            await page.GetByTestId("nav-segment").ClickAsync();
            var run = Stopwatch.StartNew();
            await page.GetByTestId("run-analysis").ClickAsync();
            await Assertions.Expect(page.GetByTestId("recommended-k")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 600_000 });
            var runToResults = run.Elapsed.TotalSeconds;
            await page.GetByTestId("k-option-4").ClickAsync();
            await Assertions.Expect(page.GetByTestId("k-option-4")).ToHaveAttributeAsync("aria-pressed", "true", new LocatorAssertionsToHaveAttributeOptions { Timeout = 600_000 });
            await page.GetByTestId("nav-segments").ClickAsync();
            await Assertions.Expect(page.GetByTestId("segment-card")).ToHaveCountAsync(4, new LocatorAssertionsToHaveCountOptions { Timeout = 600_000 });
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-all").ClickAsync());
            var path = await download.PathAsync();
            var lines = File.ReadLines(path).Count();
            if (lines != 8951)
            {
                throw new InvalidOperationException($"the export has {lines} lines, not 8,951");
            }

            var reconnects = await page.EvaluateAsync<int>("() => window.__reconnects");
            return new Journey(clock.Elapsed.TotalSeconds, runToResults, reconnects > 0, Snapshot(errors), null);
        }
        catch (Exception exception) when (exception is PlaywrightException or TimeoutException or InvalidOperationException)
        {
            // What the stuck tab showed: its address and its main text, and a screenshot beside the harness's output.
            var shown = string.Empty;
            try
            {
                var file = Path.Combine(Path.GetTempPath(), $"load-failure-{Guid.NewGuid():N}.png");
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                var text = await page.Locator("main").First.InnerTextAsync(new LocatorInnerTextOptions { Timeout = 5_000 });
                var line = string.Join(' ', text.Split((char[])['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                shown = $" (at {page.Url}: \"{line[..Math.Min(300, line.Length)]}\"; screenshot {file})";
            }
            catch (PlaywrightException)
            {
                // The page is gone as well.
            }
            catch (TimeoutException)
            {
            }

            return new Journey(clock.Elapsed.TotalSeconds, double.NaN, false, Snapshot(errors), exception.Message.Split('\n')[0] + shown);
        }
    }

    private static List<string> Snapshot(List<string> errors)
    {
        lock (errors)
        {
            return [.. errors];
        }
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static async Task RunAsync(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Dashboard.sln was not found above the harness.");
    }
}

internal sealed record Journey(double Total, double RunToResults, bool Reconnected, List<string> ConsoleErrors, string? Error);

internal sealed record LevelResult(
    int Sessions,
    int Finished,
    double JourneyP50,
    double JourneyP95,
    double RunP50,
    double RunP95,
    double CpuPerJourney,
    double RssBeforeMb,
    double RssPeakMb,
    double RssAfter60Mb,
    double RssSettledMb,
    int SettleSeconds,
    int CircuitsLost,
    int ConsoleErrors);

/// <summary>The published dashboard in Production on a free port, with its own store and temp folder.</summary>
internal sealed class Server : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _folder;

    private Server(Process process, string baseUrl, string folder)
    {
        _process = process;
        BaseUrl = baseUrl;
        _folder = folder;
    }

    public string BaseUrl { get; }

    public static async Task<Server> StartAsync(string app)
    {
        var folder = Directory.CreateTempSubdirectory("segments-load-").FullName;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var baseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = app, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(app, "Segmentation.Dashboard.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUrl);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Storage__Path"] = Path.Combine(folder, "segmentation.db");
        start.Environment["TempFiles__Path"] = Path.Combine(folder, "tmp");
        // Every browser of the harness comes from 127.0.0.1, which a deployment's per-address limit would count as one client.
        start.Environment["RateLimits__RequestsPerMinute"] = "1000000";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        var server = new Server(process, baseUrl, folder);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await client.GetAsync(baseUrl + "/health/ready")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The dashboard did not become ready within 60 s:\n" + server._log);
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

    /// <summary>Circuits the server ended on an error (CircuitHost's unhandled-exception event).</summary>
    public int CircuitFailures()
    {
        lock (_log)
        {
            return _log.ToString().Split('\n').Count(line => line.Contains("Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost[111]", StringComparison.Ordinal));
        }
    }

    /// <summary>The server process's resident memory in MB (/proc).</summary>
    public double RssMb()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>User plus system CPU time of the server process so far, in seconds.</summary>
    public double CpuSeconds()
    {
        _process.Refresh();
        return _process.TotalProcessorTime.TotalSeconds;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
