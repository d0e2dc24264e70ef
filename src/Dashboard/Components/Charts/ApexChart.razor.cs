using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Segmentation.Dashboard.Components.Charts;

/// <summary>
/// One apexcharts chart in one element. It creates the chart after the first render, updates it when <see cref="Options"/>
/// changes (a new instance), and destroys it on dispose. Charts follow the app's light or dark mode.
/// </summary>
public sealed partial class ApexChart
{
    /// <summary>The collocated ES module that owns the apexcharts instance.</summary>
    public const string ModulePath = "./Components/Charts/ApexChart.razor.js";

    private ElementReference _element;
    private IJSObjectReference? _module;
    private IJSObjectReference? _chart;
    private string? _renderedJson;
    private string? _json;

    /// <summary>The chart: type, series, axes. Give a new instance to change it.</summary>
    [Parameter, EditorRequired]
    public ApexChartOptions Options { get; set; } = null!;

    /// <summary>The test id of the element that holds the chart's svg.</summary>
    [Parameter, EditorRequired]
    public string TestId { get; set; } = null!;

    /// <summary>Height in pixels.</summary>
    [Parameter]
    public int Height { get; set; } = 320;

    /// <summary>A line under the chart, e.g. "Showing a stratified sample of 5,000 of 8,950 customers". Plain text.</summary>
    [Parameter]
    public string? Caption { get; set; }

    /// <summary>Accessible name of the figure.</summary>
    [Parameter]
    public string? Label { get; set; }

    [CascadingParameter(Name = "DarkMode")]
    public bool DarkMode { get; set; }

    protected override void OnParametersSet()
    {
        var options = Options with
        {
            Chart = Options.Chart with { Height = Height },
            Theme = new ThemeOptions(DarkMode ? "dark" : "light"),
        };
        _json = options.ToJson();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_json == _renderedJson)
        {
            return;
        }

        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            if (_chart is null)
            {
                _chart = await _module.InvokeAsync<IJSObjectReference>("create", _element, _json);
            }
            else
            {
                await _module.InvokeVoidAsync("update", _chart, _json);
            }

            _renderedJson = _json;
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; nothing to draw on.
        }
        catch (TaskCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null && _chart is not null)
            {
                await _module.InvokeVoidAsync("destroy", _chart);
            }

            if (_chart is not null)
            {
                await _chart.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The browser is gone and took the chart with it.
        }
    }
}
