using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Scoring;

/// <summary>How well a scored customer fits the segment it was given.</summary>
public enum SegmentFit
{
    /// <summary>Within the segment's usual distance, and clearly nearer its centre than any other.</summary>
    Typical,

    /// <summary>Almost as near another segment's centre (the second-nearest centre is less than <see cref="ScoredTable.BorderlineMargin"/> farther).</summary>
    Borderline,

    /// <summary>Farther from the centre than 99% of the segment's training customers: unlike any segment.</summary>
    Unlike,

    /// <summary>Not scored: a feature is missing and the model has no imputation for it, or its value cannot be prepared.</summary>
    Unscored,
}

/// <summary>A category value the training data did not have, in a column the model one-hot encodes: every level indicator is 0 there.</summary>
/// <param name="Column">The categorical column.</param>
/// <param name="Value">The value as written.</param>
/// <param name="Rows">How many rows have it.</param>
public sealed record UnseenLevel(string Column, string Value, int Rows);

/// <summary>A table scored by a model: per row its segment, distances and fit, and what the scoring noticed about the table.</summary>
public sealed class ScoredTable
{
    /// <summary>A row is borderline when its second-nearest centre is less than 10% farther than its own: 1 − d₁/d₂ &lt; 0.1
    /// (the silhouette of the row against the two centres).</summary>
    public const double BorderlineMargin = 0.1;

    private readonly int[] _counts;

    private ScoredTable(SegmentationModel model, Dataset data, ModelScores scores, SegmentFit[] fits, IReadOnlyList<string> ignored, IReadOnlyList<UnseenLevel> unseen)
    {
        Model = model;
        Data = data;
        Scores = scores;
        Fits = fits;
        IgnoredColumns = ignored;
        UnseenLevels = unseen;
        _counts = new int[model.K];
        foreach (var index in scores.Indices as int[] ?? scores.Indices.ToArray())
        {
            if (index >= 0)
            {
                _counts[index]++;
            }
        }
    }

    /// <summary>The model.</summary>
    public SegmentationModel Model { get; }

    /// <summary>The table as read (without the model's encoded columns).</summary>
    public Dataset Data { get; }

    /// <summary>Segments and distances per row.</summary>
    public ModelScores Scores { get; }

    /// <summary>The fit of every row.</summary>
    public IReadOnlyList<SegmentFit> Fits { get; }

    /// <summary>Columns of the table the model does not read (other than its identifier): listed, never used.</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    /// <summary>Category values the training data did not have.</summary>
    public IReadOnlyList<UnseenLevel> UnseenLevels { get; }

    /// <summary>Rows scored, per segment in model order.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>Rows given a segment.</summary>
    public int ScoredRows => Data.RowCount - Scores.Unprepared.Count;

    /// <summary>The identifier column of the model when the table has it, else null.</summary>
    public DataColumn? IdColumn => Model.IdColumn is { } id && Data.HasColumn(id) ? Data.Column(id) : null;

    /// <summary>How many rows have each fit.</summary>
    public int CountOf(SegmentFit fit) => Fits.Count(f => f == fit);

    /// <summary>The segment of row <paramref name="row"/> (0-based), or null when it was not scored.</summary>
    public ModelSegment? SegmentOf(int row) => Scores.Indices[row] is >= 0 and var index ? Model.Segments[index] : null;

