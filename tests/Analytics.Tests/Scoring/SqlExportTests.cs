using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;
using Segmentation.Analytics.Preprocessing;
using Segmentation.Analytics.Scoring;

namespace Segmentation.Analytics.Tests.Scoring;

/// <summary>
/// The exported scoring SQL, run on SQLite, DuckDB and a real PostgreSQL server, gives every customer the segment that scoring in
/// process gives; the BigQuery, Spark and T-SQL texts match golden files and parse with maintained parsers (node-sql-parser, and
/// Microsoft's ScriptDom for T-SQL); hostile column names and category values stay inside their quotes.
/// </summary>
[Collection(CcGeneralGroup.Name)]
public sealed class SqlExportTests(CcGeneralFixture fixture)
{
    /// <summary>A column name that would end a quoted identifier and drop the table if it were pasted into SQL unquoted.</summary>
    internal const string HostileColumn = "x\"; DROP TABLE customers; --";

    private static readonly string RepositoryRoot = FindRoot();

    [Fact]
    public async Task The_cc_general_query_gives_all_8950_customers_their_segment_on_sqlite()
    {
        var (model, expected) = CcGeneral();
        var actual = await SqlEngines.SqliteAsync(fixture.Ingest.Dataset, SqlScoringExport.Generate(model, SqlDialect.Sqlite, SqlEngines.Table));
        AssertSame(expected, actual, 8950);
    }

    [Fact]
    public async Task The_cc_general_query_gives_all_8950_customers_their_segment_on_duckdb_reading_the_csv_itself()
    {
        var (model, expected) = CcGeneral();
        var actual = await SqlEngines.DuckDbAsync(fixture.Ingest.Dataset, SqlScoringExport.Generate(model, SqlDialect.DuckDb, SqlEngines.Table), TestData.CcGeneralPath);
        AssertSame(expected, actual, 8950);
    }

    [PostgresFact]
    public async Task The_cc_general_query_gives_all_8950_customers_their_segment_on_postgresql()
    {
        var (model, expected) = CcGeneral();
        var actual = await SqlEngines.PostgresAsync(PostgresFactAttribute.Server, fixture.Ingest.Dataset, SqlScoringExport.Generate(model, SqlDialect.Postgres, SqlEngines.Table));
        AssertSame(expected, actual, 8950);
    }

    [Fact]
    public async Task A_mixed_table_with_hostile_names_categories_flags_dates_ages_and_formulas_scores_alike_on_sqlite_and_duckdb()
    {
        var (data, model, expected) = await MixedAsync();
        AssertSame(expected, await SqlEngines.SqliteAsync(data, SqlScoringExport.Generate(model, SqlDialect.Sqlite, SqlEngines.Table)), data.RowCount);
        AssertSame(expected, await SqlEngines.DuckDbAsync(data, SqlScoringExport.Generate(model, SqlDialect.DuckDb, SqlEngines.Table)), data.RowCount);
    }

    [PostgresFact]
    public async Task A_mixed_table_with_hostile_names_categories_flags_dates_ages_and_formulas_scores_alike_on_postgresql()
    {
        var (data, model, expected) = await MixedAsync();
        AssertSame(expected, await SqlEngines.PostgresAsync(PostgresFactAttribute.Server, data, SqlScoringExport.Generate(model, SqlDialect.Postgres, SqlEngines.Table)), data.RowCount);
    }

