using System.Globalization;
using MudBlazor.Services;
using Segmentation.Analytics;
using Segmentation.Dashboard.Components;
using Segmentation.Dashboard.State;

// The UI is in English; numbers and dates look the same whatever the server's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en-US");

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddAnalytics(builder.Configuration.GetValue("Analysis:MaxConcurrent", Math.Max(1, Environment.ProcessorCount / 2)));

// One state per circuit: a user's data is never held by a singleton.
builder.Services.AddScoped<DashboardState>();
builder.Services.AddHostedService<Segmentation.Dashboard.Services.WarmUp>();

var app = builder.Build();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
