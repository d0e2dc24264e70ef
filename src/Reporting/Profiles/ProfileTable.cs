using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Segments;
using Segmentation.Reporting.Charts;
using Segmentation.Reporting.Resources;

namespace Segmentation.Reporting.Profiles;

/// <summary>Which value of each segment's distribution a profile table shows.</summary>
public enum ProfileStatistic
{
    Mean,
    Median,
    FirstQuartile,
    ThirdQuartile,
}

/// <summary>
/// Segments × features in depth: the chosen statistic per segment and for all customers, in original units or as z-scores
/// ((value − overall mean) / overall standard deviation); and the long table with every statistic for export.
/// </summary>
public static class ProfileTable
{
    /// <summary>The word users read for <paramref name="statistic"/>.</summary>
    public static string Name(ProfileStatistic statistic) => statistic switch
    {
        ProfileStatistic.Median => ReportTexts.Get("Median"),
        ProfileStatistic.FirstQuartile => ReportTexts.Get("FirstQuartile"),
        ProfileStatistic.ThirdQuartile => ReportTexts.Get("ThirdQuartile"),
        _ => ReportTexts.Get("Mean"),
    };

    /// <summary>One row per feature: the feature, then each segment (by number) and all customers.</summary>
    public static ChartTable ByFeature(KSegmentation view, DisplayedSegments shown, ProfileStatistic statistic, bool zScores)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(shown);
        var profiles = view.Profiles;
        var order = Enumerable.Range(0, view.K).OrderBy(i => shown.Numbers[i]).ToArray();
        var columns = new List<string> { ReportTexts.Get("Feature") };
        columns.AddRange(order.Select(i => $"{shown.Numbers[i]} · {shown.Names[i]}"));
        columns.Add(ReportTexts.Get("AllCustomers"));
        var rows = new List<object?[]>(profiles.Features.Count);
        for (var f = 0; f < profiles.Features.Count; f++)
        {
            var separation = profiles.Separation[f];
            var row = new object?[columns.Count];
            row[0] = profiles.Features[f];
            for (var c = 0; c < order.Length; c++)
            {
                row[c + 1] = Scaled(Value(profiles.Segments[order[c]], f, statistic), separation, zScores);
            }

            row[^1] = Scaled(Overall(separation, statistic), separation, zScores);
            rows.Add(row);
        }

        var title = ReportTexts.Get(zScores ? "PerSegmentZ" : "PerSegmentUnits", Name(statistic));
        return new ChartTable(title, columns, rows);
    }

    /// <summary>Every statistic of every segment and feature, one row each, for CSV and Excel.</summary>
    public static ChartTable AllStatistics(KSegmentation view, DisplayedSegments shown)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(shown);
        var profiles = view.Profiles;
        string[] columns = ["segment", "segment_name", "customers", "feature", "mean", "median", "q1", "q3", "lower_whisker", "upper_whisker", "min", "max", "z_score", "overall_mean", "overall_median", "overall_sd"];
        var rows = new List<object?[]>();
        foreach (var i in Enumerable.Range(0, view.K).OrderBy(i => shown.Numbers[i]))
        {
            var profile = profiles.Segments[i];
            for (var f = 0; f < profiles.Features.Count; f++)
            {
                var box = profile.Boxes.Count > f ? profile.Boxes[f] : null;
                var separation = profiles.Separation[f];
                rows.Add([
                    (double)shown.Numbers[i], shown.Names[i], (double)profile.Size, profiles.Features[f],
                    profile.Means[f], profile.Medians[f], box?.Q1, box?.Q3, box?.LowerWhisker, box?.UpperWhisker, box?.Min, box?.Max,
                    profile.ZScores[f], separation.OverallMean, separation.Overall?.Median, separation.OverallStandardDeviation,
                ]);
            }
        }

        return new ChartTable(ReportTexts.Get("SegmentProfiles"), columns, rows);
    }

    private static double Value(SegmentProfile profile, int feature, ProfileStatistic statistic) => statistic switch
    {
        ProfileStatistic.Median => profile.Medians[feature],
        ProfileStatistic.FirstQuartile => profile.Boxes.Count > feature ? profile.Boxes[feature].Q1 : double.NaN,
        ProfileStatistic.ThirdQuartile => profile.Boxes.Count > feature ? profile.Boxes[feature].Q3 : double.NaN,
        _ => profile.Means[feature],
    };

    private static double Overall(FeatureSeparation separation, ProfileStatistic statistic) => statistic switch
    {
        ProfileStatistic.Median => separation.Overall?.Median ?? double.NaN,
        ProfileStatistic.FirstQuartile => separation.Overall?.Q1 ?? double.NaN,
        ProfileStatistic.ThirdQuartile => separation.Overall?.Q3 ?? double.NaN,
        _ => separation.OverallMean,
    };

    private static double? Scaled(double value, FeatureSeparation separation, bool zScores)
    {
        if (double.IsNaN(value))
        {
            return null;
        }

        if (!zScores)
        {
            return value;
        }

        return separation.OverallStandardDeviation > 0 ? (value - separation.OverallMean) / separation.OverallStandardDeviation : 0;
    }

    /// <summary>Box plots of one feature: a box per segment (whiskers at 1.5 IQR) and one for all customers, in original units.</summary>
    public static ApexChartOptions BoxPlot(KSegmentation view, DisplayedSegments shown, int feature)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(shown);
        var profiles = view.Profiles;
        var name = profiles.Features[feature];
        var order = Enumerable.Range(0, view.K).OrderBy(i => shown.Numbers[i]).ToArray();
        var boxes = order.Select(i => (Label: $"{shown.Numbers[i]} · {shown.Names[i]}", Box: profiles.Segments[i].Boxes[feature]))
            .Append((Label: ReportTexts.Get("AllCustomers"), Box: profiles.Separation[feature].Overall!))
            .Select(b => new BoxPoint(b.Label, [Round(b.Box.LowerWhisker), Round(b.Box.Q1), Round(b.Box.Median), Round(b.Box.Q3), Round(b.Box.UpperWhisker)]))
            .ToArray();
        return new ApexChartOptions
        {
            Chart = new ChartSettings { Type = "boxPlot" },
            Series = [new ChartSeries(name, boxes) { Type = "boxPlot" }],
            Title = new TextOptions(ReportTexts.Get("BySegment", name)),
            Subtitle = new TextOptions(ReportTexts.Get("BoxPlotSubtitle")),
            PlotOptions = new PlotOptions { Bar = new BarOptions { Horizontal = true, BarHeight = "60%" }, BoxPlot = new BoxPlotOptions(new BoxPlotColours("#56B4E9", "#0072B2")) },
            Xaxis = new AxisOptions { Title = new TextOptions(name) },
            Yaxis = new AxisOptions { Labels = new AxisLabels { MaxWidth = 240 } },
            Legend = new LegendOptions(false),
            Tooltip = new TooltipOptions(true),
            Format = new NumberFormats(X: "compact"),
        };

        static double Round(double value) => Math.Round(value, 4);
    }
}
