using Microsoft.ML;
using Microsoft.ML.Data;
using Segmentation.Analytics.Preprocessing;

namespace Segmentation.Analytics.Clustering;

/// <summary>
/// A read-only ML.NET view over a <see cref="FeatureMatrix"/> with one vector column, "Features".
/// It reads the matrix in place (no per-row arrays) and observes a cancellation token on every pass,
/// because ML.NET's own cancellation is not public and k-means reads the data once per iteration.
/// </summary>
internal sealed class MatrixDataView : IDataView
{
    internal const string FeaturesColumn = "Features";

    private readonly FeatureMatrix _matrix;
    private readonly CancellationToken _cancellationToken;

    internal MatrixDataView(FeatureMatrix matrix, CancellationToken cancellationToken)
    {
        _matrix = matrix;
        _cancellationToken = cancellationToken;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(FeaturesColumn, new VectorDataViewType(NumberDataViewType.Single, matrix.Columns));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _matrix.Rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(MatrixDataView parent) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if ((_position & 4095) == 4095)
            {
                parent._cancellationToken.ThrowIfCancellationRequested();
            }

            if (_position + 1 < parent._matrix.Rows)
            {
                _position++;
                return true;
            }

            _position = parent._matrix.Rows;
            return false;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (typeof(TValue) != typeof(VBuffer<float>))
            {
                throw new InvalidOperationException($"Column '{column.Name}' is a float vector, not {typeof(TValue).Name}.");
            }

            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                var row = parent._matrix.Row((int)_position);
                var editor = VBufferEditor.Create(ref value, row.Length);
                row.CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index == 0;
    }
}
