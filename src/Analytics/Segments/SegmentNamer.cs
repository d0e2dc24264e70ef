namespace Segmentation.Analytics.Segments;

/// <summary>A segment's name, what it is, what to do, and the numbers behind both.</summary>
/// <param name="Segment">1-based segment number.</param>
/// <param name="Name">A name that is unique within the segmentation.</param>
/// <param name="ArchetypeKey">The archetype recognised, or null for a generic or outlier name.</param>
/// <param name="Recommendation">The marketing action.</param>
/// <param name="Evidence">The numbers that triggered the name and the action, in plain words.</param>
/// <param name="IsOutlierGroup">Fewer than <see cref="SegmentNamer.OutlierShare"/> of the customers: described, not named as a market.</param>
public sealed record SegmentInsight(int Segment, string Name, string? ArchetypeKey, string Recommendation, IReadOnlyList<string> Evidence, bool IsOutlierGroup);

/// <summary>Names segments and recommends actions from their profiles, with the rule pack that fits the data's columns.</summary>
public static class SegmentNamer
{
    /// <summary>Segments smaller than this share of the customers are outlier groups.</summary>
    public const double OutlierShare = 0.01;

    /// <summary>The rule pack whose roles the features fill best (at least its minimum), or null for generic names.</summary>
    public static (RulePack Pack, IReadOnlyDictionary<string, int> Roles)? Recognise(IReadOnlyList<string> features, IReadOnlyList<RulePack>? packs = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        (RulePack Pack, IReadOnlyDictionary<string, int> Roles)? best = null;
        var normalized = features.Select(RulePacks.Normalize).ToArray();
        foreach (var pack in packs ?? RulePacks.All)
        {
            var roles = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (role, names) in pack.Roles)
            {
                var index = Array.FindIndex(normalized, n => names.Contains(n, StringComparer.Ordinal));
                if (index >= 0)
                {
                    roles[role] = index;
                }
            }

            if (roles.Count >= pack.MinimumRoles && (best is null || roles.Count > best.Value.Roles.Count))
            {
                best = (pack, roles);
            }
        }

        return best;
    }

    /// <summary>
    /// Names every segment. Archetypes are assigned to segments by the Hungarian algorithm on their scores, so no two segments get
    /// the same archetype and each archetype goes where its evidence is strongest; segments left without one get a name from their
    /// top traits; segments under <see cref="OutlierShare"/> are outlier groups. Names are unique.
    /// </summary>
    public static IReadOnlyList<SegmentInsight> Name(SegmentProfiles profiles, IReadOnlyList<RulePack>? packs = null)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var k = profiles.Segments.Count;
        var recognised = Recognise(profiles.Features, packs);
        var archetypes = recognised?.Pack.Archetypes ?? [];
        var matches = new ArchetypeMatch?[k, archetypes.Count];
        var readers = new ProfileReader?[k];
        var outlier = profiles.Segments.Select(s => s.Share < OutlierShare).ToArray();
        if (recognised is { } r)
        {
            for (var s = 0; s < k; s++)
            {
                readers[s] = new ProfileReader(profiles, s + 1, r.Roles);
                for (var a = 0; a < archetypes.Count && !outlier[s]; a++)
                {
                    matches[s, a] = archetypes[a].Match(readers[s]!);
                }
            }
        }

        // Cost: prefer strong matches; an archetype's rank breaks ties so earlier (more specific) archetypes win.
        var cost = new double[k, archetypes.Count];
        for (var s = 0; s < k; s++)
        {
            for (var a = 0; a < archetypes.Count; a++)
            {
                cost[s, a] = matches[s, a] is { } m ? -(m.Score + 1 + ((archetypes.Count - a) * 1e-6)) : 0;
            }
        }

        var assigned = archetypes.Count == 0 ? Enumerable.Repeat(-1, k).ToArray() : Hungarian.Solve(cost);
        var insights = new SegmentInsight[k];
        for (var s = 0; s < k; s++)
        {
            var traits = SegmentTraits.For(profiles, s + 1);
            var a = assigned[s];
            if (outlier[s])
            {
                var share = profiles.Segments[s].Share;
                insights[s] = new SegmentInsight(s + 1, Resources.AnalyticsTexts.Get("OutlierName", Lower(SegmentTraits.GenericName(traits))), null,
                    Resources.AnalyticsTexts.Get("OutlierRecommendation", profiles.Segments[s].Size.ToString("N0", Resources.AnalyticsTexts.Numbers), SegmentTraits.Percent(share)),
                    traits.Select(t => t.Description).Take(3).ToArray(), true);
            }
            else if (a >= 0 && matches[s, a] is { } match)
            {
                var reader = readers[s]!;
                insights[s] = new SegmentInsight(s + 1, archetypes[a].Name, archetypes[a].Key, archetypes[a].Recommendation,
                    match.EvidenceRoles.Select(reader.Describe).ToArray(), false);
            }
            else
            {
                insights[s] = new SegmentInsight(s + 1, SegmentTraits.GenericName(traits), null, GenericRecommendation(traits), traits.Select(t => t.Description).Take(3).ToArray(), false);
            }
        }

        return Unique(insights, profiles);
    }

    /// <summary>A next step that follows from the strongest trait and claims nothing the numbers do not show.</summary>
    public static string GenericRecommendation(IReadOnlyList<SegmentTrait> traits)
    {
        ArgumentNullException.ThrowIfNull(traits);
        if (traits.Count == 0)
        {
            return Resources.AnalyticsTexts.Get("MainstreamRecommendation");
        }

        return Resources.AnalyticsTexts.Get(traits[0].IsHigh ? "HighTraitRecommendation" : "LowTraitRecommendation", SegmentTraits.Readable(traits[0].Feature));
    }

    private static SegmentInsight[] Unique(SegmentInsight[] insights, SegmentProfiles profiles)
    {
        // A repeated name gets the segment's strongest trait that tells it apart, then its number as a last resort.
        var counts = insights.GroupBy(i => i.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var s = 0; s < insights.Length; s++)
        {
            if (!counts.Contains(insights[s].Name))
            {
                continue;
            }

            var traits = SegmentTraits.For(profiles, s + 1);
            var trait = traits.Count > 0 ? traits[0] : null;
            var suffix = trait is null ? Resources.AnalyticsTexts.Get("SegmentSuffix", s + 1) : Resources.AnalyticsTexts.Get(trait.IsHigh ? "NameHigh" : "NameLow", SegmentTraits.Readable(trait.Feature));
            insights[s] = insights[s] with { Name = $"{insights[s].Name} ({suffix})" };
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var s = 0; s < insights.Length; s++)
        {
            if (!seen.Add(insights[s].Name))
            {
                insights[s] = insights[s] with { Name = $"{insights[s].Name} #{s + 1}" };
                seen.Add(insights[s].Name);
            }
        }

        return insights;
    }

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];
}
