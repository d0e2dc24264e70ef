namespace Segmentation.Analytics.Clustering;

/// <summary>How the restarts of a k-means sweep choose ML.NET's starting centroids.</summary>
public enum KMeansInitialization
{
    /// <summary>Alternate ML.NET's k-means|| (Yinyang) and k-means++ seeding between restarts: the two reach different local minima, so together they need fewer restarts (the default).</summary>
    Alternating,

    /// <summary>ML.NET's k-means|| initialisation with Yinyang acceleration on every restart.</summary>
    Yinyang,

    /// <summary>k-means++ seeding on every restart.</summary>
    KMeansPlusPlus,

    /// <summary>Uniformly random rows as starting centroids on every restart.</summary>
    Random,
}
