using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPointAnnotation = OxyPlot.Annotations.PointAnnotation;

namespace Segmentation.Reporting.Charts;

/// <summary>
/// Draws a chart as SVG on the server, from the same <see cref="ApexChartOptions"/> the dashboard gives apexcharts: the types,
/// series, colours, marker shapes, axes, annotations and colour scales we use. OxyPlot lays the chart out and writes the SVG
/// (every text goes through its XML writer, so user text stays text). No script is needed to read the result.
/// </summary>
public static partial class SvgChart
{
    // Helvetica: OxyPlot measures text with the PDF core font metrics of Helvetica, and browsers draw it as Helvetica, Arial or
    // the metric-compatible Liberation Sans, so what is measured is what is drawn.
    private const string Font = "Helvetica";

    /// <summary>
    /// The chart as an <c>&lt;svg&gt;</c> element to inline in HTML: <paramref name="width"/> × <paramref name="height"/> pixels,
    /// its ids prefixed with <paramref name="id"/> (several charts share one page), labelled with the chart's title.
    /// </summary>
    public static string Render(ApexChartOptions options, int width, int height, CultureInfo culture, string id)
    {
        ArgumentNullException.ThrowIfNull(options);
        var model = ToPlotModel(options, culture);
        var svg = SvgExporter.ExportToString(model, width, height, isDocument: false, new PixelTextMeasurer(width, height));
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        svg = svg[start..];
        svg = ClipId().Replace(svg, match => $"{match.Groups[1].Value}{id}-clip{match.Groups[2].Value}");
        var label = WebUtility.HtmlEncode(options.Title?.Text ?? "Chart");
        return "<svg role=\"img\" aria-label=\"" + label + "\" class=\"report-chart\" viewBox=\"0 0 " + width.ToString(CultureInfo.InvariantCulture) + " " + height.ToString(CultureInfo.InvariantCulture) + "\"" + svg[4..];
    }

    /// <summary>The OxyPlot model of <paramref name="options"/> (exposed for tests).</summary>
    public static PlotModel ToPlotModel(ApexChartOptions options, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(culture);
        var model = new PlotModel
        {
            Title = options.Title?.Text,
            Subtitle = options.Subtitle?.Text,
            TitleFontSize = 14,
            SubtitleFontSize = 11,
            DefaultFont = Font,
            DefaultFontSize = 11,
            Culture = culture,
            PlotAreaBorderThickness = new OxyThickness(0),
            Background = OxyColors.White,
            TitleHorizontalAlignment = TitleHorizontalAlignment.CenteredWithinView,
        };

        var format = options.Format ?? new NumberFormats();
        switch (options.Chart.Type)
        {
            case "heatmap":
                AddHeatmap(model, options);
                break;
            case "bar":
                AddBars(model, options, format);
                break;
            case "scatter":
                AddScatter(model, options, format);
                break;
            default:
                AddLines(model, options, format);
                break;
        }

        if (options.Legend?.Show != false && options.Chart.Type != "heatmap" && options.Series.Count > 1)
        {
            model.Legends.Add(new Legend
            {
                LegendPosition = LegendPosition.BottomCenter,
                LegendPlacement = LegendPlacement.Outside,
                LegendOrientation = LegendOrientation.Horizontal,
                LegendFontSize = 10,
                LegendItemSpacing = 16,
                LegendSymbolLength = 14,
            });
        }

        return model;
    }

    private static OxyColor Colour(ApexChartOptions options, int index, string fallback = "#0072B2") =>
        OxyColor.Parse(options.Colors is { Count: > 0 } colours ? colours[index % colours.Count] : fallback);

    private static LinearAxis ValueAxis(AxisOptions? axis, AxisPosition position, string? format, CultureInfo culture)
    {
        var value = new LinearAxis
        {
            Position = position,
            Title = axis?.Title?.Text,
            MajorGridlineStyle = LineStyle.Solid,
            MajorGridlineColor = OxyColor.FromRgb(0xE6, 0xE6, 0xE6),
            TitleFontSize = 11,
            AxisTitleDistance = 6,
            MinimumPadding = 0.04,
            MaximumPadding = 0.06,
        };
        if (axis?.Min is { } min)
        {
            value.Minimum = min;
        }

        if (axis?.Max is { } max)
        {
            value.Maximum = max;
        }

        if (axis is { Min: { } low, Max: { } high, TickAmount: > 0 and var ticks })
        {
            value.MajorStep = (high - low) / ticks;
        }

        if (axis?.Labels?.Show == false)
        {
            value.LabelFormatter = _ => string.Empty;
        }
        else
        {
            value.LabelFormatter = v => FormatValue(v, format, culture);
        }

        return value;
    }

