namespace Segmentation.Analytics.Clustering;

/// <summary>Which k-means implementation fits the sweep.</summary>
public enum KMeansEngine
{
    /// <summary>Our own SIMD kernel (<see cref="KMeansKernel"/>): greedy k-means++ restarts plus a warm start from the (k − 1) solution. The default.</summary>
    Simd,

    /// <summary>ML.NET's <c>KMeansTrainer</c>, one thread per fit; slower per fit, kept as an option and as the test oracle.</summary>
    MlNet,
}
