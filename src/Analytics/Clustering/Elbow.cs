namespace Segmentation.Analytics.Clustering;

/// <summary>The elbow of an inertia curve by the Kneedle method.</summary>
public static class Elbow
{
    /// <summary>
    /// Normalises k and inertia to [0, 1] and returns the k where the decreasing, convex curve is farthest below the straight
    /// line between its ends (Satopää et al., 2011). Null with fewer than 3 points or a flat curve.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public static int? Kneedle(IReadOnlyList<int> ks, IReadOnlyList<double> inertias)
    {
        ArgumentNullException.ThrowIfNull(ks);
        ArgumentNullException.ThrowIfNull(inertias);
        if (ks.Count != inertias.Count)
        {
            throw new ArgumentException("One inertia per k is required.", nameof(inertias));
        }

        if (ks.Count < 3)
        {
            return null;
        }

        double kMin = ks.Min(), kMax = ks.Max(), iMin = inertias.Min(), iMax = inertias.Max();
        if (!(iMax > iMin) || !(kMax > kMin))
        {
            return null;
        }

        var best = -1;
        var bestGap = 0.0;
        for (var i = 0; i < ks.Count; i++)
        {
            var x = (ks[i] - kMin) / (kMax - kMin);
            var y = (inertias[i] - iMin) / (iMax - iMin);
            var gap = (1 - y) - x;
            if (gap > bestGap)
            {
                bestGap = gap;
                best = i;
            }
        }

        return best < 0 ? null : ks[best];
    }
}
