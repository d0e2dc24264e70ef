using Microsoft.Extensions.DependencyInjection;

namespace Segmentation.Analytics;

/// <summary>Registers the analytics services.</summary>
public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>Adds the server-wide <see cref="AnalysisThrottle"/> and <see cref="IngestThrottle"/> (singletons that hold no user data).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="maxConcurrentAnalyses">Analyses allowed to run at once across all users.</param>
    /// <param name="maxConcurrentReads">Uploads and sources read at once across all users.</param>
    public static IServiceCollection AddAnalytics(this IServiceCollection services, int maxConcurrentAnalyses, int maxConcurrentReads)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(new AnalysisThrottle(maxConcurrentAnalyses));
        services.AddSingleton(new IngestThrottle(maxConcurrentReads));
        return services;
    }
}
