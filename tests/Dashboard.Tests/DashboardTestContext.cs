using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Segmentation.Analytics;
using Segmentation.Dashboard.State;

namespace Segmentation.Dashboard.Tests;

/// <summary>The shared bunit context: MudBlazor services, loose JS interop, the analytics throttle and one circuit's state.</summary>
public abstract class DashboardTestContext : BunitContext, IAsyncLifetime
{
    protected DashboardTestContext()
    {
        // CI runs these beside the analytics tests, which keep both cores busy: a render can take longer than bunit's default second.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddTransient<MudLocalizer, Segmentation.Dashboard.Services.MudTexts>();
        Services.AddSingleton(new AnalysisThrottle(2));
        Services.AddSingleton(new IngestThrottle(2));
        Services.AddScoped<DashboardState>();
        Services.AddSingleton(new Segmentation.Dashboard.Services.SourceCatalog(new Segmentation.Dashboard.Services.SourcesOptions { SampleRows = 500 }));
        Services.AddSingleton(new Segmentation.Dashboard.Services.TempFiles(TempDirectory));
        Render<MudPopoverProvider>();
    }

    /// <summary>This test's own folder for the app's temporary files (removed with the test).</summary>
    protected string TempDirectory { get; } = Path.Combine(Path.GetTempPath(), $"segments-bunit-{Guid.NewGuid():N}");

    protected DashboardState State => Services.GetRequiredService<DashboardState>();

    /// <summary>The configured sources (none until a test adds a Parquet root or a connection; samples of 500 rows).</summary>
    protected Segmentation.Dashboard.Services.SourcesOptions Sources => Services.GetRequiredService<Segmentation.Dashboard.Services.SourceCatalog>().Options;

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services can only be disposed asynchronously; xunit 2 calls this before the synchronous Dispose, which then has nothing left to do.
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, recursive: true);
        }
    }

    /// <summary>Loads a small CSV with three clear groups of customers into the state.</summary>
    protected async Task LoadBlobsAsync(int perGroup = 30)
    {
        var lines = new List<string> { "CUST_ID,SPEND,VISITS,RETURNS" };
        for (var i = 0; i < perGroup * 3; i++)
        {
            var group = i % 3;
            lines.Add(FormattableString.Invariant($"C{i + 1},{(group * 500) + (i % 7 * 3)},{(group * 10) + (i % 5)},{(group == 2 ? 8 : 1) + (i % 3)}"));
        }

        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        await State.LoadCsvAsync(stream, "groups.csv", null, CancellationToken.None);
    }

    /// <summary>Loads the three groups and runs an analysis over k = <paramref name="kMin"/>..<paramref name="kMax"/>.</summary>
    protected async Task AnalyseBlobsAsync(int kMin, int kMax, int perGroup = 30)
    {
        await LoadBlobsAsync(perGroup);
        State.SetKRange(kMin, kMax);
        await State.RunAnalysisAsync();
    }
}
