using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>
/// One k-means fit with ML.NET's <see cref="KMeansTrainer"/>: the only place in the product that trains k-means.
/// </summary>
internal static class MlNetKMeans
{
    /// <summary>
    /// Trains k-means once with the given seed on one thread (so a seed always gives the same centroids)
    /// and returns the centroids, row-major k × d.
    /// </summary>
    internal static float[] FitCentroids(FeatureMatrix matrix, int k, int seed, KMeansInitialization initialization, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var context = new MLContext(seed);
        var view = new MatrixDataView(matrix, cancellationToken);
        var options = new KMeansTrainer.Options
        {
            FeatureColumnName = MatrixDataView.FeaturesColumn,
            NumberOfClusters = k,
            NumberOfThreads = 1,
            InitializationAlgorithm = initialization switch
            {
                KMeansInitialization.KMeansPlusPlus => KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
                KMeansInitialization.Random => KMeansTrainer.InitializationAlgorithm.Random,
                _ => KMeansTrainer.InitializationAlgorithm.KMeansYinyang,
            },
            MaximumNumberOfIterations = 1000,
            OptimizationTolerance = 1e-7f,
        };

        KMeansModelParameters model;
        try
        {
            model = context.Clustering.Trainers.KMeans(options).Fit(view).Model;
        }
        catch (Exception exception) when (cancellationToken.IsCancellationRequested && exception is not OperationCanceledException)
        {
            throw new OperationCanceledException("The k-means fit was cancelled.", exception, cancellationToken);
        }

        VBuffer<float>[] centroids = [];
        model.GetClusterCentroids(ref centroids, out var count);
        var d = matrix.Columns;
        var result = new float[count * d];
        for (var c = 0; c < count; c++)
        {
            centroids[c].CopyTo(result.AsSpan(c * d, d));
        }

        return result;
    }
}
