using System.Globalization;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Segments;
using Segmentation.Analytics.Statistics;
using Segmentation.Analytics.Pipeline;
using Segmentation.Reporting.Resources;

namespace Segmentation.Reporting.Charts;

/// <summary>Builds the dashboard's charts from analysis results. Pure functions: the same results give the same options.</summary>
public static class ChartFactory
{
    /// <summary>The most points a scatter draws; above it, a stratified sample.</summary>
    /// <remarks>1,500: apexcharts draws every marker as an SVG path with six listeners, so the map costs the browser about 0.4 ms
    /// and 3 DOM nodes per point on every change of k; a stratified sample of 1,500 shows the same shapes.</remarks>
    public const int MaxScatterPoints = 1500;

    /// <summary>Segment colours, segment 1 first (<see cref="SegmentPalette"/>).</summary>
    public static IReadOnlyList<string> SegmentColors => SegmentPalette.Colours;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string T(string key, params object[] arguments) => ReportTexts.Get(key, arguments);

    /// <summary>The heatmaps' diverging scale, even steps in OKLab (<see cref="ColourScience.Diverging"/>).</summary>
    private static IReadOnlyList<string> Diverging => ColourScience.HeatmapDiverging;

    /// <summary>The colour of 1-based segment <paramref name="segment"/>.</summary>
    public static string SegmentColor(int segment) => SegmentPalette.Colour(segment);

