using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Lifecycle;
using Portal.Web.Search;

namespace Portal.Tests.Search;

/// <summary>Search as people and programs use it over HTTP: pinyin, homophones, facets, highlighting, suggestions, freshness.</summary>
public class SearchSiteTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private HttpClient _client = default!;

    public async Task InitializeAsync()
    {
        var other = TestEntries.Organization("郑州市恒达商贸有限公司", "914403001922038216", "（2021）豫0105执88号");
        other.Court = "郑州市金水区人民法院";
        other.PublishedAt = "2021-05-01";
        other.Circumstances = ["refuses"];
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), other,
            TestEntries.Person("单田芳", "110101194912310016", "（2017）京0105执3号"),
            TestEntries.Person("王{{7*7}}@(1+1)", "110101198001010010", "（2022）京0105执9号"))).Rejected);
        await _portal.WaitUntilReadyAsync();
        _client = _portal.CreateClient();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JsonElement> Api(string query) =>
        await _client.GetFromJsonAsync<JsonElement>("/api/v1/entries?" + query);

    private static string Q(string text) => "q=" + Uri.EscapeDataString(text);

    [Theory]
    [InlineData("王{{7*7}}@(1+1)")]
    [InlineData("王{{7*7}}＠（1+1）")]
    public async Task A_name_with_symbols_is_found_by_its_exact_text(string typed)
    {
        var api = await Api(Q(typed));
        Assert.Equal("王{{7*7}}@(1+1)", api.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal("exact_name", api.GetProperty("hits")[0].GetProperty("match").GetString());

        var page = await Office.Parse(await _client.GetStringAsync("/?" + Q(typed)));
        Assert.Equal("王{{7*7}}@(1+1)", page.QuerySelector(".result h3 a")!.TextContent);
        Assert.DoesNotContain("王49", page.Body!.TextContent);

        // Typed into the home page's form, as a person does: redirected to a shareable address that finds it too.
        var browser = Office.NewClient(_portal);
        var posted = await Office.PostForm(browser, "/", "search", new() { ["q"] = typed });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, posted.StatusCode);
        var followed = await Office.Parse(await browser.GetStringAsync(posted.Headers.Location!.OriginalString));
        Assert.Equal("王{{7*7}}@(1+1)", followed.QuerySelector(".result h3 a")!.TextContent);
        var suggestions = await _client.GetFromJsonAsync<JsonElement>("/api/v1/suggest?" + Q("王{{7*"));
        Assert.Contains("王{{7*7}}@(1+1)", suggestions.GetProperty("suggestions").EnumerateArray().Select(x => x.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Pinyin_and_homophones_are_found_and_a_homophone_is_marked_approximate()
    {
        var pinyin = await Api(Q("shan tianfang"));
        Assert.Equal("单田芳", pinyin.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.Equal("pinyin", pinyin.GetProperty("hits")[0].GetProperty("match").GetString());

        var homophone = await Api(Q("章三"));
        Assert.Equal("张三", homophone.GetProperty("items")[0].GetProperty("name").GetString());
        Assert.True(homophone.GetProperty("hits")[0].GetProperty("approximate").GetBoolean());
        Assert.Equal(homophone.GetProperty("items")[0].GetProperty("publicId").GetString(), homophone.GetProperty("hits")[0].GetProperty("publicId").GetString());

        var exact = await Api(Q("张三"));
        Assert.False(exact.GetProperty("hits")[0].GetProperty("approximate").GetBoolean());
        Assert.Equal("exact_name", exact.GetProperty("hits")[0].GetProperty("match").GetString());
    }

    [Fact]
    public async Task Facets_count_all_matches_and_filters_narrow_them()
    {
        var all = await Api(Q("恒达"));
        Assert.Equal(2, all.GetProperty("total").GetInt64());
        var courts = all.GetProperty("facets").GetProperty("court").EnumerateArray().ToDictionary(c => c.GetProperty("value").GetString()!, c => c.GetProperty("count").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["洛阳市洛龙区人民法院"] = 1, ["郑州市金水区人民法院"] = 1 }, courts);

        var narrowed = await Api(Q("恒达") + "&court=" + Uri.EscapeDataString("郑州市金水区人民法院"));
        Assert.Equal("郑州市恒达商贸有限公司", narrowed.GetProperty("items").EnumerateArray().Single().GetProperty("name").GetString());
        Assert.Equal(1, (await Api(Q("恒达") + "&circumstance=asset-report")).GetProperty("total").GetInt64());
        Assert.Equal(1, (await Api(Q("恒达") + "&year=2020")).GetProperty("total").GetInt64());

        var bad = await _client.GetAsync("/api/v1/entries?" + Q("恒达") + "&year=20");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_year", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var badCircumstance = await _client.GetAsync("/api/v1/entries?" + Q("恒达") + "&circumstance=murder");
        Assert.Equal("invalid_circumstance", (await badCircumstance.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_results_page_highlights_and_offers_facet_links_that_work_without_javascript()
    {
        var page = await Office.Parse(await _client.GetStringAsync("/?" + Q("恒达建筑")));
        Assert.Equal(["恒达建筑"], page.QuerySelectorAll(".result h3 mark").Select(m => m.TextContent));
        var courtLink = page.QuerySelectorAll(".facets a").First(a => a.TextContent == "洛阳市洛龙区人民法院").GetAttribute("href")!;
        var narrowed = await Office.Parse(await _client.GetStringAsync(courtLink));
        Assert.Single(narrowed.QuerySelectorAll(".result"));
        Assert.NotNull(narrowed.QuerySelector(".facets .chosen"));
        Assert.NotNull(page.QuerySelector("input#q[list=q-suggestions]"));
        var script = page.QuerySelector("script[src*='suggest']")!.GetAttribute("src")!;
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/" + script.TrimStart('/'))).StatusCode);
    }

    [Theory]
    [InlineData("河南省", "/browse?province=%E6%B2%B3%E5%8D%97")]
    [InlineData("河南", "/browse?province=%E6%B2%B3%E5%8D%97")]
    [InlineData("洛阳市", "/browse?province=%E6%B2%B3%E5%8D%97&city=%E6%B4%9B%E9%98%B3%E5%B8%82")]
    [InlineData("河南省洛阳市", "/browse?province=%E6%B2%B3%E5%8D%97&city=%E6%B4%9B%E9%98%B3%E5%B8%82")]
    [InlineData("洛龙区", "/browse?court=%E8%B1%AB0311")]
    [InlineData("洛阳市洛龙区", "/browse?court=%E8%B1%AB0311")]
    public async Task A_province_a_city_or_a_county_alone_is_answered_as_a_place_with_its_browse_page_and_matches_no_name(string typed, string browse)
    {
        // 洛阳市恒达建筑工程有限公司 is listed: the place in its name is not what makes it match.
        var api = await Api(Q(typed));
        Assert.Equal(0, api.GetProperty("total").GetInt32());
        Assert.Equal(browse, api.GetProperty("places")[0].GetProperty("browse").GetString());
        Assert.StartsWith($"“{typed}”是地名", api.GetProperty("notice").GetString());

        var page = await Office.Parse(await _client.GetStringAsync("/?" + Q(typed)));
        Assert.Empty(page.QuerySelectorAll(".result"));
        Assert.Equal(browse, page.QuerySelector(".results .places a")!.GetAttribute("href"));
        Assert.Null(page.QuerySelector(".results .empty")); // not "nothing found": a place is not a miss
        var browsed = await _client.GetAsync(browse);
        Assert.Equal(HttpStatusCode.OK, browsed.StatusCode);
        Assert.Contains("洛阳市", await browsed.Content.ReadAsStringAsync()); // the province's cities, the city's courts, the court's months
    }

    [Fact]
    public async Task A_city_without_its_suffix_is_searched_as_a_name_with_the_place_offered_beside()
    {
        var api = await Api(Q("洛阳"));
        Assert.Contains("洛阳市恒达建筑工程有限公司", api.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal("洛阳市", api.GetProperty("places")[0].GetProperty("name").GetString());
        // A county name several cities have names each of them; a person's name is no place at all.
        var chaoyang = await Api(Q("朝阳区"));
        Assert.Equal(["北京市朝阳区", "长春市朝阳区"], chaoyang.GetProperty("places").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order());
        Assert.Equal(JsonValueKind.Null, (await Api(Q("张三"))).GetProperty("places").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await Api(Q("吉林省恒达"))).GetProperty("places").ValueKind);
    }

    [Theory]
    [InlineData("（2019）豫0311执99999号", "核对案号的年份、法院代字和序号", "改用身份证号码、统一社会信用代码或案号查询")]
    [InlineData("91410311MA44L2K3X9", "核对统一社会信用代码", "改用身份证号码、统一社会信用代码或案号查询")]
    [InlineData("欧阳不存在", "检查姓名或单位名称是否有错别字", "核对案号")]
    public async Task A_search_that_finds_nothing_advises_by_what_was_typed(string typed, string advised, string notAdvised)
    {
        var page = await Office.Parse(await _client.GetStringAsync("/?" + Q(typed)));
        var advice = page.QuerySelector(".results .empty")!.TextContent;
        Assert.Contains(advised, advice);
        Assert.DoesNotContain(notAdvised, advice);
        Assert.DoesNotContain("取消", advice); // no filter was chosen, so none is offered to drop
        if (typed.StartsWith('（')) Assert.NotNull(page.QuerySelector(".results .empty a[href='/notices']"));
        var filtered = await Office.Parse(await _client.GetStringAsync("/?" + Q(typed) + "&province=" + Uri.EscapeDataString("河北")));
        Assert.Contains("取消", filtered.QuerySelector(".results .empty")!.TextContent);
    }

    [Fact]
    public async Task A_results_page_says_what_time_its_data_is_true_as_of()
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var last = await db.EntryEvents.OrderByDescending(e => e.Id).Select(e => e.At).FirstAsync();
        var page = await Office.Parse(await _client.GetStringAsync("/?" + Q("恒达")));
        Assert.Equal($"数据截至 {Portal.Web.Components.Shared.Display.Time(last)}，即最近一次名单变更时", page.QuerySelector(".results .as-of")!.TextContent.Trim());
        Assert.EndsWith("（北京时间）", Portal.Web.Components.Shared.Display.Time(last));
    }

    [Fact]
    public async Task Suggestions_complete_names_never_numbers_and_forget_removed_entries_at_once()
    {
        var response = await _client.GetAsync("/api/v1/suggest?" + Q("恒达"));
        Assert.True(response.Headers.CacheControl?.NoStore, response.Headers.CacheControl?.ToString());
        var names = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("suggestions").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(["郑州市恒达商贸有限公司", "洛阳市恒达建筑工程有限公司"], names);
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>("/api/v1/suggest?q=41270219")).GetProperty("suggestions").EnumerateArray());
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>("/api/v1/suggest?q=")).GetProperty("suggestions").EnumerateArray());

        await _portal.ShieldAsync("（2017）京0105执3号");
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>("/api/v1/suggest?" + Q("单"))).GetProperty("suggestions").EnumerateArray());
        Assert.Empty((await _client.GetFromJsonAsync<JsonElement>("/api/v1/suggest?q=shan")).GetProperty("suggestions").EnumerateArray());
        Assert.Equal(0, (await Api(Q("shantianfang"))).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_change_committed_by_another_process_reaches_search_by_the_change_events()
    {
        // Another process (a CLI import) writes to the same database; this portal learns of it from the events.
        var sync = _portal.Services.GetRequiredService<IndexSync>();
        await sync.CatchUpAsync(); // whatever the follower has not applied yet
        var options = DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(_portal.DataDirectory));
        await using (var db = new PortalDbContext(options))
        {
            var entry = EntryValidation.Validate(TestEntries.Person("欧阳明远", "440304199001011233", "（2022）粤0305执5号"), _portal.Services.GetRequiredService<Portal.Data.Privacy.IdNumberProtection>(), DateTime.UtcNow).Entry!;
            db.Entries.Add(entry);
            await db.SaveChangesAsync();
            db.EntryEvents.Add(EntryActions.EventFor(entry, Portal.Data.Lifecycle.EntryAction.Published, DateTime.UtcNow));
            await db.SaveChangesAsync();
        }
        // Nothing in this process touched the index: only the follower of the change events (every second) can bring it.
        // (Asserting "not yet found" first raced with the follower under load.)
        long found = 0;
        for (var i = 0; i < 50 && found == 0; i++)
        {
            found = (await Api(Q("ouyangmingyuan"))).GetProperty("total").GetInt64();
            if (found == 0) await Task.Delay(100);
        }
        Assert.Equal(1, found);
        Assert.Equal(0, await sync.CatchUpAsync()); // the follower had applied it already
    }
}
