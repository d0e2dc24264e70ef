using System.Globalization;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Pipeline;

/// <summary>One column of the analysis with its kind, role and the reason, and the columns it becomes.</summary>
/// <param name="Name">The column (a file column, or a derived one).</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Role">What the analysis does with it.</param>
/// <param name="Reason">Why, in words.</param>
/// <param name="Origin">File or derived.</param>
/// <param name="Expression">A derived column's formula.</param>
/// <param name="Encoded">The columns it is clustered or described by: itself, its one-hot levels ("Genre=Female"), "Dt_Customer (days)", "Year_Birth (age)".</param>
public sealed record PlannedColumn(string Name, ColumnKind Kind, ColumnRole Role, string Reason, ColumnOrigin Origin, string? Expression, IReadOnlyList<string> Encoded);

/// <summary>The levels of a categorical or flag column, and the 0/1 columns that hold them, for composition per segment.</summary>
/// <param name="Column">The file column.</param>
/// <param name="Levels">Each level as written, with its 0/1 column.</param>
/// <param name="IsFeature">Whether its levels are clustered on (one-hot) or only described.</param>
public sealed record CategoryGroup(string Column, IReadOnlyList<(string Level, string Indicator)> Levels, bool IsFeature);

/// <summary>
/// What an analysis does with every column: the identifier, features (with their encodings), described columns and excluded ones
/// with the reason. Made by <see cref="Resolve"/> from the data's inferred kinds and the recipe's choices.
/// </summary>
public sealed record ColumnPlan
{
    /// <summary>Categories with more levels than this cannot be one-hot encoded (choose "described", or group the levels first).</summary>
    public const int MaxOneHotLevels = ColumnTyping.MaxCategories;

    /// <summary>Every file column, then every derived column.</summary>
    public required IReadOnlyList<PlannedColumn> Columns { get; init; }

    /// <summary>The identifier column, or null.</summary>
    public string? Identifier { get; init; }

    /// <summary>The columns to make, in order: formulas first (in the recipe's order), then encodings of categories, flags, dates and ages.</summary>
    public required IReadOnlyList<FeatureEncoding> Encodings { get; init; }

    /// <summary>The clustering features, as columns of the encoded data.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Columns of the encoded data that are profiled per segment but not clustered on.</summary>
    public required IReadOnlyList<string> Described { get; init; }

    /// <summary>Features that are 0/1 indicators: not log-transformed, clipped or scaled, but weighted (see <see cref="IndicatorWeight"/>).</summary>
    public required IReadOnlyDictionary<string, double> IndicatorWeights { get; init; }

    /// <summary>Categorical and flag columns with their levels, for composition.</summary>
    public required IReadOnlyList<CategoryGroup> Categories { get; init; }

    /// <summary>The recipe with every default it resolved written in (reference date and year), so it repeats this plan exactly.</summary>
    public required SegmentationRecipe Recipe { get; init; }

    /// <summary>Things the user should know about the columns.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>
    /// The weight of a 0/1 indicator column for a scaling method. Two customers in different categories of one column differ by the weight
    /// in two indicator columns, so by 2w² in squared distance, however many levels the column has. With z-scores (and robust or no
    /// scaling) w = 1, so a categorical column adds at most 2 to the squared distance: what one z-scored feature adds on average
    /// between two random customers. With min-max scaling, where a numeric feature adds at most 1, w = 1/√2.
    /// </summary>
    public static double IndicatorWeight(ScalingMethod scaling) => scaling == ScalingMethod.MinMax ? 1 / Math.Sqrt(2) : 1;

