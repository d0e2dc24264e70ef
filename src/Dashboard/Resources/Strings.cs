using System.Globalization;
using System.Resources;

namespace Segmentation.Dashboard.Resources;

/// <summary>
/// The UI text (<c>Strings.resx</c>, English; a translation is <c>Strings.&lt;culture&gt;.resx</c> beside it). Components read it through
/// <c>IStringLocalizer&lt;Strings&gt;</c>; services that compose messages for the page (progress, save and limit messages) through <see cref="Get"/>.
/// </summary>
public sealed class Strings
{
    private static readonly ResourceManager Resources = new("Segmentation.Dashboard.Resources.Strings", typeof(Strings).Assembly);

    private Strings()
    {
    }

    /// <summary>The text <paramref name="key"/> in the current UI culture, or null when the resources do not have it.</summary>
    public static string? Find(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture);

    /// <summary>The text <paramref name="key"/> in the current UI culture, its arguments formatted in the current culture.</summary>
    public static string Get(string key, params object[] arguments)
    {
        var text = Find(key) ?? key;
        return arguments.Length == 0 ? text : string.Format(CultureInfo.CurrentCulture, text, arguments);
    }
}
