using Microsoft.Extensions.DependencyInjection;

namespace Segmentation.Analytics;

/// <summary>Registers the analytics services.</summary>
public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>Adds the server-wide <see cref="AnalysisThrottle"/> (a singleton that holds no user data).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="maxConcurrentAnalyses">Analyses allowed to run at once across all users.</param>
    public static IServiceCollection AddAnalytics(this IServiceCollection services, int maxConcurrentAnalyses)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(new AnalysisThrottle(maxConcurrentAnalyses));
        return services;
    }
}
