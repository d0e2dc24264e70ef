using Microsoft.AspNetCore.Components;
using Segmentation.Dashboard.Components.Charts;
using Segmentation.Reporting.Charts;
using Segmentation.Analytics.Pipeline;
using Segmentation.Dashboard.State;

namespace Segmentation.Dashboard.Components.Pages;

/// <summary>Settings, the sweep's charts and the choice of k. Leaving the page does not cancel a run; closing the tab does.</summary>
public sealed partial class Segment
{
    private ApexChartOptions? _scatter;
    private string? _scatterCaption;
    private (AnalysisResult Run, int K, string Shown, bool Biplot)? _scatterFor;
    private bool _biplot;

    /// <summary>How many feature directions the biplot draws: the strongest, so that the map stays readable.</summary>
    private const int BiplotFeatures = 6;

    private void SetBiplot(bool on)
    {
        _biplot = on;
        UpdateScatter();
    }

    /// <inheritdoc />
    protected override string PageName => "segment";

    protected override void OnInitialized() => State.Changed += OnChanged;

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        UpdateScatter();
    }

    private void UpdateScatter()
    {
        if (State.Run is not { } run || State.View is not { } view)
        {
            return;
        }

        if (_scatterFor is { } current && ReferenceEquals(current.Run, run) && current.K == view.Assignment.K && current.Shown == ShownKey() && current.Biplot == _biplot)
        {
            return;
        }

        var (options, shown) = ChartFactory.PcaScatter(run, view, State.Displayed!, directions: _biplot ? BiplotFeatures : 0);
        _scatter = options;
        var rows = run.Preprocessed.Matrix.Rows;
        _scatterCaption = shown < rows
            ? L["ScatterSample", shown.ToString("N0", Format.Culture), rows.ToString("N0", Format.Culture)]
            : L["ScatterAll", rows.ToString("N0", Format.Culture)];
        _scatterFor = (run, view.Assignment.K, ShownKey(), _biplot);
    }

    /// <summary>A candidate's kind word ("category", "flag", …) in the UI's language.</summary>
    private string KindName(string kind) => kind switch
    {
        "category" => L["KindWordCategory"],
        "flag" => L["KindWordFlag"],
        "date" => L["KindWordDate"],
        "derived" => L["KindWordDerived"],
        _ => kind,
    };

    private string ShownKey() => State.Displayed is { } shown ? string.Join('\u001f', shown.Numbers.Zip(shown.Names, (n, name) => $"{n}:{name}")) : string.Empty;

    private void OnChanged() => _ = InvokeAsync(() =>
    {
        UpdateScatter();
        StateHasChanged();
    });

    public void Dispose() => State.Changed -= OnChanged;
}
