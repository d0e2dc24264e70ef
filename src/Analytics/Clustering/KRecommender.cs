using System.Globalization;
using Segmentation.Analytics.Resources;

namespace Segmentation.Analytics.Clustering;

/// <summary>Chooses a k from the sweep's measures and says why in one sentence.</summary>
public static class KRecommender
{
    /// <summary>
    /// Scores each k by rank on silhouette (higher is better), Davies-Bouldin (lower), Calinski-Harabasz (higher, half weight:
    /// it favours few segments) and closeness to the elbow (1.5 weight), and penalises a k with a segment under 1% of the customers
    /// (an outlier group, not a market) and a k whose segments do not come back under resampling (mean adjusted Rand below
    /// <see cref="Stability.StableAri"/>); the highest score wins, ties go to the smaller k.
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
        // A segment under 1% of the customers is an outlier group, not a market: a k that needs one is less useful.
        for (var i = 0; i < count; i++)
        {
            if (HasOutlierGroup(solutions[i]))
            {
                scores[i] -= 1;
            }
        }

        // Stability is a filter, not a vote: resampling figures are noisy, so small differences between stable k mean little,
        // but a k whose segments do not come back in resamples should not be recommended.
        for (var i = 0; i < count; i++)
        {
            if (solutions[i].Stability is { } unstable && unstable.MeanAri < Stability.StableAri)
            {
                scores[i] -= 2;
            }
        }
        if (elbowK is { } elbow)
        {
            var span = Math.Max(1, solutions[^1].K - solutions[0].K);
            for (var i = 0; i < count; i++)
            {
                scores[i] += 1.5 * (1 - (Math.Abs(solutions[i].K - elbow) / (double)span));
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
            (e == chosen.K ? agree : disagree).Add(e == chosen.K ? AnalyticsTexts.Get("ReasonIsElbow") : AnalyticsTexts.Get("ReasonElbowAt", e));
        }

        Describe(AnalyticsTexts.Get("Silhouette"), silhouetteBest, chosen.K, agree, disagree, chosen.Silhouette.ToString("F2", AnalyticsTexts.Numbers));
        Describe("Davies-Bouldin", dbBest, chosen.K, agree, disagree, chosen.DaviesBouldin.ToString("F2", AnalyticsTexts.Numbers));
        Describe("Calinski-Harabasz", chBest, chosen.K, agree, disagree, null);
        if (chosen.Stability is { } stability)
        {
            var value = AnalyticsTexts.Get("AdjustedRand", stability.MeanAri.ToString("F2", AnalyticsTexts.Numbers), stability.SdAri.ToString("F2", AnalyticsTexts.Numbers));
            (stability.MeanAri >= Stability.StableAri ? agree : disagree).Add(AnalyticsTexts.Get(stability.MeanAri >= Stability.StableAri ? "ReasonStable" : "ReasonUnstable", value));
            var avoided = solutions.Where(s => s.Stability is { } st && st.MeanAri < Stability.StableAri && s.K != chosen.K).Select(s => s.K).ToArray();
            if (avoided.Length > 0)
            {
                disagree.Add(AnalyticsTexts.Get(avoided.Length == 1 ? "ReasonOneSetAside" : "ReasonSetAside", string.Join(", ", avoided)));
            }
        }
        var withOutliers = solutions.Where(s => s.K != chosen.K && HasOutlierGroup(s)).Select(s => s.K).ToArray();
        if (withOutliers.Length > 0 && !HasOutlierGroup(chosen))
        {
            disagree.Add(AnalyticsTexts.Get(withOutliers.Length == 1 ? "ReasonOneOutlier" : "ReasonOutliers", Ranges(withOutliers)));
        }

        var separator = AnalyticsTexts.Get("ListSeparator");
        var reason = (agree.Count > 0, disagree.Count > 0) switch
        {
            (true, true) => AnalyticsTexts.Get("ReasonAgreeDisagree", chosen.K, string.Join(separator, agree), string.Join(separator, disagree)),
            (true, false) => AnalyticsTexts.Get("ReasonAgree", chosen.K, string.Join(separator, agree)),
            (false, true) => AnalyticsTexts.Get("ReasonDisagree", chosen.K, string.Join(separator, disagree)),
            _ => AnalyticsTexts.Get("ReasonBalances", chosen.K),
        };

        return (chosen.K, reason);
    }

    /// <summary>Whether a solution has a segment with fewer than 1% of the rows.</summary>
    public static bool HasOutlierGroup(KSolution solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var total = solution.Sizes.Sum();
        return solution.Sizes.Any(size => size < 0.01 * total);
    }

    private static string Ranges(int[] ks)
    {
        var parts = new List<string>();
        for (var i = 0; i < ks.Length;)
        {
            var j = i;
            while (j + 1 < ks.Length && ks[j + 1] == ks[j] + 1)
            {
                j++;
            }

            parts.Add(j - i >= 2 ? $"{ks[i]}–{ks[j]}" : string.Join(", ", ks[i..(j + 1)]));
            i = j + 1;
        }

        return string.Join(", ", parts);
    }

    private static void Describe(string name, int? bestK, int chosen, List<string> agree, List<string> disagree, string? value)
    {
        if (bestK is null)
        {
            return;
        }

        if (bestK == chosen)
        {
            agree.Add(value is null ? AnalyticsTexts.Get("ReasonBestThere", name) : AnalyticsTexts.Get("ReasonBestThereWith", name, value));
        }
        else
        {
            disagree.Add(AnalyticsTexts.Get("ReasonPrefers", name, bestK));
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