    /// <summary>Decides every column's role from the data's inferred kinds and the recipe's choices.</summary>
    /// <exception cref="AnalysisInputException">A named column does not exist, or a choice cannot be carried out (the message says which and why).</exception>
    public static ColumnPlan Resolve(Dataset dataset, SegmentationRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(recipe);
        var names = dataset.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        void RequireColumn(string name, string what)
        {
            if (!names.Contains(name))
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("NoSuchColumnFor", name, what, string.Join(", ", dataset.Columns.Select(c => c.Name))));
            }
        }

        var identifier = recipe.IdentifierColumn ?? dataset.IdentifierColumn;
        var warnings = new List<string>();
        if (identifier is not null)
        {
            RequireColumn(identifier, "the identifier");
            if (recipe.IdentifierColumn is not null && recipe.IdentifierColumn != dataset.IdentifierColumn && Repeats(dataset, identifier) is { } repeats)
            {
                warnings.Add(repeats);
            }
        }

        foreach (var name in recipe.Categorical)
        {
            RequireColumn(name, "to use as a category");
        }

        foreach (var name in recipe.Described)
        {
            RequireColumn(name, "to describe");
        }

        var derivedNames = recipe.Derived.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var derived in recipe.Derived)
        {
            if (names.Contains(derived.Name))
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("DerivedNameTaken", derived.Name));
            }
        }

        if (recipe.Derived.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() != recipe.Derived.Count)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("DerivedSameName"));
        }

        var chosen = recipe.Features?.ToHashSet(StringComparer.Ordinal);
        foreach (var name in recipe.Features ?? [])
        {
            if (!names.Contains(name) && !derivedNames.Contains(name))
            {
                throw new AnalysisInputException(AnalyticsTexts.Get("NoSuchColumn", name, string.Join(", ", dataset.Columns.Select(c => c.Name).Concat(derivedNames))));
            }
        }

        if (identifier is not null && chosen?.Contains(identifier) == true)
        {
            throw new AnalysisInputException(AnalyticsTexts.Get("IdentifierNotFeature", identifier));
        }

        var categorical = recipe.Categorical.ToHashSet(StringComparer.Ordinal);
        var described = recipe.Described.ToHashSet(StringComparer.Ordinal);
        var weight = IndicatorWeight(recipe.Scaling);
        var encodings = new List<FeatureEncoding>();
        var features = new List<string>();
        var describedColumns = new List<string>();
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        var groups = new List<CategoryGroup>();
        var planned = new List<PlannedColumn>();

        // Formulas come first, so that every later step sees them as numeric columns.
        foreach (var derived in recipe.Derived)
        {
            encodings.Add(new FormulaEncoding(derived.Name, derived.Expression));
        }

        var reference = recipe.ReferenceDate ?? NewestDate(dataset, recipe);
        var referenceYear = recipe.ReferenceYear ?? reference?.Year ?? DateTime.UtcNow.Year;
        foreach (var column in dataset.Columns)
        {
            var (kind, role, reason) = (column.Kind, column.Typing.Role, column.Typing.Reason);
            if (column.Name == identifier)
            {
                (kind, role) = (ColumnKind.Identifier, ColumnRole.Id);
                reason = column.Typing.Role == ColumnRole.Id ? reason : "chosen as the identifier";
            }
            else if (column.Typing.Role == ColumnRole.Id)
            {
                // Detected as the identifier, but another column was chosen.
                (kind, role, reason) = column.HasNumbers ? (ColumnKind.Numeric, ColumnRole.Excluded, "was detected as the identifier; another column was chosen") : (ColumnKind.Text, ColumnRole.Excluded, "a unique value in every row: free text");
            }

            if (kind == ColumnKind.Date && column.Typing.DateOrder is null && recipe.DateOrders.ContainsKey(column.Name) && role == ColumnRole.Excluded)
            {
                (role, reason) = (ColumnRole.Feature, "dates in the order chosen");
            }

            if (categorical.Contains(column.Name))
            {
                (kind, role, reason) = (ColumnKind.Categorical, ColumnRole.Feature, "chosen as a category: one-hot encoded");
            }
            else if (described.Contains(column.Name))
            {
                role = ColumnRole.Described;
                reason = kind == ColumnKind.Categorical || kind == ColumnKind.Binary ? reason : "chosen to be described per segment";
            }
            else if (chosen is not null && role != ColumnRole.Id)
            {
                if (chosen.Contains(column.Name))
                {
                    if (kind is ColumnKind.Text or ColumnKind.Empty or ColumnKind.Constant)
                    {
                        throw new AnalysisInputException(AnalyticsTexts.Get("CannotBeFeature", column.Name, column.Typing.Reason));
                    }

                    role = ColumnRole.Feature;
                }
                else if (role == ColumnRole.Feature)
                {
                    (role, reason) = (ColumnRole.Excluded, AnalyticsTexts.Get("NotChosen", reason));
                }
            }

            var encoded = new List<string>();
            if (role is ColumnRole.Feature or ColumnRole.Described)
            {
                var isFeature = role == ColumnRole.Feature;
                void Use(string name, bool indicator)
                {
                    encoded.Add(name);
                    if (isFeature)
                    {
                        features.Add(name);
                        if (indicator)
                        {
                            weights[name] = weight;
                        }
                    }
                    else
                    {
                        describedColumns.Add(name);
                    }
                }

                switch (kind)
                {
                    case ColumnKind.Categorical:
                        var levels = Levels(column);
                        if (isFeature && levels.Count > MaxOneHotLevels)
                        {
                            throw new AnalysisInputException(AnalyticsTexts.Get("TooManyLevels", column.Name, levels.Count, MaxOneHotLevels));
                        }

                        var group = new List<(string, string)>();
                        foreach (var level in levels)
                        {
                            var name = Unique($"{column.Name}={level ?? LevelEncoding.MissingLevel}", names, encodings);
                            encodings.Add(new LevelEncoding(name, column.Name, level));
                            Use(name, true);
                            group.Add((level ?? LevelEncoding.MissingLevel, name));
                        }

                        groups.Add(new CategoryGroup(column.Name, group, isFeature));
                        break;
                    case ColumnKind.Binary when column.HasNumbers:
                        Use(column.Name, true);
                        groups.Add(new CategoryGroup(column.Name, [("1", column.Name)], isFeature));
                        break;
                    case ColumnKind.Binary:
                        var tokens = ColumnTyping.FlagTokens(column.Texts.ToArray().Where(t => t is not null).Select(t => t!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray())
                            ?? throw new AnalysisInputException(AnalyticsTexts.Get("NotYesNo", column.Name));
                        var flag = Unique($"{column.Name}={tokens.True}", names, encodings);
                        encodings.Add(new FlagEncoding(flag, column.Name, tokens.True, tokens.False));
                        Use(flag, true);
                        groups.Add(new CategoryGroup(column.Name, [(tokens.True, flag)], isFeature));
                        break;
                    case ColumnKind.Date:
                        var order = column.Typing.DateOrder ?? (recipe.DateOrders.TryGetValue(column.Name, out var given) ? given : (DateOrder?)null);
                        if (order is null || reference is null)
                        {
                            if (isFeature && chosen?.Contains(column.Name) == true)
                            {
                                throw new AnalysisInputException(AnalyticsTexts.Get("ColumnReason", column.Name, column.Typing.Reason));
                            }

                            (role, reason) = (ColumnRole.Excluded, column.Typing.Reason);
                            encoded.Clear();
                            break;
                        }

                        var days = Unique($"{column.Name} (days)", names, encodings);
                        encodings.Add(new DaysEncoding(days, column.Name, order.Value, reference.Value));
                        Use(days, false);
                        reason = AnalyticsTexts.Get((isFeature, recipe.ReferenceDate is null) switch { (true, true) => "DatesUsedNewest", (true, false) => "DatesUsed", (false, true) => "DatesDescribedNewest", _ => "DatesDescribed" }, DateValues.Describe(order.Value), reference.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                        break;
                    case ColumnKind.Numeric when ColumnTyping.LooksLikeBirthYear(column.Name) && column.HasNumbers:
                        var age = Unique($"{column.Name} (age)", names, encodings);
                        encodings.Add(new AgeEncoding(age, column.Name, referenceYear));
                        Use(age, false);
                        reason = AnalyticsTexts.Get(isFeature ? "BirthYearsUsed" : "BirthYearsDescribed", referenceYear.ToString(CultureInfo.InvariantCulture));
                        break;
                    case ColumnKind.Numeric or ColumnKind.Constant when column.HasNumbers:
                        Use(column.Name, false);
                        break;
                    default:
                        throw new AnalysisInputException(AnalyticsTexts.Get(isFeature ? "CannotBeFeature" : "CannotBeDescribed", column.Name, column.Typing.Reason));
                }
            }

            planned.Add(new PlannedColumn(column.Name, kind, role, reason, ColumnOrigin.File, null, encoded));
        }

        foreach (var derived in recipe.Derived)
        {
            var isFeature = chosen is null || chosen.Contains(derived.Name);
            if (isFeature)
            {
                features.Add(derived.Name);
            }
            else
            {
                describedColumns.Add(derived.Name);
            }

            planned.Add(new PlannedColumn(derived.Name, ColumnKind.Numeric, isFeature ? ColumnRole.Feature : ColumnRole.Described, isFeature ? "a derived feature" : "a derived column, described per segment", ColumnOrigin.Derived, derived.Expression, [derived.Name]));
        }

        if (features.Count == 0)
        {
            var left = planned.Where(p => p.Role == ColumnRole.Excluded).Select(p => $"{p.Name}: {p.Reason}").ToArray();
            throw new AnalysisInputException(left.Length > 0 ? AnalyticsTexts.Get("NoColumnLeftWhy", string.Join("; ", left)) : AnalyticsTexts.Get("NoColumnLeft"));
        }

        // Formulas first; the other encodings follow in column order.
        var ordered = encodings.OfType<FormulaEncoding>().Cast<FeatureEncoding>().Concat(encodings.Where(e => e is not FormulaEncoding)).ToArray();
        return new ColumnPlan
        {
            Columns = planned,
            Identifier = identifier,
            Encodings = ordered,
            Features = features,
            Described = describedColumns,
            IndicatorWeights = weights,
            Categories = groups,
            Recipe = recipe with { ReferenceDate = recipe.ReferenceDate ?? reference, ReferenceYear = recipe.ReferenceYear ?? (ordered.Any(e => e is AgeEncoding) ? referenceYear : null) },
            Warnings = warnings,
        };
    }

    /// <summary>A sentence naming the first repeated values of a chosen identifier with their lines, or null when every value is unique.</summary>
    private static string? Repeats(Dataset dataset, string identifier)
    {
        var column = dataset.Column(identifier);
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeats = new List<string>();
        var count = 0;
        for (var row = 0; row < dataset.RowCount; row++)
        {
            if (column.TextAt(row) is not { } value)
            {
                continue;
            }

            if (first.TryGetValue(value, out var earlier))
            {
                count++;
                if (repeats.Count < 5)
                {
                    repeats.Add(AnalyticsTexts.Get("RepeatOnLines", value, dataset.LineNumber(earlier), dataset.LineNumber(row)));
                }
            }
            else
            {
                first[value] = row;
            }
        }

        return count == 0 ? null : AnalyticsTexts.Get(count == 1 ? "IdentifierRepeatOne" : "IdentifierRepeats", identifier, count, string.Join("; ", repeats) + (count > 5 ? "; …" : string.Empty));
    }

    /// <summary>The levels of a categorical column, most frequent first (ties in ordinal order), then null when values are missing.</summary>
    private static List<string?> Levels(DataColumn column)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = false;
        for (var row = 0; row < (column.HasNumbers ? column.Numbers.Length : column.Texts.Length); row++)
        {
            var text = column.TextAt(row);
            if (text is null)
            {
                missing = true;
            }
            else
            {
                counts[text] = counts.GetValueOrDefault(text) + 1;
            }
        }

        var levels = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => (string?)c.Key).ToList();
        if (missing)
        {
            levels.Add(null);
        }

        return levels;
    }

    /// <summary>The newest date in any date column whose order is known (from its values or the recipe), or null.</summary>
    private static DateOnly? NewestDate(Dataset dataset, SegmentationRecipe recipe)
    {
        DateOnly? newest = null;
        foreach (var column in dataset.Columns.Where(c => c.Kind == ColumnKind.Date && c.HasTexts))
        {
            var order = column.Typing.DateOrder ?? (recipe.DateOrders.TryGetValue(column.Name, out var given) ? given : (DateOrder?)null);
            if (order is null)
            {
                continue;
            }

            foreach (var text in column.Texts)
            {
                if (text is not null && DateValues.TryParse(text, order.Value, out var date) && (newest is null || date > newest))
                {
                    newest = date;
                }
            }
        }

        return newest;
    }

    private static string Unique(string name, HashSet<string> taken, List<FeatureEncoding> encodings)
    {
        var candidate = name;
        for (var suffix = 2; taken.Contains(candidate) || encodings.Any(e => e.Name == candidate); suffix++)
        {
            candidate = string.Create(CultureInfo.InvariantCulture, $"{name} ({suffix})");
        }

        return candidate;
    }
}
