namespace Segmentation.Analytics.Segments;

/// <summary>One condition of an archetype: the role, whether it held, and its |z|.</summary>
/// <param name="Role">The role.</param>
/// <param name="Holds">Whether the condition holds (an absent optional role holds).</param>
/// <param name="Strength">|z| when it holds and the role is present, else 0.</param>
/// <param name="Present">Whether the role's column is among the features.</param>
/// <param name="Guard">A restriction ("not high") that is never quoted as evidence.</param>
public readonly record struct Condition(string Role, bool Holds, double Strength, bool Present, bool Guard = false);

/// <summary>One segment's profile seen through a rule pack's roles: z-scores and ratios by role, and the words for them.</summary>
public sealed class ProfileReader
{
    private readonly SegmentProfiles _profiles;
    private readonly int _segment;
    private readonly IReadOnlyDictionary<string, int> _roles;

    internal ProfileReader(SegmentProfiles profiles, int segment, IReadOnlyDictionary<string, int> roles)
    {
        _profiles = profiles;
        _segment = segment;
        _roles = roles;
    }

    /// <summary>Whether a feature fills the role.</summary>
    public bool Has(string role) => _roles.ContainsKey(role);

    /// <summary>The segment mean's z-score on the role's feature (NaN when absent).</summary>
    public double Z(string role) => _roles.TryGetValue(role, out var f) ? _profiles.Segments[_segment - 1].ZScores[f] : double.NaN;

    /// <summary>Segment mean over overall mean on the role's feature (NaN when absent or undefined).</summary>
    public double Ratio(string role)
    {
        if (!_roles.TryGetValue(role, out var f))
        {
            return double.NaN;
        }

        var mean = _profiles.Segments[_segment - 1].Means[f];
        var overall = _profiles.Separation[f].OverallMean;
        return overall != 0 && Math.Sign(mean) * Math.Sign(overall) >= 0 ? mean / overall : double.NaN;
    }

    /// <summary>z ≥ <paramref name="z"/> and, when given, ratio ≥ <paramref name="ratio"/>.</summary>
    public Condition High(string role, double z, double? ratio = null, bool optional = false)
    {
        if (!Has(role))
        {
            return new Condition(role, optional, 0, false);
        }

        var holds = Z(role) >= z && (ratio is null || Ratio(role) >= ratio);
        return new Condition(role, holds, holds ? Math.Abs(Z(role)) : 0, true);
    }

    /// <summary>z ≤ <paramref name="z"/> and, when given, ratio ≤ <paramref name="ratio"/>.</summary>
    public Condition Low(string role, double z, double? ratio = null, bool optional = false)
    {
        if (!Has(role))
        {
            return new Condition(role, optional, 0, false);
        }

        var holds = Z(role) <= z && (ratio is null || double.IsNaN(Ratio(role)) || Ratio(role) <= ratio);
        return new Condition(role, holds, holds ? Math.Abs(Z(role)) : 0, true);
    }

    /// <summary>A restriction: z ≤ <paramref name="z"/> (or the role is absent). Adds nothing to the score or the evidence.</summary>
    public Condition AtMost(string role, double z) => new(role, !Has(role) || Z(role) <= z, 0, Has(role), Guard: true);

    /// <summary>Holds when any of the conditions holds; its strength is the strongest of those.</summary>
#pragma warning disable CA1822 // An instance member so that archetype rules read p.Either(p.High(…), p.High(…)).
    public Condition Either(params Condition[] conditions)
#pragma warning restore CA1822
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var best = conditions.Where(c => c.Holds && c.Present).OrderByDescending(c => c.Strength).FirstOrDefault();
        return best.Role is null ? new Condition(conditions[0].Role, false, 0, conditions.Any(c => c.Present)) : best;
    }

    /// <summary>A match when every condition holds and at least one present role is tested.</summary>
#pragma warning disable CA1822 // An instance member so that archetype rules read p.All(p.High(…), p.Low(…)).
    public MatchBuilder All(params Condition[] conditions) => new(conditions.All(c => c.Holds) && conditions.Any(c => c.Present && !c.Guard) ? conditions : null);
#pragma warning restore CA1822

    /// <summary>"cash advance 4.6× the average (4,484 vs 979)" for the role's feature.</summary>
    public string Describe(string role)
    {
        var f = _roles[role];
        var feature = _profiles.Features[f];
        return SegmentTraits.Describe(feature, _profiles.Segments[_segment - 1].Means[f], _profiles.Separation[f].OverallMean, Ratio(role), Z(role));
    }

    /// <summary>Builds a match from required conditions and supporting ones that add to the score and the evidence when they hold.</summary>
    public sealed class MatchBuilder
    {
        private readonly Condition[]? _required;

        internal MatchBuilder(Condition[]? required) => _required = required;

        /// <summary>Adds supporting conditions.</summary>
        public ArchetypeMatch? With(params Condition[] supporting)
        {
            if (_required is null)
            {
                return null;
            }

            var evidence = _required.Concat(supporting).Where(c => c.Holds && c.Present && !c.Guard).OrderByDescending(c => c.Strength).ToList();
            return new ArchetypeMatch(evidence.Sum(c => c.Strength), evidence.Select(c => c.Role).Distinct().ToArray());
        }

        /// <summary>The match of the required conditions alone.</summary>
        public static implicit operator ArchetypeMatch?(MatchBuilder builder) => builder?.With();

        /// <summary>The match of the required conditions alone.</summary>
        public ArchetypeMatch? ToArchetypeMatch() => With();
    }
}
