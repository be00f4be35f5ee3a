using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>Anonymous traffic is limited per address, with 429, Retry-After and a Chinese message.</summary>
public class RateLimitTests
{
    [Fact]
    public async Task The_api_answers_429_with_retry_after_once_the_limit_is_spent()
    {
        using var portal = new PortalFactory { ApiPerMinute = 5, PublicPerMinute = 3 };
        var client = portal.CreateClient();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/entries?q=a")).StatusCode);
        var limited = await client.GetAsync("/api/v1/entries?q=a");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/terms")).StatusCode);
        var page = await client.GetAsync("/terms");
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("请求过于频繁", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode); // health is not throttled
    }

    private static async Task<int> RefusedOf(HttpClient client, int requests, Func<int, string> forwardedFor)
    {
        var refused = 0;
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/notices");
            request.Headers.Add("X-Forwarded-For", forwardedFor(i));
            if ((await client.SendAsync(request)).StatusCode == HttpStatusCode.TooManyRequests) refused++;
        }
        return refused;
    }

    [Fact]
    public async Task Without_a_configured_proxy_a_forwarded_header_does_not_buy_a_fresh_limit()
    {
        using var portal = new PortalFactory { ApiPerMinute = 5, RemoteAddress = IPAddress.Parse("203.0.113.7") };
        Assert.Equal(5, await RefusedOf(portal.CreateClient(), 10, i => $"198.51.100.{i}"));
    }

    [Fact]
    public async Task Only_a_configured_proxy_is_believed_about_the_client_address()
    {
        var settings = new Dictionary<string, string> { ["RateLimits:KnownProxies:0"] = "127.0.0.1" };
        using (var behindProxy = new PortalFactory { ApiPerMinute = 5, RemoteAddress = IPAddress.Loopback, Settings = settings })
        {
            var client = behindProxy.CreateClient();
            Assert.Equal(0, await RefusedOf(client, 10, i => $"198.51.100.{i}")); // ten people behind the proxy
            Assert.Equal(5, await RefusedOf(client, 10, _ => "198.51.100.200")); // one person, ten requests
        }
        using var direct = new PortalFactory { ApiPerMinute = 5, RemoteAddress = IPAddress.Parse("203.0.113.7"), Settings = settings };
        Assert.Equal(5, await RefusedOf(direct.CreateClient(), 10, i => $"198.51.100.{i}")); // not the proxy: its header is ignored
    }
}
