using System.Globalization;
using System.Reflection;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Segments;
using Segmentation.Reporting.Resources;

namespace Segmentation.Reporting.Report;

/// <summary>Everything one report shows: an analysis at one k, as the dashboard labels it, with the data's ingest findings.</summary>
/// <param name="Title">The report's title (the analysis' title or the file name).</param>
/// <param name="Run">The analysis.</param>
/// <param name="K">The number of segments reported.</param>
/// <param name="Shown">Numbers, names and recommendations as the dashboard shows them (the user's edits included).</param>
/// <param name="Ingest">What reading the file found, or null (e.g. a database source).</param>
/// <param name="Notes">The user's notes on the analysis (plain text).</param>
/// <param name="Created">When the report was made.</param>
/// <param name="Culture">How numbers and dates are written.</param>
/// <param name="SampleNote">When the analysis was fitted on a sample, what every chart says about it; else null.</param>
public sealed record ReportModel(string Title, AnalysisResult Run, int K, DisplayedSegments Shown, IngestReport? Ingest, string Notes, DateTimeOffset Created, CultureInfo Culture, string? SampleNote = null)
{
    /// <summary>The paper the print stylesheet asks for: <c>letter</c> where the culture's region measures in inches (the United
    /// States and a few others), else <c>A4</c>. Set it to override.</summary>
    public string Paper { get; init; } = PaperFor(Culture);

    /// <summary>The usual paper of <paramref name="culture"/>'s region.</summary>
    public static string PaperFor(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        try
        {
            return culture.Name.Length > 0 && !new RegionInfo(culture.Name).IsMetric ? "letter" : "A4";
        }
        catch (ArgumentException)
        {
            return "A4";
        }
    }

    /// <summary>The segmentation reported.</summary>
    public KSegmentation View => Run.For(K);

    /// <summary>The generated labels of <paramref name="run"/> at <paramref name="k"/>: numbers 1..k, generated names and recommendations.</summary>
    public static DisplayedSegments Generated(AnalysisResult run, int k)
    {
        ArgumentNullException.ThrowIfNull(run);
        var view = run.For(k);
        return new DisplayedSegments(
            Enumerable.Range(1, view.K).ToArray(),
            view.Insights.Select(i => i.Name).ToArray(),
            view.Insights.Select(i => i.Recommendation).ToArray(),
            new bool[view.K]);
    }

    /// <summary>The segments in the order users see them: by number.</summary>
    public IEnumerable<int> Order => Enumerable.Range(0, View.K).OrderBy(i => Shown.Numbers[i]);

    /// <summary>Versions for the method section: this app, .NET, and the libraries that computed and drew it.</summary>
    public static IReadOnlyList<(string Name, string Version)> Versions =>
    [
        (ReportTexts.Get("AppName"), Version(typeof(ReportModel).Assembly)),
        (".NET", Environment.Version.ToString()),
        ("MathNet.Numerics", Version(typeof(MathNet.Numerics.Control).Assembly)),
        (ReportTexts.Get("MlNetVersion"), Version(typeof(Microsoft.ML.MLContext).Assembly)),
        (ReportTexts.Get("OxyPlotVersion"), Version(typeof(OxyPlot.PlotModel).Assembly)),
    ];

    private static string Version(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "?";

    /// <summary>The segment's mix of one column, largest shares first: "62% Female vs 56% overall, 38% Male vs 44%".</summary>
    public static string CompositionLine(CategoryComposition composition, int segment, CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(composition);
        var yes = ReportTexts.In(ReportTexts.Numbers(culture), "Yes");
        var shares = composition.BySegment[segment];
        var parts = Enumerable.Range(0, composition.Levels.Count)
            .OrderByDescending(l => shares[l])
            .Take(3)
            .Select((l, rank) => ReportTexts.In(ReportTexts.Numbers(culture), rank == 0 ? "ShareVsOverall" : "ShareVs", ReportTexts.Percent(shares[l], culture),
                composition.Levels.Count == 1 && composition.Levels[l] is "1" ? yes : CategoryComposition.LevelLabel(composition.Column, composition.Levels[l]), ReportTexts.Percent(composition.Overall[l], culture)));
        return string.Join(", ", parts) + (composition.Levels.Count > 3 ? ", …" : string.Empty);
    }
}