    /// <summary>A correlation heatmap of <paramref name="names"/> with a diverging scale centred on 0; values in cells when they fit.</summary>
    public static ApexChartOptions CorrelationHeatmap(IReadOnlyList<string> names, double[,] matrix, string method)
    {
        var n = names.Count;
        var series = new List<ChartSeries>(n);
        for (var row = n - 1; row >= 0; row--)
        {
            var cells = new HeatCell[n];
            for (var column = 0; column < n; column++)
            {
                var value = matrix[row, column];
                cells[column] = new HeatCell(names[column], double.IsNaN(value) ? null : Math.Round(value, 3));
            }

            series.Add(new ChartSeries(names[row], cells));
        }

        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "heatmap" },
            Series = series,
            Title = new TextOptions(T("CorrelationTitle", method)),
            DataLabels = new DataLabelsOptions(n <= 18) { Style = new TextStyle { FontSize = n <= 10 ? "12px" : "9px", Colors = ["#1a1a1a"] } },
            Legend = new LegendOptions(true) { Position = "bottom" },
            Xaxis = new AxisOptions { Labels = new AxisLabels { Rotate = -45, RotateAlways = true, Trim = true, MaxHeight = 140 } },
            PlotOptions = new PlotOptions
            {
                Heatmap = new HeatmapOptions
                {
                    EnableShades = false,
                    UseFillColorAsStroke = false,
                    ColorScale = new ColorScale(
                    [
                        new ColorRange(-1, -0.6, Diverging[0]) { Name = "−1 to −0.6" },
                        new ColorRange(-0.6, -0.3, Diverging[1]) { Name = "−0.6 to −0.3" },
                        new ColorRange(-0.3, -0.1, Diverging[2]) { Name = "−0.3 to −0.1" },
                        new ColorRange(-0.1, 0.1, Diverging[3]) { Name = "−0.1 to 0.1" },
                        new ColorRange(0.1, 0.3, Diverging[4]) { Name = "0.1 to 0.3" },
                        new ColorRange(0.3, 0.6, Diverging[5]) { Name = "0.3 to 0.6" },
                        new ColorRange(0.6, 1, Diverging[6]) { Name = "0.6 to 1" },
                    ]),
                },
            },
            Format = new NumberFormats(DataLabels: "decimal", Y: null, Digits: 2),
        };
    }

    /// <summary>A histogram as columns, one per bin, sized as a small multiple; categories are the bin ranges.</summary>
    /// <param name="histogram">The bins.</param>
    /// <param name="valueTitle">What the bins measure, for the x axis: the feature, or log(1 + feature).</param>
    /// <param name="color">Bar colour.</param>
    public static ApexChartOptions HistogramChart(Histogram histogram, string valueTitle, string color = "#3366CC")
    {
        var labels = new string[histogram.Counts.Count];
        for (var b = 0; b < labels.Length; b++)
        {
            labels[b] = $"{Short(histogram.Edges[b])}–{Short(histogram.Edges[b + 1])}";
        }

        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "bar" },
            Series = [new ChartSeries("Customers", histogram.Counts.Select(c => (double?)c).ToArray())],
            Colors = [color],
            DataLabels = new DataLabelsOptions(false),
            PlotOptions = new PlotOptions { Bar = new BarOptions { ColumnWidth = "96%" } },
            Xaxis = new AxisOptions { Categories = labels, Title = new TextOptions(valueTitle), TickAmount = Math.Min(labels.Length, 6), Labels = new AxisLabels { Rotate = -45, Trim = true } },
            Yaxis = new AxisOptions { Title = new TextOptions("Customers"), ForceNiceScale = true },
            Tooltip = new TooltipOptions(true),
            Format = new NumberFormats(Y: "int"),
        };
    }

    /// <summary>Inertia against k with the elbow, the recommended k and the chosen k marked.</summary>
    public static ApexChartOptions Elbow(SweepResult sweep, int selectedK)
    {
        var ks = sweep.Solutions.Select(s => s.K.ToString(Invariant)).ToArray();
        var annotations = new List<XAnnotation>();
        if (sweep.ElbowK is { } elbow)
        {
            annotations.Add(new XAnnotation(elbow.ToString(Invariant), "#E8710A", new AnnotationLabel(T("ElbowAt", elbow)) { BorderColor = "#E8710A", Orientation = "horizontal", Style = new LabelStyle("#E8710A", "#fff") }) { StrokeDashArray = "4" });
        }

        var inertia = sweep.For(selectedK).Inertia;
        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "line" },
            Series = [new ChartSeries("Inertia", sweep.Solutions.Select(s => (double?)Math.Round(s.Inertia, 1)).ToArray())],
            Title = new TextOptions(T("ElbowTitle")),
            Colors = ["#3366CC"],
            Stroke = new StrokeOptions { Width = 3, Curve = "straight" },
            Markers = new MarkersOptions { Size = 5 },
            Xaxis = new AxisOptions { Categories = ks, Title = new TextOptions(T("NumberOfSegments")) },
            Yaxis = new AxisOptions { Title = new TextOptions(T("InertiaAxis")), ForceNiceScale = true },
            Annotations = new AnnotationsOptions
            {
                Xaxis = annotations,
                Points = [new PointAnnotation(selectedK.ToString(Invariant), Math.Round(inertia, 1), new AnnotationLabel(T("ChosenK", selectedK)) { Style = new LabelStyle("#2CA02C", "#fff") }) { Marker = new PointMarker(7, "#2CA02C", "#fff") }],
            },
            Tooltip = new TooltipOptions(true),
            Format = new NumberFormats(Y: "compact"),
        };
    }

    /// <summary>Mean silhouette and stability (mean adjusted Rand of resampled refits) against k, with the recommended and chosen k marked; the subtitle says when the silhouette is a sample estimate.</summary>
    public static ApexChartOptions SilhouetteByK(SweepResult sweep, int selectedK)
    {
        // Kept short: apexcharts cuts a subtitle that does not fit, it never wraps one. The stability recipe goes in StabilityNote.
        var subtitle = sweep.SilhouetteSampled
            ? T("SilhouetteSampled", sweep.SilhouetteRows.ToString("N0", ReportTexts.Numbers()))
            : T("SilhouetteExact", sweep.SilhouetteRows.ToString("N0", ReportTexts.Numbers()));
        var chosen = sweep.For(selectedK).Silhouette;
        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "line" },
            Series = sweep.Solutions.Any(s => s.Stability is not null)
                ? [
                    new ChartSeries(T("MeanSilhouette"), sweep.Solutions.Select(s => double.IsNaN(s.Silhouette) ? (double?)null : Math.Round(s.Silhouette, 4)).ToArray()),
                    new ChartSeries(T("StabilityAri"), sweep.Solutions.Select(s => s.Stability is { } st ? (double?)Math.Round(st.MeanAri, 3) : null).ToArray()),
                ]
                : [new ChartSeries(T("MeanSilhouette"), sweep.Solutions.Select(s => double.IsNaN(s.Silhouette) ? (double?)null : Math.Round(s.Silhouette, 4)).ToArray())],
            Title = new TextOptions(T("SilhouetteTitle")),
            Subtitle = new TextOptions(subtitle),
            Colors = ["#9467BD", "#17BECF"],
            Legend = new LegendOptions(true) { Position = "bottom" },
            Stroke = new StrokeOptions { Width = 3, Curve = "straight" },
            Markers = new MarkersOptions { Size = 5 },
            Xaxis = new AxisOptions { Categories = sweep.Solutions.Select(s => s.K.ToString(Invariant)).ToArray(), Title = new TextOptions(T("NumberOfSegments")) },
            Yaxis = new AxisOptions { Title = new TextOptions(T("HigherIsBetter")), Min = Math.Min(0, Math.Floor(sweep.Solutions.Min(s => double.IsNaN(s.Silhouette) ? 0 : s.Silhouette) * 10) / 10), Max = 1, TickAmount = 5 },
            Annotations = new AnnotationsOptions
            {
                Xaxis = [new XAnnotation(sweep.RecommendedK.ToString(Invariant), "#3366CC", new AnnotationLabel(T("RecommendedK", sweep.RecommendedK)) { BorderColor = "#3366CC", Orientation = "horizontal", Style = new LabelStyle("#3366CC", "#fff") }) { StrokeDashArray = "4" }],
                Points = double.IsNaN(chosen) ? [] : [new PointAnnotation(selectedK.ToString(Invariant), Math.Round(chosen, 4), new AnnotationLabel(T("ChosenK", selectedK)) { Style = new LabelStyle("#2CA02C", "#fff") }) { Marker = new PointMarker(7, "#2CA02C", "#fff") }],
            },
            Tooltip = new TooltipOptions(true),
            Format = new NumberFormats(Y: "decimal", Digits: 3),
        };
    }

    /// <summary>How stability was measured, for the caption under <see cref="SilhouetteByK"/>; null when it was not.</summary>
    public static string? StabilityNote(SweepResult sweep) =>
        sweep.Solutions.Select(s => s.Stability).FirstOrDefault(s => s is not null) is { } first
            ? T("StabilityNote", first.Resamples, first.SampleRows.ToString("N0", ReportTexts.Numbers()))
            : null;

    /// <summary>
    /// Customers on the first two principal components, coloured by segment, with centroids; above <see cref="MaxScatterPoints"/>
    /// a stratified sample (each segment in proportion, at least a few points each). Returns the options and the points drawn.
    /// </summary>
    /// <param name="run">The analysis.</param>
    /// <param name="view">The segmentation shown.</param>
    /// <param name="shown">Segment numbers and names.</param>
    /// <param name="seed">Seed of the sample.</param>
    /// <param name="directions">With more than 0, a biplot: the directions of the <paramref name="directions"/> features that load
    /// most on the two components, drawn as rays from the centre and labelled at their tips.</param>
    public static (ApexChartOptions Options, int Shown) PcaScatter(AnalysisResult run, KSegmentation view, DisplayedSegments shown, int seed = 1, int directions = 0)
    {
        var matrix = run.Preprocessed.Matrix;
        var k = view.Assignment.K;
        var labels = view.Solution.Labels;
        var rows = StratifiedSample(labels, k, MaxScatterPoints, seed);
        var series = new List<ChartSeries>();
        for (var s = 0; s < k; s++)
        {
            var points = rows[s].Select(i => new[] { Math.Round(run.RowCoordinates[i * 2], 3), Math.Round(run.RowCoordinates[(i * 2) + 1], 3) }).ToArray();
            series.Add(new ChartSeries($"{shown.Numbers[s]} · {shown.Names[s]}", points));
        }

        var centroids = Enumerable.Range(0, k).Select(s => new[] { Math.Round((double)view.CentroidCoordinates[s * 2], 3), Math.Round((double)view.CentroidCoordinates[(s * 2) + 1], 3) }).ToArray();
        series.Add(new ChartSeries(T("SegmentCentres"), centroids));
        var ratio = run.Sweep.Pca.ExplainedVarianceRatio;
        var sizes = Enumerable.Repeat<object>(3, k).Append(11).ToArray();
        var xs = series.SelectMany(p => (double[][])p.Data).Select(p => p[0]).ToArray();
        var ys = series.SelectMany(p => (double[][])p.Data).Select(p => p[1]).ToArray();
        var colours = shown.Numbers.Select(SegmentColor).Append("#111111").ToList();
        var shapes = shown.Numbers.Select(SegmentPalette.Shape).Append("circle").ToList();
        var strokes = sizes.Select((_, i) => i < k ? 0 : 2).ToList();
        var annotations = (AnnotationsOptions?)null;
        if (directions > 0 && Loadings(run.Sweep.Pca, directions) is { Count: > 0 } top)
        {
            // One ray per feature from the centre: (0,0) → tip → (0,0) → next tip, as one line series; tips labelled.
            var reach = 0.8 * Math.Min(Math.Max(Math.Abs(xs.Min()), Math.Abs(xs.Max())), Math.Max(Math.Abs(ys.Min()), Math.Abs(ys.Max())));
            var longest = top.Max(l => Math.Sqrt((l.Pc1 * l.Pc1) + (l.Pc2 * l.Pc2)));
            var scale = longest > 0 ? reach / longest : 1;
            var rays = new List<double[]>();
            foreach (var l in top)
            {
                rays.Add([0.0, 0.0]);
                rays.Add([Math.Round(l.Pc1 * scale, 3), Math.Round(l.Pc2 * scale, 3)]);
            }

            rays.Add([0.0, 0.0]);
            series = series.Select(s => s with { Type = "scatter" }).ToList();
            series.Add(new ChartSeries(T("FeatureDirections"), rays.ToArray()) { Type = "line" });
            colours.Add("#444444");
            shapes.Add("circle");
            sizes = [.. sizes, 0];
            strokes.Add(0);
            annotations = new AnnotationsOptions
            {
                Points = top.Select(l => new PointAnnotation(Math.Round(l.Pc1 * scale, 3), Math.Round(l.Pc2 * scale, 3), new AnnotationLabel(l.Feature) { BorderColor = "#444444", Style = new LabelStyle("#FFFFFF", "#1A1A1A") }) { Marker = new PointMarker(0, "#444444", "#444444") }).ToArray(),
            };
        }

        return (new ApexChartOptions
        {
            Chart = new ChartSettings { Type = directions > 0 ? "line" : "scatter", Zoom = new Toggle(true) },
            Series = series,
            Title = new TextOptions(T("MapTitle", matrix.Columns)),
            Colors = colours,
            Markers = new MarkersOptions { Size = sizes, Shape = shapes, StrokeWidth = strokes.ToArray(), FillOpacity = 0.75 },
            Stroke = directions > 0 ? new StrokeOptions { Width = series.Select(s => s.Type == "line" ? 1.5 : 0).ToArray(), Curve = "straight" } : null,
            Annotations = annotations,
            Xaxis = NiceAxis(xs, T("Pc1Axis", ReportTexts.Percent(ratio[0]))),
            Yaxis = NiceAxis(ys, ratio.Count > 1 ? T("Pc2Axis", ReportTexts.Percent(ratio[1])) : "PC2"),
            Legend = new LegendOptions(true) { Position = "bottom" },
            Tooltip = new TooltipOptions(true) { Intersect = true, Shared = false },
            Format = new NumberFormats(X: "decimal", Y: "decimal", Digits: 3),
        }, rows.Sum(r => r.Count));
    }

    /// <summary>A feature's weight on the first two principal components.</summary>
    /// <param name="Feature">The prepared feature.</param>
    /// <param name="Pc1">Loading on the first component.</param>
    /// <param name="Pc2">Loading on the second component.</param>
    public sealed record Loading(string Feature, double Pc1, double Pc2);

    /// <summary>The <paramref name="count"/> features that weigh most on the first two components (by the length of their loading),
    /// largest first; all when <paramref name="count"/> is at least the number of features.</summary>
    public static IReadOnlyList<Loading> Loadings(Segmentation.Analytics.Projection.PcaResult pca, int count)
    {
        ArgumentNullException.ThrowIfNull(pca);
        if (pca.Components.GetLength(0) < 2)
        {
            return [];
        }

        return Enumerable.Range(0, pca.FeatureNames.Count)
            .Select(f => new Loading(pca.FeatureNames[f], pca.Components[0, f], pca.Components[1, f]))
            .OrderByDescending(l => (l.Pc1 * l.Pc1) + (l.Pc2 * l.Pc2))
            .Take(count)
            .ToArray();
    }

    /// <summary>A numeric axis from the floor of the smallest to the ceiling of the largest value, with whole-number ticks where they fit.</summary>
    private static AxisOptions NiceAxis(double[] values, string title)
    {
        if (values.Length == 0)
        {
            return new AxisOptions { Type = "numeric", Title = new TextOptions(title) };
        }

        var min = Math.Floor(values.Min());
        var max = Math.Ceiling(values.Max());
        var span = Math.Max(1, max - min);
        var step = span <= 12 ? 1 : span <= 24 ? 2 : span <= 60 ? 5 : 10;
        min = Math.Floor(min / step) * step;
        max = Math.Ceiling(max / step) * step;
        return new AxisOptions { Type = "numeric", Min = min, Max = max, TickAmount = (int)((max - min) / step), Title = new TextOptions(title) };
    }

    /// <summary>Customers per segment as horizontal bars in segment colours.</summary>
    public static ApexChartOptions Sizes(KSegmentation view, DisplayedSegments shown) => new()
    {
        Chart = new ChartSettings { Type = "bar" },
        Series = [new ChartSeries("Customers", view.Solution.Sizes.Select(s => (double?)s).ToArray())],
        Title = new TextOptions(T("SizesTitle")),
        Colors = shown.Numbers.Select(SegmentColor).ToArray(),
        PlotOptions = new PlotOptions { Bar = new BarOptions { Horizontal = true, Distributed = true, BarHeight = "70%" } },
        DataLabels = new DataLabelsOptions(true) { Style = new TextStyle { FontSize = "12px", Colors = shown.Numbers.Select(n => SegmentPalette.TextOn(SegmentColor(n))).ToArray() } },
        Legend = new LegendOptions(false),
        Xaxis = new AxisOptions { Categories = shown.Names.Select((n, i) => $"{shown.Numbers[i]} · {n}").ToArray(), Title = new TextOptions(T("Customers")), TickAmount = 4 },
        Yaxis = new AxisOptions { Labels = new AxisLabels { MaxWidth = 220 } },
        Tooltip = new TooltipOptions(true),
        Format = new NumberFormats(Y: null, X: null, DataLabels: "int"),
    };

    /// <summary>Segments × features: how far each segment's mean is from the overall mean, in standard deviations (diverging, centred on 0).</summary>
    public static ApexChartOptions ProfileHeatmap(KSegmentation view, DisplayedSegments shown)
    {
        var profiles = view.Profiles;
        var series = new List<ChartSeries>();
        for (var s = profiles.Segments.Count - 1; s >= 0; s--)
        {
            var cells = profiles.Features.Select((f, i) => new HeatCell(f, double.IsNaN(profiles.Segments[s].ZScores[i]) ? null : Math.Round(profiles.Segments[s].ZScores[i], 2))).ToArray();
            series.Add(new ChartSeries($"{shown.Numbers[s]} · {shown.Names[s]}", cells));
        }

        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "heatmap" },
            Series = series,
            Title = new TextOptions(T("ProfileHeatmapTitle")),
            DataLabels = new DataLabelsOptions(profiles.Features.Count <= 20) { Style = new TextStyle { FontSize = "10px", Colors = ["#1a1a1a"] } },
            Legend = new LegendOptions(true) { Position = "bottom" },
            Xaxis = new AxisOptions { Labels = new AxisLabels { Rotate = -45, RotateAlways = true, Trim = true, MaxHeight = 140 } },
            Yaxis = new AxisOptions { Labels = new AxisLabels { MaxWidth = 260 } },
            PlotOptions = new PlotOptions
            {
                Heatmap = new HeatmapOptions
                {
                    EnableShades = false,
                    ColorScale = new ColorScale(
                    [
                        new ColorRange(-1000, -1, Diverging[0]) { Name = "below −1 sd" },
                        new ColorRange(-1, -0.5, Diverging[1]) { Name = "−1 to −0.5 sd" },
                        new ColorRange(-0.5, -0.2, Diverging[2]) { Name = "−0.5 to −0.2 sd" },
                        new ColorRange(-0.2, 0.2, Diverging[3]) { Name = "about average" },
                        new ColorRange(0.2, 0.5, Diverging[4]) { Name = "0.2 to 0.5 sd" },
                        new ColorRange(0.5, 1, Diverging[5]) { Name = "0.5 to 1 sd" },
                        new ColorRange(1, 1000, Diverging[6]) { Name = "above 1 sd" },
                    ]),
                },
            },
            Format = new NumberFormats(DataLabels: "decimal", Digits: 2),
        };
    }

    /// <summary>
    /// The classic silhouette plot, turned upright: each segment's customers sorted from best to worst fit, side by side in
    /// segment colours, each as wide as its share of the customers; the dashed line is the mean over all of them.
    /// </summary>
    public static ApexChartOptions SegmentSilhouettes(KSegmentation view, DisplayedSegments shown, bool sampled)
    {
        var k = view.Assignment.K;
        var profiles = view.Silhouettes;
        var measured = profiles.Sum(p => p.Count);
        var gap = Math.Max(1, (int)Math.Round(measured * 0.015));
        var series = new List<ChartSeries>(k);
        var offset = 0;
        foreach (var profile in profiles)
        {
            var points = profile.Points.Select(p => new[] { (double)(offset + p.Rank), Math.Round(p.Value, 4) }).ToArray();
            var mean = double.IsNaN(profile.Mean) ? "–" : profile.Mean.ToString("0.00", ReportTexts.Numbers());
            series.Add(new ChartSeries(T("SilhouetteSeries", $"{shown.Numbers[profile.Segment]} · {shown.Names[profile.Segment]}", mean, ReportTexts.Percent(profile.ShareBelowZero)), points));
            offset += profile.Count + gap;
        }

        var overall = measured == 0 ? double.NaN : profiles.Sum(p => double.IsNaN(p.Mean) ? 0 : p.Mean * p.Count) / measured;
        var low = profiles.Where(p => p.Count > 0).Select(p => (double)p.Points[^1].Value).DefaultIfEmpty(0).Min();
        var bottom = Math.Min(-0.2, Math.Floor(low * 5) / 5); // a multiple of 0.2, so the ticks fall on 0 and 1
        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "area" },
            Series = series,
            Title = new TextOptions(T("FitTitle")),
            Subtitle = new TextOptions(sampled
                ? T("FitSampled", measured.ToString("N0", ReportTexts.Numbers()))
                : T("FitAll", measured.ToString("N0", ReportTexts.Numbers()))),
            Colors = shown.Numbers.Select(SegmentColor).ToArray(),
            Fill = new FillOptions("solid") { Opacity = 0.7 },
            Stroke = new StrokeOptions { Width = 1, Curve = "straight" },
            Markers = new MarkersOptions { Size = 0 },
            DataLabels = new DataLabelsOptions(false),
            Legend = new LegendOptions(true) { Position = "bottom" },
            Xaxis = new AxisOptions
            {
                Type = "numeric",
                Min = 0,
                Max = Math.Max(1, offset - gap),
                Labels = new AxisLabels { Show = false },
                Title = new TextOptions(T("FitAxis")),
            },
            Yaxis = new AxisOptions { Min = bottom, Max = 1, TickAmount = (int)Math.Round((1 - bottom) / 0.2), Title = new TextOptions("Silhouette") },
            Annotations = double.IsNaN(overall) ? null : new AnnotationsOptions
            {
                Yaxis = [new YAnnotation(Math.Round(overall, 4), "#555", new AnnotationLabel(T("MeanValue", overall.ToString("0.00", ReportTexts.Numbers()))) { BorderColor = "#555", Style = new LabelStyle("#555", "#fff") }) { StrokeDashArray = "4" }],
            },
            Tooltip = new TooltipOptions(false),
            Format = new NumberFormats(Y: "decimal", Digits: 2),
        };
    }

    /// <summary>Where the customers of each segment at one k went at another k: share of each row's customers per column.</summary>
    public static ApexChartOptions Transition(KSegmentation from, IReadOnlyList<int> fromNumbers, KSegmentation to, DisplayedSegments toShown)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var table = Segmentation.Analytics.Segments.SegmentMatching.Transitions(from.Solution.Labels, to.Solution.Labels, from.Assignment.K, to.Assignment.K);
        return ShareHeatmap(
            T("TransitionTitle", from.Assignment.K, to.Assignment.K),
            Enumerable.Range(0, from.Assignment.K).Select(a => $"{fromNumbers[a]} · {from.Assignment.Names[a]}").ToArray(),
            Enumerable.Range(0, to.Assignment.K).Select(b => $"{toShown.Numbers[b]} · {toShown.Names[b]}").ToArray(),
            table.Share);
    }

    /// <summary>Where the customers of one saved analysis's segments are in another's: <paramref name="counts"/>[a, b] customers in both.</summary>
    public static ApexChartOptions Comparison(string firstTitle, DisplayedSegments first, string secondTitle, DisplayedSegments second, int[,] counts)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentNullException.ThrowIfNull(counts);
        var totals = Enumerable.Range(0, counts.GetLength(0)).Select(a => Enumerable.Range(0, counts.GetLength(1)).Sum(b => counts[a, b])).ToArray();
        return ShareHeatmap(
            T("ComparisonTitle", firstTitle, secondTitle),
            Enumerable.Range(0, counts.GetLength(0)).Select(a => $"{first.Numbers[a]} · {first.Names[a]}").ToArray(),
            Enumerable.Range(0, counts.GetLength(1)).Select(b => $"{second.Numbers[b]} · {second.Names[b]}").ToArray(),
            (a, b) => totals[a] == 0 ? 0 : counts[a, b] / (double)totals[a]);
    }

    /// <summary>Where the customers of both tables went: rows are the analysis' segments, columns the segments the new data gave them.</summary>
    public static ApexChartOptions Migration(Segmentation.Analytics.Pipeline.SegmentationModel model, Segmentation.Analytics.Scoring.SegmentMigration migration)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(migration);
        var labels = model.Segments.Select(s => $"{s.Number} · {s.Name}").ToArray();
        return ShareHeatmap(T("MigrationTitle"), labels, labels, migration.Share);
    }

    /// <summary>Each segment's share of customers in the analysis and in the new data, side by side.</summary>
    public static ApexChartOptions SizesThenNow(Segmentation.Analytics.Scoring.DriftReport drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "bar" },
            Series =
            [
                new ChartSeries(T("InTheAnalysis"), drift.Segments.Select(s => (double?)s.BeforeShare).ToArray()),
                new ChartSeries(T("InTheNewData"), drift.Segments.Select(s => (double?)s.NowShare).ToArray()),
            ],
            Title = new TextOptions(T("SizesThenNowTitle")),
            Colors = ["#9E9E9E", "#1565C0"],
            PlotOptions = new PlotOptions { Bar = new BarOptions { Horizontal = true, BarHeight = "75%" } },
            DataLabels = new DataLabelsOptions(true) { Style = new TextStyle { FontSize = "11px", Colors = ["#fff"] } },
            Legend = new LegendOptions(true) { Position = "bottom" },
            Xaxis = new AxisOptions { Categories = drift.Segments.Select(s => $"{s.Segment.Number} · {s.Segment.Name}").ToArray(), Title = new TextOptions(T("ShareOfCustomers")), TickAmount = 4 },
            Yaxis = new AxisOptions { Labels = new AxisLabels { MaxWidth = 240 } },
            Tooltip = new TooltipOptions(true),
            Format = new NumberFormats(X: "percent", Y: null, DataLabels: "percent"),
        };
    }

    private static ApexChartOptions ShareHeatmap(string title, string[] rows, string[] columns, Func<int, int, double> share)
    {
        var series = new List<ChartSeries>();
        for (var a = rows.Length - 1; a >= 0; a--)
        {
            var row = a;
            var cells = Enumerable.Range(0, columns.Length).Select(b => new HeatCell(columns[b], Math.Round(share(row, b), 3))).ToArray();
            series.Add(new ChartSeries(rows[a], cells));
        }

        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "heatmap" },
            Series = series,
            Title = new TextOptions(title),
            DataLabels = new DataLabelsOptions(true) { Style = new TextStyle { FontSize = "11px", Colors = ["#1a1a1a"] } },
            Legend = new LegendOptions(true) { Position = "bottom" },
            Xaxis = new AxisOptions { Labels = new AxisLabels { Rotate = -30, Trim = true, MaxHeight = 120 } },
            Yaxis = new AxisOptions { Labels = new AxisLabels { MaxWidth = 240 } },
            PlotOptions = new PlotOptions
            {
                Heatmap = new HeatmapOptions
                {
                    EnableShades = false,
                    ColorScale = new ColorScale(
                    [
                        new ColorRange(0, 0.05, "#F7FBFF") { Name = "under 5%" },
                        new ColorRange(0.05, 0.25, "#DEEBF7") { Name = "5–25%" },
                        new ColorRange(0.25, 0.5, "#C6DBEF") { Name = "25–50%" },
                        new ColorRange(0.5, 0.8, "#9ECAE1") { Name = "50–80%" },
                        new ColorRange(0.8, 1.0001, "#6BAED6") { Name = "80–100%" },
                    ]),
                },
            },
            Format = new NumberFormats(DataLabels: "percent"),
        };
    }

    /// <summary>Up to <paramref name="max"/> rows, each segment in proportion to its size and at least min(size, 25); seeded.</summary>
    public static IReadOnlyList<List<int>> StratifiedSample(IReadOnlyList<int> labels, int k, int max, int seed)
    {
        var bySegment = Enumerable.Range(0, k).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < labels.Count; i++)
        {
            bySegment[labels[i]].Add(i);
        }

        if (labels.Count <= max)
        {
            return bySegment;
        }

        var random = new Random(seed);
        var result = new List<int>[k];
        for (var s = 0; s < k; s++)
        {
            var members = bySegment[s].ToArray();
            var take = Math.Min(members.Length, Math.Max(Math.Min(members.Length, 25), (int)Math.Floor(max * (double)members.Length / labels.Count)));
            random.Shuffle(members);
            result[s] = members[..take].Order().ToList();
        }

        return result;
    }

    private static string Short(double value)
    {
        var magnitude = Math.Abs(value);
        return magnitude >= 1e6 ? (value / 1e6).ToString("0.#", ReportTexts.Numbers()) + "M"
            : magnitude >= 1e4 ? (value / 1e3).ToString("0.#", ReportTexts.Numbers()) + "k"
            : magnitude >= 100 ? value.ToString("0", ReportTexts.Numbers())
            : magnitude >= 1 ? value.ToString("0.##", ReportTexts.Numbers())
            : value.ToString("0.###", ReportTexts.Numbers());
    }
}
