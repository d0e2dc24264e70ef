using System.Globalization;
using Segmentation.Analytics.Clustering;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Cli;

/// <summary>A command line that cannot be understood; printed as one line, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>The parsed command line.</summary>
internal sealed record CliArguments
{
    internal const string Usage = """
        Usage:
          segment-cli sweep <file> [--k 2-10 | --k 4] [columns and preparation] [--seed N] [--restarts N] [--stability N] [--engine simd|mlnet] [--init yinyang|alternating|kmeans++|random (mlnet)] [--json]
          segment-cli segment <file> --k N --out FILE [--range 2-10] [--save-model FILE] [--segment N] [columns and preparation] [--seed N] [--restarts N] [--engine simd|mlnet] [--json]
            <file>: .csv (any separator), .xlsx (--sheet NAME|N, default the first) or .parquet
            columns: [--id COLUMN] [--features A,B,...] [--categorical A,B] [--describe A,B] [--derive "NAME=EXPR"]... [--reference-date YYYY-MM-DD] [--no-header]
            preparation: [--impute median|mean|drop] [--log auto|none|A,B,...] [--clip P (percent, e.g. 1 = 1st-99th percentiles)] [--scale zscore|robust|minmax|none]
          segment-cli report <file> --k N --out REPORT.html [--pdf REPORT.pdf] [--model MODEL.json] [--title TEXT] [--culture de-DE] [--paper a4|letter] [columns and preparation] [--seed N]
            one self-contained HTML report (charts as inline SVG, prints to A4 with a page per segment); --pdf prints it with headless Chromium;
            --model: rerun a saved model's recipe and seed on <file>, with its segment names
          segment-cli report --shared LINK|TOKEN --out REPORT.html [--store FILE.db | --store-postgres CONNECTION] [--pdf REPORT.pdf] [--culture de-DE] [--paper a4|letter]
            the report of an analysis saved by the dashboard, opened by its read-only share link: its file, k, names, recommendations
            and notes as saved (the store: the dashboard's SQLite file, default ./data/segmentation.db, or its PostgreSQL database)
          segment-cli score <file> --model MODEL.json --out FILE [--previous SEGMENTS.csv] [--moved FILE] [--sheet NAME|N] [--no-header] [--json]
            assigns each row to the model's segment: the input's columns plus segment, segment_name, distance_to_centroid and fit;
            --previous: the analysis' export (identifier and segment columns), to report who moved; --moved: write those customers
          segment-cli export-sql --model MODEL.json --dialect postgres|bigquery|spark|tsql|sqlite|duckdb --table TABLE [--out FILE]
            one SELECT that scores every row of TABLE where it lives (stdout by default)
            a .parquet file of any size is scored block by block in bounded memory into FILE (.parquet or .csv: identifier and the four columns)
          segment-cli generate <rows> --out FILE.csv|FILE.parquet [--seed N] [--row-group N (Parquet, default 1,000,000)]     (the built-in synthetic credit-card sample)
        Exit codes: 0 success, 2 bad input or usage (one line on stderr), 1 internal error.
        """;

    public required string Command { get; init; }

    public required string Input { get; init; }

    public int KMin { get; init; } = 2;

    public int KMax { get; init; } = 10;

    public bool KGiven { get; init; }

    public IReadOnlyList<string>? Features { get; init; }

    public int Seed { get; init; } = 1;

    public int? Restarts { get; init; }

    public int Stability { get; init; } = 5;

    public KMeansInitialization Initialization { get; init; } = KMeansInitialization.Yinyang;

    public KMeansEngine Engine { get; init; } = KMeansEngine.Simd;

    public bool AutoLog { get; init; }

    public IReadOnlyList<string> LogColumns { get; init; } = [];

    public bool Json { get; init; }

    public string? Output { get; init; }

    public int? Segment { get; init; }

    /// <summary>For segment: the k range swept before taking k (default 2..10, widened to include k), so that k's result is the sweep's.</summary>
    public (int From, int To)? Range { get; init; }

    public string? SaveModel { get; init; }

    public string? Id { get; init; }

    public IReadOnlyList<string> Categorical { get; init; } = [];

    public IReadOnlyList<string> Describe { get; init; } = [];

    public IReadOnlyList<DerivedFeature> Derive { get; init; } = [];

    public MissingValueStrategy Impute { get; init; } = MissingValueStrategy.Median;

    public ScalingMethod Scale { get; init; } = ScalingMethod.ZScore;

    /// <summary>Clip to the P-th and (100 − P)-th percentiles; null for none.</summary>
    public double? ClipPercent { get; init; }

    public string? Sheet { get; init; }

    public bool NoHeader { get; init; }

    public string? Model { get; init; }

    public string? Dialect { get; init; }

    public string? Table { get; init; }

    public string? Previous { get; init; }

    public string? Moved { get; init; }

    public int RowGroup { get; init; } = 1_000_000;

    public DateOnly? ReferenceDate { get; init; }

    public string? Pdf { get; init; }

    public string? Title { get; init; }

    public string? Culture { get; init; }

