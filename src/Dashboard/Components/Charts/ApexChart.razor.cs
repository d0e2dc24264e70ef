using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Segmentation.Reporting.Charts;

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
    private (ApexChartOptions Options, int Height, bool DarkMode)? _serialized;
    private bool _drawing;
    private bool _disposed;
    private bool _showData;
    private ChartTable? _data;

    /// <summary>Rows the "show data" table draws; copy and CSV have all.</summary>
    public const int MaxShownRows = 200;

    private static System.Globalization.CultureInfo Culture => System.Globalization.CultureInfo.CurrentCulture;

    /// <summary>What the chart is called in its menu and files: its title, else its label.</summary>
    private string Name => Options.Title?.Text ?? Label ?? TestId;

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

    /// <summary>When the analysis is fitted on a sample of a larger source, what every chart says about it.</summary>
    [CascadingParameter(Name = "SampleNote")]
    public string? SampleNote { get; set; }

    [CascadingParameter(Name = "DarkMode")]
    public bool DarkMode { get; set; }

    /// <summary>The circuit's state, for the CSV format the user chose (absent in isolated renders).</summary>
    [Inject]
    private IServiceProvider Services { get; set; } = null!;

    private Segmentation.Dashboard.State.DashboardState? State => Services.GetService(typeof(Segmentation.Dashboard.State.DashboardState)) as Segmentation.Dashboard.State.DashboardState;

    protected override void OnParametersSet()
    {
        // Serialise only when the chart's inputs change: a parent re-render with the same options costs nothing.
        if (_serialized is { } last && ReferenceEquals(last.Options, Options) && last.Height == Height && last.DarkMode == DarkMode)
        {
            return;
        }

        var options = Options with
        {
            Chart = Options.Chart with { Height = Height },
            Theme = new ThemeOptions(DarkMode ? "dark" : "light"),
        };
        _json = options.ToJson();
        _serialized = (Options, Height, DarkMode);
        _data = _showData ? ChartTable.From(Options) : null;
    }

    private void ToggleData()
    {
        _showData = !_showData;
        _data = _showData ? ChartTable.From(Options) : null;
    }

    private string FileName(string extension) => $"{Segmentation.Dashboard.Services.Exporter.Slug(Name)}.{extension}";

    private async Task DownloadImageAsync(string kind)
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            var size = _chart is null ? null : await _module.InvokeAsync<int[]?>("downloadImage", _chart, kind, FileName(kind));
            if (size is null)
            {
                Snackbar.Add(L["ChartNotDrawn"], Severity.Info);
            }
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // The tab closed before the image was made.
        }
    }

    private async Task CopyDataAsync()
    {
        var data = _data ?? ChartTable.From(Options);
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
            var copied = await _module.InvokeAsync<bool>("copyText", data.ToTabSeparated(Culture));
            Snackbar.Add(copied ? L["CopiedRows", data.Rows.Count.ToString("N0", Culture)] : L["CopyRefused"], copied ? Severity.Success : Severity.Warning);
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // The tab closed.
        }
    }

    private async Task DownloadDataAsync()
    {
        var data = _data ?? ChartTable.From(Options);
        var format = State?.CsvFormat ?? Segmentation.Analytics.Export.CsvFormat.ForExcel(Culture);
        try
        {
            await Segmentation.Dashboard.Services.Exporter.DownloadAsync(JS, TempFiles, FileName("csv"), async stream =>
            {
                await data.WriteCsvAsync(stream, format);
                return data.Rows.Count;
            }, CancellationToken.None);
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // The tab closed.
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // One draw at a time: a render that arrives while the chart is being created must not create a second one in the same
        // element; the running draw picks up the newest options when it finishes.
        if (_drawing || _json == _renderedJson)
        {
            return;
        }

        _drawing = true;
        try
        {
            while (!_disposed && _json != _renderedJson)
            {
                var json = _json;
                _module ??= await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
                if (_chart is null)
                {
                    _chart = await _module.InvokeAsync<IJSObjectReference>("create", _element, json);
                }
                else
                {
                    await _module.InvokeVoidAsync("update", _chart, json);
                }

                _renderedJson = json;
            }
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // The circuit or the element is gone; there is nothing to draw on.
        }
        finally
        {
            _drawing = false;
        }

        if (_disposed)
        {
            // Disposed while drawing (the draw finished or failed): release what was made; release never throws.
            await ReleaseAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (!_drawing)
        {
            // A draw in progress releases the chart itself when it returns.
            await ReleaseAsync();
        }
    }

    private static bool IsGone(Exception exception) => JsFailures.IsGone(exception);

    private async Task ReleaseAsync()
    {
        var chart = _chart;
        var module = _module;
        _chart = null;
        _module = null;
        try
        {
            if (module is not null && chart is not null)
            {
                await module.InvokeVoidAsync("destroy", chart);
            }

            if (chart is not null)
            {
                await chart.DisposeAsync();
            }

            if (module is not null)
            {
                await module.DisposeAsync();
            }
        }
        catch (Exception exception) when (IsGone(exception))
        {
            // The browser is gone and took the chart with it.
        }
    }
}