    /// <summary>A value in the data's units as cards and profile tables write it, in <paramref name="culture"/>: "4,484", "978.9",
    /// "0.17" in en-US, "4.484", "978,9", "0,17" in de-DE; "–" when missing.</summary>
    public static string ShortNumber(double value, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (!double.IsFinite(value))
        {
            return "–";
        }

        var magnitude = Math.Abs(value);
        return value.ToString(magnitude >= 1000 ? "N0" : magnitude >= 10 ? "#,##0.#" : "0.##", culture);
    }

    /// <summary>A value as the dashboard's charts write it (see the JS module's formatNumber).</summary>
    public static string FormatValue(double value, string? format, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (!double.IsFinite(value))
        {
            return string.Empty;
        }

        if (Math.Abs(value) < 1e-9)
        {
            value = 0;
        }

        return format switch
        {
            "int" => Math.Round(value).ToString("#,##0", culture),
            "percent" => (value * 100).ToString("0.0", culture) + "%",
            "compact" => Math.Abs(value) >= 1e6 ? (value / 1e6).ToString("0.#", culture) + "M"
                : Math.Abs(value) >= 1e3 ? (value / 1e3).ToString("0.#", culture) + "K"
                : value.ToString("0.##", culture),
            _ => value.ToString("#,##0.###", culture),
        };
    }

