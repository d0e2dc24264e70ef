using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Tests;

/// <summary>Small generated data sets with known structure.</summary>
internal static class Synthetic
{
    /// <summary>Gaussian blobs (sd 1) around well-separated centres (distance ≥ 20), with their true labels.</summary>
    internal static (FeatureMatrix Matrix, int[] Labels) Blobs(int perBlob, int blobs, int dimensions, int seed)
    {
        var random = new Random(seed);
        var n = perBlob * blobs;
        var values = new float[n * dimensions];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            var blob = i % blobs;
            labels[i] = blob;
            for (var c = 0; c < dimensions; c++)
            {
                var centre = ((blob * 7) + (c * 3)) % 5 * 20.0 + (blob * 25.0 * (c == 0 ? 1 : 0));
                values[(i * dimensions) + c] = (float)(centre + Normal(random));
            }
        }

        return (new FeatureMatrix(values, n, dimensions, Enumerable.Range(1, dimensions).Select(c => $"f{c}").ToArray()), labels);
    }

    internal static FeatureMatrix Matrix(double[,] rows)
    {
        var n = rows.GetLength(0);
        var d = rows.GetLength(1);
        var values = new float[n * d];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < d; c++)
            {
                values[(i * d) + c] = (float)rows[i, c];
            }
        }

        return new FeatureMatrix(values, n, d, Enumerable.Range(1, d).Select(c => $"f{c}").ToArray());
    }

    internal static Dataset Numeric(params (string Name, double[] Values)[] columns) => Dataset.FromColumns(columns);

    internal static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
