using System.Text.Json;
using System.Text.Json.Serialization;

namespace Segmentation.Reporting.Charts;

/// <summary>
/// The apexcharts options our charts use, typed. Serialised camelCase with nulls omitted; user text stays plain text (the JS
/// module escapes it where apexcharts writes HTML). Values are nullable so that a missing value is a gap, never "NaN".
/// </summary>
public sealed record ApexChartOptions
{
    /// <summary>How the options are written for the JS module.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public required ChartSettings Chart { get; init; }

    public IReadOnlyList<ChartSeries> Series { get; init; } = [];

    public AxisOptions? Xaxis { get; init; }

    public AxisOptions? Yaxis { get; init; }

    public TextOptions? Title { get; init; }

    public TextOptions? Subtitle { get; init; }

    public IReadOnlyList<string>? Colors { get; init; }

    public DataLabelsOptions? DataLabels { get; init; }

    public LegendOptions? Legend { get; init; }

    public MarkersOptions? Markers { get; init; }

    public StrokeOptions? Stroke { get; init; }

    public FillOptions? Fill { get; init; }

    public PlotOptions? PlotOptions { get; init; }

    public AnnotationsOptions? Annotations { get; init; }

    public TooltipOptions? Tooltip { get; init; }

    public ThemeOptions? Theme { get; init; }

    /// <summary>Our own number formats, turned into formatter functions by the JS module (no function strings cross the wire).</summary>
    public NumberFormats? Format { get; init; }

    /// <summary>The JSON the JS module receives.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

public sealed record ChartSettings
{
    /// <summary>line, bar, scatter, heatmap.</summary>
    public required string Type { get; init; }

    public int? Height { get; init; }

    public bool? Stacked { get; init; }

    public string? Background { get; init; } = "transparent";

    public string? FontFamily { get; init; } = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";

    public Toggle? Toolbar { get; init; } = new(false);

    public Toggle? Zoom { get; init; } = new(false);

    public Toggle? Animations { get; init; } = new(false);
}

public sealed record Toggle([property: JsonPropertyName("enabled")] bool Enabled)
{
    /// <summary>apexcharts calls it "show" for the toolbar.</summary>
    public bool Show => Enabled;
}

/// <summary>One series: <see cref="Data"/> is a list of numbers, of [x, y] pairs, or of heatmap cells.</summary>
public sealed record ChartSeries(string Name, object Data)
{
    /// <summary>For mixed charts: line, scatter, column.</summary>
    public string? Type { get; init; }
}

/// <summary>A box of a box plot: its label and [lower whisker, Q1, median, Q3, upper whisker].</summary>
public sealed record BoxPoint(string X, IReadOnlyList<double> Y);

/// <summary>A heatmap cell: column label and value (null for no value).</summary>
public sealed record HeatCell(string X, double? Y);

public sealed record AxisOptions
{
    /// <summary>category or numeric.</summary>
    public string? Type { get; init; }

    public IReadOnlyList<string>? Categories { get; init; }

    public TextOptions? Title { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }

    public int? TickAmount { get; init; }

    public bool? ForceNiceScale { get; init; }

    public AxisLabels? Labels { get; init; }
}

public sealed record AxisLabels
{
    public bool? Show { get; init; }

    public int? Rotate { get; init; }

    public bool? RotateAlways { get; init; }

    public bool? Trim { get; init; }

    public int? MaxHeight { get; init; }

    public int? MaxWidth { get; init; }
}

public sealed record TextOptions(string Text)
{
    public string? Align { get; init; }
}

public sealed record DataLabelsOptions(bool Enabled)
{
    public TextStyle? Style { get; init; }
}

public sealed record TextStyle
{
    public string? FontSize { get; init; }

    public IReadOnlyList<string>? Colors { get; init; }
}

public sealed record LegendOptions(bool Show)
{
    public string? Position { get; init; }
}

public sealed record MarkersOptions
{
    public object? Size { get; init; }

    /// <summary>One shape for all series, or one per series (circle, square, triangle, diamond, star, sparkle, plus, cross).</summary>
    public IReadOnlyList<string>? Shape { get; init; }

    public object? StrokeWidth { get; init; }

    public double? FillOpacity { get; init; }
}

/// <summary>How areas are filled: <c>solid</c> with an opacity, rather than apexcharts' default gradient.</summary>
public sealed record FillOptions(string Type)
{
    public double? Opacity { get; init; }
}

public sealed record StrokeOptions
{
    public object? Width { get; init; }

    public string? Curve { get; init; }
}

public sealed record PlotOptions
{
    public HeatmapOptions? Heatmap { get; init; }

    public BarOptions? Bar { get; init; }

    public BoxPlotOptions? BoxPlot { get; init; }
}

public sealed record BoxPlotOptions(BoxPlotColours Colors);

/// <summary>Fill of the box above and below the median.</summary>
public sealed record BoxPlotColours(string Upper, string Lower);

public sealed record HeatmapOptions
{
    public bool? EnableShades { get; init; }

    public bool? UseFillColorAsStroke { get; init; }

    public ColorScale? ColorScale { get; init; }
}

public sealed record ColorScale(IReadOnlyList<ColorRange> Ranges)
{
    public double? Min { get; init; }

    public double? Max { get; init; }
}

public sealed record ColorRange(double From, double To, string Color)
{
    public string? Name { get; init; }
}

public sealed record BarOptions
{
    public bool? Horizontal { get; init; }

    public bool? Distributed { get; init; }

    public string? ColumnWidth { get; init; }

    public string? BarHeight { get; init; }
}

public sealed record AnnotationsOptions
{
    public IReadOnlyList<XAnnotation>? Xaxis { get; init; }

    public IReadOnlyList<YAnnotation>? Yaxis { get; init; }

    public IReadOnlyList<PointAnnotation>? Points { get; init; }
}

public sealed record XAnnotation(object X, string BorderColor, AnnotationLabel Label)
{
    public string? StrokeDashArray { get; init; }
}

public sealed record YAnnotation(double Y, string BorderColor, AnnotationLabel Label)
{
    public string? StrokeDashArray { get; init; }
}

public sealed record PointAnnotation(object X, double Y, AnnotationLabel Label)
{
    public PointMarker? Marker { get; init; }
}

public sealed record PointMarker(int Size, string FillColor, string StrokeColor);

public sealed record AnnotationLabel(string Text)
{
    public string? BorderColor { get; init; }

    public string? Orientation { get; init; }

    public LabelStyle? Style { get; init; }
}

public sealed record LabelStyle(string Background, string Color);

public sealed record TooltipOptions(bool Enabled)
{
    public bool? Shared { get; init; }

    public bool? Intersect { get; init; }
}

public sealed record ThemeOptions(string Mode);

/// <summary>Number formats for axes, tooltips and data labels, applied by the JS module.</summary>
/// <param name="X">Format of x values: "int", "decimal", "percent", "compact" or null for text.</param>
/// <param name="Y">Format of y values.</param>
/// <param name="DataLabels">Format of values written in cells.</param>
/// <param name="Digits">Significant digits for "decimal" (default 3).</param>
public sealed record NumberFormats(string? X = null, string? Y = null, string? DataLabels = null, int? Digits = null);
