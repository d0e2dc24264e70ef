using Microsoft.Extensions.Configuration;
using Segmentation.Dashboard.Services;

namespace Segmentation.Dashboard.Tests.Services;

public sealed class WebSecurityTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000;https://127.0.0.1:8443", null, 8443)]
    [InlineData("https://*:9443", null, 9443)]
    [InlineData("https://+:9444/", null, 9444)]
    [InlineData("https://segments.bank.example", null, 443)]
    [InlineData("https://[::1]:7443", null, 7443)]
    [InlineData("http://127.0.0.1:5000", "7001", 7001)]
    [InlineData("http://127.0.0.1:5000", null, null)]
    [InlineData("https://127.0.0.1:0", null, null)]
    public void The_https_port_is_known_before_the_first_request(string urls, string? httpsPort, int? expected)
    {
        var settings = new Dictionary<string, string?> { ["urls"] = urls, ["HTTPS_PORT"] = httpsPort };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        Assert.Equal(expected, WebSecurity.HttpsPort(configuration));
    }
}
