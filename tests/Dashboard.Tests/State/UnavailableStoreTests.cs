using System.Text;
using Segmentation.Analytics;
using Segmentation.Dashboard.State;
using Segmentation.Storage;

namespace Segmentation.Dashboard.Tests.State;

/// <summary>A store that cannot be reached (PostgreSQL down) gives the user a clear message, and the analysis keeps working.</summary>
public sealed class UnavailableStoreTests
{
    [Fact]
    public async Task Saving_to_an_unreachable_server_says_so_and_the_results_stay_on_screen()
    {
        // Nothing listens on port 1: every connection is refused at once.
        var options = new StorageOptions { Provider = "postgres", ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2" };
        var store = new AnalysisStore(new Factory(options), options);
        using var state = new DashboardState(new AnalysisThrottle(2), store, new OwnerContext { OwnerId = "browser:test" });
        var lines = new List<string> { "CUST_ID,SPEND,VISITS" };
        lines.AddRange(Enumerable.Range(0, 90).Select(i => FormattableString.Invariant($"C{i + 1},{(i % 3 * 500) + (i % 7 * 3)},{(i % 3 * 10) + (i % 5)}")));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        await state.LoadCsvAsync(stream, "groups.csv", null, CancellationToken.None);
        state.SetKRange(2, 4);
        await state.RunAnalysisAsync();
        Assert.NotNull(state.Run);
        Assert.True(state.CanSave);
        for (var i = 0; i < 200 && state.SaveError is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains("could not be saved or read: the PostgreSQL server is unavailable", state.SaveError, StringComparison.Ordinal);
        Assert.Contains("The analysis on screen keeps working.", state.SaveError, StringComparison.Ordinal);
        Assert.Null(state.AnalysisId);

        // Still usable: another k, a rename, exports.
        state.SelectK(2);
        state.EditSegment(1, "Renamed", null);
        Assert.Equal("Renamed", state.Displayed!.Names[state.Displayed.IndexOf(1)]);
        Assert.NotNull(state.ExportAssignment());

        // Opening by address reports the same problem rather than a missing analysis.
        Assert.False(await state.OpenAsync(Guid.NewGuid(), CancellationToken.None));
        Assert.False(state.NotFound);
    }

    private sealed class Factory(StorageOptions options) : Microsoft.EntityFrameworkCore.IDbContextFactory<SegmentationDbContext>
    {
        public SegmentationDbContext CreateDbContext()
        {
            var builder = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<SegmentationDbContext>();
            options.Configure(builder);
            return new SegmentationDbContext(builder.Options);
        }
    }
}
