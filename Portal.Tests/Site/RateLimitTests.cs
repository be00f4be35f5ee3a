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
}
