namespace Segmentation.Analytics.Segments;

/// <summary>The assignment problem: pair rows with columns so the total cost is least (Kuhn-Munkres, O(n³)).</summary>
public static class Hungarian
{
    /// <summary>
    /// For a rows × columns cost matrix, the column assigned to each row (−1 for rows left over when there are more rows than
    /// columns), minimising the summed cost. Ties are broken towards lower indices, so the result is deterministic.
    /// </summary>
    /// <exception cref="ArgumentException">A cost is NaN.</exception>
    public static int[] Solve(double[,] cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        var rows = cost.GetLength(0);
        var columns = cost.GetLength(1);
        var n = Math.Max(rows, columns);
        var a = new double[n + 1, n + 1];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                if (double.IsNaN(cost[i, j]))
                {
                    throw new ArgumentException("Costs must not be NaN.", nameof(cost));
                }

                a[i + 1, j + 1] = cost[i, j];
            }
        }

        // Potentials u, v and the matching p (column → row), as in the classic shortest-augmenting-path formulation.
        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];
        var way = new int[n + 1];
        for (var i = 1; i <= n; i++)
        {
            p[0] = i;
            var j0 = 0;
            var minv = Enumerable.Repeat(double.PositiveInfinity, n + 1).ToArray();
            var used = new bool[n + 1];
            do
            {
                used[j0] = true;
                var i0 = p[j0];
                var delta = double.PositiveInfinity;
                var j1 = 0;
                for (var j = 1; j <= n; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }

                    var current = a[i0, j] - u[i0] - v[j];
                    if (current < minv[j])
                    {
                        minv[j] = current;
                        way[j] = j0;
                    }

                    if (minv[j] < delta)
                    {
                        delta = minv[j];
                        j1 = j;
                    }
                }

                for (var j = 0; j <= n; j++)
                {
                    if (used[j])
                    {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minv[j] -= delta;
                    }
                }

                j0 = j1;
            }
            while (p[j0] != 0);

            do
            {
                var j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        var result = Enumerable.Repeat(-1, rows).ToArray();
        for (var j = 1; j <= n; j++)
        {
            if (p[j] >= 1 && p[j] <= rows && j <= columns)
            {
                result[p[j] - 1] = j - 1;
            }
        }

        return result;
    }
}
