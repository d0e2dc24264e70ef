using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Ingest;

/// <summary>
/// Collects the fields of accepted records into typed columns. Kinds and the decimal separator are decided once, from the
/// first rows, and then held to: a value that does not fit its column is reported with its line, never reinterpreted.
/// </summary>
internal sealed class TableBuilder
{
    // A column whose non-missing values are mostly numbers is numeric; the rest are reported one by one.
    private const double NumericShare = 0.5;
    private const int MaxListedPerColumn = 20;

    private readonly string[] _header;
    private readonly IngestOptions _options;
    private readonly IssueSink _issues;
    private readonly ColumnBuilder[] _columns;
    private readonly List<long> _lines = [];

    internal TableBuilder(string[] header, IngestOptions options, IssueSink issues)
    {
        _header = header;
        _options = options;
        _issues = issues;
        _columns = header.Select(_ => new ColumnBuilder()).ToArray();
    }

    internal bool Decided { get; private set; }

    internal char DecimalSeparator { get; private set; } = '.';

    internal int RowCount => _lines.Count;

    /// <summary>Chooses the decimal separator and the column kinds from the sample, then adds the sample rows.</summary>
    internal void Decide(List<(string[] Fields, long Line)> sample, char separator)
    {
        DecimalSeparator = DecideDecimalSeparator(sample, separator);
        for (var c = 0; c < _columns.Length; c++)
        {
            int numeric = 0, text = 0;
            foreach (var (fields, _) in sample)
            {
                switch (ValueClassifier.Classify(fields[c], DecimalSeparator, out _))
                {
                    case ValueKind.Number or ValueKind.Infinite or ValueKind.Overflow:
                        numeric++;
                        break;
                    case ValueKind.Text:
                        text++;
                        break;
                }
            }

            _columns[c].State = numeric + text == 0
                ? ColumnState.Pending
                : numeric > NumericShare * (numeric + text) ? ColumnState.Numeric : ColumnState.Text;

            // Values as written are kept where a column may be an identifier or a code, so that "0001" and 17-digit numbers survive.
            _columns[c].KeepText = c == 0 || ColumnTyping.LooksLikeIdentifierName(_header[c]) || sample.Any(s => NeedsText(s.Fields[c]));
        }

        Decided = true;
        var record = new DecodedRecord(_columns.Length);
        foreach (var (fields, line) in sample)
        {
            record.From(fields);
            Add(record, line);
        }
    }

    /// <summary>Makes room for <paramref name="rows"/> rows in every column at once.</summary>
    internal void Reserve(int rows)
    {
        _lines.EnsureCapacity(rows);
        foreach (var column in _columns)
        {
            if (column.State is ColumnState.Numeric or ColumnState.Pending)
            {
                column.Numbers.EnsureCapacity(rows);
            }

            if (column.State is ColumnState.Text or ColumnState.Pending)
            {
                column.Texts.EnsureCapacity(rows);
            }
        }
    }

