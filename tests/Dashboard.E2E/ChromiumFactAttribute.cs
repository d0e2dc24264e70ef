namespace Segmentation.Dashboard.E2E;

/// <summary>
/// An end-to-end test: it needs Debian's Chromium at /usr/bin/chromium. Without it the test is skipped on a developer machine,
/// but with CI=true it runs (and fails), so CI can never pass without running the browser journey.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && !File.Exists(ChromiumPath))
        {
            Skip = $"Chromium is not installed at {ChromiumPath} (apt-get install chromium); end-to-end tests run in CI.";
        }

        Timeout = 240_000;
    }
}

/// <summary>An end-to-end test against a real PostgreSQL server (SEGMENTATION_TEST_POSTGRES): skipped on a developer machine without
/// one, but with CI=true it runs, so CI cannot pass without testing the production store.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public const string Variable = "SEGMENTATION_TEST_POSTGRES";

    public PostgresFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && (!File.Exists(ChromiumFactAttribute.ChromiumPath) || Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 }))
        {
            Skip = $"No PostgreSQL server ({Variable}) or no Chromium; the PostgreSQL journeys run in CI.";
        }

        Timeout = 240_000;
    }
}
