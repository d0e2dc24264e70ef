using System.Globalization;

namespace Segmentation.Analytics.Ingest;

/// <summary>What a single field holds.</summary>
internal enum ValueKind
{
    Missing,
    ExcelError,
    Number,
    Infinite,
    Overflow,
    Text,
}

/// <summary>Reads one field strictly: a value is a number only when it means that number in this file's notation.</summary>
internal static class ValueClassifier
{
    private static readonly HashSet<string> MissingTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        string.Empty, "NA", "N/A", "#N/A", "NULL", "None", "NaN", "-", "?", "n.a.", "nil", "missing",
    };

    private static readonly HashSet<string> ExcelErrors = new(StringComparer.OrdinalIgnoreCase)
    {
        "#VALUE!", "#DIV/0!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#N/A!", "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!",
    };

    private static readonly HashSet<string> InfinityTokens = new(StringComparer.OrdinalIgnoreCase)
    {
        "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "∞", "+∞", "-∞", "−∞", "1.#INF", "-1.#INF",
    };

    // Span look-ups, so that classifying a field allocates nothing.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> MissingLookup = MissingTokens.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ExcelLookup = ExcelErrors.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> InfinityLookup = InfinityTokens.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Classifies a field (surrounding white space ignored). <paramref name="decimalSeparator"/> is '.' or ','.</summary>
    internal static ValueKind Classify(string field, char decimalSeparator, out double value) => Classify(field.AsSpan(), decimalSeparator, out value);

    // The characters of a plain number in a decimal-point file ("40.900749", "-1.5e3"): no token, grouping or other minus sign is made
    // of them alone (but the missing token "-"), so for such a field the normaliser below would copy it unchanged.
    private static readonly System.Buffers.SearchValues<char> PlainNumberChars = System.Buffers.SearchValues.Create("0123456789.+-eE");

    /// <summary>Classifies a field (surrounding white space ignored) without allocating. <paramref name="decimalSeparator"/> is '.' or ','.</summary>
    internal static ValueKind Classify(ReadOnlySpan<char> field, char decimalSeparator, out double value)
    {
        value = double.NaN;
        var text = field.Trim();
        if (text.Length == 1 && char.IsAsciiDigit(text[0]))
        {
            value = text[0] - '0';
            return ValueKind.Number;
        }

        if (decimalSeparator == '.' && text.Length > 1 && !text.ContainsAnyExcept(PlainNumberChars))
        {
            return Parsed(text, ref value);
        }

        if (text.Length == 0 || MissingLookup.Contains(text))
        {
            return ValueKind.Missing;
        }

        if (text[0] == '#' && ExcelLookup.Contains(text))
        {
            return ValueKind.ExcelError;
        }

        if (InfinityLookup.Contains(text))
        {
            return ValueKind.Infinite;
        }

        Span<char> buffer = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
        if (!TryNormalise(text, decimalSeparator, buffer, out var length))
        {
            return ValueKind.Text;
        }

        return Parsed(buffer[..length], ref value);
    }

    /// <summary>Parses a number in invariant notation: a number, an overflow, or text.</summary>
    private static ValueKind Parsed(ReadOnlySpan<char> invariant, ref double value)
    {
        if (!double.TryParse(invariant, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            return ValueKind.Text;
        }

        if (double.IsInfinity(value) || Math.Abs(value) > float.MaxValue)
        {
            value = double.NaN;
            return ValueKind.Overflow;
        }

        return ValueKind.Number;
    }

    /// <summary>
    /// Rewrites a number in this file's notation into invariant notation: U+2212 minus becomes '-', the decimal separator becomes '.',
    /// and thousands separators (the other of '.' and ',', or spaces) are removed only where they group whole thousands (1,234,567).
    /// Anything else, such as "1,5" in a decimal-point file, is not a number.
    /// </summary>
    private static bool TryNormalise(ReadOnlySpan<char> text, char decimalSeparator, Span<char> buffer, out int length)
    {
        var grouping = decimalSeparator == '.' ? ',' : '.';
        length = 0;
        var i = 0;
        if (text[0] is '-' or '+' or '\u2212')
        {
            buffer[length++] = text[0] == '+' ? '+' : '-';
            i++;
        }

        // The integer part: digits, optionally grouped by threes.
        var integerStart = i;
        var groups = 0;
        var sinceSeparator = 0;
        var firstGroupLength = 0;
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsAsciiDigit(ch))
            {
                buffer[length++] = ch;
                sinceSeparator++;
            }
            else if ((ch == grouping || ch == '\u00A0' || ch == '\u202F' || ch == '\'') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                if (groups == 0)
                {
                    firstGroupLength = sinceSeparator;
                    if (firstGroupLength is < 1 or > 3)
                    {
                        return false;
                    }
                }
                else if (sinceSeparator != 3)
                {
                    return false;
                }

                groups++;
                sinceSeparator = 0;
            }
            else
            {
                break;
            }
        }

        if (groups > 0 && sinceSeparator != 3)
        {
            return false;
        }

        var integerDigits = i - integerStart;
        if (i < text.Length && text[i] == decimalSeparator)
        {
            buffer[length++] = '.';
            i++;
            var fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                buffer[length++] = text[i++];
            }

            if (i == fractionStart && integerDigits == 0)
            {
                return false;
            }
        }
        else if (integerDigits == 0)
        {
            return false;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            buffer[length++] = 'e';
            i++;
            if (i < text.Length && text[i] is '+' or '-' or '\u2212')
            {
                buffer[length++] = text[i] == '+' ? '+' : '-';
                i++;
            }

            var exponentStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                buffer[length++] = text[i++];
            }

            if (i == exponentStart)
            {
                return false;
            }
        }

        if (i != text.Length)
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// Evidence in one field for the file's decimal separator: +1 for a decimal comma ("12,5", "0,75": a comma that cannot be
    /// a thousands separator), -1 for a decimal point ("12.5", "1,234.5"), 0 when the field says nothing ("1,234", "12", text).
    /// </summary>
    internal static int DecimalEvidence(string field)
    {
        var text = field.AsSpan().Trim();
        if (text.Length > 0 && text[0] is '-' or '+' or '\u2212')
        {
            text = text[1..];
        }

        var commas = text.Count(',');
        var points = text.Count('.');
        if (commas + points == 0)
        {
            return 0;
        }

        foreach (var ch in text)
        {
            if (!char.IsAsciiDigit(ch) && ch is not ',' and not '.' and not 'e' and not 'E' and not '-' and not '+')
            {
                return 0;
            }
        }

        if (commas > 0 && points > 0)
        {
            // Whichever comes last is the decimal separator: 1.234,5 or 1,234.5.
            return text.LastIndexOf(',') > text.LastIndexOf('.') ? 1 : -1;
        }

        var separator = commas > 0 ? ',' : '.';
        var count = commas > 0 ? commas : points;
        if (count > 1)
        {
            // 1.234.567 groups thousands with points, so the decimal separator is the comma, and the other way round.
            return separator == '.' ? 1 : -1;
        }

        var digitsAfter = text.Length - text.IndexOf(separator) - 1;
        var looksLikeGrouping = digitsAfter == 3 && text.IndexOf(separator) is >= 1 and <= 3;
        if (looksLikeGrouping)
        {
            return 0;
        }

        return separator == ',' ? 1 : -1;
    }
}
