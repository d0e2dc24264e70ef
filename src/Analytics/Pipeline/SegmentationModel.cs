using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Scoring;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Pipeline;

/// <summary>One segment of a model.</summary>
/// <param name="Number">The number users see (and the CSV export writes).</param>
/// <param name="Name">Its name (the user's, or the generated one).</param>
/// <param name="Colour">Its colour, #RRGGBB.</param>
/// <param name="Recommendation">Its marketing recommendation.</param>
/// <param name="Size">Training rows in it.</param>
/// <param name="DistanceP99">The 99th percentile of its training rows' distances to the centroid: beyond it a new row is unlike the segment.</param>
public sealed record ModelSegment(int Number, string Name, string Colour, string Recommendation, int Size, double DistanceP99);

/// <summary>The segments a model gives the rows of a dataset.</summary>
/// <param name="Numbers">Per dataset row: its segment's number, or 0 when the row could not be prepared (see <paramref name="Unprepared"/>).</param>
/// <param name="Indices">Per dataset row: the 0-based index of its segment in <see cref="SegmentationModel.Segments"/>, or −1.</param>
/// <param name="Distances">Per dataset row: the Euclidean distance to its centroid in prepared units, or NaN.</param>
/// <param name="Unprepared">Rows with a value that the preparation cannot use (missing with no imputation, or log of a value ≤ −1).</param>
public sealed record ModelScores(IReadOnlyList<int> Numbers, IReadOnlyList<int> Indices, IReadOnlyList<float> Distances, IReadOnlyList<int> Unprepared)
{
    /// <summary>Per dataset row: the distance to the second-nearest centroid (NaN for an unprepared row, or with one segment).</summary>
    public IReadOnlyList<float> SecondDistances { get; init; } = [];

    /// <summary>The data as the model saw it: the file's columns and the model's encoded and derived ones.</summary>
    public Dataset? Encoded { get; init; }

    /// <summary>Values encoding could not read and formula rows that were missing or divided by zero, naming lines.</summary>
    public IReadOnlyList<string> EncodingWarnings { get; init; } = [];
}

/// <summary>A model file that cannot be read: the message says why, for the user.</summary>
public sealed class ModelFormatException : AnalysisInputException
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public ModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the error behind it.</summary>
    public ModelFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// What one k of one analysis needs to assign new rows exactly as the analysis did: the recipe, every fitted preparation parameter,
/// the centroids (prepared units, feature order) and the segments. Saved as versioned JSON (<c>"format": "segmentation-model"</c>,
/// <c>"version": 3</c>); a reader of version N opens every version ≤ N or says why not.
/// </summary>
public sealed record SegmentationModel
{
    /// <summary>The <c>format</c> field of every model file.</summary>
    public const string FormatName = "segmentation-model";

    /// <summary>The version this code writes and the newest it reads.</summary>
    public const int CurrentVersion = 3;