    /// <summary>Adds a record: numbers are parsed from its buffer, and only text columns make strings.</summary>
    internal void Add(DecodedRecord fields, long line)
    {
        var row = _lines.Count;
        _lines.Add(line);
        for (var c = 0; c < _columns.Length; c++)
        {
            var column = _columns[c];
            var field = fields.Field(c);
            var kind = ValueClassifier.Classify(field, DecimalSeparator, out var value);
            switch (column.State)
            {
                case ColumnState.Numeric:
                    if (!column.KeepText && NeedsText(field))
                    {
                        // Rows so far were plain numbers, whose invariant form is how they were written.
                        column.KeepText = true;
                        column.Texts.EnsureCapacity(column.Numbers.Capacity);
                        foreach (var earlier in column.Numbers.AsSpan())
                        {
                            column.Texts.Add(double.IsNaN(earlier) ? null : earlier.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }

                    column.Numbers.Add(value);
                    if (column.KeepText)
                    {
                        column.Texts.Add(kind is ValueKind.Missing or ValueKind.ExcelError ? null : field.Trim().ToString());
                    }

                    Count(column, kind);
                    if (kind is ValueKind.Text or ValueKind.Infinite or ValueKind.Overflow)
                    {
                        ReportInvalid(c, kind, field.ToString(), line);
                    }

                    break;
                case ColumnState.Text:
                    column.Texts.Add(kind is ValueKind.Missing or ValueKind.ExcelError ? null : field.Trim().ToString());
                    Count(column, kind);
                    break;
                default:
                    column.Numbers.Add(value);
                    column.Texts.Add(kind is ValueKind.Missing or ValueKind.ExcelError ? null : field.Trim().ToString());
                    if (kind is not (ValueKind.Missing or ValueKind.ExcelError))
                    {
                        column.PendingRows.Add((row, kind));
                    }

                    Count(column, kind);
                    break;
            }
        }
    }

    internal Dataset Build(string? sourceName)
    {
        var columns = new DataColumn[_columns.Length];
        var rows = _lines.Count;
        for (var c = 0; c < _columns.Length; c++)
        {
            var column = _columns[c];
            if (column.State == ColumnState.Pending)
            {
                ResolvePending(c);
            }

            var name = _header[c];
            if (column.Missing == rows)
            {
                _issues.Add(IssueSeverity.Info, "empty-column", AnalyticsTexts.Get("EmptyColumn", name), null, name);
                var empty = new ColumnTyping(ColumnKind.Empty, ColumnRole.Excluded, AnalyticsTexts.Get("ReasonNoValues"));
                columns[c] = new DataColumn(name, c, empty, column.State == ColumnState.Numeric ? column.Numbers.ToArray() : null, column.State == ColumnState.Text || column.KeepText ? column.Texts.ToArray() : null, column.Missing, column.ExcelErrors, column.Invalid);
                column.Release();
                continue;
            }

            if (column.State == ColumnState.Numeric)
            {
                // The buffer itself becomes the column (it was sized once from the file's length): no copy of the values.
                var (numbers, count) = column.Numbers.Detach();
                var texts = column.KeepText ? column.Texts.ToArray() : null;
                var typing = ColumnTyping.ForNumbers(name, c, numbers.AsSpan(0, count), texts, column.Missing);
                columns[c] = new DataColumn(name, c, typing, numbers, count, texts, column.Missing, column.ExcelErrors, column.Invalid);
            }
            else
            {
                var texts = column.Texts.ToArray();
                columns[c] = new DataColumn(name, c, ColumnTyping.ForTexts(name, c, texts, column.Missing), null, texts, column.Missing, column.ExcelErrors, column.Invalid);
            }

            if (columns[c].HasTexts && (columns[c].Kind == ColumnKind.Identifier || ColumnTyping.LooksLikeIdentifierName(name)))
            {
                ReportDuplicates(columns[c]);
            }

            // The column's growing buffers go as soon as its arrays exist, so building the dataset holds one column twice at most
            // (on 1,000,000 rows the peak of ingest is about 140 MB lower), and nothing of the builder outlives it.
            column.Release();
        }

        var lines = _lines.ToArray();
        _lines.Clear();
        _lines.TrimExcess();
        return new Dataset(columns, rows, lines, sourceName);
    }

    private static void Count(ColumnBuilder column, ValueKind kind)
    {
        switch (kind)
        {
            case ValueKind.Missing:
                column.Missing++;
                break;
            case ValueKind.ExcelError:
                column.Missing++;
                column.ExcelErrors++;
                break;
        }
    }

    private void ResolvePending(int c)
    {
        var column = _columns[c];
        var numeric = column.PendingRows.Count(p => p.Kind is ValueKind.Number or ValueKind.Infinite or ValueKind.Overflow);
        var text = column.PendingRows.Count(p => p.Kind == ValueKind.Text);
        if (numeric + text > 0 && numeric > NumericShare * (numeric + text))
        {
            column.State = ColumnState.Numeric;
            foreach (var (row, kind) in column.PendingRows)
            {
                if (kind is ValueKind.Text or ValueKind.Infinite or ValueKind.Overflow)
                {
                    ReportInvalid(c, kind, column.Texts[row] ?? string.Empty, _lines[row]);
                }
            }

            if (column.KeepText || column.Texts.Any(t => t is not null && NeedsText(t)))
            {
                column.KeepText = true;
            }
            else
            {
                column.Texts.Clear();
            }
        }
        else
        {
            column.State = ColumnState.Text;
            column.Numbers.Clear();
        }
    }

    private void ReportInvalid(int c, ValueKind kind, string field, long line)
    {
        var column = _columns[c];
        column.Invalid++;
        column.Missing++;
        var name = _header[c];
        // Past the listed ones an invalid value is only counted: its message is not written at all.
        if (column.Invalid > MaxListedPerColumn)
        {
            _issues.CountOnly("invalid-number");
            return;
        }

        var shown = field.Trim();
        if (shown.Length > 40)
        {
            shown = string.Concat(shown.AsSpan(0, 40), "…");
        }

        var reason = kind switch
        {
            ValueKind.Infinite => AnalyticsTexts.Get("ValueInfinite"),
            ValueKind.Overflow => AnalyticsTexts.Get("ValueOverflow"),
            _ when ValueClassifier.DecimalEvidence(field) == 1 && DecimalSeparator == '.' => AnalyticsTexts.Get("ValueDecimalComma"),
            _ when ValueClassifier.DecimalEvidence(field) == -1 && DecimalSeparator == ',' => AnalyticsTexts.Get("ValueDecimalPoint"),
            _ => AnalyticsTexts.Get("ValueNotANumber"),
        };
        _issues.Add(IssueSeverity.Warning, "invalid-number", AnalyticsTexts.Get("InvalidValue", line, name, shown, reason), line, name);
    }

    private char DecideDecimalSeparator(List<(string[] Fields, long Line)> sample, char separator)
    {
        if (separator == ',')
        {
            return '.';
        }

        int comma = 0, point = 0;
        string? commaExample = null, pointExample = null;
        foreach (var (fields, _) in sample)
        {
            foreach (var field in fields)
            {
                switch (ValueClassifier.DecimalEvidence(field))
                {
                    case 1:
                        comma++;
                        commaExample ??= field.Trim();
                        break;
                    case -1:
                        point++;
                        pointExample ??= field.Trim();
                        break;
                }
            }
        }

        if (comma > 0 && point > 0)
        {
            var chosen = comma >= point ? ',' : '.';
            _issues.Add(
                IssueSeverity.Warning,
                "mixed-decimal-separators",
                AnalyticsTexts.Get(chosen == ',' ? "MixedDecimalsComma" : "MixedDecimalsPoint", commaExample!, pointExample!),
                null);
            return chosen;
        }

        return comma > 0 ? ',' : '.';
    }

    /// <summary>Whether a field written this way would not come back from its number: leading zeros ("0001") or more digits than a double holds.</summary>
    private static bool NeedsText(ReadOnlySpan<char> field)
    {
        var text = field.Trim();
        if (text.Length < 2 || text.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        return text[0] == '0' || text.Length > 15;
    }

    private static bool NeedsText(string field) => NeedsText(field.AsSpan());

    /// <summary>Reports repeated values of an identifier column with the lines they are on.</summary>
    private void ReportDuplicates(DataColumn column)
    {
        // Sized once: growing to a million identifiers would allocate the table about twice over (123 MB instead of 28 MB).
        var first = new Dictionary<string, int>(column.Texts.Length, StringComparer.Ordinal);
        var repeats = new List<(string Value, long FirstLine, long Line)>();
        var texts = column.Texts;
        for (var row = 0; row < texts.Length; row++)
        {
            if (texts[row] is not { } value)
            {
                continue;
            }

            if (first.TryGetValue(value, out var earlier))
            {
                repeats.Add((value, _lines[earlier], _lines[row]));
            }
            else
            {
                first[value] = row;
            }
        }

        if (repeats.Count == 0)
        {
            return;
        }

        var listed = string.Join("; ", repeats.Take(5).Select(r => AnalyticsTexts.Get("RepeatOnLines", r.Value, r.FirstLine, r.Line)));
        _issues.Add(
            IssueSeverity.Warning,
            "duplicate-id",
            AnalyticsTexts.Get(repeats.Count == 1 ? "DuplicateIdOne" : "DuplicateIds", column.Name, repeats.Count, listed + (repeats.Count > 5 ? "; …" : string.Empty)),
            repeats[0].Line,
            column.Name);
    }

    private enum ColumnState
    {
        Pending,
        Numeric,
        Text,
    }

    private sealed class ColumnBuilder
    {
        internal ColumnState State { get; set; } = ColumnState.Pending;

        internal NumberBuffer Numbers { get; } = new();

        internal List<string?> Texts { get; } = [];

        internal List<(int Row, ValueKind Kind)> PendingRows { get; } = [];

        /// <summary>Drops the buffers once the column's arrays are built.</summary>
        internal void Release()
        {
            Numbers.Release();
            Texts.Clear();
            Texts.TrimExcess();
            PendingRows.Clear();
            PendingRows.TrimExcess();
        }

        /// <summary>Whether a numeric column also keeps its values as written.</summary>
        internal bool KeepText { get; set; }

        internal int Missing { get; set; }

        internal int ExcelErrors { get; set; }

        internal int Invalid { get; set; }
    }
}

/// <summary>A growing array of numbers whose storage is handed over, not copied, when the column is built (List&lt;T&gt; can only
/// copy it out: on 1,000,000 rows that is 8 MB of garbage per column).</summary>
internal sealed class NumberBuffer
{
    private double[] _values = [];

    internal int Count { get; private set; }

    internal int Capacity => _values.Length;

    internal void EnsureCapacity(int capacity)
    {
        if (capacity > _values.Length)
        {
            Array.Resize(ref _values, capacity);
        }
    }

    internal void Add(double value)
    {
        if (Count == _values.Length)
        {
            Array.Resize(ref _values, Math.Max(16, _values.Length * 2));
        }

        _values[Count++] = value;
    }

    internal void Clear() => Count = 0;

    /// <summary>The values so far, in order.</summary>
    internal ReadOnlySpan<double> AsSpan() => _values.AsSpan(0, Count);

    internal double[] ToArray() => AsSpan().ToArray();

    /// <summary>Hands over the storage (the first <c>Count</c> elements are the values) and leaves the buffer empty.</summary>
    internal (double[] Values, int Count) Detach()
    {
        var detached = (_values, Count);
        Release();
        return detached;
    }

    internal void Release()
    {
        _values = [];
        Count = 0;
    }
}
