using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Tests.Segments;

public sealed class PaletteTests
{
    // Machado, Oliveira and Fernandes (2009), severity 1.0, applied to linear-light sRGB.
    private static readonly double[,] Protanopia = { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } };
    private static readonly double[,] Deuteranopia = { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } };
    private static readonly double[,] Normal = { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } };

    public static TheoryData<string> Visions => new() { nameof(Normal), nameof(Protanopia), nameof(Deuteranopia) };

    [Theory]
    [MemberData(nameof(Visions))]
    public void Segment_colours_stay_apart_for_colour_blind_readers(string vision)
    {
        var matrix = vision switch { nameof(Protanopia) => Protanopia, nameof(Deuteranopia) => Deuteranopia, _ => Normal };
        var (distance, first, second) = ClosestPair(SegmentPalette.Colours, matrix);
        Assert.True(distance >= 0.07, $"{first} and {second} are {distance:0.000} apart in OKLab under {vision}.");
    }

    [Fact]
    public void The_check_fails_the_old_red_green_palette()
    {
        // The palette before issue 13 (d3's category10 start): its green and red merge for a deuteranope.
        string[] old = ["#3366CC", "#E8710A", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#17BECF"];
        var (distance, _, _) = ClosestPair(old, Deuteranopia);
        Assert.True(distance < 0.03, $"{distance}");
    }

    [Fact]
    public void Colour_and_shape_together_tell_the_first_24_segments_apart()
    {
        var pairs = Enumerable.Range(1, 24).Select(n => (SegmentPalette.Colour(n), SegmentPalette.Shape(n))).ToHashSet();
        Assert.Equal(24, pairs.Count);
        Assert.Equal(SegmentPalette.Colour(1), SegmentPalette.Colour(9));
        Assert.NotEqual(SegmentPalette.Shape(1), SegmentPalette.Shape(9));
    }

    [Theory]
    [InlineData("#F0E442", "#000000")]
    [InlineData("#882255", "#FFFFFF")]
    [InlineData("#0072B2", "#FFFFFF")]
    [InlineData("#E69F00", "#000000")]
    public void Text_on_a_colour_is_the_more_contrasting_of_black_and_white(string background, string expected) =>
        Assert.Equal(expected, SegmentPalette.TextOn(background));

    [Fact]
    public void OkLab_round_trips_and_matches_the_published_white()
    {
        var white = ColourScience.ToOkLab("#FFFFFF");
        Assert.Equal(1.0, white.L, 3);
        Assert.Equal(0.0, white.A, 3);
        Assert.Equal(0.0, white.B, 3);
        foreach (var colour in SegmentPalette.Colours)
        {
            Assert.Equal(colour, ColourScience.FromOkLab(ColourScience.ToOkLab(colour)));
        }
    }

    [Fact]
    public void The_heatmap_scale_steps_evenly_and_symmetrically()
    {
        var scale = ColourScience.HeatmapDiverging;
        Assert.Equal(7, scale.Count);
        var labs = scale.Select(ColourScience.ToOkLab).ToArray();
        var steps = Enumerable.Range(0, 6).Select(i => labs[i].DistanceTo(labs[i + 1])).ToArray();

        // Each arm in equal perceptual steps (within the rounding to 8-bit colour), lightness falling away from the middle.
        Assert.All(steps[..3], s => Assert.InRange(s, steps[0] * 0.93, steps[0] * 1.07));
        Assert.All(steps[3..], s => Assert.InRange(s, steps[5] * 0.93, steps[5] * 1.07));
        Assert.True(labs[0].L < labs[1].L && labs[1].L < labs[2].L && labs[2].L < labs[3].L);
        Assert.True(labs[6].L < labs[5].L && labs[5].L < labs[4].L && labs[4].L < labs[3].L);
        Assert.InRange(Math.Abs(labs[0].L - labs[6].L), 0, 0.06);

        // Black cell labels stay readable on every step (WCAG 4.5:1).
        Assert.All(scale, c => Assert.True((ColourScience.RelativeLuminance(c) + 0.05) / 0.05 >= 4.5, c));
    }

    private static (double Distance, string First, string Second) ClosestPair(IReadOnlyList<string> colours, double[,] vision)
    {
        var labs = colours.Select(c =>
        {
            var (r, g, b) = ColourScience.ToLinear(c);
            double Row(int i) => Math.Clamp((vision[i, 0] * r) + (vision[i, 1] * g) + (vision[i, 2] * b), 0, 1);
            return ColourScience.ToOkLab(Row(0), Row(1), Row(2));
        }).ToArray();
        var best = (double.MaxValue, "", "");
        for (var i = 0; i < labs.Length; i++)
        {
            for (var j = i + 1; j < labs.Length; j++)
            {
                var d = labs[i].DistanceTo(labs[j]);
                if (d < best.Item1)
                {
                    best = (d, colours[i], colours[j]);
                }
            }
        }

        return best;
    }
}
