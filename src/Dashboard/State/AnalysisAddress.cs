using System.Text.RegularExpressions;

namespace Segmentation.Dashboard.State;

/// <summary>What an address names: a saved analysis (<c>/analyses/{id}/{page}</c>) or a share link (<c>/shared/{token}/{page}</c>), and the page.</summary>
/// <param name="Id">The saved analysis, or null.</param>
/// <param name="Token">The share token, or null.</param>
/// <param name="Page">The page after it (data, explore, segment, segments), or empty for the bare address.</param>
public sealed partial record AnalysisAddress(Guid? Id, string? Token, string Page)
{
    /// <summary>The analysis or share link in <paramref name="path"/> (an absolute path such as <c>/analyses/…/segments</c>), or null.</summary>
    public static AnalysisAddress? Parse(string path)
    {
        var match = Pattern().Match(path);
        if (!match.Success)
        {
            return null;
        }

        var page = match.Groups["page"].Value;
        return match.Groups["id"].Success && Guid.TryParse(match.Groups["id"].Value, out var id)
            ? new AnalysisAddress(id, null, page)
            : match.Groups["token"].Success ? new AnalysisAddress(null, match.Groups["token"].Value, page) : null;
    }

    [GeneratedRegex("^/(?:analyses/(?<id>[0-9a-fA-F-]{36})|shared/(?<token>[A-Za-z0-9_-]{1,64}))(?:/(?<page>[a-z]*))?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
