using System.Net;
using AngleSharp.Html.Parser;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>The HTML pages over real HTTP: they work as plain HTML, in Chinese, without JavaScript.</summary>
public class PagesTests(PagesTests.Fixture fixture) : IClassFixture<PagesTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public PortalFactory Portal { get; } = new();
        public HttpClient Client { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            Client = Portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var many = Enumerable.Range(1, 25).Select(i =>
            {
                var first17 = "41270219840315" + (100 + i).ToString();
                return TestEntries.Person("李四", first17 + global::Portal.Data.Entries.IdNumber.CheckCharacter(first17), $"（2019）豫0311执{3000 + i}号");
            });
            var report = await Portal.ImportAsync([TestEntries.Person(), TestEntries.Organization(), .. many]);
            Assert.Empty(report.Rejected);
            await Portal.WaitUntilReadyAsync();
        }

        public Task DisposeAsync()
        {
            Portal.Dispose();
            return Task.CompletedTask;
        }
    }

    private static readonly HtmlParser Parser = new();

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> Page(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await fixture.Client.GetAsync(url);
        Assert.Equal(expected, response.StatusCode);
        return await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> PostSearch(string q)
    {
        var home = await Page("/");
        var form = home.QuerySelector("form[role=search]")!;
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        fields["q"] = q;
        return await fixture.Client.PostAsync("/", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task A_name_posted_in_the_form_redirects_to_a_shareable_address()
    {
        var response = await PostSearch("张三");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?q=%E5%BC%A0%E4%B8%89", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task An_id_number_posted_in_the_form_is_answered_without_a_url_and_echoed_masked()
    {
        var response = await PostSearch(EntriesApiTests.FullId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(EntriesApiTests.FullId, html);
        var doc = await Parser.ParseDocumentAsync(html);
        Assert.Equal("4127021984****1512", doc.QuerySelector("#q")!.GetAttribute("value"));
        Assert.Equal("张三", Assert.Single(doc.QuerySelectorAll("li.result h3 a")).TextContent);
    }

    [Fact]
    public async Task Results_stream_only_to_an_enhanced_navigation_and_arrive_whole_without_javascript()
    {
        async Task<string> Get(string url, bool enhanced)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (enhanced) request.Headers.TryAddWithoutValidation("Accept", "text/html; blazor-enhanced-nav=on");
            var response = await fixture.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        // Streaming marks each component it may update later (<!--bl:N-->); an update itself (<blazor-ssr>) follows
        // only when the search really waits (PostgreSQL), which the embedded SQLite provider never does.
        const string StreamingMarker = "<!--bl:";
        var plain = await Get("/?q=" + Uri.EscapeDataString("李四"), enhanced: false);
        Assert.DoesNotContain(StreamingMarker, plain);
        Assert.DoesNotContain("<blazor-ssr>", plain);
        Assert.Equal(20, Parser.ParseDocument(plain).QuerySelectorAll("li.result").Length); // inline, no script needed

        var streamed = await Get("/?q=" + Uri.EscapeDataString("李四"), enhanced: true);
        Assert.Contains(StreamingMarker, streamed);
        Assert.Equal(20, Parser.ParseDocument(streamed).QuerySelectorAll("li.result").Length);

        // A detail page sets its status and cache headers after reading the entry: it never streams.
        var detail = Parser.ParseDocument(plain).QuerySelector("li.result h3 a")!.GetAttribute("href")!;
        Assert.DoesNotContain(StreamingMarker, await Get(detail, enhanced: true));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?q=%E6%9D%8E%E5%9B%9B")]
    [InlineData("/api/v1/entries?q=x")]
    [InlineData("/css/site.css")]
    [InlineData("/no-such-page")]
    [InlineData("/office/login")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        var response = await fixture.Client.GetAsync(url);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp); // no 'unsafe-inline', no 'unsafe-eval' for scripts
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // plain HTTP here: HSTS only over HTTPS
        if (response.Content.Headers.ContentType?.MediaType == "text/html")
            Assert.Empty(Parser.ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelectorAll("script:not([src]), [onclick], [onload], [onsubmit]"));
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        var response = await fixture.Client.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = "张三", ["_handler"] = "search" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_home_page_is_a_labelled_form_that_posts_with_an_antiforgery_token()
    {
        var doc = await Page("/");
        var form = doc.QuerySelector("form[role=search]")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input[name=__RequestVerificationToken]"));
        foreach (var id in new[] { "q", "type", "province" })
            Assert.NotNull(doc.QuerySelector($"label[for={id}]"));
        Assert.Equal("zh-CN", doc.DocumentElement.GetAttribute("lang"));
        Assert.Empty(doc.QuerySelectorAll("script[src^=http], link[href^=http]"));
    }

    [Fact]
    public async Task Chinese_is_sent_as_text_not_as_character_references()
    {
        var raw = await fixture.Client.GetStringAsync("/");
        Assert.Contains("失信被执行人查询", raw);
        Assert.DoesNotContain("&#x5931;", raw);
    }

    [Fact]
    public async Task Results_show_the_name_masked_id_case_number_court_and_date()
    {
        var doc = await Page("/?q=" + Uri.EscapeDataString("张三"));
        var result = Assert.Single(doc.QuerySelectorAll("li.result"));
        Assert.Equal("张三", result.QuerySelector("h3 a")!.TextContent);
        Assert.Equal("4127021984****1512", result.QuerySelector(".id-number")!.TextContent);
        Assert.Contains("（2019）豫0311执1234号", result.TextContent);
        Assert.Contains("洛阳市洛龙区人民法院", result.TextContent);
        Assert.Contains("2019年6月1日", result.TextContent);
        Assert.Contains("共 1 条", doc.QuerySelector(".count")!.TextContent);
    }

    [Fact]
    public async Task Results_are_paged_with_links_that_keep_the_query()
    {
        var first = await Page("/?q=" + Uri.EscapeDataString("李四"));
        Assert.Equal(20, first.QuerySelectorAll("li.result").Length);
        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        Assert.Contains("q=%E6%9D%8E%E5%9B%9B", next);
        var second = await Page(next);
        Assert.Equal(5, second.QuerySelectorAll("li.result").Length);
        Assert.NotNull(second.QuerySelector("a[rel=prev]"));
        Assert.Null(second.QuerySelector("a[rel=next]"));
    }

    [Fact]
    public async Task An_empty_result_says_so_and_suggests_what_to_try()
    {
        var doc = await Page("/?q=" + Uri.EscapeDataString("不存在的人"));
        var empty = doc.QuerySelector(".empty")!;
        Assert.Contains("没有找到与“不存在的人”相符的公开条目", empty.TextContent);
        Assert.Contains("身份证号码", empty.TextContent);
    }

    [Fact]
    public async Task The_detail_page_labels_every_field_and_is_not_cached()
    {
        var search = await Page("/?q=" + Uri.EscapeDataString("恒达建筑"));
        var href = search.QuerySelector("li.result h3 a")!.GetAttribute("href")!;
        var response = await fixture.Client.GetAsync(href);
        Assert.True(response.Headers.CacheControl?.NoStore, response.Headers.CacheControl?.ToString());
        Assert.Equal("noarchive", response.Headers.GetValues("X-Robots-Tag").Single());
        var doc = await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        var labels = doc.QuerySelectorAll("dl.fields dt").Select(d => d.TextContent).ToList();
        foreach (var label in new[] { "案号", "单位名称", "统一社会信用代码（组织机构代码）", "法定代表人或负责人姓名", "执行法院", "省份", "执行依据文号",
                     "作出执行依据单位", "生效法律文书确定的义务", "被执行人的履行情况", "失信被执行人具体情形", "已履行部分", "未履行部分", "立案时间", "发布时间", "失信期限届满" })
            Assert.Contains(label, labels);
        Assert.Contains("违反财产报告制度", doc.QuerySelector(".circumstances")!.TextContent);
        Assert.Contains("200,000元；已执行到位部分车辆", doc.Body!.TextContent);
    }

    [Fact]
    public async Task An_unknown_entry_is_a_404_page()
    {
        var doc = await Page("/entries/aaaaaaaaaaaaaaaa", HttpStatusCode.NotFound);
        Assert.Equal("未找到", doc.QuerySelector("h1")!.TextContent);
        // Every unknown address: the portal's own Chinese page, not an empty body the browser fills in English.
        foreach (var url in new[] { "/no-such-page", "/a/b/c", "/wp-login.php", "/entries", "/css/none.css", "/verify" })
        {
            var response = await fixture.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.True("text/html" == response.Content.Headers.ContentType?.MediaType, url);
            Assert.Equal("未找到", Parser.ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("h1")?.TextContent);
        }
    }

    [Fact]
    public async Task The_terms_state_free_use_no_profit_and_the_three_working_day_duty()
    {
        var text = (await Page("/terms")).Body!.TextContent;
        Assert.Contains("免费查询", text);
        Assert.Contains("不得用于营利", text);
        Assert.Contains("3个工作日", text);
    }

    [Fact]
    public async Task Static_files_are_served_from_the_web_root()
    {
        Assert.Contains("Disallow: /entries/", await fixture.Client.GetStringAsync("/robots.txt"));
        var css = await fixture.Client.GetAsync("/css/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
    }

    [Fact]
    public async Task A_bad_filter_is_explained_on_the_page()
    {
        var doc = await Page("/?q=a&type=company", HttpStatusCode.BadRequest);
        Assert.Contains("被执行人类型应为", doc.QuerySelector(".notice.error")!.TextContent);
    }
}
