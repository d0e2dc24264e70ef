using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Tests.Segments;

public sealed class SegmentNamerTests
{
    private static readonly string[] CreditCardFeatures =
    [
        "BALANCE", "BALANCE_FREQUENCY", "PURCHASES", "ONEOFF_PURCHASES", "INSTALLMENTS_PURCHASES", "CASH_ADVANCE", "PURCHASES_FREQUENCY",
        "ONEOFF_PURCHASES_FREQUENCY", "PURCHASES_INSTALLMENTS_FREQUENCY", "CASH_ADVANCE_FREQUENCY", "CASH_ADVANCE_TRX", "PURCHASES_TRX",
        "CREDIT_LIMIT", "PAYMENTS", "MINIMUM_PAYMENTS", "PRC_FULL_PAYMENT", "TENURE",
    ];

    /// <summary>Hand-built segment profiles: z-scores per feature (the rest 0), overall mean 100 and sd 50, so ratio = 1 + z / 2.</summary>
    public static TheoryData<string, Dictionary<string, double>> CreditCardProfiles => new()
    {
        { "cash-advance", new() { ["CASH_ADVANCE"] = 3, ["CASH_ADVANCE_FREQUENCY"] = 2, ["PURCHASES"] = -0.6 } },
        { "revolver", new() { ["BALANCE"] = 1.5, ["PRC_FULL_PAYMENT"] = -0.8, ["MINIMUM_PAYMENTS"] = 1 } },
        { "full-payer-spender", new() { ["PURCHASES"] = 2.5, ["ONEOFF_PURCHASES"] = 2, ["PRC_FULL_PAYMENT"] = 1.2 } },
        { "high-spender", new() { ["PURCHASES"] = 3.5, ["PURCHASES_TRX"] = 2, ["PRC_FULL_PAYMENT"] = -0.3 } },
        { "installment", new() { ["INSTALLMENTS_PURCHASES"] = 1, ["PURCHASES_INSTALLMENTS_FREQUENCY"] = 1.4 } },
        { "transactor", new() { ["PRC_FULL_PAYMENT"] = 1.6, ["BALANCE"] = -0.5 } },
        { "new-account", new() { ["TENURE"] = -1.5 } },
        { "dormant", new() { ["PURCHASES"] = -1.5, ["CASH_ADVANCE"] = -0.5, ["PURCHASES_FREQUENCY"] = -1.2 } },
    };

    [Theory]
    [MemberData(nameof(CreditCardProfiles))]
    public void Each_credit_card_archetype_fires_on_its_profile_and_no_other_fires(string key, Dictionary<string, double> z)
    {
        var profile = Profiles(CreditCardFeatures, z);
        var matching = RulePacks.CreditCards.Archetypes.Where(a => a.Match(Reader(profile, CreditCardFeatures)) is not null).Select(a => a.Key).ToArray();
        Assert.Equal([key], matching);
        var insight = SegmentNamer.Name(profile)[0];
        Assert.Equal(key, insight.ArchetypeKey);
        Assert.NotEmpty(insight.Evidence);
        Assert.All(insight.Evidence, e => Assert.Matches(@"\d", e));
    }

    [Fact]
    public void A_profile_with_nothing_unusual_is_not_given_an_archetype()
    {
        var insight = SegmentNamer.Name(Profiles(CreditCardFeatures, new Dictionary<string, double> { ["BALANCE"] = 0.1 }))[0];
        Assert.Null(insight.ArchetypeKey);
        Assert.Equal("Typical customers", insight.Name);
    }

