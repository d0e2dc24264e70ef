using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using MudBlazor.Services;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Segmentation.Analytics;
using Segmentation.Dashboard.Components;
using Segmentation.Dashboard.Services;
using Segmentation.Dashboard.State;
using Segmentation.Storage;

// Work outside a request (start-up, background) is in en-US whatever the server's locale; each user's circuit takes the browser's
// culture for numbers and dates from the request that opens it (RequestLocalization below).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.GetCultureInfo("en-US");

var builder = WebApplication.CreateBuilder(args);

builder.AddWebSecurity();

// Sign-in: none by default (one person, analyses belong to the browser); Auth:Mode=oidc for a team (analyses belong to the user).
var auth = builder.AddSignIn();
builder.Services.AddLocalization();
builder.Services.AddTransient<MudBlazor.MudLocalizer, Segmentation.Dashboard.Services.MudTexts>();
builder.Services.AddRazorComponents().AddInteractiveServerComponents(options =>
{
    // A closed tab ends its circuit at once (the browser says so); one that vanished (network, sleep) is kept for a minute so
    // that it can reconnect with its state, which covers the usual network blips. After that the analysis reopens from the store
    // by its address, so a short period costs a reload, not work, and memory comes back within two minutes of users leaving.
    options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(builder.Configuration.GetValue("Circuits:RetentionSeconds", 60));
    // Each kept circuit holds a dataset (cc_general: about 5 MB with its analysis); a cap bounds what vanished users can hold.
    options.DisconnectedCircuitMaxRetained = builder.Configuration.GetValue("Circuits:MaxRetained", 32);
    options.DetailedErrors = builder.Environment.IsDevelopment();
}).AddHubOptions(options =>
{
    // Uploads arrive through InputFile's own chunked stream and JS calls return little, so SignalR's 32 KB default stays: a client
    // cannot make the server buffer large messages.
    options.MaximumReceiveMessageSize = 32 * 1024;
    options.MaximumParallelInvocationsPerClient = 1;
    options.AddFilter<HubFloodFilter>();
});

// Per-client limits: uploads and analyses per owner (a clear message in the page), HTTP requests per address (429), and hub
// connections that flood the server are closed.
var rateLimits = builder.Configuration.GetSection("RateLimits").Get<RateLimitOptions>() ?? new RateLimitOptions();
builder.Services.AddSingleton(rateLimits);
builder.Services.AddSingleton<ClientLimits>();
builder.Services.AddSingleton<HubFloodFilter>();
builder.Services.AddRateLimiter(options =>
{
    options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    options.GlobalLimiter = System.Threading.RateLimiting.PartitionedRateLimiter.Create<HttpContext, string>(context =>
        System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, rateLimits.RequestsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    options.OnRejected = async (rejected, cancellationToken) =>
    {
        rejected.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
        rejected.HttpContext.Response.Headers.RetryAfter = "60";
        await rejected.HttpContext.Response.WriteAsync(Segmentation.Dashboard.Resources.Strings.Get("TooManyRequests", rateLimits.RequestsPerMinute), cancellationToken);
    };
});
builder.Services.AddMudServices();
// One analysis uses every core (the k-means kernel and the per-k profiles are parallel over rows and k), so analyses queue, first
// come first served, rather than share cores: up to 4 cores one at a time, a quarter of the cores on larger machines. Reading an
// upload is bounded separately (one per core), so an upload never waits behind other users' analyses.
builder.Services.AddAnalytics(
    builder.Configuration.GetValue("Analysis:MaxConcurrent", Math.Max(1, Environment.ProcessorCount / 4)),
    builder.Configuration.GetValue("Analysis:MaxConcurrentReads", Math.Max(1, Environment.ProcessorCount)));

// Saved analyses: SQLite in ./data by default (nothing to install), PostgreSQL with Storage:Provider=postgres.
var storage = builder.Configuration.GetSection("Storage").Get<Segmentation.Storage.StorageOptions>() ?? new Segmentation.Storage.StorageOptions();
builder.Services.AddAnalysisStore(storage);
builder.Services.AddHostedService<Segmentation.Dashboard.Services.Retention>();

// Where the data lives (configured PostgreSQL connections and Parquet folders): listed on the Data page, never typed by users.
builder.Services.AddSingleton(new Segmentation.Dashboard.Services.SourceCatalog(builder.Configuration.GetSection("Sources").Get<Segmentation.Dashboard.Services.SourcesOptions>() ?? new Segmentation.Dashboard.Services.SourcesOptions()));

// Temporary files (uploads being read, exports being sent): owner-only, in the app's own folder, swept at start-up.
var tempFiles = new TempFiles(builder.Configuration.GetSection("TempFiles").Get<TempFilesOptions>()?.Path ?? new TempFilesOptions().Path);
tempFiles.Sweep();
builder.Services.AddSingleton(tempFiles);

// Operations: health, metrics (OpenTelemetry, Prometheus text at /metrics), circuits counted.
builder.Services.AddSingleton<DashboardMetrics>();
builder.Services.AddSingleton<MemoryReclaimer>();
builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitMetrics>();
builder.Services.AddHealthChecks().AddCheck<StoreHealthCheck>("store", tags: [StoreHealthCheck.Ready]);
var prometheus = builder.Configuration.GetValue("Metrics:Prometheus", true);
builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("segmentation-dashboard")).WithMetrics(metrics =>
{
    metrics.AddMeter(DashboardMetrics.MeterName).AddAspNetCoreInstrumentation();
    if (prometheus)
    {
        metrics.AddPrometheusExporter();
    }
});

// One state per circuit: a user's data is never held by a singleton.
builder.Services.AddScoped<OwnerContext>();
builder.Services.AddScoped<DashboardState>();
builder.Services.AddHostedService<Segmentation.Dashboard.Services.WarmUp>();

var app = builder.Build();
_ = app.Services.GetRequiredService<DashboardMetrics>();
try
{
    await app.Services.GetRequiredService<Segmentation.Storage.AnalysisStore>().MigrateAsync();
}
catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or IOException)
{
    // The dashboard still works without its store; saving reports the problem to the user.
    Segmentation.Dashboard.Services.Log.StoreUnavailable(app.Logger, exception, storage.Provider);
}

app.UseWebSecurity();
app.UseRequestLocalization(Segmentation.Dashboard.Services.Cultures.Options());
app.RememberCultureFromAddress();
app.UseRateLimiter();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}

// A 404 (an analysis this browser may not see) still sends the app shell, which shows why; the address stays as it was.
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// Liveness (the process answers), readiness (the store answers, schema current) and the Prometheus scrape endpoint.
app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = check => check.Tags.Contains(StoreHealthCheck.Ready) }).AllowAnonymous();
if (prometheus)
{
    app.MapPrometheusScrapingEndpoint().AllowAnonymous();
}

app.UseSignIn(auth);
app.UseMiddleware<Segmentation.Dashboard.Services.OwnerCookie>();
app.UseAntiforgery();
// Scripts, styles and fonts hold no user data, and a share link opened without sign-in needs them.
app.MapStaticAssets().AllowAnonymous();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