    /// <summary>The version of this library, written into models and reports.</summary>
    public static string LibraryVersion { get; } =
        typeof(SegmentationModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>When the model was made.</summary>
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The version of the app that made it.</summary>
    public string AppVersion { get; init; } = LibraryVersion;

    /// <summary>The recipe of the analysis.</summary>
    public required SegmentationRecipe Recipe { get; init; }

    /// <summary>The identifier column, or null.</summary>
    public string? IdColumn { get; init; }

    /// <summary>How columns the features need are made from the data (formulas, one-hot levels, flags, dates, ages), in order; empty in version 1.</summary>
    public IReadOnlyList<FeatureEncoding> Encodings { get; init; } = [];

    /// <summary>Each feature with its fitted steps, in centroid order.</summary>
    public required IReadOnlyList<FeaturePreparation> Features { get; init; }

    /// <summary>One row per segment, prepared units, in feature order.</summary>
    public required IReadOnlyList<IReadOnlyList<float>> Centroids { get; init; }

    /// <summary>The segments, in centroid order.</summary>
    public required IReadOnlyList<ModelSegment> Segments { get; init; }

    /// <summary>The training distribution of each feature before preparation (deciles, median, missing share), for drift; empty before version 3.</summary>
    public IReadOnlyList<FeatureReference> Reference { get; init; } = [];

    /// <summary>The number of segments.</summary>
    public int K => Segments.Count;

    /// <summary>The columns a table must have to be scored, in the order the model reads them: the sources of its encodings, the
    /// inputs of its formulas and the features it reads as they are (not those it makes itself).</summary>
    public IReadOnlyList<string> InputColumns
    {
        get
        {
            var made = new HashSet<string>(StringComparer.Ordinal);
            var inputs = new List<string>();
            void Need(string column)
            {
                if (!made.Contains(column) && !inputs.Contains(column, StringComparer.Ordinal))
                {
                    inputs.Add(column);
                }
            }

            foreach (var encoding in Encodings)
            {
                if (encoding is FormulaEncoding formula)
                {
                    foreach (var input in DerivedFormula.InputsOf(formula.Expression))
                    {
                        Need(input);
                    }
                }
                else if (encoding.Column is { } column)
                {
                    Need(column);
                }

                made.Add(encoding.Name);
            }

            foreach (var feature in Features)
            {
                Need(feature.Name);
            }

            return inputs;
        }
    }

    /// <summary>Prepares every row of <paramref name="dataset"/> with the fitted steps and assigns it to the nearest centroid (ties to the
    /// lower index): the arithmetic of the analysis, so the analysis' own rows get their own segments back.</summary>
    /// <exception cref="AnalysisInputException">A model column is missing from the data or is not numeric.</exception>
    public ModelScores Score(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var missing = InputColumns.Where(c => !dataset.HasColumn(c)).ToArray();
        if (missing.Length > 0)
        {
            var lacking = string.Join(", ", missing) + (dataset.SourceName is { } source ? AnalyticsTexts.Get("SourceHas", source, string.Join(", ", dataset.Columns.Take(8).Select(c => c.Name)) + (dataset.Columns.Count > 8 ? ", …" : string.Empty)) : string.Empty);
            throw new AnalysisInputException(AnalyticsTexts.Get(missing.Length == 1 ? "LacksModelColumn" : "LacksModelColumns", lacking));
        }

        var (encoded, report) = FeatureEncoder.Apply(dataset, Encodings);
        var columns = Preprocessor.PrepareColumns(encoded, Features);
        var d = Features.Count;
        var flat = new float[K * d];
        for (var s = 0; s < K; s++)
        {
            for (var j = 0; j < d; j++)
            {
                flat[(s * d) + j] = Centroids[s][j];
            }
        }

        var n = dataset.RowCount;
        var labels = new int[n];
        var best = new float[n];
        var second = new float[n];
        CentroidAssignment.AssignColumns(columns, n, flat, labels, best, second);
        var numbers = new int[n];
        var distances = new float[n];
        var seconds = new float[n];
        // Rows with a value that cannot be prepared: found column by column (contiguous), marked, then left without a segment.
        var bad = new bool[n];
        var anyBad = false;
        Parallel.For(0, d, j =>
        {
            var column = columns[j];
            for (var row = 0; row < n; row++)
            {
                if (!float.IsFinite(column[row]))
                {
                    bad[row] = true;
                    anyBad = true;
                }
            }
        });
        var unprepared = new List<int>();
        for (var row = 0; row < n; row++)
        {
            if (anyBad && bad[row])
            {
                unprepared.Add(row);
                labels[row] = -1;
                distances[row] = float.NaN;
                seconds[row] = float.NaN;
                continue;
            }

            numbers[row] = Segments[labels[row]].Number;
            distances[row] = MathF.Sqrt(best[row]);
            seconds[row] = K < 2 ? float.NaN : MathF.Sqrt(second[row]);
        }

        return new ModelScores(numbers, labels, distances, unprepared) { SecondDistances = seconds, Encoded = encoded, EncodingWarnings = report.Warnings };
    }

    /// <summary>The model as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(ModelFile.From(this), ModelJsonContext.Default.ModelFile);

    /// <summary>Writes the model as JSON.</summary>
    public Task WriteAsync(Stream stream, CancellationToken cancellationToken = default) =>
        JsonSerializer.SerializeAsync(stream, ModelFile.From(this), ModelJsonContext.Default.ModelFile, cancellationToken);

    /// <summary>Reads a model from JSON.</summary>
    /// <exception cref="ModelFormatException">Not JSON, not a model, a newer version, or inconsistent (the message says which).</exception>
    public static SegmentationModel FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        ModelFile? file;
        try
        {
            file = JsonSerializer.Deserialize(json, ModelJsonContext.Default.ModelFile);
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? AnalyticsTexts.Get("AtLinePosition", line + 1, exception.BytePositionInLine + 1) : string.Empty;
            throw new ModelFormatException(AnalyticsTexts.Get("ModelNotJson", where, FirstSentence(exception.Message)), exception);
        }

        return (file ?? throw new ModelFormatException(AnalyticsTexts.Get("ModelEmpty"))).ToModel();
    }

