using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;

namespace Segmentation.Analytics.Segments;

/// <summary>A derived feature a rule pack suggests for the data's columns, with why it helps.</summary>
/// <param name="Feature">The formula.</param>
/// <param name="Why">What it measures, in words.</param>
public sealed record DerivedSuggestion(DerivedFeature Feature, string Why);

/// <summary>
/// Derived features the rule packs recognise: for credit-card data, utilisation, the payment ratio, the average purchase and
/// per-month amounts over tenure; for retail and wholesale tables, total spend and total purchases over channels.
/// </summary>
public static class DerivedSuggestions
{
    /// <summary>The suggestions whose columns are all numeric columns of <paramref name="dataset"/> (and whose names are free).</summary>
    public static IReadOnlyList<DerivedSuggestion> For(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var numeric = dataset.Columns.Where(c => c.HasNumbers && c.Kind is ColumnKind.Numeric).ToArray();
        var byRole = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in numeric)
        {
            byRole.TryAdd(RulePacks.Normalize(column.Name), column.Name);
        }

        var suggestions = new List<DerivedSuggestion>();
        void Ratio(string name, string numerator, string denominator, string why)
        {
            if (byRole.TryGetValue(numerator, out var top) && byRole.TryGetValue(denominator, out var bottom))
            {
                suggestions.Add(new DerivedSuggestion(new DerivedFeature(name, $"{Reference(top)} / {Reference(bottom)}"), why));
            }
        }

        Ratio("UTILISATION", "balance", "creditlimit", "the share of the credit limit in use (balance ÷ credit limit)");
        Ratio("PAYMENT_RATIO", "payments", "minimumpayments", "how much more than the minimum they pay (payments ÷ minimum payments)");
        Ratio("AVERAGE_PURCHASE", "purchases", "purchasestrx", "the average purchase (purchases ÷ purchase transactions)");
        Ratio("MONTHLY_PURCHASES", "purchases", "tenure", "purchases per month of tenure");
        Ratio("MONTHLY_CASH_ADVANCE", "cashadvance", "tenure", "cash advance per month of tenure");

        void Sum(string name, IReadOnlyList<DataColumn> parts, string why)
        {
            if (parts.Count >= 2)
            {
                suggestions.Add(new DerivedSuggestion(new DerivedFeature(name, string.Join(" + ", parts.Select(p => Reference(p.Name)))), why));
            }
        }

        string[] wholesale = ["fresh", "milk", "grocery", "frozen", "detergentspaper", "delicassen", "delicatessen"];
        var spend = numeric.Where(c => c.Name.StartsWith("Mnt", StringComparison.Ordinal) || wholesale.Contains(RulePacks.Normalize(c.Name), StringComparer.Ordinal)).ToArray();
        Sum("TOTAL_SPEND", spend, $"total spend over {string.Join(", ", spend.Select(s => s.Name))}");
        var channels = numeric.Where(c => RulePacks.Normalize(c.Name) is var n && n.StartsWith("num", StringComparison.Ordinal) && n.EndsWith("purchases", StringComparison.Ordinal)).ToArray();
        Sum("TOTAL_PURCHASES", channels, $"purchases over every channel ({string.Join(", ", channels.Select(s => s.Name))})");

        var taken = dataset.Columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return suggestions.Where(s => !taken.Contains(s.Feature.Name)).ToArray();
    }

    /// <summary>A column as a formula names it: as it is when it is a plain name, in [brackets] otherwise.</summary>
    public static string Reference(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var plain = column.Length > 0 && (char.IsLetter(column[0]) || column[0] == '_') && column.All(ch => char.IsLetterOrDigit(ch) || ch == '_');
        return plain ? column : $"[{column}]";
    }
}
