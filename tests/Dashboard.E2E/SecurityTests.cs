using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;

namespace Segmentation.Dashboard.E2E;

/// <summary>Issue #12: response headers on pages and static files, the error page, and what happens to uploaded rows in temporary files.</summary>
[Collection(DashboardGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecurityTests(DashboardServer server)
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [ChromiumFact]
    public async Task Pages_static_files_and_the_error_page_carry_the_security_headers_and_no_server_header()
    {
        using var client = new HttpClient();
        foreach (var path in new[] { "/", "/analyses", "/not-a-page", "/Error", "/app.css", "/_framework/blazor.web.js", "/js/reconnect.js", "/lib/apexcharts/apexcharts.min.js" })
        {
            using var response = await client.GetAsync(server.BaseUrl + path);
            var what = $"GET {path} ({(int)response.StatusCode})";
            Assert.False(response.Headers.Contains("Server"), $"{what} discloses its server: {string.Join(',', response.Headers.Server)}");
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
            var csp = Header(response, "Content-Security-Policy");
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
            // Plain HTTP: no HSTS (it would be ignored, and must not be sent where HTTPS is not configured).
            Assert.False(response.Headers.Contains("Strict-Transport-Security"), what);
        }

        var error = await client.GetStringAsync(server.BaseUrl + "/Error");
        Assert.Contains("Something went wrong", error, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"error-page\"", error, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task An_upload_is_spooled_owner_only_and_gone_within_5_s_of_closing_the_tab_and_after_a_crash()
    {
        using var big = await BigCsvAsync();

        // Close the tab while the file is being uploaded: the circuit ends and takes the temporary file with it.
        await using (var context = await server.Browser.NewContextAsync())
        {
            var page = await StartUploadAsync(context, big.Path);
            var spooled = await WaitForSpooledFileAsync();
            Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(spooled));
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(server.TempDirectory));
            await page.CloseAsync(new PageCloseOptions { RunBeforeUnload = true });
            var clock = Stopwatch.StartNew();
            while (Directory.EnumerateFiles(server.TempDirectory).Any() && clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(100);
            }

            Assert.Empty(Directory.EnumerateFiles(server.TempDirectory));
        }

        // Kill the server mid-upload: the file is left behind until the next start, which removes it before serving anyone.
        await using (var context = await server.Browser.NewContextAsync())
        {
            await StartUploadAsync(context, big.Path);
            await WaitForSpooledFileAsync();
            await server.RestartServerAsync();
            Assert.Empty(Directory.EnumerateFiles(server.TempDirectory));
        }
    }

    private async Task<IPage> StartUploadAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(server.BaseUrl);
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=upload-input]')?._blazorInputFileNextFileId !== undefined");
        await page.GetByTestId("upload-input").SetInputFilesAsync(path);
        return page;
    }

    private async Task<string> WaitForSpooledFileAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (Directory.Exists(server.TempDirectory) && Directory.EnumerateFiles(server.TempDirectory).FirstOrDefault() is { } file && new FileInfo(file).Length > 0)
            {
                return file;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("No upload appeared in the server's temporary folder within 30 s.");
    }

    /// <summary>A card-customer CSV of about 150 MB: an upload that takes seconds over the loopback, long enough to act during it.</summary>
    private static async Task<TempFile> BigCsvAsync()
    {
        var file = TempFile.Reserve();
        await using var writer = new StreamWriter(file.Path);
        await writer.WriteLineAsync("CUST_ID,BALANCE,PURCHASES,CASH_ADVANCE,CREDIT_LIMIT,PAYMENTS,TENURE,NOTE");
        var filler = new string('x', 120);
        for (var i = 0; i < 900_000; i++)
        {
            await writer.WriteLineAsync(FormattableString.Invariant($"C{i:D7},{i % 9000}.25,{i % 700}.5,{i % 300},{1000 + (i % 50) * 100},{i % 1200}.75,{6 + (i % 7)},{filler}"));
        }

        return file;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.RequestUri?.AbsolutePath} has no {name} header.");
}

/// <summary>Issue #12: with an HTTPS endpoint configured (a certificate made for the test), plain HTTP redirects to it and HTTPS
/// responses carry HSTS.</summary>
[Collection(HttpsDashboardGroup.Name)]
public sealed class HttpsTests(HttpsDashboardServer server)
{
    [ChromiumFact]
    public async Task Plain_http_redirects_to_https_and_https_responses_carry_hsts()
    {
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == server.Certificate.Thumbprint,
        };
        using var client = new HttpClient(handler);

        using var plain = await client.GetAsync(server.BaseUrl + "/analyses");
        Assert.True(plain.StatusCode == HttpStatusCode.TemporaryRedirect, $"GET /analyses over HTTP answered {(int)plain.StatusCode}; server log:\n{server.ServerLog}");
        Assert.Equal(server.HttpsUrl + "/analyses", plain.Headers.Location?.ToString());

        // The header middleware leaves HSTS off for loopback hosts (a browser would pin localhost for a year), so the request names
        // the host a deployment would have.
        using var request = new HttpRequestMessage(HttpMethod.Get, server.HttpsUrl + "/");
        request.Headers.Host = "segments.bank.example";
        using var secure = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("max-age=31536000", string.Join(", ", secure.Headers.GetValues("Strict-Transport-Security")));
        Assert.False(secure.Headers.Contains("Server"));
    }
}

/// <summary>The dashboard listening on HTTP and HTTPS, with a self-signed certificate for 127.0.0.1 made for this run.</summary>
public sealed class HttpsDashboardServer : DashboardServer
{
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"segments-e2e-{Guid.NewGuid():N}.pfx");
    private readonly int _httpsPort = FreePort();

    public HttpsDashboardServer()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllBytes(_pfx, made.Export(X509ContentType.Pfx, "e2e"));
        Certificate = X509CertificateLoader.LoadCertificate(made.Export(X509ContentType.Cert));
    }

    public X509Certificate2 Certificate { get; }

    public string HttpsUrl => $"https://127.0.0.1:{_httpsPort}";

    protected override string Urls => $"{BaseUrl};{HttpsUrl}";

    protected override void Customize(ProcessStartInfo start)
    {
        start.Environment["Kestrel__Certificates__Default__Path"] = _pfx;
        start.Environment["Kestrel__Certificates__Default__Password"] = "e2e";
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_pfx);
        Certificate.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class HttpsDashboardGroup : ICollectionFixture<HttpsDashboardServer>
{
    public const string Name = "dashboard over https";
}