    /// <summary>Reads a model from a JSON stream.</summary>
    /// <exception cref="ModelFormatException">See <see cref="FromJson"/>.</exception>
    public static async Task<SegmentationModel> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new StreamReader(stream, leaveOpen: true);
        return FromJson(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message.TrimEnd('.') : message[..end];
    }
}

/// <summary>The JSON shape of a model file. Field names only ever get added; readers ignore unknown ones.</summary>
internal sealed record ModelFile
{
    public string? Format { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string? AppVersion { get; init; }

    public SegmentationRecipe? Recipe { get; init; }

    public string? IdColumn { get; init; }

    public List<EncodingJson>? Encodings { get; init; }

    public List<FeatureJson>? Features { get; init; }

    public List<float[]>? Centroids { get; init; }

    public List<ModelSegment>? Segments { get; init; }

    public List<FeatureReference>? Reference { get; init; }

    public static ModelFile From(SegmentationModel model) => new()
    {
        Format = SegmentationModel.FormatName,
        Version = SegmentationModel.CurrentVersion,
        CreatedAt = model.CreatedAt,
        AppVersion = model.AppVersion,
        Recipe = model.Recipe,
        IdColumn = model.IdColumn,
        Encodings = model.Encodings.Count == 0 ? null : model.Encodings.Select(EncodingJson.From).ToList(),
        Features = model.Features.Select(f => new FeatureJson { Name = f.Name, Steps = f.Steps.Select(StepJson.From).ToList() }).ToList(),
        Centroids = model.Centroids.Select(c => c.ToArray()).ToList(),
        Segments = model.Segments.ToList(),
        Reference = model.Reference.Count == 0 ? null : model.Reference.ToList(),
    };

    public SegmentationModel ToModel()
    {
        if (Format != SegmentationModel.FormatName)
        {
            throw new ModelFormatException(Format is null
                ? AnalyticsTexts.Get("ModelNoFormat")
                : AnalyticsTexts.Get("ModelWrongFormat", Format, SegmentationModel.FormatName));
        }

        if (Version > SegmentationModel.CurrentVersion)
        {
            throw new ModelFormatException(AnalyticsTexts.Get("ModelNewer", Version, AppVersion ?? AnalyticsTexts.Get("Unknown"), SegmentationModel.CurrentVersion));
        }

        if (Version < 1)
        {
            throw new ModelFormatException(AnalyticsTexts.Get("ModelBadVersion", Version));
        }

        if (Recipe is null || Features is not { Count: > 0 } || Centroids is not { Count: > 0 } || Segments is null)
        {
            throw new ModelFormatException(AnalyticsTexts.Get("ModelIncomplete"));
        }

        if (Segments.Count != Centroids.Count)
        {
            throw new ModelFormatException(AnalyticsTexts.Get("ModelCentroidCount", Centroids.Count, Segments.Count));
        }

        for (var s = 0; s < Centroids.Count; s++)
        {
            if (Centroids[s] is null || Centroids[s].Length != Features.Count || Centroids[s].Any(v => !float.IsFinite(v)))
            {
                throw new ModelFormatException(AnalyticsTexts.Get("ModelCentroidValues", s + 1, Features.Count));
            }
        }

        if (Segments.Select(s => s.Number).Distinct().Count() != Segments.Count || Segments.Any(s => s.Number < 1))
        {
            throw new ModelFormatException(AnalyticsTexts.Get("ModelSegmentNumbers"));
        }

        var features = Features.Select((f, i) => new FeaturePreparation(
            string.IsNullOrEmpty(f.Name) ? throw new ModelFormatException(AnalyticsTexts.Get("ModelFeatureName", i + 1)) : f.Name,
            (f.Steps ?? []).Select(step => step.ToStep(f.Name)).ToArray())).ToArray();
        return new SegmentationModel
        {
            CreatedAt = CreatedAt,
            AppVersion = AppVersion ?? "unknown",
            Recipe = Recipe,
            IdColumn = IdColumn,
            Encodings = (Encodings ?? []).Select((e, i) => e.ToEncoding(i)).ToArray(),
            Features = features,
            Centroids = Centroids.Select(c => (IReadOnlyList<float>)c).ToArray(),
            Segments = Segments,
            Reference = (Reference ?? []).Where(r => r.IsValid).ToArray(),
        };
    }
}

/// <summary>An encoding as JSON: <c>kind</c> is level, flag, days, age or formula; the other fields are its parameters.</summary>
internal sealed record EncodingJson
{
    public string? Kind { get; init; }

