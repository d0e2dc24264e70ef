using Segmentation.Analytics;
using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.SampleData;
using Segmentation.Analytics.Statistics;

namespace Segmentation.Dashboard.State;

/// <summary>Summary of one column for the column table.</summary>
/// <param name="Column">The column.</param>
/// <param name="Summary">Its statistics, for columns with numbers.</param>
public sealed record ColumnOverview(DataColumn Column, ColumnSummary? Summary);

/// <summary>
/// The data and results of one circuit (one browser tab). Scoped: never shared between users.
/// Components subscribe to <see cref="Changed"/>.
/// </summary>
public sealed class DashboardState(AnalysisThrottle throttle)
{
    /// <summary>Rows in the built-in sample, the size of cc_general.</summary>
    public const int SampleRows = 8950;

    /// <summary>Raised after the data changes.</summary>
    public event Action? Changed;

    /// <summary>The loaded data with its ingest report, or null.</summary>
    public IngestResult? Data { get; private set; }

    /// <summary>Per-column summaries of <see cref="Data"/>.</summary>
    public IReadOnlyList<ColumnOverview> Columns { get; private set; } = [];

    /// <summary>Loads the built-in synthetic credit-card sample.</summary>
    public async Task LoadSampleAsync(CancellationToken cancellationToken)
    {
        var (dataset, columns) = await throttle.RunAsync(
            token =>
            {
                var data = CreditCardSample.Generate(SampleRows, seed: 1);
                return (data, Summarize(data, token));
            },
            cancellationToken);
        var report = new IngestReport
        {
            Separator = ',',
            DecimalSeparator = '.',
            Encoding = "generated",
            Bytes = 0,
            Rows = dataset.RowCount,
            SkippedRows = 0,
            Issues = [],
            IssueCounts = new Dictionary<string, int>(),
            MissingByColumn = dataset.Columns.ToDictionary(c => c.Name, c => c.MissingCount),
            ExcelErrorsByColumn = new Dictionary<string, int>(),
            InvalidByColumn = new Dictionary<string, int>(),
        };
        Data = new IngestResult(dataset, report);
        Columns = columns;
        Changed?.Invoke();
    }

    private static ColumnOverview[] Summarize(Dataset dataset, CancellationToken cancellationToken) => dataset.Columns
        .Select(column =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ColumnOverview(column, column.HasNumbers ? Descriptive.Summarize(column.Numbers) : null);
        })
        .ToArray();
}