    public string? Paper { get; init; }

    /// <summary>The share link (or its token) of a saved analysis, for <c>report</c>.</summary>
    public string? Shared { get; init; }

    /// <summary>The dashboard's SQLite store, for <c>report --shared</c>.</summary>
    public string? StorePath { get; init; }

    /// <summary>The dashboard's PostgreSQL store (a connection string), for <c>report --shared</c>.</summary>
    public string? StorePostgres { get; init; }

    /// <summary>The k that segment exports.</summary>
    public int SelectedK => KMin;

    internal SegmentationRecipe Recipe
    {
        get
        {
            var (from, to) = Command is "segment" or "report" ? Range ?? (Math.Min(2, SelectedK), Math.Max(10, SelectedK)) : (KMin, KMax);
            return new SegmentationRecipe
            {
                IdentifierColumn = Id,
                Features = Features,
                Categorical = Categorical,
                Described = Describe,
                Derived = Derive,
                ReferenceDate = ReferenceDate,
                Missing = Impute,
                Scaling = Scale,
                ClipLower = ClipPercent / 100,
                ClipUpper = ClipPercent is { } clip ? 1 - (clip / 100) : null,
                AutoLog1p = AutoLog,
                Log1pColumns = LogColumns,
                KMin = from,
                KMax = to,
                Seed = Seed,
                Restarts = Restarts,
                Engine = Engine,
                Initialization = Initialization,
                StabilityResamples = Stability,
            };
        }
    }