    public string? Name { get; init; }

    public string? Column { get; init; }

    public string? Level { get; init; }

    public bool? MissingLevel { get; init; }

    public string? True { get; init; }

    public string? False { get; init; }

    public DateOrder? Order { get; init; }

    public DateOnly? Reference { get; init; }

    public int? Year { get; init; }

    public string? Expression { get; init; }

    public static EncodingJson From(FeatureEncoding encoding) => encoding switch
    {
        LevelEncoding level => new EncodingJson { Kind = "level", Name = level.Name, Column = level.Source, Level = level.Level, MissingLevel = level.Level is null ? true : null },
        FlagEncoding flag => new EncodingJson { Kind = "flag", Name = flag.Name, Column = flag.Source, True = flag.True, False = flag.False },
        DaysEncoding days => new EncodingJson { Kind = "days", Name = days.Name, Column = days.Source, Order = days.Order, Reference = days.Reference },
        AgeEncoding age => new EncodingJson { Kind = "age", Name = age.Name, Column = age.Source, Year = age.ReferenceYear },
        FormulaEncoding formula => new EncodingJson { Kind = "formula", Name = formula.Name, Expression = formula.Expression },
        _ => throw new ArgumentException($"Unknown encoding {encoding.GetType().Name}.", nameof(encoding)),
    };

    public FeatureEncoding ToEncoding(int index)
    {
        FeatureEncoding? encoding = Name is not { Length: > 0 } name ? null : Kind switch
        {
            "level" when Column is not null && (Level is not null || MissingLevel == true) => new LevelEncoding(name, Column, Level),
            "flag" when Column is not null && True is not null && False is not null => new FlagEncoding(name, Column, True, False),
            "days" when Column is not null && Order is { } order && Reference is { } reference => new DaysEncoding(name, Column, order, reference),
            "age" when Column is not null && Year is { } year => new AgeEncoding(name, Column, year),
            "formula" when Expression is { Length: > 0 } expression => new FormulaEncoding(name, expression),
            _ => null,
        };
        return encoding ?? throw new ModelFormatException(AnalyticsTexts.Get("ModelEncoding", index + 1, Name));
    }
}

/// <summary>A feature of a model file.</summary>
internal sealed record FeatureJson
{
    public string? Name { get; init; }

