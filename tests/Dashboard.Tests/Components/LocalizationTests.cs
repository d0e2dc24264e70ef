using System.Globalization;
using Bunit;
using Segmentation.Dashboard.Components;
using Segmentation.Dashboard.Components.Pages;
using Segmentation.Dashboard.Components.Shared;

namespace Segmentation.Dashboard.Tests.Components;

/// <summary>Text comes from resource files, numbers follow the culture: proven with the pseudo-locale and with German.</summary>
public sealed class LocalizationTests : DashboardTestContext
{
    [Fact]
    public void A_resource_file_translates_the_text_without_a_code_change()
    {
        var english = Render<NeedsData>();
        Assert.Contains("This page needs customer data", english.Markup, StringComparison.Ordinal);

        using (new CultureScope("en-US", "qps-Ploc"))
        {
            var pseudo = Render<NeedsData>();
            Assert.Contains("[Thîš pàgé ñéédš çüštõmér dàtà.", pseudo.Markup, StringComparison.Ordinal);
            Assert.DoesNotContain("This page needs customer data", pseudo.Markup, StringComparison.Ordinal);
            Assert.Equal("[Dàtà pàgé]", pseudo.Find("[data-testid=needs-data-link]").TextContent);
        }
    }

    [Theory]
    [InlineData("Segmentation.Dashboard.Resources.Strings", typeof(Segmentation.Dashboard.Resources.Strings))]
    [InlineData("Segmentation.Reporting.Resources.ReportTexts", typeof(Segmentation.Reporting.Resources.ReportTexts))]
    [InlineData("Segmentation.Analytics.Resources.AnalyticsTexts", typeof(Segmentation.Analytics.Resources.AnalyticsTexts))]
    public void Every_english_text_has_its_pseudo_translation_with_the_same_placeholders(string name, Type type)
    {
        var resources = new System.Resources.ResourceManager(name, type.Assembly);
        var english = resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        var keys = english.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToArray();
        Assert.True(keys.Length >= 40, $"{keys.Length} texts");
        var pseudo = CultureInfo.GetCultureInfo("qps-Ploc");
        foreach (var key in keys)
        {
            var text = english.GetString(key)!;
            var translated = resources.GetString(key, pseudo)!;
            Assert.StartsWith("[", translated, StringComparison.Ordinal);
            Assert.Equal(Placeholders(text), Placeholders(translated));
        }

        static string[] Placeholders(string text) => System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+(:[^}]*)?\}").Select(m => m.Value).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Names that stay as they are in every language: products, statistics named after people, and the data's own column names.</summary>
    private static readonly string[] Untranslated = ["Excel", "Pearson", "log1p", "Calinski-Harabasz ↑", "Davies-Bouldin ↓", "Calinski–Harabasz", "Davies–Bouldin", "groups.csv"];

    [Fact]
    public async Task Every_heading_column_button_and_label_of_the_pages_comes_from_the_resources()
    {
        using var scope = new CultureScope("en-US", "qps-Ploc");
        await AnalyseBlobsAsync(2, 4);
        State.SelectK(3);
        var english = new List<string>();
        foreach (var page in new[] { typeof(Data), typeof(Explore), typeof(Segment), typeof(Segments), typeof(Apply) })
        {
            var cut = Render(builder =>
            {
                builder.OpenComponent(0, page);
                builder.CloseComponent();
            });
            var texts = cut.FindAll("h1, h2, h3, h4, h5, th, button, label, figcaption, .mud-input-helper-text, .mud-alert-message, .mud-typography-caption, .mud-typography-body2, li")
                .Select(element => element.TextContent.Trim())
                .Concat(cut.FindAll("[aria-label]").Select(element => element.GetAttribute("aria-label")!.Trim()));
            english.AddRange(texts.Where(IsEnglish).Select(text => $"{page.Name}: «{text}»"));
        }

        var report = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await Segmentation.Reporting.Report.ReportRenderer.RenderAsync(State.Report(DateTimeOffset.UtcNow)!));
        Assert.Equal("qps-Ploc", report.DocumentElement.GetAttribute("lang"));
        english.AddRange(report.QuerySelectorAll("h1 ~ p, section:not(.segment) > h2, h3, th[scope=col], caption, figcaption, dt, .kicker, .small").Select(e => e.TextContent.Trim()).Where(IsEnglish).Select(text => $"report: {text}"));
        english.AddRange(report.QuerySelectorAll("svg text").Select(e => e.TextContent.Trim()).Where(text => text.Length > 12 && IsEnglish(text)).Select(text => $"report chart: {text}"));

        // The file-reading findings too: a word in a number column, a row with a field too many, a repeated header.
        using (var messy = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("ID,SPEND,VISITS\nA1,10,1\nA2,twelve,2\nA3,30,3,9\nID,SPEND,VISITS\nA4,40,4\nA5,50,5\n")))
        {
            await State.LoadCsvAsync(messy, "messy.csv", null, CancellationToken.None);
        }

        var findings = Render<Data>().FindAll("[data-testid=ingest-report] td:last-child").Select(e => e.TextContent.Trim()).ToArray();
        Assert.True(findings.Length >= 3, $"{findings.Length} findings");
        english.AddRange(findings.Where(IsEnglish).Select(text => $"ingest: «{text}»"));

        Assert.True(english.Count == 0, string.Join("\n", english.Distinct()));

        // Text with a lowercase word that is neither translated (the pseudo-locale brackets it) nor a name or a column of the data.
        // What is left once the translated (bracketed) parts are taken out: the data's names and numbers, or English left in code.
        static bool IsEnglish(string text)
        {
            var rest = text;
            for (var inner = System.Text.RegularExpressions.Regex.Replace(rest, @"\[[^\[\]]*\]", " "); inner != rest; inner = System.Text.RegularExpressions.Regex.Replace(rest, @"\[[^\[\]]*\]", " "))
            {
                rest = inner;
            }

            rest = rest.Trim(' ', '▲', '▼', '·', ':', '.', ',');
            var names = string.Join('|', Untranslated.Select(System.Text.RegularExpressions.Regex.Escape));
            return System.Text.RegularExpressions.Regex.IsMatch(System.Text.RegularExpressions.Regex.Replace(rest, names, " "), "[a-z]{3,}");
        }
    }

    [Fact]
    public async Task German_numbers_on_the_segment_cards_and_a_German_excel_csv_by_default()
    {
        using var scope = new CultureScope("de-DE", "en");
        await AnalyseBlobsAsync(3, 3, perGroup: 400);
        State.SelectK(3);
        var cut = Render<Segments>();
        Assert.Contains("1.200 customers", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("33,3 %", cut.Markup, StringComparison.Ordinal);
        Assert.Equal(';', State.CsvFormat.Separator);
        Assert.Equal(",", State.CsvFormat.Numbers.NumberDecimalSeparator);
        Assert.Equal("33,3 %", Format.Percent(1 / 3.0));

        State.CsvForExcel = false;
        Assert.Equal(',', State.CsvFormat.Separator);

        // The words the analysis writes carry German numbers too: "spend 1,98× the average (1.009 vs 509)".
        var trait = State.View!.Traits.SelectMany(t => t).First(t => t.Share is null);
        var german = CultureInfo.GetCultureInfo("de-DE");
        static string Short(double value, CultureInfo culture) => Math.Abs(value) >= 1000 ? value.ToString("N0", culture) : Math.Abs(value) >= 10 ? value.ToString("0.#", culture) : value.ToString("0.##", culture);
        var traits = string.Join(" ", cut.FindAll("[data-testid=segment-traits]").Select(e => e.TextContent));
        Assert.Contains($"({Short(trait.SegmentMean, german)} vs {Short(trait.OverallMean, german)})", traits, StringComparison.Ordinal);
        Assert.Matches(@"\d,\d+×", traits);
    }

    /// <summary>Sets the thread's cultures for a test and restores them.</summary>
    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _ui = CultureInfo.CurrentUICulture;

        public CultureScope(string culture, string ui)
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(ui);
        }

        public void Dispose()
        {
            CultureInfo.CurrentCulture = _culture;
            CultureInfo.CurrentUICulture = _ui;
        }
    }
}
