namespace Segmentation.Analytics.Clustering;

/// <summary>How the restarts of a k-means sweep choose ML.NET's starting centroids.</summary>
public enum KMeansInitialization
{
    /// <summary>ML.NET's k-means|| initialisation with Yinyang acceleration on every restart (the default: on cc_general it reached
    /// within 0.5% of the best-known inertia on 12–32% of restarts per k = 5..10, more often than the others).</summary>
    Yinyang,

    /// <summary>Alternate Yinyang and k-means++ seeding between restarts.</summary>
    Alternating,

    /// <summary>k-means++ seeding on every restart.</summary>
    KMeansPlusPlus,

    /// <summary>Uniformly random rows as starting centroids on every restart.</summary>
    Random,
}
