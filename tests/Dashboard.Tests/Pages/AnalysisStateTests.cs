using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Segmentation.Analytics;
using Segmentation.Dashboard.Components.Pages;

namespace Segmentation.Dashboard.Tests.Pages;

public sealed class AnalysisStateTests : DashboardTestContext
{
    [Fact]
    public async Task Cancel_stops_an_analysis_that_waits_for_a_slot_and_leaves_no_results()
    {
        // Other users' analyses hold both slots, so this one waits, visibly, until it is cancelled: no race with a fast analysis.
        await State.LoadSampleAsync(CancellationToken.None);
        var throttle = Services.GetRequiredService<AnalysisThrottle>();
        var release = new TaskCompletionSource();
        var others = Enumerable.Range(0, throttle.MaxConcurrent + 1).Select(i => throttle.RunAsync(_ => release.Task.ContinueWith(_ => 0, TaskScheduler.Default), CancellationToken.None, owner: $"other{i}")).ToArray();
        var page = Render<Segment>();
        var running = State.RunAnalysisAsync();
        page.WaitForAssertion(() => Assert.Contains("Waiting for a free analysis slot: 1 analysis ahead of you, starting in about", page.Find("[data-testid=analysis-progress]").TextContent, StringComparison.Ordinal));
        Assert.True(State.IsRunning);

        // Another user's upload does not wait behind the analyses: reading is bounded apart from them.
        using (var another = new Segmentation.Dashboard.State.DashboardState(throttle, ingest: Services.GetRequiredService<IngestThrottle>()))
        {
            await another.LoadSampleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(8950, another.Data!.Dataset.RowCount);
        }

        page.Find("[data-testid=cancel-analysis]").Click();
        await running;
        Assert.False(State.IsRunning);
        Assert.Null(State.Run);
        Assert.Null(State.AnalysisError);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=analysis-progress]")));
        release.SetResult();
        await Task.WhenAll(others);
    }

    [Fact]
    public async Task Cancel_right_after_Run_discards_the_analysis_even_if_it_finishes()
    {
        await State.LoadSampleAsync(CancellationToken.None);
        var running = State.RunAnalysisAsync();
        Assert.True(State.IsRunning);
        State.CancelAnalysis();
        await running;
        Assert.False(State.IsRunning);
        Assert.Null(State.Run);
        Assert.Null(State.AnalysisError);
    }

    [Fact]
    public async Task Changing_a_setting_marks_results_outdated_and_a_bad_setting_shows_an_alert()
    {
        await AnalyseBlobsAsync(2, 3);
        Assert.False(State.ResultsOutdated);
        State.SetFeature("VISITS", false);
        Assert.True(State.ResultsOutdated);
        Assert.NotNull(State.Run);

        State.SetAllFeatures(false);
        State.SetFeature("RETURNS", true);
        State.SetKRange(10, 12);
        var page = Render<Segment>();
        await State.RunAnalysisAsync();
        page.WaitForAssertion(() => Assert.Contains("distinct rows", page.Find("[data-testid=analysis-error]").TextContent, StringComparison.Ordinal));
    }
}
