using System.Globalization;
using System.Text;

namespace Segmentation.Analytics.Tests;

/// <summary>
/// Customer tables shaped like the third-party files marketing teams bring (a mall's customers, a wholesaler's, a campaign table),
/// generated here with a fixed seed: no third-party file is committed.
/// </summary>
internal static class CustomerTables
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Mall customers: <c>CustomerID</c> 0001…, <c>Genre</c>, <c>Age</c>, <c>Annual Income (k$)</c>, <c>Spending Score (1-100)</c>,
    /// in five income × score groups; the high-income big spenders are mostly female.</summary>
    internal static string Mall(int rows = 200, int seed = 7)
    {
        var random = new Random(seed);
        var text = new StringBuilder("CustomerID,Genre,Age,Annual Income (k$),Spending Score (1-100)\n");
        (double Income, double Score, double FemaleShare)[] groups = [(25, 20, 0.55), (25, 80, 0.6), (55, 50, 0.55), (88, 17, 0.45), (87, 82, 0.85)];
        for (var i = 1; i <= rows; i++)
        {
            var group = groups[i % groups.Length];
            var female = random.NextDouble() < group.FemaleShare;
            var age = 18 + random.Next(50);
            var income = Math.Max(15, Math.Round(group.Income + (Normal(random) * 6)));
            var score = Math.Clamp(Math.Round(group.Score + (Normal(random) * 7)), 1, 100);
            text.Append(Invariant, $"{i:0000},{(female ? "Female" : "Male")},{age},{income},{score}\n");
        }

        return text.ToString();
    }

    /// <summary>Wholesale customers: <c>Channel</c> (1 or 2) and <c>Region</c> (1, 2 or 3) codes, then six annual spend columns.</summary>
    internal static string Wholesale(int rows = 440, int seed = 11)
    {
        var random = new Random(seed);
        var text = new StringBuilder("Channel,Region,Fresh,Milk,Grocery,Frozen,Detergents_Paper,Delicassen\n");
        for (var i = 0; i < rows; i++)
        {
            var channel = random.NextDouble() < 0.68 ? 1 : 2;
            var region = random.NextDouble() switch { < 0.18 => 1, < 0.29 => 2, _ => 3 };
            var retail = channel == 2;
            int Spend(double median) => (int)Math.Round(median * Math.Exp(Normal(random) * 0.9));
            text.Append(Invariant, $"{channel},{region},{Spend(retail ? 5000 : 9000)},{Spend(retail ? 7800 : 2000)},{Spend(retail ? 12000 : 2500)},{Spend(retail ? 1000 : 2500)},{Spend(retail ? 5000 : 400)},{Spend(900)}\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// A campaign table as exported by a European spreadsheet: ';' separated with a byte order mark, <c>Dt_Customer</c> dates written
    /// day first, <c>Year_Birth</c>, <c>Education</c>, <c>Marital_Status</c>, <c>Income</c> with gaps, 0/1 campaign flags, and the
    /// constant <c>Z_CostContact</c>.
    /// </summary>
    internal static byte[] Marketing(int rows = 400, int seed = 13)
    {
        var random = new Random(seed);
        var text = new StringBuilder("ID;Year_Birth;Education;Marital_Status;Income;Kidhome;Teenhome;Dt_Customer;Recency;MntWines;MntMeatProducts;NumWebPurchases;NumStorePurchases;AcceptedCmp1;Complain;Z_CostContact;Response\n");
        string[] education = ["Graduation", "PhD", "Master", "Basic", "2n Cycle"];
        string[] status = ["Married", "Together", "Single", "Divorced", "Widow"];
        var start = new DateOnly(2012, 7, 30);
        for (var i = 0; i < rows; i++)
        {
            var id = 1000 + (i * 7);
            var rich = random.NextDouble() < 0.4;
            var income = rich ? 70000 + (Normal(random) * 9000) : 32000 + (Normal(random) * 8000);
            var incomeText = i % 37 == 5 ? string.Empty : Math.Round(income).ToString(Invariant);
            var since = start.AddDays(random.Next(700));
            var wines = (int)Math.Max(0, (rich ? 600 : 60) * Math.Exp(Normal(random) * 0.5));
            var meat = (int)Math.Max(0, (rich ? 400 : 30) * Math.Exp(Normal(random) * 0.5));
            text.Append(Invariant, $"{id};{1945 + random.Next(50)};{education[random.Next(education.Length)]};{status[random.Next(status.Length)]};{incomeText};{(rich ? 0 : random.Next(3))};{random.Next(3)};{since:dd-MM-yyyy};{random.Next(100)};{wines};{meat};{random.Next(rich ? 5 : 1, rich ? 11 : 5)};{random.Next(rich ? 6 : 2, rich ? 13 : 6)};{(random.NextDouble() < (rich ? 0.25 : 0.02) ? 1 : 0)};{(random.NextDouble() < 0.01 ? 1 : 0)};3;{(random.NextDouble() < (rich ? 0.3 : 0.08) ? 1 : 0)}\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>Accounts with 17-digit and 19-digit numbers that differ only in their last digits (a double cannot tell them apart).</summary>
    internal static string LongIdentifiers(int rows = 60)
    {
        var text = new StringBuilder("account_number,card_number,BALANCE,PURCHASES\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(Invariant, $"{12345678901234560L + i},{(9_223_372_036_854_775_000L + i).ToString(Invariant)},{(i % 3) * 1000 + i},{(i % 2) * 500 + i}\n");
        }

        return text.ToString();
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
