using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Segmentation.Reporting.Report;

/// <summary>Renders <see cref="SegmentReport"/> to one self-contained HTML document with Blazor's <see cref="HtmlRenderer"/>.</summary>
public static class ReportRenderer
{
    /// <summary>The report as HTML text (UTF-8 when written), starting with the doctype.</summary>
    public static async Task<string> RenderAsync(ReportModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        await using (services.ConfigureAwait(false))
        {
            var loggers = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
            var renderer = new HtmlRenderer(services, loggers);
            await using (renderer.ConfigureAwait(false))
            {
                var html = await renderer.Dispatcher.InvokeAsync(async () =>
                {
                    var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(SegmentReport.Model)] = model });
                    // Stays on the renderer's dispatcher: the output is read there.
#pragma warning disable CA2007
                    var output = await renderer.RenderComponentAsync<SegmentReport>(parameters);
#pragma warning restore CA2007
                    return output.ToHtmlString();
                }).ConfigureAwait(false);
                return "<!DOCTYPE html>\n" + html;
            }
        }
    }

    /// <summary>Writes the report to <paramref name="destination"/> as UTF-8.</summary>
    public static async Task WriteAsync(ReportModel model, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var html = await RenderAsync(model).ConfigureAwait(false);
        var writer = new StreamWriter(destination, new System.Text.UTF8Encoding(false), leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(html.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }
}