    public List<StepJson>? Steps { get; init; }
}

/// <summary>One step as JSON: exactly one of <c>impute</c>, <c>log1p</c>, <c>clip</c> or <c>scale</c> says which, the rest are its parameters,
/// e.g. <c>{ "impute": "median", "value": 312.3 }</c>, <c>{ "log1p": true }</c>, <c>{ "clip": [0.1, 9.8] }</c>, <c>{ "scale": "zscore", "mean": 1.2, "sd": 3.4 }</c>.</summary>
internal sealed record StepJson
{
    public string? Impute { get; init; }

    public double? Value { get; init; }

    public bool? Log1p { get; init; }

    public double[]? Clip { get; init; }

    public string? Scale { get; init; }

    public double? Mean { get; init; }

    public double? Sd { get; init; }

    public double? Median { get; init; }

    public double? Iqr { get; init; }

    public double? Min { get; init; }

    public double? Range { get; init; }

    /// <summary>With <c>"scale": "none"</c>: what a 0/1 indicator is divided by, 1 / its weight (absent means 1).</summary>
    public double? Divisor { get; init; }

    public static StepJson From(PreparationStep step) => step switch
    {
        ImputeStep impute => new StepJson { Impute = impute.Method == MissingValueStrategy.Mean ? "mean" : "median", Value = impute.Value },
        Log1pStep => new StepJson { Log1p = true },
        ClipStep clip => new StepJson { Clip = [clip.Low, clip.High] },
        ScaleStep { Method: ScalingMethod.ZScore } scale => new StepJson { Scale = "zscore", Mean = scale.Center, Sd = scale.Scale },
        ScaleStep { Method: ScalingMethod.Robust } scale => new StepJson { Scale = "robust", Median = scale.Center, Iqr = scale.Scale },
        ScaleStep { Method: ScalingMethod.MinMax } scale => new StepJson { Scale = "minmax", Min = scale.Center, Range = scale.Scale },
        ScaleStep scale => new StepJson { Scale = "none", Divisor = scale.Scale == 1 ? null : scale.Scale },
        _ => throw new ArgumentException($"Unknown step {step.GetType().Name}.", nameof(step)),
    };

    public PreparationStep ToStep(string? feature)
    {
        PreparationStep? step = (Impute, Log1p, Clip, Scale) switch
        {
            ("median" or "mean", null, null, null) when Value is { } value && double.IsFinite(value) =>
                new ImputeStep(Impute == "mean" ? MissingValueStrategy.Mean : MissingValueStrategy.Median, value),
            (null, true, null, null) => Log1pStep.Instance,
            (null, null, [var low, var high], null) when low <= high => new ClipStep(low, high),
            (null, null, null, "zscore") when Positive(Sd) && Mean is { } mean => new ScaleStep(ScalingMethod.ZScore, mean, Sd!.Value),
            (null, null, null, "robust") when Positive(Iqr) && Median is { } median => new ScaleStep(ScalingMethod.Robust, median, Iqr!.Value),
            (null, null, null, "minmax") when Positive(Range) && Min is { } min => new ScaleStep(ScalingMethod.MinMax, min, Range!.Value),
            (null, null, null, "none") when Divisor is null => new ScaleStep(ScalingMethod.None, 0, 1),
            (null, null, null, "none") when Positive(Divisor) => new ScaleStep(ScalingMethod.None, 0, Divisor!.Value),
            _ => null,
        };
        return step ?? throw new ModelFormatException(AnalyticsTexts.Get("ModelStep", feature));
    }

    private static bool Positive(double? value) => value is { } v && double.IsFinite(v) && v > 0;
}

[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ModelFile))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
