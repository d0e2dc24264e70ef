using System.Globalization;

namespace Segmentation.Analytics.Clustering;

/// <summary>Chooses a k from the sweep's measures and says why in one sentence.</summary>
public static class KRecommender
{
    /// <summary>
    /// Scores each k by rank on silhouette (higher is better), Davies-Bouldin (lower), Calinski-Harabasz (higher, half weight:
    /// it favours few segments) and closeness to the elbow; the highest score wins, ties go to the smaller k.
    /// </summary>
    public static (int K, string Reason) Recommend(IReadOnlyList<KSolution> solutions, int? elbowK)
    {
        ArgumentNullException.ThrowIfNull(solutions);
        if (solutions.Count == 0)
        {
            throw new ArgumentException("No solutions to choose from.", nameof(solutions));
        }

        if (solutions.Count == 1)
        {
            return (solutions[0].K, $"k = {solutions[0].K} is the only k in the sweep.");
        }

        var count = solutions.Count;
        var scores = new double[count];
        AddRankScore(scores, solutions.Select(s => s.Silhouette).ToArray(), higherIsBetter: true, weight: 1);
        AddRankScore(scores, solutions.Select(s => s.DaviesBouldin).ToArray(), higherIsBetter: false, weight: 1);
        AddRankScore(scores, solutions.Select(s => s.CalinskiHarabasz).ToArray(), higherIsBetter: true, weight: 0.5);
        if (elbowK is { } elbow)
        {
            var span = Math.Max(1, solutions[^1].K - solutions[0].K);
            for (var i = 0; i < count; i++)
            {
                scores[i] += 1 - (Math.Abs(solutions[i].K - elbow) / (double)span);
            }
        }

        var best = 0;
        for (var i = 1; i < count; i++)
        {
            if (scores[i] > scores[best] + 1e-12)
            {
                best = i;
            }
        }

        var chosen = solutions[best];
        var silhouetteBest = BestBy(solutions, s => s.Silhouette, true);
        var dbBest = BestBy(solutions, s => s.DaviesBouldin, false);
        var chBest = BestBy(solutions, s => s.CalinskiHarabasz, true);
        var agree = new List<string>();
        var disagree = new List<string>();
        if (elbowK is { } e)
        {
            (e == chosen.K ? agree : disagree).Add(e == chosen.K ? "it is the elbow of the inertia curve" : $"the elbow is at k = {e}");
        }

        Describe("silhouette", silhouetteBest, chosen.K, agree, disagree, $"{chosen.Silhouette.ToString("F2", CultureInfo.InvariantCulture)}");
        Describe("Davies-Bouldin", dbBest, chosen.K, agree, disagree, $"{chosen.DaviesBouldin.ToString("F2", CultureInfo.InvariantCulture)}");
        Describe("Calinski-Harabasz", chBest, chosen.K, agree, disagree, null);
        var reason = $"k = {chosen.K} balances the measures";
        if (agree.Count > 0)
        {
            reason += ": " + string.Join(", ", agree);
        }

        if (disagree.Count > 0)
        {
            reason += (agree.Count > 0 ? "; " : ", although ") + string.Join(", ", disagree);
        }

        return (chosen.K, reason + ".");
    }

    private static void Describe(string name, int? bestK, int chosen, List<string> agree, List<string> disagree, string? value)
    {
        if (bestK is null)
        {
            return;
        }

        if (bestK == chosen)
        {
            agree.Add(value is null ? $"{name} is best there" : $"{name} is best there ({value})");
        }
        else
        {
            disagree.Add($"{name} prefers k = {bestK}");
        }
    }

    private static int? BestBy(IReadOnlyList<KSolution> solutions, Func<KSolution, double> measure, bool higherIsBetter)
    {
        KSolution? best = null;
        foreach (var solution in solutions)
        {
            var value = measure(solution);
            if (double.IsNaN(value))
            {
                continue;
            }

            if (best is null || (higherIsBetter ? value > measure(best) : value < measure(best)))
            {
                best = solution;
            }
        }

        return best?.K;
    }

    private static void AddRankScore(double[] scores, double[] values, bool higherIsBetter, double weight)
    {
        var valid = Enumerable.Range(0, values.Length).Where(i => !double.IsNaN(values[i])).ToList();
        if (valid.Count < 2)
        {
            return;
        }

        var ordered = valid.OrderBy(i => higherIsBetter ? -values[i] : values[i]).ToList();
        for (var rank = 0; rank < ordered.Count; rank++)
        {
            scores[ordered[rank]] += weight * (1 - (rank / (double)(ordered.Count - 1)));
        }
    }
}
