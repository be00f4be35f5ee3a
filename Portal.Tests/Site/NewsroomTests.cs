using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Tests.Clients;
using Portal.Tests.Support;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Site;

/// <summary>
/// Browse, statistics and exports over real HTTP, against a corpus whose numbers are written down here by hand (not
/// computed by the code under test).
/// </summary>
public sealed class NewsroomTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private static readonly HtmlParser Parser = new();
    private HttpClient _http = default!;
    private const string Luolong = "洛阳市洛龙区人民法院", Jinshui = "郑州市金水区人民法院", Futian = "深圳市福田区人民法院";

    private static string Id(int n)
    {
        var first17 = "41270219800101" + n.ToString("D3");
        return first17 + IdNumber.CheckCharacter(first17);
    }

    private static EntryInput Person(int n, string court, string code, string published, string circumstance = "refuses")
    {
        var e = TestEntries.Person($"测试{n}", Id(n), $"（2024）{code}执{n}号");
        (e.Court, e.Province, e.BasisIssuer, e.PublishedAt, e.Circumstances) = (court, null, court, published, [circumstance]);
        return e;
    }

    /// <summary>35: entered with a publication date but not to be made public by law: it never counts anywhere.</summary>
    private static EntryInput Hidden()
    {
        var e = Person(35, Luolong, "豫0311", "2024-05-20");
        (e.NonPublic, e.EmployerUnit) = (true, "某单位");
        return e;
    }

    public async Task InitializeAsync()
    {
        // 洛龙: 25 entries published in 2024-05 (1..25) and 2 in 2024-06 (26, 27); 金水: 3 in 2024-05 (28..30);
        // 福田: 4 in 2024-07 (31..34, two of them asset-report). Then 4 shielded, 1 revoked (below).
        var corpus = Enumerable.Range(1, 25).Select(i => Person(i, Luolong, "豫0311", $"2024-05-{i:D2}"))
            .Concat([Person(26, Luolong, "豫0311", "2024-06-03"), Person(27, Luolong, "豫0311", "2024-06-04")])
            .Concat(Enumerable.Range(28, 3).Select(i => Person(i, Jinshui, "豫0105", "2024-05-10")))
            .Concat(Enumerable.Range(31, 4).Select(i => Person(i, Futian, "粤0304", "2024-07-01", i <= 32 ? "asset-report" : "refuses")))
            .Append(Hidden())
            .ToArray();
        Assert.Empty((await _portal.ImportAsync(corpus)).Rejected);
        await _portal.WaitUntilReadyAsync();
        var today = ChinaTime.Today(TimeProvider.System);
        // 洛龙 shields 1, 2, 3 at 1, 2 and 6 days after the event; 金水 shields 28 after 4 days; 福田 revokes 31.
        foreach (var (n, code, days) in new[] { (1, "豫0311", 1), (2, "豫0311", 2), (3, "豫0311", 6), (28, "豫0105", 4) })
            await _portal.ApplyAsync($"（2024）{code}执{n}号", EntryActions.Shield(RemovalGround.Performed, today.AddDays(-days)));
        await _portal.ApplyAsync("（2024）粤0304执31号", EntryActions.Revoke("纳入有误"));
        _http = _portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<AngleSharp.Html.Dom.IHtmlDocument> Page(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static List<(string Label, string Count)> Tallies(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("ul.tallies li").Select(li => (li.QuerySelector("a")!.TextContent, li.QuerySelector(".facet-count")!.TextContent)).ToList();

    [Fact]
    public async Task Browsing_goes_province_city_court_month_with_counts_of_what_is_public_and_pages_by_keyset()
    {
        Assert.Equal([("河南", "26"), ("广东", "3")], Tallies(await Page("/browse")));
        var henan = await Page("/browse?province=" + Uri.EscapeDataString("河南"));
        Assert.Equal([("洛阳市", "24"), ("郑州市", "2")], Tallies(henan));
        var luoyang = await Page(henan.QuerySelectorAll("ul.tallies a").Single(a => a.TextContent == "洛阳市").GetAttribute("href")!);
        Assert.Equal([(Luolong, "24")], Tallies(luoyang));
        var months = await Page(luoyang.QuerySelectorAll("ul.tallies a").Single(a => a.TextContent == Luolong).GetAttribute("href")!);
        Assert.Equal([("2024年6月", "2"), ("2024年5月", "22")], Tallies(months));
        Assert.Equal(["全国", "河南", "洛阳市", Luolong], months.QuerySelectorAll(".crumbs li").Select(li => li.TextContent.Trim()));
        // An older link by the court's name still leads to the court.
        Assert.Equal([("2024年6月", "2"), ("2024年5月", "22")], Tallies(await Page("/browse?court=" + Uri.EscapeDataString(Luolong))));

        var first = await Page(months.QuerySelectorAll("ul.tallies a").Single(a => a.TextContent == "2024年5月").GetAttribute("href")!);
        var names = first.QuerySelectorAll("li.result h3 a").Select(a => a.TextContent).ToList();
        Assert.Equal(Enumerable.Range(6, 20).Reverse().Select(i => $"测试{i}"), names); // newest first, shielded 1–3 left out
        var second = await Page(first.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal(["测试5", "测试4"], second.QuerySelectorAll("li.result h3 a").Select(a => a.TextContent));
        Assert.Null(second.QuerySelector("a[rel=next]"));

        // The same filters as search: only the two asset-report entries of 福田 (one of which is revoked).
        Assert.Equal([("广东", "1")], Tallies(await Page("/browse?circumstance=asset-report")));
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync("/browse?province=" + Uri.EscapeDataString("火星"))).StatusCode);
    }

    [Fact]
    public async Task The_statistics_count_the_corpus_as_written_down_and_follow_a_removal_at_once()
    {
        var s = await _http.GetFromJsonAsync<JsonElement>("/api/v1/statistics");
        Assert.Equal(29, s.GetProperty("publicNow").GetInt64());
        var months = s.GetProperty("months").EnumerateArray().ToDictionary(m => m.GetProperty("month").GetString()!);
        Assert.Equal(28, months["2024-05"].GetProperty("listed").GetInt64());
        Assert.Equal(2, months["2024-06"].GetProperty("listed").GetInt64());
        Assert.Equal(4, months["2024-07"].GetProperty("listed").GetInt64());
        var thisMonth = months[ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM")];
        Assert.Equal((4, 1), (thisMonth.GetProperty("shielded").GetInt64(), thisMonth.GetProperty("revoked").GetInt64()));
        Assert.Equal([("河南", 26L), ("广东", 3L)], s.GetProperty("byProvince").EnumerateArray().Select(t => (t.GetProperty("key").GetString()!, t.GetProperty("count").GetInt64())));
        var circumstances = s.GetProperty("byCircumstance").EnumerateArray().ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("count").GetInt64());
        Assert.Equal((28, 1), (circumstances["refuses"], circumstances["asset-report"]));

        // 洛龙 shielded after 1, 2 and 6 days: median 2, 90th percentile 6, 2 of 3 within the 3-day rule; 金水 after 4 days.
        var speed = s.GetProperty("shielding").EnumerateArray().ToDictionary(c => c.GetProperty("court").GetString()!);
        Assert.Equal((3, 2.0, 6.0), (speed[Luolong].GetProperty("shielded").GetInt32(), speed[Luolong].GetProperty("medianDays").GetDouble(), speed[Luolong].GetProperty("p90Days").GetDouble()));
        Assert.Equal(0.6667, speed[Luolong].GetProperty("withinRuleShare").GetDouble());
        Assert.Equal(0.0, speed[Jinshui].GetProperty("withinRuleShare").GetDouble());
        Assert.DoesNotContain("测试", s.GetRawText()); // numbers only, never a subject

        // An addition: the next request may still get the figures as of before (with their time) while they are refreshed.
        Assert.Empty((await _portal.ImportAsync(Person(36, Futian, "粤0304", "2024-07-02"))).Rejected);
        var during = await _http.GetFromJsonAsync<JsonElement>("/api/v1/statistics");
        Assert.Contains(during.GetProperty("publicNow").GetInt64(), new long[] { 29, 30 });
        await _portal.Services.GetRequiredService<Portal.Web.Newsroom.ListFigures>().SettleAsync();
        Assert.Equal(30, (await _http.GetFromJsonAsync<JsonElement>("/api/v1/statistics")).GetProperty("publicNow").GetInt64());

        // A removal: never counted once more, not even by the first request after it.
        await _portal.ShieldAsync("（2024）粤0304执33号");
        var after = await _http.GetFromJsonAsync<JsonElement>("/api/v1/statistics");
        Assert.Equal(29, after.GetProperty("publicNow").GetInt64());
        Assert.Equal(3, after.GetProperty("byProvince").EnumerateArray().Single(t => t.GetProperty("key").GetString() == "广东").GetProperty("count").GetInt64()); // 32, 34, 36
        Assert.True(after.GetProperty("asOf").GetDateTime() >= during.GetProperty("asOf").GetDateTime());
    }

    [Fact]
    public async Task Without_javascript_the_statistics_page_shows_every_chart_as_a_table_with_its_csv()
    {
        var page = await Page("/statistics");
        var figures = page.QuerySelectorAll("figure.chart").ToList();
        Assert.Equal(13, figures.Count); // nine of the list, four of joint punishment
        var contents = page.QuerySelectorAll("nav.toc a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(10, contents.Count);
        Assert.All(contents, href => Assert.NotNull(page.GetElementById(href.TrimStart('#')))); // every contents link lands on its chart
        // A chart, or where nothing has been counted yet (no unit has reported a measure here) a plain "暂无数据"; a table always.
        Assert.All(figures, f => Assert.True(f.QuerySelector(".mud-chart svg") is not null || f.QuerySelector(".chart-empty") is not null, f.QuerySelector("figcaption")!.TextContent));
        Assert.All(figures, f => Assert.NotNull(f.QuerySelector(".chart-table table")));
        Assert.NotNull(figures.Single(f => f.QuerySelector("figcaption")!.TextContent == "公开条目按省份").QuerySelector(".mud-chart svg"));
        var cities = figures.Single(f => f.QuerySelector("figcaption")!.TextContent == "公开条目按市（地、州、盟）");
        Assert.Equal([["河南 洛阳市", "24"], ["广东 深圳市", "3"], ["河南 郑州市", "2"]],
            cities.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Take(2).Select(td => td.TextContent).ToArray()).ToArray());
        var provinces = figures.Single(f => f.QuerySelector("figcaption")!.TextContent == "公开条目按省份");
        Assert.Equal(["河南", "26", "89.7%"], provinces.QuerySelectorAll("tbody tr").First().QuerySelectorAll("td").Select(td => td.TextContent));
        var csvLink = provinces.QuerySelector("a[download]")!.GetAttribute("href")!;
        var csv = await _http.GetByteArrayAsync(csvLink);
        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        Assert.Equal("省份,条目数,占比\r\n河南,26,89.7%\r\n广东,3,10.3%\r\n", Encoding.UTF8.GetString(csv[3..]));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/statistics/none.csv")).StatusCode);
    }

    [Fact]
    public async Task A_media_client_exports_csv_or_json_lines_filtered_and_its_copy_gets_takedown_notices()
    {
        var media = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "media", "feed,takedown")).Key);
        var response = await media.GetAsync("/api/v1/export?format=csv&province=" + Uri.EscapeDataString("河南") + "&from=2024-06-01&to=2024-06-30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.GetValues("X-Feed-Cursor").Single());
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Portal.Web.Newsroom.EntryCsv.Header, lines[0]);
        Assert.Equal(["测试26", "测试27"], lines.Skip(1).Select(l => l.Split(',')[3]).Order());
        Assert.DoesNotContain(Id(26), Encoding.UTF8.GetString(bytes));

        var jsonl = (await media.GetStringAsync("/api/v1/export?court=" + Uri.EscapeDataString(Futian))).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, jsonl.Length);

        await _portal.ShieldAsync("（2024）豫0311执26号"); // in the media client's copy: it must be told
        var notices = await media.GetFromJsonAsync<JsonElement>("/api/v1/takedowns");
        Assert.Equal(["（2024）豫0311执26号"], notices.EnumerateArray().Select(n => n.GetProperty("caseNumber").GetString()));

        var bad = await media.GetAsync("/api/v1/export?format=xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_format", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/api/v1/export?format=csv")).StatusCode); // entry-level bulk data: registered clients only
    }

    [Fact]
    public async Task The_data_dictionary_describes_every_exported_column()
    {
        Assert.Equal(Portal.Web.Newsroom.EntryCsv.Header.Split(','), Portal.Web.Components.Pages.DataDictionary.Fields.Select(f => f.Name));
        var page = await Page("/data");
        Assert.Equal(Portal.Web.Components.Pages.DataDictionary.Fields.Count, page.QuerySelectorAll(".data-fields tbody tr").Length);
        Assert.Contains("3个工作日", page.Body!.TextContent);
    }
}
