using System.Globalization;
using System.Text.RegularExpressions;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>What a column is for in an analysis.</summary>
public enum ColumnRole
{
    /// <summary>Names the customer; kept as exact text in every output, never a feature.</summary>
    Id,

    /// <summary>Used for clustering (categorical columns by one-hot encoding, dates as days, flags as 0/1).</summary>
    Feature,

    /// <summary>Not clustered on, but described per segment (composition of categories, rates of flags).</summary>
    Described,

    /// <summary>Left out, with the reason.</summary>
    Excluded,
}

/// <summary>How the day and month of a date are written.</summary>
public enum DateOrder
{
    /// <summary>Year first: 2014-06-29 (ISO 8601), 2014/06/29.</summary>
    YearFirst,

    /// <summary>Day first: 29-06-2014, 29/06/2014, 29.06.2014.</summary>
    DayFirst,

    /// <summary>Month first: 06/29/2014.</summary>
    MonthFirst,
}

/// <summary>The inferred kind of one column, its default role and the reason for both, in words a user can check.</summary>
/// <param name="Kind">What the column holds.</param>
/// <param name="Role">What it is used for by default.</param>
/// <param name="Reason">Why, e.g. "3 distinct integer values: a code, not an amount".</param>
/// <param name="DateOrder">For dates: how day and month are written; null when the values do not prove it.</param>
public sealed partial record ColumnTyping(ColumnKind Kind, ColumnRole Role, string Reason, DateOrder? DateOrder = null)
{
    /// <summary>More distinct text labels than this make free text, not a category.</summary>
    public const int MaxCategories = 30;

    /// <summary>Integer codes: at most this many distinct values counting 1, 2, … (a Region of 1/2/3).</summary>
    public const int MaxCodeValues = 9;

    private static readonly (string True, string False)[] FlagPairs =
    [
        ("yes", "no"), ("y", "n"), ("true", "false"), ("t", "f"), ("ja", "nein"), ("oui", "non"), ("si", "no"),
    ];

