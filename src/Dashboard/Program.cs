using System.Globalization;
using MudBlazor.Services;
using Segmentation.Analytics;
using Segmentation.Dashboard.Components;
using Segmentation.Dashboard.State;
using Segmentation.Storage;

// The UI is in English; numbers and dates look the same whatever the server's locale.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en-US");

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddMudServices();
builder.Services.AddAnalytics(builder.Configuration.GetValue("Analysis:MaxConcurrent", Math.Max(1, Environment.ProcessorCount / 2)));

// Saved analyses: SQLite in ./data by default (nothing to install), PostgreSQL with Storage:Provider=postgres.
var storage = builder.Configuration.GetSection("Storage").Get<Segmentation.Storage.StorageOptions>() ?? new Segmentation.Storage.StorageOptions();
builder.Services.AddAnalysisStore(storage);
builder.Services.AddHostedService<Segmentation.Dashboard.Services.Retention>();

// Where the data lives (configured PostgreSQL connections and Parquet folders): listed on the Data page, never typed by users.
builder.Services.AddSingleton(new Segmentation.Dashboard.Services.SourceCatalog(builder.Configuration.GetSection("Sources").Get<Segmentation.Dashboard.Services.SourcesOptions>() ?? new Segmentation.Dashboard.Services.SourcesOptions()));

// One state per circuit: a user's data is never held by a singleton.
builder.Services.AddScoped<OwnerContext>();
builder.Services.AddScoped<DashboardState>();
builder.Services.AddHostedService<Segmentation.Dashboard.Services.WarmUp>();

var app = builder.Build();
try
{
    await app.Services.GetRequiredService<Segmentation.Storage.AnalysisStore>().MigrateAsync();
}
catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or IOException)
{
    // The dashboard still works without its store; saving reports the problem to the user.
    Segmentation.Dashboard.Services.Log.StoreUnavailable(app.Logger, exception, storage.Provider);
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

// A 404 (an analysis this browser may not see) still sends the app shell, which shows why; the address stays as it was.
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseMiddleware<Segmentation.Dashboard.Services.OwnerCookie>();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
