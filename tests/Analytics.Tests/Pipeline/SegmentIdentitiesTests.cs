using Segmentation.Analytics.Ingest;
using Segmentation.Analytics.Pipeline;

namespace Segmentation.Analytics.Tests.Pipeline;

/// <summary>Segment numbers follow customers across k and are never given to a different group of customers.</summary>
public sealed class SegmentIdentitiesTests
{
    [Fact]
    public async Task A_number_once_given_is_never_given_to_other_customers_and_returns_with_its_own()
    {
        var result = SegmentationPipeline.Run(await FourGroupsAsync(), new SegmentationRecipe { KMin = 2, KMax = 5, StabilityResamples = 0 });
        var identities = new SegmentIdentities();
        var owners = new Dictionary<int, HashSet<int>>();
        foreach (var k in new[] { 4, 2, 5, 3, 4, 2, 4 })
        {
            var segmentation = result.For(k);
            identities.Show(segmentation);
            var shown = identities.Displayed(segmentation);
            for (var s = 0; s < k; s++)
            {
                var rows = Enumerable.Range(0, segmentation.Assignment.Rows).Where(r => segmentation.Assignment.IndexOf(r) == s + 1).ToHashSet();
                if (owners.TryGetValue(shown.Numbers[s], out var before))
                {
                    var overlap = rows.Intersect(before).Count() / (double)rows.Union(before).Count();
                    Assert.True(overlap >= 0.3, $"at k = {k}, number {shown.Numbers[s]} went to customers sharing only {overlap:P0} with its first owners");
                }
                else
                {
                    owners[shown.Numbers[s]] = rows;
                }
            }
        }

        // The four groups at k = 4 keep the numbers they had the first time, after the detours through k = 2, 5 and 3.
        var first = identities.Displayed(result.For(4)).Numbers.Order().ToArray();
        Assert.Equal([1, 2, 3, 4], first);
    }

    private static async Task<Dataset> FourGroupsAsync()
    {
        var lines = new List<string> { "id,x,y" };
        for (var i = 0; i < 200; i++)
        {
            var group = i % 4;
            lines.Add(FormattableString.Invariant($"c{i},{(group % 2 * 100) + (i % 9)},{(group / 2 * 60) + (i % 7)}"));
        }

        return (await TestData.ReadAsync(string.Join('\n', lines))).Dataset;
    }
}
