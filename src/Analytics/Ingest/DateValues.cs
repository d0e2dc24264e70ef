using System.Globalization;
using System.Text.RegularExpressions;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>
/// Reads dates strictly: year-first (ISO 8601) always; day-first or month-first only when the values prove which (a day above 12
/// somewhere, and no value that only fits the other order). A time of day after the date is allowed and ignored.
/// </summary>
public static partial class DateValues
{
    /// <summary>What the distinct values of a text column say about dates.</summary>
    /// <param name="AllDates">Every value is a date of one shape.</param>
    /// <param name="Order">The order they prove, or null when they fit both day-first and month-first.</param>
    /// <param name="Example">A value, for messages.</param>
    public readonly record struct Detection(bool AllDates, DateOrder? Order, string? Example);

    /// <summary>Looks at every distinct value once.</summary>
    public static Detection Detect(IEnumerable<string> distinct)
    {
        ArgumentNullException.ThrowIfNull(distinct);
        bool any = false, yearFirst = true, dayFirst = true, monthFirst = true;
        string? example = null;
        foreach (var value in distinct)
        {
            any = true;
            example ??= value;
            yearFirst = yearFirst && TryParse(value, DateOrder.YearFirst, out _);
            dayFirst = dayFirst && TryParse(value, DateOrder.DayFirst, out _);
            monthFirst = monthFirst && TryParse(value, DateOrder.MonthFirst, out _);
            if (!yearFirst && !dayFirst && !monthFirst)
            {
                return new Detection(false, null, value);
            }
        }

        if (!any)
        {
            return new Detection(false, null, null);
        }

        return yearFirst ? new Detection(true, DateOrder.YearFirst, example)
            : dayFirst && monthFirst ? new Detection(true, null, example)
            : new Detection(true, dayFirst ? DateOrder.DayFirst : DateOrder.MonthFirst, example);
    }

    /// <summary>Parses <paramref name="text"/> as a date written in <paramref name="order"/>; false for anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, DateOrder order, out DateOnly date)
    {
        date = default;
        var trimmed = text.Trim();
        if (trimmed.Length is < 8 or > 40)
        {
            return false;
        }

        var match = order == DateOrder.YearFirst ? YearFirstShape().Match(trimmed.ToString()) : DayMonthShape().Match(trimmed.ToString());
        if (!match.Success)
        {
            return false;
        }

        int year, month, day;
        var first = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        var second = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
        var third = int.Parse(match.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
        (year, month, day) = order switch
        {
            DateOrder.YearFirst => (first, second, third),
            DateOrder.DayFirst => (third, second, first),
            _ => (third, first, second),
        };

        if (year is < 1000 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>The order in words with an example, e.g. "day first, 29-06-2014".</summary>
    public static string Describe(DateOrder order) => order switch
    {
        DateOrder.YearFirst => AnalyticsTexts.Get("DatesYearFirst"),
        DateOrder.DayFirst => AnalyticsTexts.Get("DatesDayFirst"),
        _ => AnalyticsTexts.Get("DatesMonthFirst"),
    };

    // A time of day may follow the date (2014-06-29 00:00:00, 2014-06-29T08:15Z).
    [GeneratedRegex(@"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YearFirstShape();

    [GeneratedRegex(@"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DayMonthShape();
}
