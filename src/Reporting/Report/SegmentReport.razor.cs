using Microsoft.AspNetCore.Components;
using Segmentation.Reporting.Charts;
using Segmentation.Reporting.Resources;

namespace Segmentation.Reporting.Report;

/// <summary>The report page: rendered to a string by <see cref="ReportRenderer"/>, never interactive.</summary>
public sealed partial class SegmentReport
{
    private const int MaxFindings = 20;

    [Parameter, EditorRequired]
    public ReportModel Model { get; set; } = null!;

    /// <summary>A chart drawn by <see cref="SvgChart"/>: SVG we generate (OxyPlot writes every text through its XML writer, so user
    /// text in names and titles arrives escaped), the only markup the report inlines.</summary>
    private MarkupString Svg(ApexChartOptions options, string id, int width, int height) =>
        new(SvgChart.Render(options, width, height, Model.Culture, id));

    private string Number(double value) => SvgChart.ShortNumber(value, Model.Culture);

    private string T(string key, params object[] arguments) => ReportTexts.In(ReportTexts.Numbers(Model.Culture), key, arguments);

    private const string Styles = """
        :root { --ink: #1a1a1a; --muted: #555; --line: #d9d9d9; --accent: #0072B2; }
        * { box-sizing: border-box; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1080px; padding: 24px; line-height: 1.45; font-size: 14px; }
        h1 { font-size: 28px; margin: 4px 0; }
        h2 { font-size: 20px; margin: 24px 0 8px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 16px 0 4px; }
        .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); margin: 0; }
        .meta { color: var(--muted); margin: 2px 0 8px; }
        .note { background: #FFF4E0; border-left: 4px solid #B45309; padding: 6px 10px; }
        .lead { font-size: 15px; }
        .notes { white-space: pre-wrap; }
        .small, figcaption { font-size: 12px; color: var(--muted); }
        .facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0; }
        .facts dt { font-weight: 600; }
        .facts dd { margin: 0; }
        figure { margin: 8px 0 16px; break-inside: avoid; }
        .charts.two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
        svg.report-chart { width: 100%; height: auto; display: block; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 12.5px; break-inside: auto; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid var(--ink); }
        tr { break-inside: avoid; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.chosen { background: #EAF3FA; }
        tr.total th, tr.total td { font-weight: 600; border-top: 2px solid var(--ink); }
        .swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px; vertical-align: -1px; }
        .traits { list-style: none; padding-left: 0; }
        .high { color: #A33A00; } .low { color: #0B5A8F; }
        .recommendation { font-size: 15px; border-left: 4px solid var(--accent); padding-left: 10px; }
        .evidence { font-size: 12px; color: var(--muted); }
        .cover { border-bottom: 1px solid var(--line); padding-bottom: 12px; }
        @page { margin: 14mm 12mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11pt; }
          .page { break-before: page; }
          h2, h3 { break-after: avoid; }
          .charts.two { grid-template-columns: 1fr 1fr; }
          a { color: inherit; }
        }
        """;
}
