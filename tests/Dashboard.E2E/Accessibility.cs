using System.Text.Json;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>Runs axe-core (from npm, see axe/package.json) on a page and fails on serious or critical violations.</summary>
internal static class Accessibility
{
    private static readonly Lazy<string> Source = new(() => File.ReadAllText(Path.Combine(DashboardServer.RepositoryRoot, "tests", "Dashboard.E2E", "axe", "node_modules", "axe-core", "axe.min.js")));

    /// <summary>The serious and critical violations on <paramref name="page"/> as text, one per line with the first elements.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        // Evaluated through the DevTools protocol, which the page's content security policy does not govern.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value);
        }

        var result = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
        return result.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToArray();
    }

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string where)
    {
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe-core on {where}:\n" + string.Join('\n', violations));
    }
}
