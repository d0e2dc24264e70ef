using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Tests.Segments;

public sealed class BoxStatisticsTests
{
    [Fact]
    public void Quartiles_interpolate_as_numpy_and_whiskers_stop_at_one_and_a_half_boxes()
    {
        // numpy.percentile([1..10, 100], [25, 50, 75]) = 3.5, 6, 8.5; IQR 5, so the upper fence is 16 and 100 is an outlier.
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, double.NaN];
        var box = BoxStatistics.Of(values);
        Assert.Equal(3.5, box.Q1, 12);
        Assert.Equal(6, box.Median, 12);
        Assert.Equal(8.5, box.Q3, 12);
        Assert.Equal(1, box.LowerWhisker);
        Assert.Equal(10, box.UpperWhisker);
        Assert.Equal(100, box.Max);
        Assert.Equal(1, box.Outliers);
    }

    [Fact]
    public void Nothing_to_describe_gives_no_box()
    {
        var box = BoxStatistics.Of([double.NaN]);
        Assert.True(double.IsNaN(box.Median));
        Assert.Equal(0, box.Outliers);
    }
}
