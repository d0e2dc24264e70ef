namespace Segmentation.Analytics.Segments;

/// <summary>A named segment type, recognised by conditions on the segment's profile, with a marketing action.</summary>
/// <param name="Key">A stable machine-readable key, e.g. "cash-advance"; its name and action are the texts Archetype_KEY_Name and
/// Archetype_KEY_Recommendation of <see cref="Resources.AnalyticsTexts"/>.</param>
/// <param name="Match">The conditions: the evidence and a score when they hold, null when they do not.</param>
public sealed record Archetype(string Key, Func<ProfileReader, ArchetypeMatch?> Match)
{
    /// <summary>The segment name shown to users, in the UI's language.</summary>
    public string Name => Resources.AnalyticsTexts.Get($"Archetype_{Key}_Name");

    /// <summary>The marketing action, in the UI's language.</summary>
    public string Recommendation => Resources.AnalyticsTexts.Get($"Archetype_{Key}_Recommendation");
}

/// <summary>Why an archetype fits: how strongly, and the roles whose numbers show it.</summary>
/// <param name="Score">Strength, the sum of the |z| of the conditions that hold.</param>
/// <param name="EvidenceRoles">The roles to quote as evidence, strongest first.</param>
public sealed record ArchetypeMatch(double Score, IReadOnlyList<string> EvidenceRoles);

/// <summary>Archetypes for one kind of customer data, recognised from column names.</summary>
/// <param name="Name">The kind of data, e.g. "credit cards".</param>
/// <param name="Roles">Each role with the normalised column names that fill it.</param>
/// <param name="MinimumRoles">How many roles the features must fill for the pack to apply.</param>
/// <param name="Archetypes">The archetypes, in order of precedence for ties.</param>
public sealed record RulePack(string Name, IReadOnlyDictionary<string, string[]> Roles, int MinimumRoles, IReadOnlyList<Archetype> Archetypes);

/// <summary>The built-in rule packs.</summary>
public static class RulePacks
{
    /// <summary>Credit-card behaviour (cc_general's columns).</summary>
    public static RulePack CreditCards { get; } = new(
        "credit cards",
        Roles(
            "balance", "balancefrequency", "purchases", "oneoffpurchases", "installmentspurchases", "cashadvance", "purchasesfrequency",
            "oneoffpurchasesfrequency", "purchasesinstallmentsfrequency", "cashadvancefrequency", "cashadvancetrx", "purchasestrx", "creditlimit",
            "payments", "minimumpayments", "prcfullpayment", "tenure"),
        4,
        [
            new("cash-advance",
                p => p.All(p.High("cashadvance", 0.5, ratio: 2)).With(p.High("cashadvancefrequency", 0.5), p.Low("purchases", -0.2))),
            new("revolver",
                p => p.All(p.High("balance", 0.5, ratio: 1.5), p.Low("prcfullpayment", -0.2, optional: true)).With(p.High("minimumpayments", 0.3))),
            new("full-payer-spender",
                p => p.All(p.High("purchases", 0.5, ratio: 2), p.High("prcfullpayment", 0.25)).With(p.High("oneoffpurchases", 0.5))),
            new("high-spender",
                p => p.All(p.High("purchases", 0.75, ratio: 2.5)).With(p.High("oneoffpurchases", 0.5), p.High("purchasestrx", 0.5))),
            new("installment",
                p => p.All(p.Either(p.High("installmentspurchases", 0.3, ratio: 1.3), p.High("purchasesinstallmentsfrequency", 0.5, ratio: 1.5)))
                    .With(p.High("installmentspurchases", 0.3, ratio: 1.3), p.High("purchasesinstallmentsfrequency", 0.5), p.High("purchasesfrequency", 0.3))),
            new("transactor",
                p => p.All(p.High("prcfullpayment", 0.75), p.AtMost("purchases", 0.5)).With(p.Low("balance", -0.2))),
            new("new-account",
                p => p.All(p.Low("tenure", -0.75))),
            new("dormant",
                p => p.All(p.Low("purchases", -0.2, ratio: 0.5), p.Low("cashadvance", -0.1, ratio: 0.75, optional: true), p.Low("purchasesfrequency", -0.3, optional: true))),
        ]);

    /// <summary>Retail recency / frequency / monetary data.</summary>
    public static RulePack Rfm { get; } = new(
        "retail RFM",
        new Dictionary<string, string[]>
        {
            ["recency"] = ["recency", "recencydays", "dayssincelastpurchase", "dayssincelastorder", "lastpurchasedays"],
            ["frequency"] = ["frequency", "purchasecount", "ordercount", "orders", "numberofpurchases", "numpurchases"],
            ["monetary"] = ["monetary", "monetaryvalue", "totalspend", "totalspent", "spend", "revenue", "totalamount", "amount"],
        },
        2,
        [
            new("champions",
                p => p.All(p.Low("recency", -0.4), p.High("frequency", 0.4), p.High("monetary", 0.4, optional: true))),
            new("at-risk",
                p => p.All(p.High("recency", 0.5), p.High("frequency", 0, optional: true))),
            new("lapsed",
                p => p.All(p.High("recency", 0.5), p.Low("frequency", -0.3))),
            new("new",
                p => p.All(p.Low("recency", -0.4), p.Low("frequency", -0.3))),
            new("big-spenders",
                p => p.All(p.High("monetary", 0.6))),
            new("loyal",
                p => p.All(p.High("frequency", 0.5))),
        ]);

    /// <summary>Demographic data with age, income and a spending score (such as mall customers).</summary>
    public static RulePack Demographics { get; } = new(
        "age, income and spending score",
        new Dictionary<string, string[]>
        {
            ["age"] = ["age", "ageyears"],
            ["income"] = ["income", "annualincome", "annualincomek", "annualincomekusd", "yearlyincome"],
            ["score"] = ["spendingscore", "spendingscore1100", "score"],
        },
        2,
        [
            new("affluent-spenders",
                p => p.All(p.High("income", 0.5), p.High("score", 0.5))),
            new("affluent-cautious",
                p => p.All(p.High("income", 0.5), p.Low("score", -0.5))),
            new("budget-enthusiasts",
                p => p.All(p.Low("income", -0.5), p.High("score", 0.5))),
            new("budget-cautious",
                p => p.All(p.Low("income", -0.5), p.Low("score", -0.5))),
            new("young-spenders",
                p => p.All(p.Low("age", -0.5), p.High("score", 0.5))),
        ]);

    /// <summary>Every built-in pack.</summary>
    public static IReadOnlyList<RulePack> All { get; } = [CreditCards, Rfm, Demographics];

    /// <summary>A column name as roles match it: lower case letters and digits only ("Annual Income (k$)" → "annualincomek").</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
    }

    private static Dictionary<string, string[]> Roles(params string[] names) => names.ToDictionary(n => n, n => new[] { n });
}
