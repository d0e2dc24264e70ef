using System.Globalization;
using CsvHelper;

namespace Segmentation.Analytics.Export;

/// <summary>
/// How an export is written: the field separator and the decimal mark. <see cref="Standard"/> is RFC 4180 (comma, point), what
/// tools and databases read; <see cref="ForExcel"/> follows a culture the way Excel does when it opens a CSV file (its list
/// separator and decimal mark, e.g. <c>;</c> and <c>,</c> in German), with a byte-order mark so that it reads UTF-8.
/// Numbers are never grouped (1234.5, not 1,234.5), so that every program reads them back as the same number.
/// </summary>
public sealed record CsvFormat(char Separator, NumberFormatInfo Numbers, bool ByteOrderMark)
{
    /// <summary>Comma-separated, decimal point, no byte-order mark.</summary>
    public static CsvFormat Standard { get; } = new(',', NumberFormatInfo.InvariantInfo, false);

    /// <summary>The format Excel in <paramref name="culture"/> opens in columns: the culture's list separator and decimal mark.</summary>
    public static CsvFormat ForExcel(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var decimalMark = culture.NumberFormat.NumberDecimalSeparator;
        var list = culture.TextInfo.ListSeparator;

        // Excel takes the list separator from the regional settings; where it is missing or equals the decimal mark, it is ';'.
        var separator = list.Length == 1 && list != decimalMark ? list[0] : decimalMark == "," ? ';' : ',';
        var numbers = (NumberFormatInfo)NumberFormatInfo.InvariantInfo.Clone();
        numbers.NumberDecimalSeparator = decimalMark;
        numbers.NegativeSign = "-";
        return new CsvFormat(separator, NumberFormatInfo.ReadOnly(numbers), true);
    }

    /// <summary>The name users see: "comma-separated, decimal point" or "semicolon-separated, decimal comma".</summary>
    public string Description =>
        $"{Separator switch { ',' => "comma", ';' => "semicolon", '\t' => "tab", _ => $"'{Separator}'" }}-separated, decimal {(Numbers.NumberDecimalSeparator == "," ? "comma" : "point")}";

    /// <summary>A CSV writer with this format; text a spreadsheet would run as a formula is escaped with an apostrophe.</summary>
    public CsvWriter CreateWriter(Stream destination) =>
        CsvWriter.Create(destination, CsvWriterOptions.Default with
        {
            Separator = Separator,
            FormatProvider = Numbers,
            Injection = CsvInjection.Escape,
            NewLine = "\r\n",
            WriteByteOrderMark = ByteOrderMark,
        }, leaveOpen: true);

    /// <summary><paramref name="value"/> as this format writes it: shortest round-trip digits, this decimal mark, empty when not finite.</summary>
    public string Number(double value) => double.IsFinite(value) ? value.ToString("R", Numbers) : string.Empty;
}