    /// <summary>Whether <paramref name="name"/> reads as an identifier: CustomerID, Customer_Id, customer id, client_no, account_number, ID, CUST_ID…</summary>
    public static bool LooksLikeIdentifierName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IdentifierName().IsMatch(name.Trim());
    }

    /// <summary>Whether the name says the column holds a code or a class (a region, a channel, a type) rather than an amount.</summary>
    internal static bool LooksLikeCodeName(string name)
    {
        // The last word decides: "Customer Type" and "Region" are codes, "NumStorePurchases" is a count of purchases.
        var words = Segments.SegmentTraits.Readable(name).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && CodeName().IsMatch(words[^1]);
    }

    /// <summary>Whether the name says the column is a year of birth.</summary>
    internal static bool LooksLikeBirthYear(string name)
    {
        var normalised = new string(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return normalised is "yearbirth" or "birthyear" or "yearofbirth" or "yob" or "birthyr";
    }

    /// <summary>The true and false tokens when every value is one of a yes/no pair (case ignored), else null.</summary>
    internal static (string True, string False)? FlagTokens(IReadOnlyCollection<string> distinct)
    {
        if (distinct.Count != 2)
        {
            return null;
        }

        foreach (var pair in FlagPairs)
        {
            if (distinct.All(v => v.Equals(pair.True, StringComparison.OrdinalIgnoreCase) || v.Equals(pair.False, StringComparison.OrdinalIgnoreCase))
                && distinct.Any(v => v.Equals(pair.True, StringComparison.OrdinalIgnoreCase)))
            {
                return (distinct.First(v => v.Equals(pair.True, StringComparison.OrdinalIgnoreCase)), distinct.First(v => v.Equals(pair.False, StringComparison.OrdinalIgnoreCase)));
            }
        }

        return null;
    }

    /// <summary>Infers a numeric column's kind. <paramref name="texts"/> are the values as written, when kept.</summary>
    internal static ColumnTyping ForNumbers(string name, int index, ReadOnlySpan<double> numbers, IReadOnlyList<string?>? texts, int missing)
    {
        var rows = numbers.Length;
        var distinct = new HashSet<double>();
        var integers = true;
        foreach (var value in numbers)
        {
            if (double.IsNaN(value))
            {
                continue;
            }

            integers &= value == Math.Floor(value);
            if (distinct.Count <= MaxCategories)
            {
                distinct.Add(value);
            }
        }

        // Values as written decide for kept texts: 19-digit numbers that round to one double are still different.
        if (distinct.Count == 1 && (texts is null || texts.Where(t => t is not null).Distinct(StringComparer.Ordinal).Take(2).Count() == 1))
        {
            return new(ColumnKind.Constant, ColumnRole.Excluded, AnalyticsTexts.Get("ReasonConstant", distinct.First().ToString("G", CultureInfo.InvariantCulture)));
        }

        // Only integer columns can be identifiers, so only they need the share of distinct values.
        var distinctShare = integers ? DistinctShare(numbers, texts) : 0;
        var unique = missing == 0 && rows > 1 && integers && distinctShare == 1;
        var leadingZeros = texts is not null && integers && HasLeadingZeros(texts);
        if (leadingZeros && unique)
        {
            return new(ColumnKind.Identifier, ColumnRole.Id, AnalyticsTexts.Get("ReasonLeadingZeroIds"));
        }

        if (integers && LooksLikeIdentifierName(name) && (unique || distinctShare >= 0.9))
        {
            return new(ColumnKind.Identifier, ColumnRole.Id, unique
                ? AnalyticsTexts.Get("ReasonNamedId")
                : AnalyticsTexts.Get("ReasonNamedIdRepeats"));
        }

        if (leadingZeros)
        {
            return new(ColumnKind.Categorical, ColumnRole.Described, AnalyticsTexts.Get("ReasonLeadingZeroCodes"));
        }

        if (unique && index == 0 && rows >= 3)
        {
            return new(ColumnKind.Identifier, ColumnRole.Id, AnalyticsTexts.Get("ReasonFirstColumnId"));
        }


        if (distinct.Count == 2 && distinct.Contains(0) && distinct.Contains(1))
        {
            return new(ColumnKind.Binary, ColumnRole.Feature, AnalyticsTexts.Get("ReasonZeroOne"));
        }

        if (integers && LooksLikeBirthYear(name) && distinct.All(v => v is >= 1880 and <= 2030))
        {
            return new(ColumnKind.Numeric, ColumnRole.Feature, AnalyticsTexts.Get("ReasonBirthYears"));
        }

        if (integers && distinct.Count <= MaxCategories && distinct.Count >= 2)
        {
            var sorted = distinct.Order().ToArray();
            // Codes repeat: each value on five rows or more on average (two rows of 1 and 2 are too few to tell).
            var repeated = rows - missing >= 5 * sorted.Length;
            var counting = repeated && sorted[0] == 1 && sorted[^1] == sorted.Length && sorted.Length <= MaxCodeValues;
            if (counting || (repeated && LooksLikeCodeName(name) && sorted[0] >= 0))
            {
                return new(ColumnKind.Categorical, ColumnRole.Described, AnalyticsTexts.Get("ReasonIntegerCodes", sorted.Length));
            }
        }

        return new(ColumnKind.Numeric, ColumnRole.Feature, AnalyticsTexts.Get("ReasonNumbers"));
    }

    /// <summary>Infers a text column's kind.</summary>
    internal static ColumnTyping ForTexts(string name, int index, IReadOnlyList<string?> texts, int missing)
    {
        var rows = texts.Count;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (text is not null)
            {
                counts[text] = counts.GetValueOrDefault(text) + 1;
            }
        }

        if (counts.Count == 1)
        {
            return new(ColumnKind.Constant, ColumnRole.Excluded, AnalyticsTexts.Get("ReasonConstantText", Shorten(counts.Keys.First())));
        }

        var dates = DateValues.Detect(counts.Keys);
        if (dates.AllDates)
        {
            return dates.Order is { } order
                ? new(ColumnKind.Date, ColumnRole.Feature, AnalyticsTexts.Get("ReasonDates", DateValues.Describe(order)), order)
                : new(ColumnKind.Date, ColumnRole.Excluded, AnalyticsTexts.Get("ReasonDatesAmbiguous", dates.Example!), null);
        }

        var unique = missing == 0 && rows > 1 && counts.Count == rows;
        if (unique && (LooksLikeIdentifierName(name) || index == 0 || counts.Keys.All(LooksLikeCode)))
        {
            return new(ColumnKind.Identifier, ColumnRole.Id, AnalyticsTexts.Get(index == 0 && !LooksLikeIdentifierName(name) ? "ReasonUniqueFirst" : "ReasonUnique"));
        }

        if (FlagTokens(counts.Keys) is { } flag)
        {
            return new(ColumnKind.Binary, ColumnRole.Feature, AnalyticsTexts.Get("ReasonFlag", flag.True, flag.False));
        }

        if (unique || counts.Count > MaxCategories || counts.Count > Math.Max(2, (rows - missing) / 2))
        {
            return new(ColumnKind.Text, ColumnRole.Excluded, AnalyticsTexts.Get("ReasonFreeText", counts.Count));
        }

        var examples = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(3).Select(c => Shorten(c.Key));
        return new(ColumnKind.Categorical, ColumnRole.Described, AnalyticsTexts.Get("ReasonTextLabels", counts.Count, string.Join(", ", examples) + (counts.Count > 3 ? ", …" : string.Empty)));
    }

    /// <summary>Distinct values over present values, 0..1; for numbers not kept as text, 0 when it is below 0.9.</summary>
    private static double DistinctShare(ReadOnlySpan<double> numbers, IReadOnlyList<string?>? texts)
    {
        if (texts is not null)
        {
            // The text as written: 17-digit numbers that round to the same double are still different customers.
            var written = texts.Count(t => t is not null);
            return written == 0 ? 0 : texts.Where(t => t is not null).Distinct(StringComparer.Ordinal).Count() / (double)written;
        }

        // Only a share of 0.9 or more matters (an identifier), so counting stops once repeats pass a tenth of the values: a column of
        // amounts or counts is told apart after a few rows, without a set of a million values.
        var present = 0;
        foreach (var value in numbers)
        {
            present += double.IsNaN(value) ? 0 : 1;
        }

        var seen = new HashSet<double>();
        var repeats = 0;
        foreach (var value in numbers)
        {
            if (!double.IsNaN(value) && !seen.Add(value) && ++repeats > present / 10)
            {
                return 0;
            }
        }

        return present == 0 ? 0 : seen.Count / (double)present;
    }

    private static bool HasLeadingZeros(IReadOnlyList<string?> texts)
    {
        foreach (var text in texts)
        {
            if (text is { Length: > 1 } && text[0] == '0' && char.IsAsciiDigit(text[1]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A code such as C10001, AB-123 or 000123: letters and digits with at least one digit, no spaces.</summary>
    private static bool LooksLikeCode(string value) =>
        value.Length is > 0 and <= 40 && value.Any(char.IsAsciiDigit) && value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '/' or '.');

    private static string Shorten(string text) => text.Length <= 24 ? text : string.Concat(text.AsSpan(0, 24), "…");

    [GeneratedRegex(@"^(id|key|uuid|guid|no|nr)$|(^|[\s_\-.])(id|key|no|nr|number|num|code|uuid|guid)$|^(id|key|uuid|guid)([\s_\-.]|$)|(?-i:[a-z]I[dD])$|^(customer|client|account|member|user|cust|acct)[\s_\-.]?(id|no|nr|number|num|code|key)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierName();

    [GeneratedRegex(@"^(code|type|region|channel|category|class|group|segment|status|gender|sex|zone|state|country|city|branch|store|level|tier|grade|kind)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CodeName();
}
