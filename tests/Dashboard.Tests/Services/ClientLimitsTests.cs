using System.Reflection;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Segmentation.Dashboard.Services;

namespace Segmentation.Dashboard.Tests.Services;

public sealed class ClientLimitsTests
{
    [Fact]
    public void Each_client_has_its_own_budget_and_a_refusal_says_when_to_try_again()
    {
        using var limits = new ClientLimits(new RateLimitOptions { Uploads = 3, Analyses = 2, WindowMinutes = 10 });
        Assert.Null(limits.TryUpload("browser:a"));
        Assert.Null(limits.TryUpload("browser:a"));
        Assert.Null(limits.TryUpload("browser:a"));
        var refusal = limits.TryUpload("browser:a");
        Assert.NotNull(refusal);
        Assert.StartsWith("You have started 3 uploads in the last 10 minutes, the most this server allows one user; the next can start in about ", refusal, StringComparison.Ordinal);
        Assert.EndsWith(" seconds.", refusal, StringComparison.Ordinal);

        // Another browser, and the other budget, are untouched.
        Assert.Null(limits.TryUpload("browser:b"));
        Assert.Null(limits.TryAnalysis("browser:a"));
        Assert.Null(limits.TryAnalysis("browser:a"));
        Assert.Contains("2 analyses", limits.TryAnalysis("browser:a"), StringComparison.Ordinal);
    }

    private sealed class FakeCaller(string id) : HubCallerContext
    {
        public bool Aborted { get; private set; }

        public override string ConnectionId => id;

        public override string? UserIdentifier => null;

        public override System.Security.Claims.ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => Aborted = true;
    }

    private sealed class SomeHub : Hub
    {
        public static void DispatchBrowserEvent()
        {
        }

        public static void ReceiveJSDataChunk()
        {
        }
    }

    private static HubInvocationContext Call(HubCallerContext caller, string method) =>
        new(caller, new ServiceCollection().BuildServiceProvider(), new SomeHub(), typeof(SomeHub).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!, []);

    [Fact]
    public async Task A_connection_that_floods_the_hub_is_closed_and_others_go_on()
    {
        using var filter = new HubFloodFilter(new RateLimitOptions { HubBurst = 50, HubMessagesPerSecond = 10 }, NullLogger<HubFloodFilter>.Instance);
        var flooder = new FakeCaller("flooder");
        var person = new FakeCaller("person");
        var ran = new Dictionary<string, int> { ["flooder"] = 0, ["person"] = 0 };
        ValueTask<object?> Next(HubInvocationContext context)
        {
            ran[context.Context.ConnectionId]++;
            return ValueTask.FromResult<object?>(null);
        }

        for (var i = 0; i < 500; i++)
        {
            await filter.InvokeMethodAsync(Call(flooder, nameof(SomeHub.DispatchBrowserEvent)), Next);
        }

        for (var i = 0; i < 20; i++)
        {
            await filter.InvokeMethodAsync(Call(person, nameof(SomeHub.DispatchBrowserEvent)), Next);
        }

        Assert.True(flooder.Aborted);
        Assert.InRange(ran["flooder"], 50, 60);
        Assert.False(person.Aborted);
        Assert.Equal(20, ran["person"]);

        // Upload chunks are bounded by the upload limit, not counted here.
        var uploader = new FakeCaller("uploader");
        ran["uploader"] = 0;
        for (var i = 0; i < 500; i++)
        {
            await filter.InvokeMethodAsync(Call(uploader, nameof(SomeHub.ReceiveJSDataChunk)), Next);
        }

        Assert.False(uploader.Aborted);
        Assert.Equal(500, ran["uploader"]);
    }
}
