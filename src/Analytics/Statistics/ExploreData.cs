using Segmentation.Analytics.Ingest;

namespace Segmentation.Analytics.Statistics;

/// <summary>A feature's skewness before and after log(1 + x), for the skew assistant.</summary>
/// <param name="Feature">The feature.</param>
/// <param name="Min">Its smallest value.</param>
/// <param name="SkewBefore">Skewness of the values (missing replaced by the median).</param>
/// <param name="SkewAfter">Skewness after log1p, or NaN when log1p does not apply (negative values).</param>
public sealed record SkewRow(string Feature, double Min, double SkewBefore, double SkewAfter)
{
    /// <summary>Whether log(1 + x) is suggested (see <see cref="SkewAdvice.SuggestLog1p"/>).</summary>
    public bool Suggested => SkewAdvice.SuggestLog1p(Min, SkewBefore, SkewAfter);
}

/// <summary>What the Explore page shows for a set of features: correlations and the skew assistant's figures.</summary>
/// <param name="Features">The features, in the order of the matrices' rows and columns.</param>
/// <param name="Pearson">Pearson correlations of the median-imputed features.</param>
/// <param name="Spearman">Spearman rank correlations of the median-imputed features.</param>
/// <param name="Skew">Skewness before and after log(1 + x), per feature.</param>
/// <param name="LogHistograms">The histogram of log(1 + x) per feature where the log applies (no negative values).</param>
public sealed record ExploreData(IReadOnlyList<string> Features, double[,] Pearson, double[,] Spearman, IReadOnlyList<SkewRow> Skew, IReadOnlyDictionary<string, Histogram> LogHistograms)
{
    /// <summary>Computes the figures; missing values are replaced by the column median, as in preprocessing.</summary>
    public static ExploreData Build(Dataset dataset, IReadOnlyList<string> features, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var columns = new double[features.Count][];
        var skew = new SkewRow[features.Count];
        var logHistograms = new Dictionary<string, Histogram>(StringComparer.Ordinal);
        for (var f = 0; f < features.Count; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = dataset.Column(features[f]).Numbers.ToArray();
            var median = Descriptive.Median(values);
            for (var i = 0; i < values.Length; i++)
            {
                if (double.IsNaN(values[i]))
                {
                    values[i] = median;
                }
            }

            columns[f] = values;
            var moments = Descriptive.MomentsOf(values);
            var after = SkewAdvice.SkewnessAfterLog1p(values);
            skew[f] = new SkewRow(features[f], moments.Min, moments.Skewness, after);
            if (moments.Min >= 0)
            {
                var raw = dataset.Column(features[f]).Numbers;
                var logged = new double[raw.Length];
                for (var i = 0; i < raw.Length; i++)
                {
                    logged[i] = double.IsNaN(raw[i]) ? double.NaN : Math.Log(1 + raw[i]);
                }

                logHistograms[features[f]] = Histogram.FreedmanDiaconis(logged);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new ExploreData(features, Correlation.Pearson(columns), Correlation.Spearman(columns), skew, logHistograms);
    }
}
