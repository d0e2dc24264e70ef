using Microsoft.Extensions.Localization;
using MudBlazor;
using Segmentation.Dashboard.Resources;

namespace Segmentation.Dashboard.Services;

/// <summary>
/// MudBlazor's own texts (the increment and close buttons' labels, the file upload's messages, …) from our resource files, so that a
/// translation of Strings.resx covers the whole page. Keys are MudBlazor's (e.g. <c>MudInput_Increment</c>); a key we do not carry
/// falls back to MudBlazor's English.
/// </summary>
public sealed class MudTexts : MudLocalizer
{
    /// <inheritdoc />
    public override LocalizedString this[string key]
    {
        get
        {
            var text = Strings.Find(key);
            return text is null ? new LocalizedString(key, key, resourceNotFound: true) : new LocalizedString(key, text);
        }
    }
}
