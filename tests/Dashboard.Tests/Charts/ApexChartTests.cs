using System.Text.Json;
using Bunit;
using Segmentation.Dashboard.Components.Charts;
using Segmentation.Reporting.Charts;

namespace Segmentation.Dashboard.Tests.Charts;

public sealed class ApexChartTests : DashboardTestContext
{
    private static ApexChartOptions Line(string seriesName) => new()
    {
        Chart = new ChartSettings { Type = "line" },
        Series = [new ChartSeries(seriesName, new double?[] { 1, null, 3 })],
        Xaxis = new AxisOptions { Categories = ["2", "3", "4"], Title = new TextOptions("Number of segments (k)") },
        Format = new NumberFormats(Y: "compact"),
    };

    [Fact]
    public void Creates_the_chart_in_its_element_with_camel_case_options_and_gaps_for_missing_values()
    {
        var module = JSInterop.SetupModule(ApexChart.ModulePath);
        module.SetupModule(invocation => invocation.Identifier == "create");
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, Line("Inertia")).Add(c => c.TestId, "chart-elbow").Add(c => c.Height, 300));

        var create = module.VerifyInvoke("create");
        create.Arguments[0].ShouldBeElementReferenceTo(cut.Find("[data-testid=chart-elbow]"));
        using var json = JsonDocument.Parse((string)create.Arguments[1]!);
        var root = json.RootElement;
        Assert.Equal("line", root.GetProperty("chart").GetProperty("type").GetString());
        Assert.Equal(300, root.GetProperty("chart").GetProperty("height").GetInt32());
        Assert.Equal("light", root.GetProperty("theme").GetProperty("mode").GetString());
        Assert.Equal("Number of segments (k)", root.GetProperty("xaxis").GetProperty("title").GetProperty("text").GetString());
        var data = root.GetProperty("series")[0].GetProperty("data");
        Assert.Equal(JsonValueKind.Null, data[1].ValueKind);
        Assert.False(root.TryGetProperty("yaxis", out _), "null options are omitted");
        Assert.Equal("compact", root.GetProperty("format").GetProperty("y").GetString());
    }

    [Fact]
    public async Task New_options_update_the_same_chart_and_dispose_destroys_it()
    {
        var module = JSInterop.SetupModule(ApexChart.ModulePath);
        module.SetupModule(invocation => invocation.Identifier == "create");
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, Line("Inertia")).Add(c => c.TestId, "chart-elbow"));

        cut.Render(p => p.Add(c => c.Options, Line("Inertia, new")));
        var update = module.VerifyInvoke("update");
        Assert.Contains("Inertia, new", (string)update.Arguments[1]!, StringComparison.Ordinal);
        module.VerifyInvoke("create", calledTimes: 1);

        cut.Render(p => p.Add(c => c.Options, Line("Inertia, new")));
        module.VerifyInvoke("update", calledTimes: 1);

        await DisposeComponentsAsync();
        module.VerifyInvoke("destroy");
    }

    [Fact]
    public void User_text_reaches_the_module_as_data_never_as_markup()
    {
        var module = JSInterop.SetupModule(ApexChart.ModulePath);
        module.SetupModule(invocation => invocation.Identifier == "create");
        const string hostile = "<img src=x onerror=alert(1)>";
        Render<ApexChart>(p => p.Add(c => c.Options, Line(hostile)).Add(c => c.TestId, "chart-x"));
        var json = (string)module.VerifyInvoke("create").Arguments[1]!;
        Assert.DoesNotContain("<img", json, StringComparison.Ordinal);
        Assert.Equal(hostile, JsonDocument.Parse(json).RootElement.GetProperty("series")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void The_caption_is_rendered_as_text()
    {
        JSInterop.SetupModule(ApexChart.ModulePath).SetupModule(invocation => invocation.Identifier == "create");
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, Line("x")).Add(c => c.TestId, "chart-pca").Add(c => c.Caption, "Showing a stratified sample of 5,000 of 8,950 customers <b>"));
        Assert.Equal("Showing a stratified sample of 5,000 of 8,950 customers <b>", cut.Find("figcaption").TextContent);
        Assert.Empty(cut.FindAll("figcaption b"));
    }

    public static TheoryData<string> JsFailures => new() { "cancelled", "disconnected", "js error" };

    private static Exception Failure(string kind) => kind switch
    {
        "cancelled" => new TaskCanceledException("The JS call was cancelled (timeout)."),
        "disconnected" => new Microsoft.JSInterop.JSDisconnectedException("The circuit is gone."),
        _ => new Microsoft.JSInterop.JSException("Element not found"),
    };

    [Theory]
    [MemberData(nameof(JsFailures))]
    public async Task A_js_failure_while_the_chart_is_destroyed_never_reaches_the_circuit(string kind)
    {
        var module = JSInterop.SetupModule(ApexChart.ModulePath);
        module.SetupModule(invocation => invocation.Identifier == "create");
        module.SetupVoid("destroy").SetException(Failure(kind));
        Render<ApexChart>(p => p.Add(c => c.Options, Line("Inertia")).Add(c => c.TestId, "chart-elbow"));

        var dispose = Record.ExceptionAsync(() => DisposeComponentsAsync());
        Assert.Null(await dispose);
        module.VerifyInvoke("destroy");

        // The renderer (the circuit, in the app) goes on: another chart renders and draws.
        var next = Render<ApexChart>(p => p.Add(c => c.Options, Line("Silhouette")).Add(c => c.TestId, "chart-silhouette"));
        Assert.Single(next.FindAll("[data-testid=chart-silhouette]"));
        Assert.Equal(2, module.Invocations["create"].Count);
    }

    [Theory]
    [MemberData(nameof(JsFailures))]
    public async Task A_chart_disposed_while_an_update_is_in_flight_that_then_fails_ends_quietly_and_is_released(string kind)
    {
        var module = JSInterop.SetupModule(ApexChart.ModulePath);
        module.SetupModule(invocation => invocation.Identifier == "create");
        var update = module.SetupVoid("update", _ => true);
        module.SetupVoid("destroy").SetVoidResult();
        var cut = Render<ApexChart>(p => p.Add(c => c.Options, Line("Inertia")).Add(c => c.TestId, "chart-elbow"));
        cut.Render(p => p.Add(c => c.Options, Line("Inertia, new k")));
        module.VerifyInvoke("update");

        // The page goes away while the browser is still applying the update; then the browser side fails.
        Assert.Null(await Record.ExceptionAsync(() => DisposeComponentsAsync()));
        Assert.Empty(module.Invocations["destroy"]);
        Assert.Null(await Record.ExceptionAsync(() => cut.InvokeAsync(() => update.SetException(Failure(kind)))));
        await cut.WaitForAssertionAsync(() => Assert.Single(module.Invocations["destroy"]));
    }
}