    /// <summary>Everything the scoring had to say, in sentences: ignored columns, unseen categories, unscored rows, unreadable values.</summary>
    public IReadOnlyList<string> Notes()
    {
        var notes = new List<string>();
        if (IgnoredColumns.Count > 0)
        {
            notes.Add(AnalyticsTexts.Get(IgnoredColumns.Count == 1 ? "IgnoredColumn" : "IgnoredColumns", IgnoredColumns.Count, string.Join(", ", IgnoredColumns)));
        }

        foreach (var group in UnseenLevels.GroupBy(u => u.Column, StringComparer.Ordinal))
        {
            var rows = group.Sum(u => u.Rows);
            notes.Add(AnalyticsTexts.Get(group.Count() == 1 ? "UnseenLevel" : "UnseenLevels", group.Key, group.Count(), string.Join(", ", group.Take(5).Select(u => AnalyticsTexts.Get("LevelTimes", u.Value, u.Rows))) + (group.Count() > 5 ? ", …" : string.Empty), rows == 1 ? AnalyticsTexts.Get("OneRow") : AnalyticsTexts.Get("RowsCount", rows)));
        }

        if (Scores.Unprepared.Count > 0)
        {
            var lines = string.Join(", ", Scores.Unprepared.Take(5).Select(r => Data.LineNumber(r)));
            notes.Add(AnalyticsTexts.Get(Scores.Unprepared.Count == 1 ? "UnpreparedOne" : "Unprepared", Scores.Unprepared.Count, lines + (Scores.Unprepared.Count > 5 ? ", …" : string.Empty)));
        }

        notes.AddRange(Scores.EncodingWarnings);
        return notes;
    }

    /// <summary>Scores <paramref name="data"/> with <paramref name="model"/>: its exact preparation, then the nearest centre.</summary>
    /// <exception cref="AnalysisInputException">A column the model needs is missing (all are named) or is not numeric.</exception>
    public static ScoredTable Score(SegmentationModel model, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var scores = model.Score(data);
        var fits = new SegmentFit[data.RowCount];
        var indices = scores.Indices as int[] ?? scores.Indices.ToArray();
        var distances = scores.Distances as float[] ?? scores.Distances.ToArray();
        var seconds = scores.SecondDistances.Count == indices.Length ? scores.SecondDistances as float[] ?? scores.SecondDistances.ToArray() : Enumerable.Repeat(float.NaN, indices.Length).ToArray();
        var limits = model.Segments.Select(s => s.DistanceP99).ToArray();
        for (var row = 0; row < fits.Length; row++)
        {
            var index = indices[row];
            if (index < 0)
            {
                fits[row] = SegmentFit.Unscored;
                continue;
            }

            var distance = distances[row];
            var second = seconds[row];
            fits[row] = distance > limits[index] ? SegmentFit.Unlike
                : second > 0 && 1 - (distance / second) < BorderlineMargin ? SegmentFit.Borderline
                : SegmentFit.Typical;
        }

        var inputs = new HashSet<string>(model.InputColumns, StringComparer.Ordinal);
        var ignored = data.Columns.Select(c => c.Name).Where(n => !inputs.Contains(n) && n != model.IdColumn).ToArray();
        return new ScoredTable(model, data, scores, fits, ignored, Unseen(model, data));
    }

    /// <summary>The name of a fit as the exported <c>fit</c> column writes it.</summary>
    public static string FitName(SegmentFit fit) => fit switch
    {
        SegmentFit.Typical => "typical",
        SegmentFit.Borderline => "borderline",
        SegmentFit.Unlike => "unlike any segment",
        _ => string.Empty,
    };

    private static UnseenLevel[] Unseen(SegmentationModel model, Dataset data)
    {
        var unseen = new List<UnseenLevel>();
        foreach (var group in model.Encodings.OfType<LevelEncoding>().GroupBy(e => e.Source, StringComparer.Ordinal))
        {
            if (!data.HasColumn(group.Key))
            {
                continue;
            }

            var known = new HashSet<string>(group.Where(e => e.Level is not null).Select(e => e.Level!), StringComparer.Ordinal);
            var column = data.Column(group.Key);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var row = 0; row < data.RowCount; row++)
            {
                if (column.TextAt(row) is { } text && !known.Contains(text))
                {
                    counts[text] = counts.GetValueOrDefault(text) + 1;
                }
            }

            unseen.AddRange(counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new UnseenLevel(group.Key, c.Key, c.Value)));
        }

        return unseen.ToArray();
    }
}