    private static void AddLines(PlotModel model, ApexChartOptions options, NumberFormats format)
    {
        var categories = options.Xaxis?.Categories;
        if (categories is not null)
        {
            model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, Title = options.Xaxis?.Title?.Text, ItemsSource = categories.ToArray(), TitleFontSize = 11 });
        }
        else
        {
            model.Axes.Add(ValueAxis(options.Xaxis, AxisPosition.Bottom, format.X, model.Culture));
        }

        model.Axes.Add(ValueAxis(options.Yaxis, AxisPosition.Left, format.Y, model.Culture));
        var area = options.Chart.Type == "area";
        for (var s = 0; s < options.Series.Count; s++)
        {
            var series = options.Series[s];
            var colour = Colour(options, s);
            if (area)
            {
                var fill = new AreaSeries { Title = series.Name, Color = colour, Fill = OxyColor.FromAColor((byte)Math.Round(255 * (options.Fill?.Opacity ?? 0.7)), colour), StrokeThickness = 1, ConstantY2 = 0 };
                foreach (var point in Points(series))
                {
                    fill.Points.Add(point);
                }

                model.Series.Add(fill);
                continue;
            }

            var line = new LineSeries
            {
                Title = series.Name,
                Color = colour,
                StrokeThickness = 2.5,
                MarkerType = Size(options.Markers, s) > 0 ? MarkerType.Circle : MarkerType.None,
                MarkerSize = Math.Max(1, Size(options.Markers, s) * 0.8),
                MarkerFill = colour,
            };
            foreach (var point in Points(series))
            {
                line.Points.Add(point);
            }

            model.Series.Add(line);
        }

        AddAnnotations(model, options, categories);
    }

    /// <summary>A series' points: [x, y] pairs as they are, or values at category positions 0, 1, 2… (a gap where null).</summary>
    private static IEnumerable<DataPoint> Points(ChartSeries series)
    {
        switch (series.Data)
        {
            case double[][] pairs:
                foreach (var pair in pairs)
                {
                    yield return new DataPoint(pair[0], pair[1]);
                }

                break;
            case double?[] values:
                for (var i = 0; i < values.Length; i++)
                {
                    yield return values[i] is { } v ? new DataPoint(i, v) : DataPoint.Undefined;
                }

                break;
        }
    }

    private static double Size(MarkersOptions? markers, int series) => markers?.Size switch
    {
        int size => size,
        double size => size,
        object[] sizes when series < sizes.Length => Convert.ToDouble(sizes[series], CultureInfo.InvariantCulture),
        _ => 0,
    };

    private static void AddAnnotations(PlotModel model, ApexChartOptions options, IReadOnlyList<string>? categories)
    {
        double Position(object x) => x is string text && categories is not null && categories.Contains(text)
            ? categories.ToList().IndexOf(text)
            : Convert.ToDouble(x, CultureInfo.InvariantCulture);

        foreach (var annotation in options.Annotations?.Xaxis ?? [])
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Vertical,
                X = Position(annotation.X),
                Color = OxyColor.Parse(annotation.BorderColor),
                LineStyle = annotation.StrokeDashArray is null ? LineStyle.Solid : LineStyle.Dash,
                Text = annotation.Label.Text,
                TextColor = OxyColor.Parse(annotation.BorderColor),
                TextOrientation = AnnotationTextOrientation.Horizontal,
                TextVerticalAlignment = VerticalAlignment.Top,
                FontSize = 10,
            });
        }

        foreach (var annotation in options.Annotations?.Yaxis ?? [])
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Horizontal,
                Y = annotation.Y,
                Color = OxyColor.Parse(annotation.BorderColor),
                LineStyle = annotation.StrokeDashArray is null ? LineStyle.Solid : LineStyle.Dash,
                Text = annotation.Label.Text,
                TextColor = OxyColor.Parse(annotation.BorderColor),
                FontSize = 10,
            });
        }

        foreach (var point in options.Annotations?.Points ?? [])
        {
            model.Annotations.Add(new OxyPointAnnotation
            {
                X = Position(point.X),
                Y = point.Y,
                Size = point.Marker?.Size ?? 6,
                Fill = OxyColor.Parse(point.Marker?.FillColor ?? "#2CA02C"),
                Stroke = OxyColors.White,
                StrokeThickness = 1.5,
                Text = point.Label.Text,
                FontSize = 10,
                TextColor = OxyColor.Parse(point.Label.Style?.Background ?? "#000000"),
            });
        }
    }

    private static readonly Dictionary<string, MarkerType> Shapes = new(StringComparer.Ordinal)
    {
        ["circle"] = MarkerType.Circle,
        ["square"] = MarkerType.Square,
        ["rect"] = MarkerType.Square,
        ["triangle"] = MarkerType.Triangle,
        ["diamond"] = MarkerType.Diamond,
        ["star"] = MarkerType.Star,
        ["sparkle"] = MarkerType.Plus,
        ["plus"] = MarkerType.Plus,
        ["cross"] = MarkerType.Cross,
    };

    private static void AddScatter(PlotModel model, ApexChartOptions options, NumberFormats format)
    {
        model.Axes.Add(ValueAxis(options.Xaxis, AxisPosition.Bottom, format.X, model.Culture));
        model.Axes.Add(ValueAxis(options.Yaxis, AxisPosition.Left, format.Y, model.Culture));
        var shapes = options.Markers?.Shape;
        var opacity = options.Markers?.FillOpacity ?? 0.8;
        for (var s = 0; s < options.Series.Count; s++)
        {
            var series = options.Series[s];
            var colour = Colour(options, s);
            var shape = shapes is not null && s < shapes.Count && Shapes.TryGetValue(shapes[s], out var known) ? known : MarkerType.Circle;
            var size = Math.Max(1.5, Size(options.Markers, s));
            var big = size > 6;
            var scatter = new ScatterSeries
            {
                Title = series.Name,
                MarkerType = shape,
                MarkerSize = size,
                MarkerFill = big ? colour : OxyColor.FromAColor((byte)Math.Round(255 * opacity), colour),
                MarkerStroke = big ? OxyColors.White : (shape is MarkerType.Plus or MarkerType.Cross ? colour : OxyColors.Undefined),
                MarkerStrokeThickness = big ? 2 : 1,
            };
            foreach (var point in Points(series))
            {
                scatter.Points.Add(new ScatterPoint(point.X, point.Y));
            }

            model.Series.Add(scatter);
        }
    }

    private static void AddBars(PlotModel model, ApexChartOptions options, NumberFormats format)
    {
        var horizontal = options.PlotOptions?.Bar?.Horizontal == true;
        var categories = options.Xaxis?.Categories ?? [];
        var categoryAxis = new CategoryAxis
        {
            Position = horizontal ? AxisPosition.Left : AxisPosition.Bottom,
            ItemsSource = categories.ToArray(),
            Title = horizontal ? null : options.Xaxis?.Title?.Text,
            StartPosition = horizontal ? 1 : 0,
            EndPosition = horizontal ? 0 : 1,
            GapWidth = options.PlotOptions?.Bar?.ColumnWidth is "96%" ? 0.05 : 0.3,
            Angle = !horizontal && categories.Count > 8 ? -45 : 0,
            TitleFontSize = 11,
        };
        model.Axes.Add(categoryAxis);
        var valueAxis = ValueAxis(horizontal ? (options.Xaxis ?? new AxisOptions()) with { Categories = null } : options.Yaxis, horizontal ? AxisPosition.Bottom : AxisPosition.Left, horizontal ? format.X ?? format.DataLabels : format.Y, model.Culture);
        valueAxis.Minimum = 0;

        // Room beyond the longest bar for its label, which stands outside the bar.
        valueAxis.MaximumPadding = options.DataLabels?.Enabled == true ? 0.16 : 0.06;
        model.Axes.Add(valueAxis);
        var distributed = options.PlotOptions?.Bar?.Distributed == true;
        var labels = options.DataLabels?.Enabled == true;
        for (var s = 0; s < options.Series.Count; s++)
        {
            var series = options.Series[s];
            var bars = new BarSeries
            {
                Title = distributed ? null : series.Name,
                FillColor = Colour(options, s),
                // Labels beside the bar in black: readable on every segment colour, the light ones included.
                LabelPlacement = LabelPlacement.Outside,
                LabelFormatString = labels ? (format.DataLabels == "percent" ? "{0:0.0%}" : "{0:#,##0}") : null,
                TextColor = OxyColor.FromRgb(0x1A, 0x1A, 0x1A),
                StrokeThickness = 0,
            };
            if (horizontal)
            {
                // OxyPlot draws bars along a category axis on the left or at the bottom alike; the axes above decide.
                bars.XAxisKey = valueAxis.Key;
            }

            var values = series.Data as double?[] ?? [];
            for (var i = 0; i < values.Length; i++)
            {
                var item = new BarItem(values[i] ?? 0);
                if (distributed)
                {
                    item.Color = Colour(options, i);
                }

                bars.Items.Add(item);
            }

            model.Series.Add(bars);
        }
    }

    private static void AddHeatmap(PlotModel model, ApexChartOptions options)
    {
        // apexcharts: each series is a row, the first at the bottom; cells are (column label, value).
        var rows = options.Series.Select(s => s.Name).ToArray();
        var cells = options.Series.Select(s => (HeatCell[])s.Data).ToArray();
        var columns = cells.Length == 0 ? [] : cells[0].Select(c => c.X).ToArray();
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Bottom, ItemsSource = columns, Angle = columns.Length > 4 ? -45 : 0, Key = "columns" });
        model.Axes.Add(new CategoryAxis { Position = AxisPosition.Left, ItemsSource = rows, Key = "rows" });
        var scale = options.PlotOptions?.Heatmap?.ColorScale?.Ranges ?? [];
        var colours = new RangeColorAxis { Position = AxisPosition.None, Key = "colours", InvalidNumberColor = OxyColors.White };
        foreach (var range in scale)
        {
            colours.AddRange(range.From, range.To, OxyColor.Parse(range.Color));
        }

        model.Axes.Add(colours);
        var data = new double[columns.Length, rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                data[c, r] = cells[r][c].Y ?? double.NaN;
            }
        }

        var percent = options.Format?.DataLabels == "percent";
        model.Series.Add(new HeatMapSeries
        {
            X0 = 0,
            X1 = Math.Max(0, columns.Length - 1),
            Y0 = 0,
            Y1 = Math.Max(0, rows.Length - 1),
            Data = data,
            XAxisKey = "columns",
            YAxisKey = "rows",
            ColorAxisKey = "colours",
            RenderMethod = HeatMapRenderMethod.Rectangles,
            LabelFormatString = options.DataLabels?.Enabled == true ? (percent ? "0%" : "0.00") : null,
            LabelFontSize = options.DataLabels?.Enabled == true ? (columns.Length > 12 ? 0.22 : 0.3) : 0,
            Font = Font,
            TextColor = OxyColor.FromRgb(0x1A, 0x1A, 0x1A),
        });
    }

    /// <summary>
    /// OxyPlot's PDF context measures text in points (the Helvetica metrics of the PDF core fonts); the SVG draws the same size in
    /// CSS pixels, 4/3 larger. Measured as drawn, labels and legends get the room they take.
    /// </summary>
    private sealed class PixelTextMeasurer(double width, double height) : PdfRenderContext(width, height, OxyColors.White)
    {
        public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
        {
            var size = base.MeasureText(text, fontFamily, fontSize, fontWeight);
            return new OxySize(size.Width * 4 / 3, size.Height * 4 / 3);
        }
    }

    [GeneratedRegex("(id=\"|url\\(#)clipPath(\\d+)")]
    private static partial Regex ClipId();
}
