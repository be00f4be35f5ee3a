using System.Net;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>
/// What frames every public page: the footer's filing facts a government site must carry (from settings), and the
/// elder-friendly mode one click away, without JavaScript.
/// </summary>
public sealed class SiteFrameTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new()
    {
        Settings =
        {
            ["Site:Sponsor"] = "某省高级人民法院",
            ["Site:Contact"] = "0371-00000000",
            ["Site:Identifier"] = "4100000001",
            ["Site:IcpFiling"] = "豫ICP备12345678号-1",
            ["Site:PublicSecurityFiling"] = "豫公网安备 41010502000001号",
        },
    };
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
        _http = _portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Every public page the router knows without a parameter (a new page is covered without editing this test).</summary>
    private IReadOnlyList<string> PublicPages()
    {
        var pages = _portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !p.StartsWith("/office", StringComparison.Ordinal) && !p.Contains('{')).Distinct().ToList();
        Assert.True(pages.Count >= 10, $"only {pages.Count} public pages found: {string.Join(", ", pages)}");
        return pages;
    }

    [Fact]
    public async Task Every_public_page_carries_the_configured_filing_facts_and_the_switch_to_the_elder_friendly_mode()
    {
        var checkedPages = 0;
        foreach (var path in PublicPages())
        {
            using var response = await _http.GetAsync(path);
            if (path == "/not-ready" && response.StatusCode == HttpStatusCode.Redirect) continue; // the portal is ready: it sends people home
            checkedPages++;
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {response.Headers.Location}");
            var page = await Office.Parse(await response.Content.ReadAsStringAsync());
            var facts = page.QuerySelector("footer .site-facts")?.TextContent ?? "";
            foreach (var fact in (string[])["主办单位：某省高级人民法院", "联系方式：0371-00000000", "网站标识码：4100000001", "豫ICP备12345678号-1", "豫公网安备 41010502000001号"])
                Assert.True(facts.Contains(fact, StringComparison.Ordinal), $"{path}: the footer lacks {fact}");
            Assert.Equal("https://beian.mps.gov.cn/#/query/webSearch?code=41010502000001",
                page.QuerySelectorAll("footer .site-facts a").Last().GetAttribute("href"));
            var toggle = page.QuerySelector("a.mode-switch");
            Assert.True(toggle is not null, $"{path} has no switch to the elder-friendly mode");
            Assert.Equal("长辈模式", toggle!.TextContent);
            Assert.Equal("/mode/elder?back=" + Uri.EscapeDataString(path), toggle.GetAttribute("href"));
        }
        Assert.True(checkedPages >= 10, $"only {checkedPages} pages checked");
    }

    [Fact]
    public async Task The_elder_friendly_mode_is_a_cookie_the_pages_read_and_offers_no_completions()
    {
        var switched = await _http.GetAsync("/mode/elder?back=" + Uri.EscapeDataString("/?q=张三"));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/?q=张三", switched.Headers.Location!.OriginalString);
        var cookie = switched.Headers.GetValues("Set-Cookie").Single();
        Assert.StartsWith("portal-mode=elder;", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/?q=" + Uri.EscapeDataString("张三"));
        request.Headers.Add("Cookie", "portal-mode=elder");
        var elder = await Office.Parse(await (await _http.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Equal("elder", elder.DocumentElement.GetAttribute("class"));
        Assert.Null(elder.QuerySelector("datalist"));
        Assert.Null(elder.QuerySelector("input#q[list]"));
        Assert.Null(elder.QuerySelector("script[src*='suggest']"));
        Assert.NotEmpty(elder.QuerySelectorAll(".result")); // the same answer, only larger
        var back = elder.QuerySelector("a.mode-switch")!;
        Assert.Equal("标准模式", back.TextContent);

        var standard = await Office.Parse(await _http.GetStringAsync("/?q=" + Uri.EscapeDataString("张三")));
        Assert.Null(standard.DocumentElement.GetAttribute("class"));
        Assert.NotNull(standard.QuerySelector("input#q[list=q-suggestions]"));

        var off = await _http.GetAsync(back.GetAttribute("href"));
        Assert.Contains(off.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal-mode=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/%0d%0aSet-Cookie:x=1")]
    public async Task Switching_the_mode_never_sends_anyone_to_another_site(string back)
    {
        var switched = await _http.GetAsync("/mode/elder?back=" + Uri.EscapeDataString(Uri.UnescapeDataString(back)));
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/", switched.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/mode/dark")).StatusCode);
    }

    [Theory]
    [InlineData("Site:Identifier", "41000000", "网站标识码")]
    [InlineData("Site:IcpFiling", "ICP 12345678", "ICP备案号")]
    [InlineData("Site:PublicSecurityFiling", "豫公网安备123号", "公安备案号")]
    public void A_malformed_filing_stops_the_start_with_its_name(string setting, string value, string named)
    {
        using var portal = new PortalFactory { Settings = { [setting] = value } };
        var error = Assert.ThrowsAny<Exception>(() => portal.CreateClient());
        Assert.Contains(named, error.ToString());
    }
}
