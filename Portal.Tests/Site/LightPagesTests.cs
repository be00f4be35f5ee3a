using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>
/// Public pages are light: compressed, their assets fingerprinted and cached for a year, and only the part of
/// MudBlazor's stylesheet they use (wwwroot/css/mud-public.css, cut by Portal.Web/Styles/subset.mjs).
/// </summary>
public sealed partial class LightPagesTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Person("章三", "440304199001011233", "（2021）粤0305执10号"),
            TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
        _http = _portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static readonly string[] Pages =
    [
        "/", "/?q=" + Uri.EscapeDataString("张三"), "/?q=" + Uri.EscapeDataString("zhangsan"), "/?q=" + Uri.EscapeDataString("洛阳市"),
        "/?q=" + Uri.EscapeDataString("（2019）豫0311执99999号"), "/?year=abc", "/browse", "/browse?province=" + Uri.EscapeDataString("河南"),
        "/statistics", "/notices", "/data", "/terms", "/apply", "/apply/correction", "/apply/complaint", "/track", "/verify/batch", "/no-such-page",
    ];

    [GeneratedRegex(@"class=""([^""]*)""")]
    private static partial Regex ClassAttribute();

    [GeneratedRegex(@"\.(mud-[a-z0-9-]+)")]
    private static partial Regex MudClass();

    private async Task<string> Asset(string html, string part)
    {
        var href = Regex.Match(html, $@"(?:href|src)=""(/?[^""]*{Regex.Escape(part)}[^""]*)""").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(href), $"the page does not load {part}");
        return "/" + href.TrimStart('/');
    }

    [Fact]
    public async Task Every_MudBlazor_class_a_public_page_uses_has_its_rules_in_the_public_stylesheet()
    {
        var whole = await _http.GetStringAsync("/_content/MudBlazor/MudBlazor.min.css");
        var known = MudClass().Matches(whole).Select(m => m.Groups[1].Value).ToHashSet();
        var first = await _http.GetStringAsync("/");
        var subset = await _http.GetStringAsync(await Asset(first, "css/mud-public"));
        var kept = MudClass().Matches(subset).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(subset.Length < whole.Length / 10, $"the public stylesheet is {subset.Length} bytes, MudBlazor's {whole.Length}");

        var missing = new List<string>();
        foreach (var path in Pages)
        {
            var html = await (await _http.GetAsync(path)).Content.ReadAsStringAsync();
            Assert.DoesNotContain("MudBlazor/MudBlazor.min", html); // neither the whole stylesheet nor the office's script
            foreach (Match attribute in ClassAttribute().Matches(html))
                foreach (var c in attribute.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (known.Contains(c) && !kept.Contains(c)) missing.Add($"{path}: {c}");
        }
        Assert.True(missing.Count == 0, "classes without their rules (run Portal.Web/Styles/subset.mjs): " + string.Join(", ", missing.Distinct()));

        // The office keeps the whole stylesheet and MudBlazor's script.
        var login = await _http.GetStringAsync("/office/login");
        Assert.Matches(@"_content/MudBlazor/MudBlazor\.min\.[a-z0-9]+\.css", login);
        Assert.Matches(@"_content/MudBlazor/MudBlazor\.min\.[a-z0-9]+\.js", login);
    }

    [Fact]
    public async Task Pages_and_answers_are_compressed_and_assets_are_fingerprinted_for_a_year()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?q=" + Uri.EscapeDataString("张三"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        using var page = await _http.SendAsync(request);
        Assert.Equal("br", Assert.Single(page.Content.Headers.ContentEncoding));
        var html = await new StreamReader(new System.IO.Compression.BrotliStream(await page.Content.ReadAsStreamAsync(), System.IO.Compression.CompressionMode.Decompress)).ReadToEndAsync();
        Assert.Contains("张三", html);

        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/v1/entries?q=" + Uri.EscapeDataString("张三"));
        api.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        Assert.Equal("gzip", Assert.Single((await _http.SendAsync(api)).Content.Headers.ContentEncoding));

        foreach (var part in (string[])["css/mud-public", "css/site", "_framework/blazor.web"])
        {
            using var asset = new HttpRequestMessage(HttpMethod.Get, await Asset(html, part));
            asset.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            using var answer = await _http.SendAsync(asset);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal("br", Assert.Single(answer.Content.Headers.ContentEncoding)); // precompressed at build
            Assert.Contains("immutable", answer.Headers.CacheControl!.ToString());
            Assert.True(answer.Headers.CacheControl.MaxAge >= TimeSpan.FromDays(300), $"{part}: {answer.Headers.CacheControl}");
        }
    }
}
