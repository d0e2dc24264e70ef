namespace Segmentation.Analytics.Preprocessing;

/// <summary>
/// A dense, row-major matrix of preprocessed feature values, ready for clustering.
/// Every value is finite: preprocessing never hands NaN or infinity to a fit.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly float[] _values;
    private readonly Lock _laneLock = new();
    private volatile float[]? _laneBlocks;
    private double _meanVariance = double.NaN;

    /// <summary>Creates a matrix over <paramref name="values"/> (row-major, <paramref name="rows"/> × <paramref name="columns"/>), taking ownership of the array.</summary>
    /// <param name="values">Row-major values; length must be rows × columns.</param>
    /// <param name="rows">Number of rows (customers).</param>
    /// <param name="columns">Number of columns (features).</param>
    /// <param name="featureNames">One name per column.</param>
    /// <param name="sourceRows">For each row, the 0-based index of the dataset row it came from; null means row i came from dataset row i.</param>
    /// <exception cref="ArgumentException">The dimensions do not match the array or the names.</exception>
    public FeatureMatrix(float[] values, int rows, int columns, IReadOnlyList<string> featureNames, int[]? sourceRows = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"Expected {rows} × {columns} = {(long)rows * columns} values, got {values.Length}.", nameof(values));
        }

        if (featureNames.Count != columns)
        {
            throw new ArgumentException($"Expected {columns} feature names, got {featureNames.Count}.", nameof(featureNames));
        }

        if (sourceRows is not null && sourceRows.Length != rows)
        {
            throw new ArgumentException($"Expected {rows} source row indices, got {sourceRows.Length}.", nameof(sourceRows));
        }

        _values = values;
        Rows = rows;
        Columns = columns;
        FeatureNames = featureNames;
        SourceRows = sourceRows;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns (features).</summary>
    public int Columns { get; }

    /// <summary>Feature names, one per column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>For each row, the dataset row it came from, or null when row i is dataset row i (no rows were dropped).</summary>
    public IReadOnlyList<int>? SourceRows { get; }

    /// <summary>All values, row-major.</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>The values of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => _values.AsSpan(row * Columns, Columns);

    /// <summary>The dataset row that matrix row <paramref name="row"/> came from.</summary>
    public int SourceRow(int row) => SourceRows is null ? row : SourceRows[row];

    /// <summary>Lanes in a block of <see cref="LaneBlocks"/>.</summary>
    internal const int LaneWidth = 8;

    /// <summary>
    /// The values again in blocks of <see cref="LaneWidth"/> rows, feature-major within a block (block b, feature j holds rows
    /// 8b..8b+7 of feature j), so that one SIMD vector holds one feature of 8 rows. The last block repeats the last row in its
    /// unused lanes. Built on first use and kept until <see cref="ReleaseLaneBlocks"/> (the matrix is immutable).
    /// </summary>
    internal ReadOnlySpan<float> LaneBlocks
    {
        get
        {
            if (_laneBlocks is { } built)
            {
                return built;
            }

            // Built once even when several fits ask at the same moment (a million-row copy is 68 MB and 50 ms).
            lock (_laneLock)
            {
                _laneBlocks ??= BuildLaneBlocks();
                return _laneBlocks;
            }
        }
    }

    /// <summary>Drops the lane-major copy (rebuilt on next use): a sweep of a large table needs it only for the fits and the
    /// assignment, and keeping it doubles the matrix's memory (68 MB per million rows of 17 features) for the rest of the analysis.</summary>
    internal void ReleaseLaneBlocks()
    {
        lock (_laneLock)
        {
            _laneBlocks = null;
        }
    }

    private float[] BuildLaneBlocks()
    {
        var blocks = (Rows + LaneWidth - 1) / LaneWidth;
        var lanes = new float[blocks * Columns * LaneWidth];
        for (var i = 0; i < blocks * LaneWidth; i++)
        {
            var source = Math.Min(i, Rows - 1);
            var block = i / LaneWidth;
            var lane = i % LaneWidth;
            for (var j = 0; j < Columns; j++)
            {
                lanes[(((block * Columns) + j) * LaneWidth) + lane] = _values[(source * Columns) + j];
            }
        }

        return lanes;
    }

    /// <summary>The mean over columns of each column's population variance (0 for a matrix with no rows). Computed once and kept.</summary>
    public double MeanVariance
    {
        get
        {
            if (!double.IsNaN(_meanVariance))
            {
                return _meanVariance;
            }

            var result = 0.0;
            if (Rows > 0)
            {
                var means = ColumnMeans();
                for (var i = 0; i < Rows; i++)
                {
                    var row = Row(i);
                    for (var c = 0; c < Columns; c++)
                    {
                        var diff = row[c] - means[c];
                        result += diff * diff;
                    }
                }

                result = result / Rows / Columns;
            }

            _meanVariance = result;
            return result;
        }
    }

    /// <summary>The mean of every column, in double precision (NaN for a matrix with no rows).</summary>
    public double[] ColumnMeans()
    {
        var means = new double[Columns];
        for (var i = 0; i < Rows; i++)
        {
            var row = Row(i);
            for (var c = 0; c < Columns; c++)
            {
                means[c] += row[c];
            }
        }

        for (var c = 0; c < Columns; c++)
        {
            means[c] /= Rows;
        }

        return means;
    }

    /// <summary>A matrix of the rows listed in <paramref name="rows"/>, in that order; source rows are carried over.</summary>
    public FeatureMatrix SelectRows(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var values = new float[rows.Count * Columns];
        var sources = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Columns, Columns));
            sources[i] = SourceRow(rows[i]);
        }

        return new FeatureMatrix(values, rows.Count, Columns, FeatureNames, sources);
    }
}
