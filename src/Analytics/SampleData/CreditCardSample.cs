using CsvHelper;
using Segmentation.Analytics.Ingest;

namespace Segmentation.Analytics.SampleData;

/// <summary>
/// A seeded synthetic credit-card customer base with cc_general's 17 behaviour columns and CUST_ID: long-tailed money columns,
/// frequencies as shares of the months of tenure, a few missing MINIMUM_PAYMENTS and CREDIT_LIMIT values, and five latent
/// behaviour groups (transactors, installment buyers, cash-advance revolvers, dormant accounts, new accounts) mixed with noise.
/// The same rows and seed always give the same data.
/// </summary>
public static class CreditCardSample
{
    /// <summary>The columns, in cc_general's order (after CUST_ID).</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "BALANCE", "BALANCE_FREQUENCY", "PURCHASES", "ONEOFF_PURCHASES", "INSTALLMENTS_PURCHASES", "CASH_ADVANCE",
        "PURCHASES_FREQUENCY", "ONEOFF_PURCHASES_FREQUENCY", "PURCHASES_INSTALLMENTS_FREQUENCY", "CASH_ADVANCE_FREQUENCY",
        "CASH_ADVANCE_TRX", "PURCHASES_TRX", "CREDIT_LIMIT", "PAYMENTS", "MINIMUM_PAYMENTS", "PRC_FULL_PAYMENT", "TENURE",
    ];

    /// <summary>The latent group each generated row was drawn from (for tests of segment recovery), by row.</summary>
    public static IReadOnlyList<string> GroupNames { get; } = ["transactor", "installment", "revolver", "dormant", "new"];

    private static readonly double[] GroupWeights = [0.2, 0.25, 0.2, 0.25, 0.1];

    /// <summary>Generates <paramref name="rows"/> customers.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is less than 1.</exception>
    public static Dataset Generate(int rows, int seed = 1) => Generate(rows, seed, out _);

    /// <summary>Generates <paramref name="rows"/> customers and returns the latent group index of each.</summary>
    public static Dataset Generate(int rows, int seed, out int[] groups) => Generate(rows, seed, 10001, out groups);

    private static Dataset Generate(int rows, int seed, long firstId, out int[] groups)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var random = new Random(seed);
        var values = Columns.Select(_ => new double[rows]).ToArray();
        var ids = new string[rows];
        groups = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            ids[i] = $"C{firstId + i}";
            groups[i] = PickGroup(random);
            var row = Customer(random, groups[i]);
            for (var c = 0; c < row.Length; c++)
            {
                values[c][i] = row[c];
            }
        }

        return Dataset.FromColumns(Columns.Select((name, c) => (name, values[c])).ToArray(), ("CUST_ID", ids), "Sample credit-card customers (synthetic)");
    }

    /// <summary>Writes <paramref name="rows"/> generated customers as Parquet (CUST_ID as text, the 17 columns as nullable doubles),
    /// one row group of at most <paramref name="rowsPerGroup"/> per block, each block generated with its own seed: memory stays at one
    /// block whatever the row count (10,000,000 rows for the scoring benchmark).</summary>
    public static async Task WriteParquetAsync(Stream destination, long rows, int seed = 1, int rowsPerGroup = 1_000_000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var id = new Parquet.Schema.DataField<string>("CUST_ID");
        var fields = Columns.Select(c => new Parquet.Schema.DataField<double?>(c)).ToArray();
        var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema([id, .. fields]), destination, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            for (long offset = 0, block = 0; offset < rows; offset += rowsPerGroup, block++)
            {
                var count = (int)Math.Min(rowsPerGroup, rows - offset);
                var data = Generate(count, unchecked(seed + (int)block), 10001 + offset, out _);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, Enumerable.Range(0, count).Select(r => data.Column("CUST_ID").TextAt(r)!).ToArray(), null).ConfigureAwait(false);
                for (var c = 0; c < fields.Length; c++)
                {
                    var numbers = data.Column(Columns[c]).Numbers;
                    var values = new double?[count];
                    for (var r = 0; r < count; r++)
                    {
                        values[r] = double.IsNaN(numbers[r]) ? null : numbers[r];
                    }

                    await group.WriteAsync<double>(fields[c], values, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Writes the generated customers as CSV (comma-separated, UTF-8, missing values empty).</summary>
    public static async Task WriteCsvAsync(Stream destination, int rows, int seed = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var dataset = Generate(rows, seed);
        var writer = CsvWriter.Create(destination, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            foreach (var column in dataset.Columns)
            {
                writer.WriteField(column.Name);
            }

            await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < dataset.RowCount; i++)
            {
                foreach (var column in dataset.Columns)
                {
                    if (column.HasNumbers)
                    {
                        var value = column.Numbers[i];
                        if (double.IsNaN(value))
                        {
                            writer.WriteField(string.Empty);
                        }
                        else
                        {
                            writer.WriteField(value, "0.######");
                        }
                    }
                    else
                    {
                        writer.WriteField(column.TextAt(i));
                    }
                }

                await writer.EndRecordAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static int PickGroup(Random random)
    {
        var u = random.NextDouble();
        for (var g = 0; g < GroupWeights.Length; g++)
        {
            u -= GroupWeights[g];
            if (u < 0)
            {
                return g;
            }
        }

        return GroupWeights.Length - 1;
    }

    private static double[] Customer(Random random, int group)
    {
        // Group profiles: (credit limit median, balance share of limit, one-off, installments, cash advance medians, purchase months share, full-payment share).
        var (limitMedian, balanceShare, oneOffMedian, installmentMedian, cashMedian, purchaseShare, fullPay) = group switch
        {
            0 => (9000.0, 0.10, 2500.0, 400.0, 0.0, 0.85, 0.75),
            1 => (4000.0, 0.25, 60.0, 1200.0, 0.0, 0.95, 0.25),
            2 => (6000.0, 0.65, 40.0, 30.0, 2500.0, 0.10, 0.02),
            3 => (2500.0, 0.05, 15.0, 10.0, 0.0, 0.08, 0.05),
            _ => (1800.0, 0.35, 250.0, 150.0, 150.0, 0.5, 0.15),
        };
        var tenure = group == 4 ? 6 + random.Next(4) : (random.NextDouble() < 0.88 ? 12 : 9 + random.Next(3));
        var limit = Math.Round(LogNormal(random, limitMedian, 0.5) / 50) * 50;
        limit = Math.Clamp(limit, 300, 30000);
        var purchaseMonths = Months(random, tenure, purchaseShare);
        var oneOffMonths = Math.Min(purchaseMonths, Months(random, tenure, group == 0 ? 0.55 : group == 1 ? 0.08 : purchaseShare * 0.5));
        var installmentMonths = Math.Min(purchaseMonths, Months(random, tenure, group == 1 ? 0.9 : group == 0 ? 0.35 : purchaseShare * 0.5));
        var oneOff = oneOffMonths == 0 ? 0 : Math.Round(LogNormal(random, oneOffMedian, 1.0) * oneOffMonths / Math.Max(1, tenure * 0.5), 2);
        var installments = installmentMonths == 0 ? 0 : Math.Round(LogNormal(random, installmentMedian, 0.8) * installmentMonths / Math.Max(1, tenure * 0.6), 2);
        var purchases = Math.Round(oneOff + installments, 2);
        var purchaseTrx = purchases == 0 ? 0 : Math.Max(purchaseMonths, (int)Math.Round(LogNormal(random, 2.5 * purchaseMonths, 0.5)));
        var cashMonths = cashMedian > 0 ? Months(random, tenure, group == 2 ? 0.45 : 0.12) : (random.NextDouble() < 0.15 ? 1 : 0);
        var cash = cashMonths == 0 ? 0 : Math.Round(LogNormal(random, cashMedian > 0 ? cashMedian : 300, 0.9), 2);
        var cashTrx = cashMonths == 0 ? 0 : Math.Max(cashMonths, (int)Math.Round(LogNormal(random, 1.6 * cashMonths, 0.5)));
        var balance = Math.Round(Math.Min(limit * 1.3, LogNormal(random, limit * balanceShare, 0.8)), 6);
        var balanceFrequency = Math.Round(Math.Clamp(group == 3 ? Beta(random, 3, 2) : Beta(random, 12, 1), 0, 1), 6);
        var payments = Math.Round(LogNormal(random, (purchases + cash) * 0.8 + (balance * 0.3) + 50, 0.6), 6);
        var minimum = Math.Round(LogNormal(random, Math.Max(20, balance * 0.12), 0.7), 6);
        var prcFull = group is 0 or 1 ? Math.Round(Math.Floor(Beta(random, fullPay * 6 + 0.3, (1 - fullPay) * 6 + 0.3) * (tenure + 1)) / tenure, 6) : (random.NextDouble() < fullPay ? Math.Round(random.Next(1, tenure + 1) / (double)tenure, 6) : 0);
        prcFull = Math.Min(prcFull, 1);
        if (random.NextDouble() < 0.035)
        {
            minimum = double.NaN;
        }

        if (random.NextDouble() < 0.0002)
        {
            limit = double.NaN;
        }

        return
        [
            balance, balanceFrequency, purchases, oneOff, installments, cash,
            Share(purchaseMonths, tenure), Share(oneOffMonths, tenure), Share(installmentMonths, tenure), Share(cashMonths, tenure),
            cashTrx, purchaseTrx, limit, payments, minimum, prcFull, tenure,
        ];
    }

    private static double Share(int months, int tenure) => Math.Round(months / (double)tenure, 6);

    private static int Months(Random random, int tenure, double share)
    {
        var months = 0;
        for (var m = 0; m < tenure; m++)
        {
            if (random.NextDouble() < share)
            {
                months++;
            }
        }

        return months;
    }

    private static double LogNormal(Random random, double median, double sigma) => median * Math.Exp(sigma * Normal(random));

    private static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double Beta(Random random, double a, double b)
    {
        var x = Gamma(random, a);
        var y = Gamma(random, b);
        return x / (x + y);
    }

    private static double Gamma(Random random, double shape)
    {
        // Marsaglia and Tsang's method; shapes below 1 use the boost U^(1/shape).
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(random.NextDouble(), 1 / shape);
        }

        var d = shape - (1.0 / 3);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = random.NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }
}
