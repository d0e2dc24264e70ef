namespace Segmentation.Dashboard.Resources;

/// <summary>
/// The marker type of the UI text (<c>Strings.resx</c>, English; a translation is <c>Strings.&lt;culture&gt;.resx</c> beside it).
/// Components read it through <c>IStringLocalizer&lt;Strings&gt;</c>.
/// </summary>
public sealed class Strings
{
    private Strings()
    {
    }
}