    [Fact]
    public void Archetypes_go_to_the_strongest_segment_and_names_stay_unique()
    {
        var profiles = Profiles(CreditCardFeatures,
            new Dictionary<string, double> { ["CASH_ADVANCE"] = 1.2, ["CASH_ADVANCE_FREQUENCY"] = 0.6 },
            new Dictionary<string, double> { ["CASH_ADVANCE"] = 3.5, ["CASH_ADVANCE_FREQUENCY"] = 2.5 },
            new Dictionary<string, double> { ["CASH_ADVANCE"] = 2.0, ["BALANCE"] = 1.5, ["PRC_FULL_PAYMENT"] = -0.5 });
        var insights = SegmentNamer.Name(profiles);
        Assert.Equal("cash-advance", insights[1].ArchetypeKey);
        Assert.Equal("revolver", insights[2].ArchetypeKey);
        Assert.NotEqual("cash-advance", insights[0].ArchetypeKey);
        Assert.Equal(3, insights.Select(i => i.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_segment_under_one_percent_is_an_outlier_group_not_a_market()
    {
        var profiles = Profiles(CreditCardFeatures, [new Dictionary<string, double> { ["PURCHASES"] = 6 }, new Dictionary<string, double> { ["PURCHASES"] = -0.3 }], sizes: [5, 995]);
        var insight = SegmentNamer.Name(profiles)[0];
        Assert.True(insight.IsOutlierGroup);
        Assert.StartsWith("Outlier group: ", insight.Name, StringComparison.Ordinal);
        Assert.Contains("too few to market to", insight.Recommendation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Recency", "Frequency", "Monetary", "retail RFM")]
    [InlineData("days_since_last_purchase", "order count", "Total Spend", "retail RFM")]
    [InlineData("Age", "Annual Income (k$)", "Spending Score (1-100)", "age, income and spending score")]
    public void Packs_are_recognised_from_column_names_whatever_their_case_and_separators(string a, string b, string c, string pack)
    {
        Assert.Equal(pack, SegmentNamer.Recognise([a, b, c, "CustomerID"])!.Value.Pack.Name);
        Assert.Null(SegmentNamer.Recognise(["height", "weight"]));
    }

    [Fact]
    public void Rfm_and_demographic_archetypes_fire_on_their_profiles()
    {
        string[] rfm = ["Recency", "Frequency", "Monetary"];
        var rfmProfiles = Profiles(rfm,
            new Dictionary<string, double> { ["Recency"] = -1, ["Frequency"] = 1.5, ["Monetary"] = 1.5 },
            new Dictionary<string, double> { ["Recency"] = 1.5, ["Frequency"] = -1, ["Monetary"] = -0.8 },
            new Dictionary<string, double> { ["Recency"] = -1, ["Frequency"] = -0.8, ["Monetary"] = -0.5 });
        Assert.Equal(["champions", "lapsed", "new"], SegmentNamer.Name(rfmProfiles).Select(i => i.ArchetypeKey));

        string[] mall = ["Age", "Annual Income (k$)", "Spending Score (1-100)"];
        var mallProfiles = Profiles(mall,
            new Dictionary<string, double> { ["Annual Income (k$)"] = 1.2, ["Spending Score (1-100)"] = 1.2 },
            new Dictionary<string, double> { ["Annual Income (k$)"] = 1.1, ["Spending Score (1-100)"] = -1.3 },
            new Dictionary<string, double> { ["Annual Income (k$)"] = -1.2, ["Spending Score (1-100)"] = -1.1 });
        Assert.Equal(["affluent-spenders", "affluent-cautious", "budget-cautious"], SegmentNamer.Name(mallProfiles).Select(i => i.ArchetypeKey));
    }

    [Fact]
    public void Generic_names_come_from_the_top_traits_for_data_no_pack_knows()
    {
        string[] features = ["HEIGHT", "WEIGHT", "STEPS_PER_DAY"];
        var insight = SegmentNamer.Name(Profiles(features, new Dictionary<string, double> { ["STEPS_PER_DAY"] = 2, ["WEIGHT"] = -1 }))[0];
        Assert.Null(insight.ArchetypeKey);
        Assert.Equal("High steps per day, low weight", insight.Name);
        Assert.Contains("steps per day 2.0× the average", insight.Evidence[0], StringComparison.Ordinal);
    }

    private static ProfileReader Reader(SegmentProfiles profiles, string[] features) =>
        new(profiles, 1, SegmentNamer.Recognise(features)!.Value.Roles);

    private static SegmentProfiles Profiles(string[] features, params Dictionary<string, double>[] segments) => Profiles(features, segments, null);

    private static SegmentProfiles Profiles(string[] features, Dictionary<string, double>[] segments, int[]? sizes)
    {
        sizes ??= segments.Select(_ => 100).ToArray();
        var total = sizes.Sum();
        var profiles = segments.Select((z, s) =>
        {
            var zs = features.Select(f => z.GetValueOrDefault(f)).ToArray();
            return new SegmentProfile(s + 1, sizes[s], sizes[s] / (double)total, zs.Select(v => 100 + (50 * v)).ToArray(), zs.Select(v => 100 + (50 * v)).ToArray(), zs);
        }).ToArray();
        return new SegmentProfiles(features, profiles, features.Select(f => new FeatureSeparation(f, 100, 50, 10, 0.3)).ToArray());
    }
}
