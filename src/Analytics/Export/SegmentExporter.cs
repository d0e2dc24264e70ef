using CsvHelper;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Export;

/// <summary>Writes customers with their segments as CSV (RFC 4180, UTF-8, comma-separated), safe to open in a spreadsheet.</summary>
public static class SegmentExporter
{
    /// <summary>The columns appended to the original ones (renamed with a suffix if the data already has them).</summary>
    public static IReadOnlyList<string> AddedColumns { get; } = ["segment", "segment_name", "distance_to_centroid", "silhouette"];

    /// <summary>
    /// Writes every dataset row (or those of one segment) with its original values and <c>segment</c> (1-based; empty when the row was not clustered),
    /// <c>segment_name</c>, <c>distance_to_centroid</c> and <c>silhouette</c>. Text that a spreadsheet would run as a formula
    /// (starting with = + - @ tab or CR) is prefixed with an apostrophe; numbers are written as numbers, so -10 stays -10.
    /// </summary>
    /// <param name="destination">Receives the CSV; left open.</param>
    /// <param name="dataset">The original rows.</param>
    /// <param name="assignment">The segments of those rows.</param>
    /// <param name="segment">The number of a segment to export alone (as <see cref="SegmentAssignment.Numbers"/> gives it), or null for every row.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <param name="rows">Only these dataset rows (0-based), or null for all; combined with <paramref name="segment"/>.</param>
    /// <param name="format">Separator and decimal mark; <see cref="CsvFormat.Standard"/> (comma, point) when null.</param>
    /// <returns>The number of data rows written.</returns>
    /// <exception cref="ArgumentException">The assignment covers a different number of rows, or the segment does not exist.</exception>
    public static async Task<int> WriteAsync(Stream destination, Dataset dataset, SegmentAssignment assignment, int? segment = null, IReadOnlySet<int>? rows = null, CsvFormat? format = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(assignment);
        if (assignment.Rows != dataset.RowCount)
        {
            throw new ArgumentException($"The assignment covers {assignment.Rows} rows; the dataset has {dataset.RowCount}.", nameof(assignment));
        }

        if (segment is { } s && !assignment.Numbers.Contains(s))
        {
            throw new ArgumentException($"Segment {s} does not exist; the segments are {string.Join(", ", assignment.Numbers.Order())}.", nameof(segment));
        }

        format ??= CsvFormat.Standard;
        var writer = format.CreateWriter(destination);
        await using (writer.ConfigureAwait(false))
        {
            var columns = FileColumns(dataset);
            WriteHeader(writer, columns, AddedColumns);
            await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            var written = 0;
            for (var row = 0; row < dataset.RowCount; row++)
            {
                var rowSegment = assignment.SegmentOf(row);
                if ((segment is { } only && rowSegment != only) || (rows is not null && !rows.Contains(row)))
                {
                    continue;
                }

                WriteOriginal(writer, columns, row, format);
                if (rowSegment == 0)
                {
                    writer.WriteField(string.Empty);
                    writer.WriteField(string.Empty);
                }
                else
                {
                    writer.WriteField(rowSegment, string.Empty);
                    writer.WriteField(assignment.NameOf(row));
                }

                WriteNumber(writer, assignment.DistanceOf(row));
                WriteNumber(writer, assignment.SilhouetteOf(row));
                await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
                written++;
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }

    /// <summary>The file's columns and the derived ones; encodings made only to cluster (one-hot levels, days, ages) stay internal.</summary>
    internal static DataColumn[] FileColumns(Dataset dataset) => dataset.Columns.Where(c => c.Origin != ColumnOrigin.Encoded).ToArray();

    /// <summary>Writes the header: the columns' names, then <paramref name="added"/> (renamed with a suffix where the data has the name).</summary>
    internal static void WriteHeader(CsvWriter writer, IReadOnlyList<DataColumn> columns, IReadOnlyList<string> added)
    {
        foreach (var column in columns)
        {
            writer.WriteField(column.Name);
        }

        var taken = new HashSet<string>(columns.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var extra in added)
        {
            var name = extra;
            for (var suffix = 2; !taken.Add(name); suffix++)
            {
                name = $"{extra}_{suffix}";
            }

            writer.WriteField(name);
        }
    }

    /// <summary>Writes a row's original values: as written where the text is kept, numbers as numbers, missing as empty.</summary>
    /// <remarks>With a decimal comma (<paramref name="format"/>), a kept number with a decimal point is written as a number in that
    /// format, so that German Excel reads 12.5 as 12,5 and not as a date; identifiers stay exactly as written.</remarks>
    internal static void WriteOriginal(CsvWriter writer, IReadOnlyList<DataColumn> columns, int row, CsvFormat format)
    {
        var pointIsDecimal = format.Numbers.NumberDecimalSeparator == ".";
        foreach (var column in columns)
        {
            var asNumber = column.HasNumbers && column.HasTexts && column.Texts[row] is { } text
                && (text is ['-' or '+', ..] || (!pointIsDecimal && column.Kind != ColumnKind.Identifier && text.Contains('.', StringComparison.Ordinal)));
            if (column.HasTexts && !asNumber)
            {
                // As written: identifiers such as 0001 or 17-digit account numbers come out exactly as they went in. (A signed
                // number is written as a number, so that the formula guard does not turn -10 into '-10.)
                writer.WriteField(column.HasNumbers && column.Kind != ColumnKind.Identifier && double.IsNaN(column.Numbers[row]) ? string.Empty : column.Texts[row] ?? string.Empty);
            }
            else if (column.HasNumbers && column.Kind != ColumnKind.Empty)
            {
                WriteNumber(writer, column.Numbers[row]);
            }
            else
            {
                writer.WriteField(column.TextAt(row) ?? string.Empty);
            }
        }
    }

    internal static void WriteNumber(CsvWriter writer, float value)
    {
        if (float.IsNaN(value) || float.IsInfinity(value))
        {
            writer.WriteField(string.Empty);
        }
        else
        {
            writer.WriteField(value, string.Empty);
        }
    }

    internal static void WriteNumber(CsvWriter writer, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            writer.WriteField(string.Empty);
        }
        else
        {
            writer.WriteField(value, string.Empty);
        }
    }
}
