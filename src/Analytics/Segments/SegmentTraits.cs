using System.Globalization;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Segments;

/// <summary>How one feature sets a segment apart, with the numbers behind the words.</summary>
/// <param name="Feature">The feature (column name).</param>
/// <param name="SegmentMean">The segment's mean, original units.</param>
/// <param name="OverallMean">The mean over all clustered rows.</param>
/// <param name="Ratio">SegmentMean / OverallMean; NaN when the overall mean is 0 or the signs differ.</param>
/// <param name="ZScore">(segment mean − overall mean) / overall standard deviation.</param>
/// <param name="EtaSquared">Share of the feature's variance explained by the segmentation (ANOVA η²).</param>
/// <param name="Description">Plain words with the number, e.g. "cash advance 4.1× the average".</param>
public sealed record SegmentTrait(string Feature, double SegmentMean, double OverallMean, double Ratio, double ZScore, double EtaSquared, string Description)
{
    /// <summary>For a 0/1 indicator (a category level or a flag), how it is worded; null for a number.</summary>
    public ShareLabel? Share { get; init; }

    /// <summary>Whether the segment is above the average on this feature.</summary>
    public bool IsHigh => ZScore > 0;
}

/// <summary>Ranks and words the features that distinguish each segment.</summary>
public static class SegmentTraits
{
    /// <summary>Traits weaker than this |z| are not called distinguishing.</summary>
    public const double MinimumZ = 0.25;

    /// <summary>
    /// The features of segment <paramref name="segment"/> (1-based) ordered by how strongly they set it apart: |z| of the segment
    /// mean weighted by the feature's η² across segments (a feature that separates no segment does not lead), strongest first.
    /// Features with |z| below <see cref="MinimumZ"/> are left out.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The segment does not exist.</exception>
    public static IReadOnlyList<SegmentTrait> For(SegmentProfiles profiles, int segment, int max = 5)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentOutOfRangeException.ThrowIfLessThan(segment, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(segment, profiles.Segments.Count);
        var profile = profiles.Segments[segment - 1];
        var traits = new List<(double Score, SegmentTrait Trait)>();
        for (var f = 0; f < profiles.Features.Count; f++)
        {
            var z = profile.ZScores[f];
            if (double.IsNaN(z) || Math.Abs(z) < MinimumZ)
            {
                continue;
            }

            var separation = profiles.Separation[f];
            var mean = profile.Means[f];
            var overall = separation.OverallMean;
            var ratio = overall != 0 && Math.Sign(mean) * Math.Sign(overall) >= 0 ? mean / overall : double.NaN;
            var name = profiles.Features[f];
            var share = profiles.Shares.GetValueOrDefault(name);
            if (share is not null && z < 0)
            {
                // A category that is rarer here says less than the ones that are over-represented; only those are traits.
                continue;
            }

            var description = share is null ? Describe(name, mean, overall, ratio, z)
                : AnalyticsTexts.Get(share.IsFlag ? "TraitFlag" : "TraitShare", share.Text, Percent(mean), Percent(overall));
            traits.Add((Math.Abs(z) * (0.5 + Math.Sqrt(Math.Max(0, separation.EtaSquared))), new SegmentTrait(name, mean, overall, ratio, z, separation.EtaSquared, description) { Share = share }));
        }

        return traits.OrderByDescending(t => t.Score).ThenBy(t => t.Trait.Feature, StringComparer.Ordinal).Take(max).Select(t => t.Trait).ToArray();
    }

    /// <summary>A readable form of a column name: "CASH_ADVANCE" → "cash advance", "creditLimit" → "credit limit".</summary>
    public static string Readable(string feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var builder = new System.Text.StringBuilder(feature.Length + 4);
        for (var i = 0; i < feature.Length; i++)
        {
            var ch = feature[i];
            if (ch is '_' or '-' or '.')
            {
                builder.Append(' ');
            }
            else if (i > 0 && char.IsUpper(ch) && char.IsLower(feature[i - 1]))
            {
                builder.Append(' ').Append(char.ToLowerInvariant(ch));
            }
            else
            {
                builder.Append(char.ToLowerInvariant(ch));
            }
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A generic name from the two strongest traits, e.g. "High cash advance, low purchases"; "Typical customers" when none stands out.</summary>
    public static string GenericName(IReadOnlyList<SegmentTrait> traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        if (traits.Count == 0)
        {
            return AnalyticsTexts.Get("TypicalCustomers");
        }

        var parts = traits.Take(2).Select(t => AnalyticsTexts.Get(t.Share is not null ? "NameMore" : t.IsHigh ? "NameHigh" : "NameLow", t.Share?.Text ?? Readable(t.Feature))).ToArray();
        var text = string.Join(AnalyticsTexts.Get("NameSeparator"), parts);
        return char.ToUpper(text[0], AnalyticsTexts.Numbers) + text[1..];
    }

    internal static string Describe(string feature, double mean, double overall, double ratio, double z)
    {
        var name = Readable(feature);
        if (!double.IsNaN(ratio) && overall != 0 && ratio is >= 0.05 and <= 20)
        {
            return AnalyticsTexts.Get("TraitRatio", name, ratio.ToString(ratio >= 10 ? "F0" : "0.0#", AnalyticsTexts.Numbers), Number(mean), Number(overall));
        }

        return AnalyticsTexts.Get(z > 0 ? "TraitWellAbove" : "TraitWellBelow", name, Number(mean), Number(overall));
    }

    /// <summary>A share as a percentage with one decimal in <paramref name="culture"/> (the current one when null): 0.273 → "27.3%"
    /// (en-US, and for the invariant culture), "27,3 %" (de-DE); a share that rounds to 0 but is not 0 → "&lt;0.1%"; "–" when missing.</summary>
    public static string Percent(double share, CultureInfo? culture = null)
    {
        var numbers = AnalyticsTexts.NumbersFor(culture);
        return double.IsNaN(share) ? "–" : share > 0 && share < 0.0005 ? "<" + 0.001.ToString("P1", numbers) : share.ToString("P1", numbers);
    }

    /// <summary>A number in a short readable form in the current culture: 4,103 / 0.25 / 12.5 (en-US), 4.103 / 0,25 / 12,5 (de-DE).</summary>
    public static string Number(double value)
    {
        var culture = AnalyticsTexts.Numbers;
        var magnitude = Math.Abs(value);
        return magnitude >= 1000 ? value.ToString("N0", culture) : magnitude >= 10 ? value.ToString("0.#", culture) : value.ToString("0.##", culture);
    }
}
