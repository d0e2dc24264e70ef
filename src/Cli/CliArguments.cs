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
          segment-cli sweep <csv> [--k 2-10 | --k 4] [--features A,B,...] [--seed N] [--restarts N] [--stability N] [--engine simd|mlnet] [--init yinyang|alternating|kmeans++|random (mlnet)] [--log auto|none|A,B,...] [--json]
          segment-cli segment <csv> --k N --out FILE [--range 2-10] [--save-model FILE] [--segment N] [--features A,B,...] [--seed N] [--restarts N] [--engine simd|mlnet] [--log auto|none|A,B,...]
          segment-cli generate <rows> --out FILE [--seed N]     (the built-in synthetic credit-card sample)
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

    /// <summary>The k that segment exports.</summary>
    public int SelectedK => KMin;

    internal SegmentationRecipe Recipe
    {
        get
        {
            var (from, to) = Command == "segment" ? Range ?? (Math.Min(2, SelectedK), Math.Max(10, SelectedK)) : (KMin, KMax);
            return new SegmentationRecipe
            {
                Features = Features,
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
        if (command is not ("sweep" or "segment" or "generate"))
        {
            throw new UsageException($"unknown command '{command}'");
        }

        if (args.Length < 2 || args[1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException(command == "generate" ? "generate needs a row count" : $"{command} needs a CSV file");
        }

        var result = new CliArguments { Command = command, Input = args[1] };
        for (var i = 2; i < args.Length; i++)
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

        if (command == "generate" && result.Output is null)
        {
            throw new UsageException("generate needs --out FILE");
        }

        return result;
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
