namespace Segmentation.Analytics.Segments;

/// <summary>A named segment type, recognised by conditions on the segment's profile, with a marketing action.</summary>
/// <param name="Key">A stable machine-readable key, e.g. "cash-advance".</param>
/// <param name="Name">The segment name shown to users.</param>
/// <param name="Recommendation">The marketing action.</param>
/// <param name="Match">The conditions: the evidence and a score when they hold, null when they do not.</param>
public sealed record Archetype(string Key, string Name, string Recommendation, Func<ProfileReader, ArchetypeMatch?> Match);

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
            new("cash-advance", "Cash-advance reliant",
                "Offer a balance transfer or a lower-rate instalment loan in place of cash advances, with credit-counselling support: cash advances are the most expensive credit they use.",
                p => p.All(p.High("cashadvance", 0.5, ratio: 2)).With(p.High("cashadvancefrequency", 0.5), p.Low("purchases", -0.2))),
            new("revolver", "Revolvers carrying balances",
                "Promote balance-transfer offers and structured payment plans, with reminders before due dates to limit interest and missed payments.",
                p => p.All(p.High("balance", 0.5, ratio: 1.5), p.Low("prcfullpayment", -0.2, optional: true)).With(p.High("minimumpayments", 0.3))),
            new("full-payer-spender", "High spenders who pay in full",
                "Upgrade to a premium card with rewards on their spend; they are profitable through card use rather than interest, so reward loyalty, not borrowing.",
                p => p.All(p.High("purchases", 0.5, ratio: 2), p.High("prcfullpayment", 0.25)).With(p.High("oneoffpurchases", 0.5))),
            new("high-spender", "High spenders",
                "Rewards and cashback tied to spend thresholds, and an invitation to a higher limit or premium tier.",
                p => p.All(p.High("purchases", 0.75, ratio: 2.5)).With(p.High("oneoffpurchases", 0.5), p.High("purchasestrx", 0.5))),
            new("installment", "Instalment buyers",
                "Low-interest or interest-free instalment plans with partner merchants, and pre-approved instalment offers at checkout.",
                p => p.All(p.Either(p.High("installmentspurchases", 0.3, ratio: 1.3), p.High("purchasesinstallmentsfrequency", 0.5, ratio: 1.5)))
                    .With(p.High("installmentspurchases", 0.3, ratio: 1.3), p.High("purchasesinstallmentsfrequency", 0.5), p.High("purchasesfrequency", 0.3))),
            new("transactor", "Transactors who pay in full",
                "Keep them with service perks and a premium upgrade rather than rate offers: they clear their balance every month.",
                p => p.All(p.High("prcfullpayment", 0.75), p.AtMost("purchases", 0.5)).With(p.Low("balance", -0.2))),
            new("new-account", "New accounts",
                "An onboarding journey for the first months: first-purchase incentives, app activation and autopay set-up.",
                p => p.All(p.Low("tenure", -0.75))),
            new("dormant", "Low activity",
                "A re-engagement campaign with a spend-and-get bonus or a fee waiver on the next purchases; if they stay inactive, review what the account costs to serve.",
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
            new("champions", "Champions", "Reward them, ask for reviews and referrals, and give early access to new products.",
                p => p.All(p.Low("recency", -0.4), p.High("frequency", 0.4), p.High("monetary", 0.4, optional: true))),
            new("at-risk", "At risk", "A win-back campaign with a personal offer before they lapse; they bought often but not lately.",
                p => p.All(p.High("recency", 0.5), p.High("frequency", 0, optional: true))),
            new("lapsed", "Lapsed customers", "Low-cost reactivation messages; stop expensive channels if they do not respond.",
                p => p.All(p.High("recency", 0.5), p.Low("frequency", -0.3))),
            new("new", "New customers", "An onboarding series with a second-purchase incentive.",
                p => p.All(p.Low("recency", -0.4), p.Low("frequency", -0.3))),
            new("big-spenders", "Big spenders", "Premium offers and personal service to protect their spend.",
                p => p.All(p.High("monetary", 0.6))),
            new("loyal", "Loyal customers", "Loyalty-programme tiers and relevant upsell.",
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
            new("affluent-spenders", "Affluent big spenders", "Premium and exclusive offers, with personal service.",
                p => p.All(p.High("income", 0.5), p.High("score", 0.5))),
            new("affluent-cautious", "Affluent but cautious", "Quality-and-value messaging and targeted trials to win a larger share of their budget.",
                p => p.All(p.High("income", 0.5), p.Low("score", -0.5))),
            new("budget-enthusiasts", "Budget enthusiasts", "Promotions, bundles and pay-later options; watch credit risk.",
                p => p.All(p.Low("income", -0.5), p.High("score", 0.5))),
            new("budget-cautious", "Budget cautious", "Essentials offers through low-cost channels.",
                p => p.All(p.Low("income", -0.5), p.Low("score", -0.5))),
            new("young-spenders", "Young spenders", "Social and mobile campaigns with trend-led products.",
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
