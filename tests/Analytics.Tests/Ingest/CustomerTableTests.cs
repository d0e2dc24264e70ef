using System.Text;
using Segmentation.Analytics.Export;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Segments;

namespace Segmentation.Analytics.Tests.Ingest;

/// <summary>Third-party-shaped customer tables: identifiers kept exact, codes, categories, dates, flags, constants and derived features.</summary>
public sealed class CustomerTableTests
{
    private static readonly SegmentationRecipe Quick = new() { KMin = 2, KMax = 6, StabilityResamples = 0, Restarts = 3 };

    [Fact]
    public async Task Mall_customer_ids_stay_0001_are_no_feature_and_genre_is_described_per_segment()
    {
        var ingest = await TestData.ReadAsync(CustomerTables.Mall());
        var data = ingest.Dataset;
        var id = data.Column("CustomerID");
        Assert.Equal(ColumnKind.Identifier, id.Kind);
        Assert.Equal("CustomerID", data.IdentifierColumn);
        Assert.Equal("0001", id.TextAt(0));
        Assert.Equal(ColumnKind.Categorical, data.Column("Genre").Kind);
        Assert.Equal(ColumnRole.Described, data.Column("Genre").Typing.Role);

        var result = SegmentationPipeline.Run(data, Quick);
        Assert.DoesNotContain("CustomerID", result.Preprocessed.Matrix.FeatureNames);
        Assert.DoesNotContain(result.Preprocessed.Matrix.FeatureNames, f => f.StartsWith("Genre", StringComparison.Ordinal));
        Assert.Equal(["Age", "Annual Income (k$)", "Spending Score (1-100)"], result.Preprocessed.Matrix.FeatureNames);

        var segmentation = result.For(5);
        var genre = Assert.Single(segmentation.Composition);
        Assert.Equal("Genre", genre.Column);
        Assert.False(genre.IsFeature);
        Assert.Equal(["Female", "Male"], genre.Levels.Order());
        foreach (var shares in genre.BySegment)
        {
            Assert.Equal(1, shares.Sum(), 9);
        }

        // The high-income big spenders are 85% female against about 60% overall: their card says so, with numbers.
        var female = genre.Levels.ToList().IndexOf("Female");
        var richest = Enumerable.Range(0, 5).MaxBy(s => segmentation.Profiles.Segments[s].Means[1] + segmentation.Profiles.Segments[s].Means[2]);
        Assert.True(genre.BySegment[richest][female] > genre.Overall[female] + 0.1);
        Assert.Contains(segmentation.Traits[richest], t => t.Description.Contains("% Female vs ", StringComparison.Ordinal) && t.Description.EndsWith("% overall", StringComparison.Ordinal));

        using var export = new MemoryStream();
        await SegmentExporter.WriteAsync(export, result.Dataset, segmentation.Assignment);
        var lines = Encoding.UTF8.GetString(export.ToArray()).Split("\r\n");
        Assert.StartsWith("CustomerID,Genre,Age,Annual Income (k$),Spending Score (1-100),segment,", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("0001,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("0200,", lines[200], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wholesale_channel_and_region_codes_are_suggested_categorical()
    {
        var data = (await TestData.ReadAsync(CustomerTables.Wholesale())).Dataset;
        var channel = data.Column("Channel").Typing;
        var region = data.Column("Region").Typing;
        Assert.Equal((ColumnKind.Categorical, ColumnRole.Described), (channel.Kind, channel.Role));
        Assert.Equal("2 distinct integer values: a code, not an amount", channel.Reason);
        Assert.Equal("3 distinct integer values: a code, not an amount", region.Reason);
        foreach (var spend in new[] { "Fresh", "Milk", "Grocery", "Frozen", "Detergents_Paper", "Delicassen" })
        {
            Assert.Equal((ColumnKind.Numeric, ColumnRole.Feature), (data.Column(spend).Kind, data.Column(spend).Typing.Role));
        }

        // Chosen as features, the codes are one-hot encoded with weight 1: never 3 = three times 1.
        var result = SegmentationPipeline.Run(data, Quick with { Categorical = ["Region"] });
        Assert.Contains("Region=1", result.Preprocessed.Matrix.FeatureNames);
        Assert.Contains("Region=3", result.Preprocessed.Matrix.FeatureNames);
        Assert.DoesNotContain("Region", result.Preprocessed.Matrix.FeatureNames);
        var column = result.Preprocessed.Matrix.FeatureNames.ToList().IndexOf("Region=2");
        var values = Enumerable.Range(0, result.Preprocessed.Matrix.Rows).Select(r => result.Preprocessed.Matrix.Values[(r * result.Preprocessed.Matrix.Columns) + column]).Distinct().Order().ToArray();
        Assert.Equal([0f, 1f], values);
        Assert.Equal(["Channel", "Region"], result.For(3).Composition.Select(c => c.Column));
    }

    [Fact]
    public async Task Marketing_table_with_bom_semicolons_dates_birth_years_and_a_constant_gets_every_kind_and_reason()
    {
        var ingest = await TestData.ReadBytesAsync(CustomerTables.Marketing());
        Assert.Equal(';', ingest.Report.Separator);
        Assert.Equal("UTF-8 with BOM", ingest.Report.Encoding);
        var data = ingest.Dataset;
        var expected = new Dictionary<string, (ColumnKind Kind, ColumnRole Role, string Reason)>
        {
            ["ID"] = (ColumnKind.Identifier, ColumnRole.Id, "unique whole numbers in a column named like an identifier"),
            ["Year_Birth"] = (ColumnKind.Numeric, ColumnRole.Feature, "years of birth: used as the age"),
            ["Education"] = (ColumnKind.Categorical, ColumnRole.Described, "5 text labels"),
            ["Marital_Status"] = (ColumnKind.Categorical, ColumnRole.Described, "5 text labels"),
            ["Income"] = (ColumnKind.Numeric, ColumnRole.Feature, "numbers"),
            ["Kidhome"] = (ColumnKind.Numeric, ColumnRole.Feature, "numbers"),
            ["Dt_Customer"] = (ColumnKind.Date, ColumnRole.Feature, "dates (day first, such as 29-06-2014)"),
            ["NumStorePurchases"] = (ColumnKind.Numeric, ColumnRole.Feature, "numbers"),
            ["AcceptedCmp1"] = (ColumnKind.Binary, ColumnRole.Feature, "only the values 0 and 1: a yes/no flag"),
            ["Response"] = (ColumnKind.Binary, ColumnRole.Feature, "only the values 0 and 1: a yes/no flag"),
            ["Z_CostContact"] = (ColumnKind.Constant, ColumnRole.Excluded, "the same value in every row (3)"),
        };
        foreach (var (name, (kind, role, reason)) in expected)
        {
            var typing = data.Column(name).Typing;
            Assert.True((kind, role) == (typing.Kind, typing.Role), $"{name}: {typing}");
            Assert.StartsWith(reason, typing.Reason, StringComparison.Ordinal);
        }

        Assert.Equal(DateOrder.DayFirst, data.Column("Dt_Customer").Typing.DateOrder);
        Assert.True(data.Column("Income").MissingCount > 0);

        var result = SegmentationPipeline.Run(data, Quick);
        var features = result.Preprocessed.Matrix.FeatureNames;
        Assert.Contains("Dt_Customer (days)", features);
        Assert.Contains("Year_Birth (age)", features);
        Assert.DoesNotContain("Z_CostContact", features);
        Assert.DoesNotContain("ID", features);
        var newest = data.Column("Dt_Customer").Texts.ToArray().Select(t => DateOnly.ParseExact(t!, "dd-MM-yyyy", System.Globalization.CultureInfo.InvariantCulture)).Max();
        Assert.Equal(newest, result.Recipe.ReferenceDate);
        Assert.Equal(newest.Year, result.Recipe.ReferenceYear);
        var days = result.Dataset.Column("Dt_Customer (days)");
        Assert.Equal(newest.DayNumber - DateOnly.ParseExact(data.Column("Dt_Customer").TextAt(0)!, "dd-MM-yyyy", System.Globalization.CultureInfo.InvariantCulture).DayNumber, days.Numbers[0]);
        Assert.Equal(newest.Year - data.Column("Year_Birth").Numbers[3], result.Dataset.Column("Year_Birth (age)").Numbers[3]);
        var constant = result.Plan.Columns.Single(c => c.Name == "Z_CostContact");
        Assert.Equal(ColumnRole.Excluded, constant.Role);

        // Flags are 0/1 features, not z-scores; they are described as rates.
        var response = features.ToList().IndexOf("Response");
        var responses = Enumerable.Range(0, result.Preprocessed.Matrix.Rows).Select(r => result.Preprocessed.Matrix.Values[(r * features.Count) + response]).Distinct().Order().ToArray();
        Assert.Equal([0f, 1f], responses);
        Assert.Contains(result.For(2).Composition, c => c.Column == "Response" && c.IsFeature);

        // The model records the encodings and the reference date: scoring the same rows gives the same segments.
        var model = SegmentationModel.FromJson(result.ToModel(3).ToJson());
        Assert.Contains(model.Encodings, e => e is DaysEncoding { Reference: var r } && r == newest);
        var scores = model.Score(data);
        var assignment = result.For(3).Assignment;
        for (var row = 0; row < data.RowCount; row++)
        {
            Assert.Equal(assignment.SegmentOf(row), scores.Numbers[row]);
        }
    }

    [Fact]
    public async Task Seventeen_and_nineteen_digit_identifiers_round_trip_exactly_through_the_export()
    {
        var text = CustomerTables.LongIdentifiers();
        var data = (await TestData.ReadAsync(text)).Dataset;
        Assert.Equal("account_number", data.IdentifierColumn);
        Assert.Equal("12345678901234560", data.Column("account_number").TextAt(0));
        Assert.Equal("9223372036854775059", data.Column("card_number").TextAt(59));

        // As doubles the 17-digit numbers collide; as written they are 60 different customers.
        Assert.True(data.Column("account_number").Numbers.ToArray().Distinct().Count() < 60);
        Assert.Equal(60, data.Column("account_number").Texts.ToArray().Distinct().Count());

        var result = SegmentationPipeline.Run(data, Quick with { KMax = 3 });
        Assert.Equal(["BALANCE", "PURCHASES"], result.Preprocessed.Matrix.FeatureNames);
        using var export = new MemoryStream();
        await SegmentExporter.WriteAsync(export, result.Dataset, result.For(2).Assignment);
        var exported = Encoding.UTF8.GetString(export.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[..2]).ToArray();
        var original = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[..2]).ToArray();
        Assert.Equal(original, exported);
    }

    [Fact]
    public async Task Duplicate_identifiers_are_reported_with_their_lines()
    {
        var rows = string.Concat(Enumerable.Range(1, 30).Select(i => $"{(i == 17 ? 5 : i):0000},{i * 3 % 7},{i % 5}\n"));
        var ingest = await TestData.ReadAsync("CustomerID,a,b\n" + rows);
        var issue = Assert.Single(ingest.Report.Issues, i => i.Code == "duplicate-id");
        Assert.Contains("\"0005\" on lines 6 and 18", issue.Message, StringComparison.Ordinal);
        Assert.Equal(18, issue.Line);
        Assert.Equal(ColumnRole.Id, ingest.Dataset.Column("CustomerID").Typing.Role);
    }

    [Fact]
    public async Task A_derived_feature_that_divides_by_zero_is_missing_counted_exported_empty_and_imputed()
    {
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => $"c{i},{100 + (i * 10)},{(i % 10 == 3 ? 0 : 1000 + (i % 4 * 500))},{(i == 7 ? string.Empty : (i % 6).ToString(System.Globalization.CultureInfo.InvariantCulture))}\n"));
        var data = (await TestData.ReadAsync("id,BALANCE,CREDIT_LIMIT,TENURE\n" + rows)).Dataset;
        var recipe = Quick with { KMax = 3, Derived = [DerivedFeature.Parse("UTILISATION = BALANCE / CREDIT_LIMIT"), DerivedFeature.Parse("PER_MONTH = if(TENURE > 0, BALANCE / TENURE, 0)")] };
        var result = SegmentationPipeline.Run(data, recipe);
        var utilisation = result.Dataset.Column("UTILISATION");
        Assert.Equal(ColumnOrigin.Derived, utilisation.Origin);
        Assert.Equal(4, utilisation.MissingCount);
        Assert.Equal(120 / 2000.0, utilisation.Numbers[2], 12);
        Assert.True(double.IsNaN(utilisation.Numbers[3]));
        Assert.Contains(result.EncodingWarnings, w => w.StartsWith("UTILISATION: 4 rows divide by zero", StringComparison.Ordinal) && w.Contains("lines 5, 15, 25, 35", StringComparison.Ordinal));
        Assert.Contains(result.EncodingWarnings, w => w.StartsWith("PER_MONTH: 1 row has a missing input (line 9)", StringComparison.Ordinal));
        Assert.Equal(0, result.Dataset.Column("PER_MONTH").Numbers[0]);

        // Imputed for clustering (the median of the other rows), empty in the export.
        var transform = result.Preprocessed.Transforms.Single(t => t.Name == "UTILISATION");
        Assert.Equal(4, transform.Imputed);
        using var export = new MemoryStream();
        await SegmentExporter.WriteAsync(export, result.Dataset, result.For(2).Assignment);
        var lines = Encoding.UTF8.GetString(export.ToArray()).Split("\r\n");
        Assert.StartsWith("id,BALANCE,CREDIT_LIMIT,TENURE,UTILISATION,PER_MONTH,segment", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("c3,130,0,3,,43.33", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Formulas_that_cannot_be_used_say_why()
    {
        var data = (await TestData.ReadAsync("id,BALANCE,region\n" + string.Concat(Enumerable.Range(0, 20).Select(i => $"c{i},{i},{(i % 2 == 0 ? "north" : "south")}\n")))).Dataset;
        var unknown = Assert.Throws<AnalysisInputException>(() => SegmentationPipeline.Run(data, Quick with { Derived = [new DerivedFeature("X", "balance * 2")] }));
        Assert.Contains("\"balance\", which is not a column (did you mean BALANCE?)", unknown.Message, StringComparison.Ordinal);
        var text = Assert.Throws<AnalysisInputException>(() => SegmentationPipeline.Run(data, Quick with { Derived = [new DerivedFeature("X", "region + 1")] }));
        Assert.Contains("region, which is a text column", text.Message, StringComparison.Ordinal);
        var syntax = Assert.Throws<AnalysisInputException>(() => SegmentationPipeline.Run(data, Quick with { Derived = [new DerivedFeature("X", "BALANCE / (")] }));
        Assert.Contains("cannot be read", syntax.Message, StringComparison.Ordinal);
        Assert.Throws<AnalysisInputException>(() => DerivedFeature.Parse("BALANCE / 2"));
        Assert.Equal(new DerivedFeature("HIGH", "if(BALANCE >= 10, 1, 0)"), DerivedFeature.Parse("HIGH = if(BALANCE >= 10, 1, 0)"));
    }

    [Fact]
    public async Task A_first_line_with_fewer_fields_than_the_rows_is_refused_with_both_counts_and_reads_without_a_header()
    {
        var rows = string.Concat(Enumerable.Range(0, 30).Select(i => string.Join(',', Enumerable.Range(0, 14).Select(c => ((i * 7) + c) % 11)) + "\n"));
        var text = "178,13,class_0,class_1,class_2\n" + rows;
        var refused = await Assert.ThrowsAsync<IngestException>(() => TestData.ReadAsync(text));
        Assert.StartsWith("Line 1: the first line has 5 fields, the rows have 14", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the header is missing or is not the first line", refused.Message, StringComparison.Ordinal);
        Assert.Equal("header-field-count", refused.Code);

        var read = await TestData.ReadAsync(text, new IngestOptions { HasHeader = false });
        Assert.Equal(30, read.Dataset.RowCount);
        Assert.Equal(14, read.Dataset.Columns.Count);
        Assert.Equal("column_1", read.Dataset.Columns[0].Name);
        Assert.Equal("column_14", read.Dataset.Columns[13].Name);
        Assert.Equal(1, read.Report.SkippedRows);
        Assert.Contains(read.Report.Issues, i => i.Code == "ragged-row" && i.Line == 1);
    }

    [Fact]
    public async Task Text_flags_dates_and_ambiguous_dates_are_typed_and_never_guessed()
    {
        var rows = string.Concat(Enumerable.Range(0, 40).Select(i => $"c{i},{(i % 3 == 0 ? "Yes" : "no")},2020-{(i % 12) + 1:00}-{(i % 27) + 1:00},{(i % 12) + 1:00}/{(i % 11) + 1:00}/2021,{i}\n"));
        var data = (await TestData.ReadAsync("id,accepted_offer,since,visit,spend\n" + rows)).Dataset;
        Assert.Equal(ColumnKind.Binary, data.Column("accepted_offer").Kind);
        Assert.Equal((ColumnKind.Date, DateOrder.YearFirst), (data.Column("since").Kind, data.Column("since").Typing.DateOrder));
        var visit = data.Column("visit").Typing;
        Assert.Equal((ColumnKind.Date, ColumnRole.Excluded, (DateOrder?)null), (visit.Kind, visit.Role, visit.DateOrder));
        Assert.Contains("cannot be told", visit.Reason, StringComparison.Ordinal);

        var result = SegmentationPipeline.Run(data, Quick with { KMax = 3 });
        Assert.Contains("accepted_offer=Yes", result.Preprocessed.Matrix.FeatureNames);
        Assert.Contains("since (days)", result.Preprocessed.Matrix.FeatureNames);
        Assert.DoesNotContain("visit (days)", result.Preprocessed.Matrix.FeatureNames);

        // Told the order, the ambiguous column is used.
        var told = SegmentationPipeline.Run(data, Quick with { KMax = 3, DateOrders = new Dictionary<string, DateOrder> { ["visit"] = DateOrder.MonthFirst } });
        Assert.Contains("visit (days)", told.Preprocessed.Matrix.FeatureNames);
    }
}

/// <summary>cc_general with the derived features the credit-card rule pack suggests.</summary>
[Collection(CcGeneralGroup.Name)]
public sealed class CreditCardDerivedFeatureTests(CcGeneralFixture fixture)
{
    [Fact]
    public void Suggestions_cover_utilisation_payment_ratio_average_purchase_and_monthly_amounts()
    {
        var suggested = DerivedSuggestions.For(fixture.Ingest.Dataset).Select(s => s.Feature.ToString()).ToArray();
        Assert.Contains("UTILISATION = BALANCE / CREDIT_LIMIT", suggested);
        Assert.Contains("PAYMENT_RATIO = PAYMENTS / MINIMUM_PAYMENTS", suggested);
        Assert.Contains("AVERAGE_PURCHASE = PURCHASES / PURCHASES_TRX", suggested);
        Assert.Contains("MONTHLY_PURCHASES = PURCHASES / TENURE", suggested);
    }

    [Fact]
    public async Task Retail_suggestions_total_spend_and_purchases_over_channels()
    {
        var retail = (await TestData.ReadBytesAsync(CustomerTables.Marketing())).Dataset;
        var totals = DerivedSuggestions.For(retail).Select(s => s.Feature.ToString()).ToArray();
        Assert.Contains("TOTAL_SPEND = MntWines + MntMeatProducts", totals);
        Assert.Contains("TOTAL_PURCHASES = NumWebPurchases + NumStorePurchases", totals);
    }

    [Fact]
    public void With_the_suggested_features_the_k4_names_still_read_right()
    {
        var derived = DerivedSuggestions.For(fixture.Ingest.Dataset).Select(s => s.Feature).ToArray();
        var result = SegmentationPipeline.Run(fixture.Ingest.Dataset, SegmentationRecipe.Default with { Derived = derived, KMin = 4, KMax = 4 });
        var names = result.For(4).Insights.Select(i => i.Name).Order().ToArray();
        var before = fixture.Analysis.For(4).Insights.Select(i => i.Name).Order().ToArray();
        Assert.Equal(before, names);
    }
}