    [Theory]
    [InlineData(SqlDialect.BigQuery)]
    [InlineData(SqlDialect.Spark)]
    [InlineData(SqlDialect.TSql)]
    [InlineData(SqlDialect.Postgres)]
    [InlineData(SqlDialect.Sqlite)]
    [InlineData(SqlDialect.DuckDb)]
    public void The_query_of_a_fixed_model_matches_its_golden_file(SqlDialect dialect)
    {
        var sql = SqlScoringExport.Generate(GoldenModel(), dialect, "analytics.customers");
        var path = Path.Combine(RepositoryRoot, "tests", "Analytics.Tests", "Scoring", "Golden", $"{SqlScoringExport.NameOf(dialect)}.sql");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, sql);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with UPDATE_GOLDEN=1 and review it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), sql);
    }

    [Fact]
    public async Task Every_exported_text_parses_as_one_select_with_node_sql_parser()
    {
        var (mixedData, mixed, _) = await MixedAsync();
        _ = mixedData;
        var models = new[] { ("golden", GoldenModel()), ("cc_general", CcGeneral().Model), ("mixed", mixed) };
        var directory = Directory.CreateTempSubdirectory("sql-parse-").FullName;
        try
        {
            foreach (var (dialect, database) in new[] { (SqlDialect.BigQuery, "BigQuery"), (SqlDialect.Spark, "Hive"), (SqlDialect.TSql, "TransactSQL") })
            {
                var files = new List<string>();
                foreach (var (name, model) in models)
                {
                    var file = Path.Combine(directory, $"{name}.{SqlScoringExport.NameOf(dialect)}.sql");
                    await File.WriteAllTextAsync(file, SqlScoringExport.Generate(model, dialect, "analytics.customers"));
                    files.Add(file);
                }

                // The parser must be able to fail: a query cut in the middle is refused.
                var broken = Path.Combine(directory, $"broken.{SqlScoringExport.NameOf(dialect)}.sql");
                var text = SqlScoringExport.Generate(GoldenModel(), dialect, "customers");
                await File.WriteAllTextAsync(broken, text[..(text.Length / 2)]);
                var results = await ParseWithNodeAsync(database, [.. files, broken]);
                foreach (var file in files)
                {
                    var result = results[file];
                    Assert.True(result.GetProperty("ok").GetBoolean(), $"{database}: {Path.GetFileName(file)}: {result}");
                    Assert.Equal(["select"], result.GetProperty("statements").EnumerateArray().Select(s => s.GetString()));
                }

                Assert.False(results[broken].GetProperty("ok").GetBoolean(), $"{database} accepted half a query.");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_t_sql_texts_parse_with_microsoft_scriptdom_as_one_select_and_a_broken_one_does_not()
    {
        var (_, mixed, _) = await MixedAsync();
        foreach (var model in new[] { GoldenModel(), CcGeneral().Model, mixed })
        {
            var sql = SqlScoringExport.Generate(model, SqlDialect.TSql, "dbo.customers");
            var script = ParseTSql(sql, out var errors);
            Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
            var statement = Assert.Single(Assert.Single(script.Batches).Statements);
            Assert.IsType<SelectStatement>(statement);
        }

        var golden = SqlScoringExport.Generate(GoldenModel(), SqlDialect.TSql, "customers");
        ParseTSql(golden[..(golden.Length / 2)], out var broken);
        Assert.NotEmpty(broken);
    }

    [Fact]
    public void Hostile_names_stay_inside_their_quotes_in_every_dialect()
    {
        var model = GoldenModel();
        foreach (var dialect in SqlScoringExport.All)
        {
            var sql = SqlScoringExport.Generate(model, dialect, "customers");
            var quoted = SqlDialects.Quote(dialect, HostileColumn);
            Assert.Contains(quoted, sql, StringComparison.Ordinal);
            // Outside its quoted form the name never appears: removing every quoted occurrence leaves no "DROP TABLE".
            Assert.DoesNotContain("DROP TABLE", sql.Replace(quoted, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }

        Assert.Equal("[a]]b]", SqlDialects.Quote(SqlDialect.TSql, "a]b"));
        Assert.Equal("`a\\`b`", SqlDialects.Quote(SqlDialect.BigQuery, "a`b"));
        Assert.Equal("`a``b`", SqlDialects.Quote(SqlDialect.Spark, "a`b"));
        Assert.Equal("\"a\"\"b\"", SqlDialects.Quote(SqlDialect.Postgres, "a\"b"));
        Assert.Equal("'O\\'Brien \\\\ Est'", SqlDialects.String(SqlDialect.BigQuery, "O'Brien \\ Est"));
        Assert.Equal("N'O''Brien'", SqlDialects.String(SqlDialect.TSql, "O'Brien"));
        Assert.Equal("\"analytics\".\"customers\"", SqlDialects.QuoteTable(SqlDialect.DuckDb, "analytics.customers"));
        Assert.Throws<AnalysisInputException>(() => SqlDialects.QuoteTable(SqlDialect.DuckDb, "analytics..customers"));
        Assert.Throws<AnalysisInputException>(() => SqlScoringExport.ParseDialect("oracle"));
    }

    [Fact]
    public async Task A_formula_the_sql_cannot_express_alike_is_refused_by_name()
    {
        var mall = await TestData.ReadAsync(CustomerTables.Mall());
        var recipe = SegmentationRecipe.Default with { KMin = 3, KMax = 3, Derived = [new DerivedFeature("ROUNDED", "Round([Annual Income (k$)] / 7, 1)")] };
        var model = SegmentationPipeline.Run(mall.Dataset, recipe).ToModel(3);
        var error = Assert.Throws<AnalysisInputException>(() => SqlScoringExport.Generate(model, SqlDialect.Postgres, "customers"));
        Assert.Contains("ROUNDED", error.Message, StringComparison.Ordinal);
        Assert.Contains("the function Round", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_writes_the_query_to_stdout_or_a_file_and_refuses_an_unknown_dialect()
    {
        var directory = Directory.CreateTempSubdirectory("export-sql-").FullName;
        try
        {
            var modelPath = Path.Combine(directory, "model.json");
            await File.WriteAllTextAsync(modelPath, CcGeneral().Model.ToJson());
            var (code, stdout, _) = await CliProcess.RunAsync("export-sql", "--model", modelPath, "--dialect", "duckdb", "--table", "customers");
            Assert.Equal(0, code);
            Assert.Equal(SqlScoringExport.Generate(SegmentationModel.FromJson(await File.ReadAllTextAsync(modelPath)), SqlDialect.DuckDb, "customers"), stdout);
            var outPath = Path.Combine(directory, "q.sql");
            (code, _, _) = await CliProcess.RunAsync("export-sql", "--model", modelPath, "--dialect", "bigquery", "--table", "project.crm.customers", "--out", outPath);
            Assert.Equal(0, code);
            Assert.Contains("FROM `project`.`crm`.`customers`", await File.ReadAllTextAsync(outPath), StringComparison.Ordinal);
            var (bad, _, stderr) = await CliProcess.RunAsync("export-sql", "--model", modelPath, "--dialect", "oracle", "--table", "customers");
            Assert.Equal(2, bad);
            Assert.Contains("\"oracle\" is not a SQL dialect", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private (SegmentationModel Model, Dictionary<string, SqlSegment> Expected) CcGeneral()
    {
        var model = fixture.Analysis.ToModel(4);
        return (model, Expected(ScoredTable.Score(model, fixture.Ingest.Dataset)));
    }

    private static Dictionary<string, SqlSegment> Expected(ScoredTable scored)
    {
        var ids = scored.IdColumn!;
        return Enumerable.Range(0, scored.Data.RowCount).ToDictionary(
            r => ids.TextAt(r)!,
            r => scored.SegmentOf(r) is { } s ? new SqlSegment(s.Number, s.Name) : new SqlSegment(null, null),
            StringComparer.Ordinal);
    }

    private static void AssertSame(Dictionary<string, SqlSegment> expected, Dictionary<string, SqlSegment> actual, int rows)
    {
        Assert.Equal(rows, expected.Count);
        Assert.Equal(rows, actual.Count);
        var differing = expected.Where(e => !actual.TryGetValue(e.Key, out var a) || a != e.Value).Select(e => $"{e.Key}: {e.Value} vs {actual.GetValueOrDefault(e.Key)}").Take(5).ToArray();
        Assert.True(differing.Length == 0, $"Differences: {string.Join("; ", differing)}");
    }

    /// <summary>
    /// A generated table with what real customer tables have: identifiers with leading zeros, a hostile column name, a category with a
    /// quote and a backslash in a value, a yes/no flag, ISO dates, years of birth, missing values, and formulas (a ratio that divides by
    /// zero, a condition, log1p); fitted with log1p and clipping, so every step and encoding goes through the SQL.
    /// </summary>
    internal static async Task<(Dataset Data, SegmentationModel Model, Dictionary<string, SqlSegment> Expected)> MixedAsync()
    {
        var data = (await TestData.ReadAsync(MixedCsv())).Dataset;
        var recipe = SegmentationRecipe.Default with
        {
            IdentifierColumn = "Customer No",
            Categorical = ["Région"],
            Derived = [new DerivedFeature("PER_VISIT", "Spend / Visits"), new DerivedFeature("BIG", "if(Spend > 500, 1, 0) + min(Visits, 3)"), new DerivedFeature("LOG_SPEND", "log1p([" + HostileColumn + "])")],
            ReferenceDate = new DateOnly(2026, 6, 30),
            ReferenceYear = 2026,
            Log1pColumns = ["Spend"],
            ClipLower = 0.01,
            ClipUpper = 0.99,
            KMin = 3,
            KMax = 4,
        };
        var model = SegmentationPipeline.Run(data, recipe).ToModel(4);
        Assert.Contains(model.Encodings, e => e is LevelEncoding { Level: "O'Brien \\ Est" });
        Assert.Contains(model.Encodings, e => e is FlagEncoding);
        Assert.Contains(model.Encodings, e => e is DaysEncoding);
        Assert.Contains(model.Encodings, e => e is AgeEncoding);
        Assert.Equal(3, model.Encodings.OfType<FormulaEncoding>().Count());
        Assert.Contains(model.Features, f => f.Steps.OfType<ClipStep>().Any());
        Assert.Contains(model.Features, f => f.Steps.OfType<Log1pStep>().Any());
        return (data, model, Expected(ScoredTable.Score(model, data)));
    }

    private static string MixedCsv(int rows = 600)
    {
        var random = new Random(5);
        var text = new StringBuilder($"Customer No,Région,Active,Opened,Year_Birth,Visits,Spend,\"{HostileColumn.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\n");
        string[] regions = ["Nord", "Sud", "O'Brien \\ Est"];
        var start = new DateOnly(2019, 1, 1);
        for (var i = 0; i < rows; i++)
        {
            var group = i % 3;
            var visits = random.Next(0, 4 + (group * 4));
            var spend = i % 41 == 7 ? string.Empty : Math.Round((50 + (group * 300)) * Math.Exp(Normal(random) * 0.4), 2).ToString(CultureInfo.InvariantCulture);
            var other = Math.Round((group + 1) * 10 * Math.Exp(Normal(random) * 0.3), 3).ToString(CultureInfo.InvariantCulture);
            var active = random.NextDouble() < (group == 2 ? 0.9 : 0.3) ? "Yes" : "No";
            var opened = start.AddDays(random.Next(2000) - (group * 300));
            text.Append(CultureInfo.InvariantCulture, $"{i + 1:00000},{regions[(group + random.Next(2)) % 3].Replace("\"", "\"\"", StringComparison.Ordinal)},{active},{opened:yyyy-MM-dd},{1950 + random.Next(50)},{visits},{spend},{other}\n");
        }

        return text.ToString();
    }

    /// <summary>A hand-made model with every step and encoding, so its golden texts do not depend on a fit.</summary>
    internal static SegmentationModel GoldenModel()
    {
        FeatureEncoding[] encodings =
        [
            new LevelEncoding("Région=O'Brien", "Région", "O'Brien \\ Est"),
            new LevelEncoding("Région=(missing)", "Région", null),
            new FlagEncoding("Active=Yes", "Active", "Yes", "No"),
            new DaysEncoding("Opened (days)", "Opened", DateOrder.YearFirst, new DateOnly(2026, 6, 30)),
            new AgeEncoding("Year_Birth (age)", "Year_Birth", 2026),
            new FormulaEncoding("PER_VISIT", "Spend / Visits"),
            new FormulaEncoding("MIXED", "if(Spend > 500 and not (Visits = 0), pow(Visits, 2), -sqrt(abs(Spend))) + max(ln(Spend + 1), log(Visits + 2, 10)) * exp(-1) + floor(log10(Spend + 1)) - ceiling(PER_VISIT)"),
        ];
        FeaturePreparation[] features =
        [
            new("Région=O'Brien", [new ScaleStep(ScalingMethod.None, 0, Math.Sqrt(2))]),
            new("Région=(missing)", [new ScaleStep(ScalingMethod.None, 0, Math.Sqrt(2))]),
            new("Active=Yes", [new ImputeStep(MissingValueStrategy.Median, 1), new ScaleStep(ScalingMethod.ZScore, 0.4, 0.49)]),
            new("Opened (days)", [new ImputeStep(MissingValueStrategy.Median, 1200.5), new ScaleStep(ScalingMethod.Robust, 1100, 600)]),
            new("Year_Birth (age)", [new ScaleStep(ScalingMethod.MinMax, 18, 62)]),
            new("Spend", [new ImputeStep(MissingValueStrategy.Median, 310.25), Log1pStep.Instance, new ClipStep(3.2, 7.9), new ScaleStep(ScalingMethod.ZScore, 5.5, 1.25)]),
            new("PER_VISIT", [new ImputeStep(MissingValueStrategy.Mean, 61.125), new ScaleStep(ScalingMethod.ZScore, 61.125, 40.5)]),
            new("MIXED", [new ImputeStep(MissingValueStrategy.Median, -3.5), new ScaleStep(ScalingMethod.ZScore, 2.25, 7.75)]),
            new(HostileColumn, [new ImputeStep(MissingValueStrategy.Median, 20), new ScaleStep(ScalingMethod.ZScore, 21.5, 9.25)]),
        ];
        return new SegmentationModel
        {
            CreatedAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
            AppVersion = "golden",
            Recipe = SegmentationRecipe.Default,
            IdColumn = "Customer No",
            Encodings = encodings,
            Features = features,
            Centroids =
            [
                [0.1f, 0, -0.5f, 0.25f, 0.3f, -1.2f, -0.4f, -0.3f, -0.8f],
                [0.6f, 0, 0.9f, -0.2f, 0.5f, 0.4f, 0.2f, 0.1f, 0.3f],
                [0.2f, 0.05f, 0.1f, 0.7f, 0.6f, 1.5f, 1.1f, 0.9f, 1.2f],
            ],
            Segments =
            [
                new ModelSegment(2, "Occasional 'small' spenders", "#1f77b4", "Win them back.", 200, 3.5),
                new ModelSegment(5, "Regulars; \"loyal\" -- keep", "#ff7f0e", "Reward loyalty.", 250, 3.1),
                new ModelSegment(7, "Big spenders \\ VIP", "#2ca02c", "Offer premium.", 150, 4.2),
            ],
        };
    }

    private static TSqlScript ParseTSql(string sql, out IList<ParseError> errors)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        return (TSqlScript)parser.Parse(reader, out errors);
    }

    private static async Task<Dictionary<string, JsonElement>> ParseWithNodeAsync(string database, IReadOnlyList<string> files)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(RepositoryRoot, "tests", "sql-parsers") };
        start.ArgumentList.Add("parse.cjs");
        start.ArgumentList.Add(database);
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == files.Count, $"node printed {lines.Length} results for {files.Count} files: {stderr}");
        return lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("file").GetString()!, e => e);
    }


    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dashboard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("Dashboard.sln was not found above the test directory.");
    }
}

/// <summary>A test against a real PostgreSQL server (SEGMENTATION_TEST_POSTGRES, which .ci/run sets): skipped on a developer machine
/// without one, but with CI=true it runs, so CI cannot pass without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "SEGMENTATION_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 })
        {
            Skip = $"No PostgreSQL server ({Variable}); these cases run in CI.";
        }
    }

    /// <summary>The server's connection string (without a database).</summary>
    public static string Server => Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException($"{Variable} is not set.");
}
