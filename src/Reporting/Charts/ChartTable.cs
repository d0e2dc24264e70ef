using System.Globalization;
using System.Text;
using Segmentation.Analytics.Export;
using Segmentation.Reporting.Resources;

namespace Segmentation.Reporting.Charts;

/// <summary>
/// The numbers behind a chart as a table, read from the same options the chart draws: one row per category (line, bar, area
/// charts), one row per point (scatter), or one row per heatmap row. Values stay numbers; <see cref="Cell"/> formats them.
/// </summary>
/// <param name="Title">What the table shows (the chart's title).</param>
/// <param name="Columns">Column headers, the first naming the rows.</param>
/// <param name="Rows">Cells: a string (a label) or a double (a value) or null (no value).</param>
public sealed record ChartTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    /// <summary>The table behind <paramref name="options"/>.</summary>
    public static ChartTable From(ApexChartOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var title = options.Title?.Text ?? ReportTexts.Get("ChartData");
        var series = options.Series;
        if (series.Count == 0)
        {
            return new ChartTable(title, [], []);
        }

        switch (series[0].Data)
        {
            case HeatCell[] first:
                {
                    // apexcharts draws the first series at the bottom; the table reads top to bottom as the chart does.
                    var columns = new List<string> { "" };
                    columns.AddRange(first.Select(c => c.X));
                    var rows = series.Reverse().Select(s => new object?[] { s.Name }.Concat(((HeatCell[])s.Data).Select(c => (object?)c.Y)).ToArray()).ToList();
                    return new ChartTable(title, columns, rows);
                }

            case BoxPoint[]:
                {
                    var rows = series.SelectMany(s => ((BoxPoint[])s.Data).Select(b => new object?[] { b.X }.Concat(b.Y.Select(v => (object?)v)).ToArray())).ToList();
                    return new ChartTable(title, ["", ReportTexts.Get("LowerWhisker"), ReportTexts.Get("FirstQuartile"), ReportTexts.Get("Median"), ReportTexts.Get("ThirdQuartile"), ReportTexts.Get("UpperWhisker")], rows);
                }

            case double[][]:
                {
                    var x = options.Xaxis?.Title?.Text ?? "x";
                    var y = options.Yaxis?.Title?.Text ?? "y";
                    var rows = series.SelectMany(s => ((double[][])s.Data).Select(p => new object?[] { s.Name, p[0], p[1] })).ToList();
                    return new ChartTable(title, ["Series", x, y], rows);
                }

            default:
                {
                    var categories = options.Xaxis?.Categories;
                    var length = series.Max(s => s.Data is double?[] values ? values.Length : 0);
                    var columns = new List<string> { options.Xaxis?.Title?.Text is { } axis && categories is not null && !IsHorizontal(options) ? axis : "" };
                    columns.AddRange(series.Select(s => s.Name));
                    var rows = new List<object?[]>(length);
                    for (var i = 0; i < length; i++)
                    {
                        var row = new object?[series.Count + 1];
                        row[0] = categories is not null && i < categories.Count ? categories[i] : (i + 1).ToString(CultureInfo.InvariantCulture);
                        for (var s = 0; s < series.Count; s++)
                        {
                            row[s + 1] = series[s].Data is double?[] values && i < values.Length ? values[i] : null;
                        }

                        rows.Add(row);
                    }

                    return new ChartTable(title, columns, rows);
                }
        }
    }

    private static bool IsHorizontal(ApexChartOptions options) => options.PlotOptions?.Bar?.Horizontal == true;

    /// <summary>A cell as text in <paramref name="culture"/>: numbers in full (up to 6 significant digits), labels as they are.</summary>
    public static string Cell(object? value, CultureInfo culture) => value switch
    {
        null => string.Empty,
        double d when double.IsFinite(d) => d.ToString("#,##0.######", culture),
        double => string.Empty,
        _ => Convert.ToString(value, culture) ?? string.Empty,
    };

    /// <summary>The table as tab-separated text for the clipboard (pastes into columns in a spreadsheet).</summary>
    public string ToTabSeparated(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        var text = new StringBuilder();
        text.AppendJoin('\t', Columns.Select(Clean)).Append('\n');
        foreach (var row in Rows)
        {
            text.AppendJoin('\t', row.Select(v => Clean(v is double d && double.IsFinite(d) ? d.ToString("0.######", culture) : Cell(v, culture)))).Append('\n');
        }

        return text.ToString();

        static string Clean(string value) => value.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
    }

    /// <summary>Writes the table as CSV with <paramref name="format"/>'s separator and decimal mark; labels that a spreadsheet would
    /// run as a formula are escaped.</summary>
    public async Task WriteCsvAsync(Stream destination, CsvFormat format, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(format);
        var writer = format.CreateWriter(destination);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var column in Columns)
            {
                writer.WriteField(column);
            }

            await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in Rows)
            {
                foreach (var value in row)
                {
                    writer.WriteField(value is double d ? format.Number(d) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
                }

                await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes the table as an Excel workbook (one sheet; numbers as numbers, text as text, never as formulas).</summary>
    public async Task WriteXlsxAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var names = UniqueColumns();
        var rows = Rows.Select(row =>
        {
            var record = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
            for (var c = 0; c < names.Length; c++)
            {
                var value = c < row.Length ? row[c] : null;
                record[names[c]] = value is double d && !double.IsFinite(d) ? null : value;
            }

            return record;
        }).ToList();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(destination, rows, sheetName: SheetName(), excelType: MiniExcelLibs.ExcelType.XLSX, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Column names made unique (a spreadsheet header needs that), empty ones named.</summary>
    private string[] UniqueColumns()
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        return Columns.Select((c, i) =>
        {
            var name = string.IsNullOrWhiteSpace(c) ? (i == 0 ? ReportTexts.Get("RowHeader") : ReportTexts.Get("ColumnNumber", i + 1)) : c;
            var unique = name;
            for (var n = 2; !taken.Add(unique); n++)
            {
                unique = $"{name} ({n})";
            }

            return unique;
        }).ToArray();
    }

    /// <summary>The title as a sheet name: at most 31 characters, none of : \ / ? * [ ].</summary>
    private string SheetName()
    {
        var name = new string(Title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray()).Trim();
        return name.Length == 0 ? "Data" : name[..Math.Min(31, name.Length)];
    }
}

