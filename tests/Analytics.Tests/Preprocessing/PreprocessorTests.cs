using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests.Preprocessing;

public sealed class PreprocessorTests
{
    private static readonly double[] Skewed = [0, 1, 1, 2, 2, 3, 5, 8, 40, 400, 5000, double.NaN];

    [Fact]
    public void Defaults_impute_the_median_and_z_score_with_the_population_sd()
    {
        var dataset = Synthetic.Numeric(("a", [1, 2, double.NaN, 4]), ("b", [10, 10, 20, 20]));
        var result = Preprocessor.Run(dataset);
        var a = result.Transforms[0];
        Assert.Equal(1, a.Imputed);
        Assert.Equal(2, a.ImputedWith);
        // a = 1, 2, 2, 4: mean 2.25, population sd sqrt(1.1875).
        Assert.Equal(2.25, a.Center, 12);
        Assert.Equal(Math.Sqrt(1.1875), a.Scale, 12);
        Assert.Equal((float)((1 - 2.25) / Math.Sqrt(1.1875)), result.Matrix.Row(0)[0], 6);
        Assert.Contains(result.Steps, s => s.StartsWith("Replaced missing values with the column median: a 1 with 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Dropping_rows_keeps_the_map_to_dataset_rows()
    {
        var dataset = Synthetic.Numeric(("a", [1, double.NaN, 3, 4]), ("b", [1, 2, 3, double.NaN]));
        var result = Preprocessor.Run(dataset, new PreprocessOptions { Missing = MissingValueStrategy.DropRows });
        Assert.Equal(2, result.DroppedRows);
        Assert.Equal(2, result.Matrix.Rows);
        Assert.Equal([0, 2], new[] { result.Matrix.SourceRow(0), result.Matrix.SourceRow(1) });
    }

    [Fact]
    public void Constant_and_all_missing_columns_are_excluded_with_a_reason()
    {
        var dataset = Synthetic.Numeric(("a", [1, 2, 3]), ("flat", [5, 5, 5]), ("empty", [double.NaN, double.NaN, double.NaN]));
        var result = Preprocessor.Run(dataset, new PreprocessOptions { Features = ["a", "flat", "empty"] });
        Assert.Equal(["a"], result.Matrix.FeatureNames);
        Assert.Equal("it has the same value in every row", result.ExcludedFeatures["flat"]);
        Assert.Equal("it has no values", result.ExcludedFeatures["empty"]);
        Assert.Contains(result.Warnings, w => w.StartsWith("flat is left out", StringComparison.Ordinal));
    }

    [Fact]
    public void Columns_kept_around_a_left_out_one_hold_exactly_the_values_they_hold_without_it()
    {
        var around = Synthetic.Numeric(("a", [1, 2, double.NaN, 8]), ("flat", [5, 5, 5, 5]), ("c", [0.5, 3, 9, 27]), ("d", [4, 3, 2, 1]));
        var with = Preprocessor.Run(around, new PreprocessOptions { Features = ["a", "flat", "c", "d"] }).Matrix;
        var without = Preprocessor.Run(around, new PreprocessOptions { Features = ["a", "c", "d"] }).Matrix;
        Assert.Equal(["a", "c", "d"], with.FeatureNames);
        Assert.Equal(without.Values.ToArray(), with.Values.ToArray());
        // c: mean 9.875, squared deviations 87.890625 + 47.265625 + 0.765625 + 293.265625 = 429.1875 over 4 rows.
        Assert.Equal((float)((9 - 9.875) / Math.Sqrt(429.1875 / 4)), with.Row(2)[1], 6);
    }

    [Fact]
    public void Only_constant_columns_is_a_clear_error()
    {
        var dataset = Synthetic.Numeric(("flat", [5, 5, 5]));
        var error = Assert.Throws<AnalysisInputException>(() => Preprocessor.Run(dataset));
        Assert.Equal("No usable feature is left: flat: it has the same value in every row. Choose numeric columns whose values vary.", error.Message);
    }

    [Fact]
    public void Auto_log1p_applies_where_suggested_and_records_skewness_before_and_after()
    {
        var dataset = Synthetic.Numeric(("money", Skewed), ("signed", [-5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200]));
        var result = Preprocessor.Run(dataset, new PreprocessOptions { AutoLog1p = true });
        var money = result.Transforms.Single(t => t.Name == "money");
        Assert.True(money.Log1p);
        Assert.True(money.SkewnessBefore > 1);
        Assert.True(Math.Abs(money.SkewnessAfter) < Math.Abs(money.SkewnessBefore));
        Assert.False(result.Transforms.Single(t => t.Name == "signed").Log1p);
    }

    [Fact]
    public void Log1p_on_negative_values_is_refused_by_name()
    {
        var dataset = Synthetic.Numeric(("signed", [-5, 1, 2]));
        var error = Assert.Throws<AnalysisInputException>(() => Preprocessor.Run(dataset, new PreprocessOptions { Log1pColumns = ["signed"] }));
        Assert.Contains("signed", error.Message, StringComparison.Ordinal);
        Assert.Contains("negative", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Winsorising_clips_to_the_percentiles_and_counts_changes()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var result = Preprocessor.Run(Synthetic.Numeric(("a", values)), new PreprocessOptions { Winsorize = (0.05, 0.95), Scaling = ScalingMethod.None });
        var transform = result.Transforms[0];
        Assert.Equal(5.95, transform.WinsorLow, 10);
        Assert.Equal(95.05, transform.WinsorHigh, 10);
        Assert.Equal(10, transform.Clipped);
        Assert.Equal(5.95f, result.Matrix.Row(0)[0], 4);
    }

    [Theory]
    [InlineData(ScalingMethod.Robust, 50.5, 49.5)]
    [InlineData(ScalingMethod.MinMax, 1, 99)]
    public void Other_scalings_use_their_center_and_scale(ScalingMethod scaling, double center, double scale)
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var transform = Preprocessor.Run(Synthetic.Numeric(("a", values)), new PreprocessOptions { Scaling = scaling }).Transforms[0];
        Assert.Equal(center, transform.Center, 10);
        Assert.Equal(scale, transform.Scale, 10);
    }

    [Fact]
    public void Unknown_and_non_numeric_features_are_refused_by_name()
    {
        var dataset = Segmentation.Analytics.Ingest.Dataset.FromColumns([("a", [1.0, 2.0])], ("id", ["x", "y"]));
        Assert.Contains("no column named \"nope\"", Assert.Throws<AnalysisInputException>(() => Preprocessor.Run(dataset, new PreprocessOptions { Features = ["nope"] })).Message, StringComparison.Ordinal);
        Assert.Contains("id is an identifier", Assert.Throws<AnalysisInputException>(() => Preprocessor.Run(dataset, new PreprocessOptions { Features = ["id"] })).Message, StringComparison.Ordinal);
        Assert.Throws<AnalysisInputException>(() => Preprocessor.Run(dataset, new PreprocessOptions { Features = [] }));
    }
}
