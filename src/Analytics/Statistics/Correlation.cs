namespace Segmentation.Analytics.Statistics;

/// <summary>Correlation matrices of equal-length columns without missing values.</summary>
public static class Correlation
{
    /// <summary>
    /// Pearson correlation of every pair of columns. The diagonal is 1; a pair involving a constant column is NaN.
    /// </summary>
    /// <exception cref="ArgumentException">Columns differ in length or contain NaN.</exception>
    public static double[,] Pearson(IReadOnlyList<double[]> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var m = columns.Count;
        var n = Validate(columns);
        var centered = new double[m][];
        var norms = new double[m];
        for (var c = 0; c < m; c++)
        {
            var mean = 0.0;
            foreach (var v in columns[c])
            {
                mean += v;
            }

            mean /= Math.Max(1, n);
            centered[c] = new double[n];
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                var delta = columns[c][i] - mean;
                centered[c][i] = delta;
                sum += delta * delta;
            }

            norms[c] = Math.Sqrt(sum);
        }

        var result = new double[m, m];
        for (var a = 0; a < m; a++)
        {
            result[a, a] = norms[a] > 0 ? 1 : double.NaN;
            for (var b = a + 1; b < m; b++)
            {
                var dot = 0.0;
                var x = centered[a];
                var y = centered[b];
                for (var i = 0; i < n; i++)
                {
                    dot += x[i] * y[i];
                }

                var r = norms[a] > 0 && norms[b] > 0 ? Math.Clamp(dot / (norms[a] * norms[b]), -1, 1) : double.NaN;
                result[a, b] = r;
                result[b, a] = r;
            }
        }

        return result;
    }

    /// <summary>Spearman rank correlation: Pearson correlation of the ranks, ties given their average rank.</summary>
    /// <exception cref="ArgumentException">Columns differ in length or contain NaN.</exception>
    public static double[,] Spearman(IReadOnlyList<double[]> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Validate(columns);
        return Pearson(columns.Select(Ranks).ToArray());
    }

    /// <summary>1-based ranks with ties averaged.</summary>
    public static double[] Ranks(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Length).ToArray();
        Array.Sort(values.ToArray(), order);
        var ranks = new double[values.Length];
        var i = 0;
        while (i < order.Length)
        {
            var j = i;
            while (j + 1 < order.Length && values[order[j + 1]] == values[order[i]])
            {
                j++;
            }

            var rank = ((i + j) / 2.0) + 1;
            for (var t = i; t <= j; t++)
            {
                ranks[order[t]] = rank;
            }

            i = j + 1;
        }

        return ranks;
    }

    private static int Validate(IReadOnlyList<double[]> columns)
    {
        var n = columns.Count == 0 ? 0 : columns[0].Length;
        foreach (var column in columns)
        {
            if (column.Length != n)
            {
                throw new ArgumentException("All columns must have the same length.", nameof(columns));
            }

            if (column.Any(double.IsNaN))
            {
                throw new ArgumentException("Columns must not contain missing values; impute them first.", nameof(columns));
            }
        }

        return n;
    }
}
