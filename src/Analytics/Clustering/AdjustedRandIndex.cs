namespace Segmentation.Analytics.Clustering;

/// <summary>Agreement of two labelings of the same rows, corrected for chance.</summary>
public static class AdjustedRandIndex
{
    /// <summary>
    /// The adjusted Rand index (Hubert and Arabie): 1 for identical partitions (whatever the label numbers), about 0 for chance agreement.
    /// 1 when both labelings put every row in one cluster (or there are fewer than 2 rows).
    /// </summary>
    /// <exception cref="ArgumentException">The labelings differ in length or contain negative labels.</exception>
    public static double Compute(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count)
        {
            throw new ArgumentException("Both labelings must cover the same rows.", nameof(b));
        }

        var n = a.Count;
        var maxA = -1;
        var maxB = -1;
        for (var i = 0; i < n; i++)
        {
            if (a[i] < 0 || b[i] < 0)
            {
                throw new ArgumentException("Labels must be non-negative.", nameof(a));
            }

            maxA = Math.Max(maxA, a[i]);
            maxB = Math.Max(maxB, b[i]);
        }

        // Segment labels are small: a dense contingency table is a few hundred counts (a dictionary only for sparse, large labels).
        IEnumerable<long> cells, rowCounts, columnCounts;
        if ((long)(maxA + 1) * (maxB + 1) <= 1 << 16)
        {
            var width = maxB + 1;
            var table = new long[(maxA + 1) * width];
            var rowTotals = new long[maxA + 1];
            var columnTotals = new long[width];
            for (var i = 0; i < n; i++)
            {
                table[(a[i] * width) + b[i]]++;
                rowTotals[a[i]]++;
                columnTotals[b[i]]++;
            }

            (cells, rowCounts, columnCounts) = (table, rowTotals, columnTotals);
        }
        else
        {
            var contingency = new Dictionary<(int, int), long>();
            var rows = new Dictionary<int, long>();
            var columns = new Dictionary<int, long>();
            for (var i = 0; i < n; i++)
            {
                contingency[(a[i], b[i])] = contingency.GetValueOrDefault((a[i], b[i])) + 1;
                rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
                columns[b[i]] = columns.GetValueOrDefault(b[i]) + 1;
            }

            (cells, rowCounts, columnCounts) = (contingency.Values, rows.Values, columns.Values);
        }

        static double Pairs(long count) => count * (count - 1) / 2.0;
        var index = cells.Sum(Pairs);
        var sumRows = rowCounts.Sum(Pairs);
        var sumColumns = columnCounts.Sum(Pairs);
        var total = Pairs(n);
        if (total == 0)
        {
            return 1;
        }

        var expected = sumRows * sumColumns / total;
        var maximum = (sumRows + sumColumns) / 2;
        return maximum == expected ? 1 : (index - expected) / (maximum - expected);
    }
}
