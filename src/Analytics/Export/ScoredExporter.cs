using CsvHelper;
using Segmentation.Analytics.Scoring;

namespace Segmentation.Analytics.Export;

/// <summary>Writes a scored table as CSV: the input's columns as written, then the model's segment for each row.</summary>
public static class ScoredExporter
{
    /// <summary>The columns appended to the input's (renamed with a suffix if the input already has them).</summary>
    public static IReadOnlyList<string> AddedColumns { get; } = ["segment", "segment_name", "distance_to_centroid", "fit"];

    /// <summary>
    /// Writes every row of <paramref name="scored"/> (or only <paramref name="rows"/>) with its original values, <c>segment</c> (the
    /// model's number, as the analysis' export writes it; empty when not scored), <c>segment_name</c>, <c>distance_to_centroid</c>
    /// (prepared units) and <c>fit</c> (typical, borderline or unlike any segment). Formula-like text is escaped as in every export.
    /// </summary>
    /// <returns>The number of data rows written.</returns>
    public static async Task<int> WriteAsync(Stream destination, ScoredTable scored, IEnumerable<int>? rows = null, CsvFormat? format = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(scored);
        format ??= CsvFormat.Standard;
        var writer = format.CreateWriter(destination);
        await using (writer.ConfigureAwait(false))
        {
            var columns = SegmentExporter.FileColumns(scored.Data);
            SegmentExporter.WriteHeader(writer, columns, AddedColumns);
            await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            var written = 0;
            foreach (var row in rows ?? Enumerable.Range(0, scored.Data.RowCount))
            {
                SegmentExporter.WriteOriginal(writer, columns, row, format);
                if (scored.SegmentOf(row) is { } segment)
                {
                    writer.WriteField(segment.Number, string.Empty);
                    writer.WriteField(segment.Name);
                }
                else
                {
                    writer.WriteField(string.Empty);
                    writer.WriteField(string.Empty);
                }

                SegmentExporter.WriteNumber(writer, scored.Scores.Distances[row]);
                writer.WriteField(ScoredTable.FitName(scored.Fits[row]));
                await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
                written++;
            }

            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }
    }
}
