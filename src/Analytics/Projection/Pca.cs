using MathNet.Numerics.LinearAlgebra;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Projection;

/// <summary>Principal components of a feature matrix: eigen-decomposition of its (population) covariance.</summary>
public sealed class PcaResult
{
    internal PcaResult(double[] means, double[] eigenvalues, double[,] components, IReadOnlyList<string> featureNames)
    {
        Means = means;
        Eigenvalues = eigenvalues;
        Components = components;
        FeatureNames = featureNames;
        var total = eigenvalues.Sum();
        ExplainedVarianceRatio = eigenvalues.Select(e => total > 0 ? e / total : 0).ToArray();
    }

    /// <summary>Column means that are subtracted before projecting.</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>Variances along the components, largest first.</summary>
    public IReadOnlyList<double> Eigenvalues { get; }

    /// <summary>Share of the total variance per component, largest first; sums to 1.</summary>
    public IReadOnlyList<double> ExplainedVarianceRatio { get; }

    /// <summary>Unit loading vectors: [component, feature]. Each component's sign is fixed so its largest-magnitude loading is positive.</summary>
    public double[,] Components { get; }

    /// <summary>Feature names, one per loading column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Coordinates of every row on the first <paramref name="components"/> components, row-major n × components.</summary>
    /// <exception cref="ArgumentException">The matrix has a different number of columns, or <paramref name="components"/> is out of range.</exception>
    public float[] Project(FeatureMatrix matrix, int components)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        Check(matrix.Columns, components);
        var result = new float[matrix.Rows * components];
        for (var i = 0; i < matrix.Rows; i++)
        {
            ProjectRow(matrix.Row(i), result.AsSpan(i * components, components));
        }

        return result;
    }

    /// <summary>Coordinates of row-major points (e.g. centroids) with the matrix's columns on the first <paramref name="components"/> components.</summary>
    public float[] ProjectPoints(ReadOnlySpan<float> points, int components)
    {
        var d = Means.Count;
        Check(d, components);
        var count = points.Length / d;
        var result = new float[count * components];
        for (var i = 0; i < count; i++)
        {
            ProjectRow(points.Slice(i * d, d), result.AsSpan(i * components, components));
        }

        return result;
    }

    private void ProjectRow(ReadOnlySpan<float> row, Span<float> output)
    {
        for (var p = 0; p < output.Length; p++)
        {
            var sum = 0.0;
            for (var c = 0; c < row.Length; c++)
            {
                sum += (row[c] - Means[c]) * Components[p, c];
            }

            output[p] = (float)sum;
        }
    }

    private void Check(int columns, int components)
    {
        if (columns != Means.Count)
        {
            throw new ArgumentException($"Expected {Means.Count} columns, got {columns}.", nameof(columns));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, Means.Count);
    }
}

/// <summary>Principal component analysis.</summary>
public static class Pca
{
    /// <summary>Fits PCA to <paramref name="matrix"/> (d × d covariance, MathNet symmetric eigen-decomposition).</summary>
    /// <exception cref="ArgumentException">The matrix has no rows or no columns.</exception>
    public static PcaResult Fit(FeatureMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.Rows == 0 || matrix.Columns == 0)
        {
            throw new ArgumentException("PCA needs at least one row and one column.", nameof(matrix));
        }

        var n = matrix.Rows;
        var d = matrix.Columns;
        var means = matrix.ColumnMeans();

        var covariance = new double[d, d];
        var centered = new double[d];
        for (var i = 0; i < n; i++)
        {
            var row = matrix.Row(i);
            for (var c = 0; c < d; c++)
            {
                centered[c] = row[c] - means[c];
            }

            for (var a = 0; a < d; a++)
            {
                for (var b = a; b < d; b++)
                {
                    covariance[a, b] += centered[a] * centered[b];
                }
            }
        }

        for (var a = 0; a < d; a++)
        {
            for (var b = a; b < d; b++)
            {
                covariance[a, b] /= n;
                covariance[b, a] = covariance[a, b];
            }
        }

        var evd = Matrix<double>.Build.DenseOfArray(covariance).Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, d).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();
        var eigenvalues = new double[d];
        var components = new double[d, d];
        for (var p = 0; p < d; p++)
        {
            var index = order[p];
            eigenvalues[p] = Math.Max(0, evd.EigenValues[index].Real);
            var vector = evd.EigenVectors.Column(index);
            var largest = 0;
            for (var c = 1; c < d; c++)
            {
                if (Math.Abs(vector[c]) > Math.Abs(vector[largest]))
                {
                    largest = c;
                }
            }

            var sign = vector[largest] < 0 ? -1 : 1;
            for (var c = 0; c < d; c++)
            {
                components[p, c] = sign * vector[c];
            }
        }

        return new PcaResult(means, eigenvalues, components, matrix.FeatureNames);
    }
}
