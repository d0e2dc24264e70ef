using Microsoft.AspNetCore.Components;
using Segmentation.Dashboard.State;

namespace Segmentation.Dashboard.Components.Pages;

/// <summary>
/// A page that also lives under a saved analysis (<c>/analyses/{id}/…</c>) and a share link (<c>/shared/{token}/…</c>). The layout
/// opens the analysis the address names; the page notes itself as the one on screen, so a link reopens it.
/// </summary>
public abstract class AnalysisPage : ComponentBase
{
    /// <summary>The saved analysis in the address, if any.</summary>
    [Parameter]
    public Guid? AnalysisId { get; set; }

    /// <summary>The share token in the address, if any.</summary>
    [Parameter]
    public string? Token { get; set; }

    /// <summary>The circuit's state.</summary>
    [Inject]
    protected DashboardState State { get; set; } = null!;

    /// <summary>The page's name in addresses: data, explore, segment or segments.</summary>
    protected abstract string PageName { get; }

    /// <inheritdoc />
    protected override void OnParametersSet() => State.SetPage(PageName);
}