    internal static CliArguments Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            throw new UsageException("no command given");
        }

        var command = args[0];
        if (command is not ("sweep" or "segment" or "report" or "generate" or "score" or "export-sql"))
        {
            throw new UsageException($"unknown command '{command}'");
        }

        // A report of a saved analysis reads its file from the store, so it names none.
        var positional = command != "export-sql" && !(command == "report" && args.Length > 1 && args[1] == "--shared");
        if (positional && (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal)))
        {
            throw new UsageException(command == "generate" ? "generate needs a row count" : $"{command} needs a CSV file");
        }

        var result = new CliArguments { Command = command, Input = positional ? args[1] : string.Empty };
        for (var i = positional ? 2 : 1; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{name} needs a value");
            result = name switch
            {
                "--k" => WithK(result, Value()),
                "--features" => result with { Features = SplitList(Value()) },
                "--seed" => result with { Seed = ParseInt(name, Value(), int.MinValue) },
                "--restarts" => result with { Restarts = ParseInt(name, Value(), 1) },
                "--stability" => result with { Stability = ParseInt(name, Value(), 0) },
                "--log" => WithLog(result, Value()),
                "--init" => result with { Initialization = ParseInitialization(Value()) },
                "--engine" => result with { Engine = ParseEngine(Value()) },
                "--json" => result with { Json = true },
                "--out" => result with { Output = Value() },
                "--segment" => result with { Segment = ParseInt(name, Value(), 1) },
                "--range" => WithRange(result, Value()),
                "--save-model" => result with { SaveModel = Value() },
                "--id" => result with { Id = Value() },
                "--categorical" => result with { Categorical = SplitList(Value()) },
                "--describe" => result with { Describe = SplitList(Value()) },
                "--derive" => result with { Derive = [.. result.Derive, ParseDerived(Value())] },
                "--impute" => result with { Impute = ParseImpute(Value()) },
                "--scale" => result with { Scale = ParseScale(Value()) },
                "--clip" => result with { ClipPercent = ParseClip(Value()) },
                "--sheet" => result with { Sheet = Value() },
                "--no-header" => result with { NoHeader = true },
                "--reference-date" => result with { ReferenceDate = ParseDate(Value()) },
                "--model" => result with { Model = Value() },
                "--dialect" => result with { Dialect = Value() },
                "--table" => result with { Table = Value() },
                "--previous" => result with { Previous = Value() },
                "--moved" => result with { Moved = Value() },
                "--pdf" => result with { Pdf = Value() },
                "--title" => result with { Title = Value() },
                "--culture" => result with { Culture = ParseCulture(Value()) },
                "--paper" => result with { Paper = Value().ToLowerInvariant() switch { "a4" => "A4", "letter" => "letter", var other => throw new UsageException($"--paper '{other}': use a4 or letter") } },
                "--row-group" => result with { RowGroup = ParseInt(name, Value(), 1) },
                "--shared" => result with { Shared = Value() },
                "--store" => result with { StorePath = Value() },
                "--store-postgres" => result with { StorePostgres = Value() },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }

        if (command == "segment")
        {
            if (!result.KGiven || result.KMin != result.KMax)
            {
                throw new UsageException("segment needs one k, e.g. --k 4");
            }

            if (result.Output is null)
            {
                throw new UsageException("segment needs --out FILE");
            }

            if (result.Range is { } range && (result.SelectedK < range.From || result.SelectedK > range.To))
            {
                throw new UsageException($"--k {result.SelectedK} is outside --range {range.From}-{range.To}");
            }
        }

        if (command == "report")
        {
            if (result.Shared is not null && (result.Model is not null || result.KGiven))
            {
                throw new UsageException("report --shared takes the saved analysis' k and names; drop --k and --model");
            }

            if (result.Shared is null && result.Model is null && (!result.KGiven || result.KMin != result.KMax))
            {
                throw new UsageException("report needs one k, e.g. --k 4, or --model MODEL.json");
            }

            if (result.Output is null)
            {
                throw new UsageException("report needs --out FILE.html");
            }
        }

        if (command is "score" or "export-sql" && result.Model is null)
        {
            throw new UsageException($"{command} needs --model FILE (a model saved by segment --save-model or downloaded from the dashboard)");
        }

        if (command == "score" && result.Output is null)
        {
            throw new UsageException("score needs --out FILE");
        }

        if (command == "export-sql" && (result.Dialect is null || result.Table is null))
        {
            throw new UsageException("export-sql needs --dialect postgres|bigquery|spark|tsql|sqlite|duckdb and --table TABLE");
        }

        if (command == "generate" && result.Output is null)
        {
            throw new UsageException("generate needs --out FILE");
        }

        return result;
    }

    private static string ParseCulture(string value)
    {
        try
        {
            return CultureInfo.GetCultureInfo(value, predefinedOnly: true).Name;
        }
        catch (CultureNotFoundException)
        {
            throw new UsageException($"--culture '{value}' is not a known culture (e.g. en-US, de-DE)");
        }
    }

    private static CliArguments WithK(CliArguments current, string value)
    {
        var parts = value.Split('-', 2);
        var from = ParseInt("--k", parts[0], 2);
        var to = parts.Length == 2 ? ParseInt("--k", parts[1], 2) : from;
        if (to < from)
        {
            throw new UsageException($"--k range '{value}' runs backwards");
        }

        if (to > 50)
        {
            throw new UsageException("--k goes up to 50");
        }

        return current with { KMin = from, KMax = to, KGiven = true };
    }

    private static CliArguments WithRange(CliArguments current, string value)
    {
        var parsed = WithK(current, value);
        return current with { Range = (parsed.KMin, parsed.KMax) };
    }

    private static DerivedFeature ParseDerived(string value)
    {
        try
        {
            return DerivedFeature.Parse(value);
        }
        catch (Segmentation.Analytics.AnalysisInputException exception)
        {
            throw new UsageException($"--derive: {exception.Message}");
        }
    }

    private static MissingValueStrategy ParseImpute(string value) => value.ToLowerInvariant() switch
    {
        "median" => MissingValueStrategy.Median,
        "mean" => MissingValueStrategy.Mean,
        "drop" => MissingValueStrategy.DropRows,
        _ => throw new UsageException($"--impute expects median, mean or drop, got '{value}'"),
    };

    private static ScalingMethod ParseScale(string value) => value.ToLowerInvariant() switch
    {
        "zscore" or "z" => ScalingMethod.ZScore,
        "robust" => ScalingMethod.Robust,
        "minmax" => ScalingMethod.MinMax,
        "none" => ScalingMethod.None,
        _ => throw new UsageException($"--scale expects zscore, robust, minmax or none, got '{value}'"),
    };

    private static double ParseClip(string value)
    {
        if (!double.TryParse(value.TrimEnd('%'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || percent is <= 0 or >= 50)
        {
            throw new UsageException($"--clip expects a percentage above 0 and below 50 (1 clips to the 1st and 99th percentiles), got '{value}'");
        }

        return percent;
    }

    private static DateOnly ParseDate(string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UsageException($"--reference-date expects a date written YYYY-MM-DD, got '{value}'");

    private static KMeansEngine ParseEngine(string value) => value.ToLowerInvariant() switch
    {
        "simd" => KMeansEngine.Simd,
        "mlnet" or "ml.net" => KMeansEngine.MlNet,
        _ => throw new UsageException($"--engine expects simd or mlnet, got '{value}'"),
    };

    private static KMeansInitialization ParseInitialization(string value) => value.ToLowerInvariant() switch
    {
        "alternating" => KMeansInitialization.Alternating,
        "yinyang" => KMeansInitialization.Yinyang,
        "kmeans++" or "kmeansplusplus" => KMeansInitialization.KMeansPlusPlus,
        "random" => KMeansInitialization.Random,
        _ => throw new UsageException($"--init expects alternating, yinyang, kmeans++ or random, got '{value}'"),
    };

    private static CliArguments WithLog(CliArguments current, string value) => value switch
    {
        "auto" => current with { AutoLog = true, LogColumns = [] },
        "none" => current with { AutoLog = false, LogColumns = [] },
        _ => current with { AutoLog = false, LogColumns = SplitList(value) },
    };

    private static string[] SplitList(string value)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return items.Length == 0 ? throw new UsageException("an empty list was given") : items;
    }

    private static int ParseInt(string name, string value, int minimum)
    {
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) || parsed < minimum)
        {
            throw new UsageException($"{name} expects a whole number{(minimum > int.MinValue ? $" of at least {minimum}" : string.Empty)}, got '{value}'");
        }

        return parsed;
    }
}
