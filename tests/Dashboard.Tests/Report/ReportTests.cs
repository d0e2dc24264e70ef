using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Segmentation.Analytics.Pipeline;
using Segmentation.Reporting.Charts;
using Segmentation.Reporting.Report;

namespace Segmentation.Dashboard.Tests.Report;

public sealed partial class ReportTests : DashboardTestContext
{
    [Fact]
    public async Task The_report_has_every_section_and_chart_inline_and_fetches_nothing()
    {
        await AnalyseBlobsAsync(2, 5);
        State.SelectK(3);
        var html = await ReportRenderer.RenderAsync(State.Report(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero))!);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        foreach (var section in new[] { "title", "summary", "preparation", "why-k", "map", "profiles", "method" })
        {
            Assert.Contains($"data-section=\"{section}\"", html, StringComparison.Ordinal);
        }

        Assert.Equal(3, Regex.Count(html, "data-section=\"segment\""));
        Assert.Equal(6, Regex.Count(html, "<svg role=\"img\""));

        // Self-contained: no script, no stylesheet or image to fetch, no external address.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(SourceAttribute(), html);

        // Every inline SVG is well-formed XML with its own clip ids, so that charts do not clip each other.
        var svgs = Svg().Matches(html).Select(m => XElement.Parse(m.Value)).ToArray();
        var ids = svgs.SelectMany(s => s.Descendants().Select(e => (string?)e.Attribute("id"))).Where(id => id is not null).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_report_shows_the_segments_as_the_dashboard_does_with_the_users_names_as_text()
    {
        await AnalyseBlobsAsync(2, 4);
        State.SelectK(3);
        var number = State.Displayed!.Numbers[0];
        State.EditSegment(number, "<script>alert('x')</script> & Co", "Call them <b>now</b>");
        State.SetNotes("Q4 review: <img src=x onerror=alert(1)>");
        var report = State.Report(DateTimeOffset.UtcNow)!;
        var html = await ReportRenderer.RenderAsync(report);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co", html, StringComparison.Ordinal);
        Assert.Contains("Call them &lt;b&gt;now&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("(edited)", html, StringComparison.Ordinal);

        // Sizes and shares as on the cards.
        var view = State.View!;
        foreach (var i in Enumerable.Range(0, view.K))
        {
            Assert.Contains($"{view.Solution.Sizes[i].ToString("N0", CultureInfo.InvariantCulture)} customers · {Segmentation.Dashboard.Components.Format.Percent(view.Profiles.Segments[i].Share)} of all", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_German_report_writes_German_numbers()
    {
        await AnalyseBlobsAsync(2, 3);
        State.SelectK(3);
        var report = State.Report(DateTimeOffset.UtcNow)! with { Culture = CultureInfo.GetCultureInfo("de-DE") };
        var html = await ReportRenderer.RenderAsync(report);
        Assert.Contains("lang=\"en\"", html, StringComparison.Ordinal); // German numbers, English text: there is no German translation yet
        Assert.Contains("@page { size: A4; }", html, StringComparison.Ordinal);
        Assert.Equal("letter", ReportModel.PaperFor(CultureInfo.GetCultureInfo("en-US")));
        Assert.Equal("A4", ReportModel.PaperFor(CultureInfo.GetCultureInfo("en-GB")));
        var inertia = State.Run!.Sweep.For(2).Inertia;
        Assert.Contains(inertia.ToString("N0", CultureInfo.GetCultureInfo("de-DE")), html, StringComparison.Ordinal);

        // Profile tables too: the overall mean of SPEND (about 500) is written with a decimal comma.
        var spend = State.View!.Profiles.Separation.First(f => f.Feature == "SPEND").OverallMean;
        var german = SvgChart.ShortNumber(spend, CultureInfo.GetCultureInfo("de-DE"));
        Assert.Contains(',', german);
        Assert.Contains($">{german}<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Server_side_charts_keep_shapes_colours_and_annotations_of_the_options()
    {
        var options = new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "scatter" },
            Series = [new ChartSeries("1 · A", new[] { new[] { 0.0, 1.0 }, [1.0, 2.0] }), new ChartSeries("2 · B", new[] { new[] { 3.0, 1.0 } })],
            Colors = ["#0072B2", "#E69F00"],
            Markers = new MarkersOptions { Size = new object[] { 3, 3 }, Shape = ["circle", "triangle"] },
            Title = new TextOptions("Map <of> customers"),
        };
        var model = SvgChart.ToPlotModel(options, CultureInfo.InvariantCulture);
        var series = model.Series.OfType<OxyPlot.Series.ScatterSeries>().ToArray();
        Assert.Equal([OxyPlot.MarkerType.Circle, OxyPlot.MarkerType.Triangle], series.Select(s => s.MarkerType));
        Assert.Equal(2, series[0].Points.Count);
        var svg = XElement.Parse(SvgChart.Render(options, 400, 300, CultureInfo.InvariantCulture, "t"));
        Assert.Equal("Map <of> customers", (string?)svg.Attribute("aria-label"));
        Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text" && e.Value == "Map <of> customers");
    }

    [GeneratedRegex("(src|href)\\s*=\\s*\"(https?:|//)", RegexOptions.IgnoreCase)]
    private static partial Regex SourceAttribute();

    [GeneratedRegex("<svg role=\"img\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Svg();
}
