using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Tests.Clients;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Clients;

namespace Portal.Tests.Site;

/// <summary>What a court's outdoor screen and kiosk show: /display/{court} and its JSON for LED controllers.</summary>
public static class DisplayScreens
{
    public const string Zhang = "（2019）豫0311执1234号";
    public const string Hengda = "（2020）豫0311执2001号";
    public const string FullId = "412702198403151512";

    /// <summary>
    /// Public: 张三 and 恒达 at 洛阳市洛龙区 (豫0311), 钱涧西 at 洛阳市涧西区 (豫0305, also under 洛阳中院 豫03), 张三丰 in
    /// Beijing (京0105). Never public: a shielded, a non-public and a draft entry at 豫0311.
    /// </summary>
    public static async Task SeedAsync(PortalFactory portal)
    {
        var shielded = TestEntries.Person("王小明", "11010519491231002X", "（2018）豫0311执77号");
        shielded.Status = "shielded";
        var hidden = TestEntries.Person("赵秘密", "440304199001011233", "（2019）豫0311执5号");
        hidden.NonPublic = true;
        hidden.EmployerUnit = "某某局";
        var draft = TestEntries.Person("孙草稿", "440304199001011233", "（2020）豫0311执8号");
        draft.Status = "draft";
        draft.PublishedAt = null;
        var report = await portal.ImportAsync(
            TestEntries.Person(), TestEntries.Organization(),
            TestEntries.Person("钱涧西", "410305196801013998", "（2021）豫0305执3号"),
            TestEntries.Person("张三丰", "110101194912310016", "（2021）京0105执9号"),
            shielded, hidden, draft);
        Assert.Empty(report.Rejected);
        await portal.WaitUntilReadyAsync();
    }

    public static readonly string[] NeverShown = ["王小明", "赵秘密", "孙草稿", FullId, "19840315", "11010519491231002X"];

    public static async Task<JsonElement> Json(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string[] Names(JsonElement screen) =>
        screen.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).Order().ToArray();
}

public class DisplayScreenTests(DisplayScreenTests.Fixture fixture) : IClassFixture<DisplayScreenTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public PortalFactory Portal { get; } = new();
        public async Task InitializeAsync() => await DisplayScreens.SeedAsync(Portal);
        public Task DisposeAsync() { Portal.Dispose(); return Task.CompletedTask; }
    }

    private HttpClient Client => fixture.Portal.CreateClient();

    private static string Api(string court, string query = "") => "/api/v1/display/" + Uri.EscapeDataString(court) + query;
    private static string Page(string court, string query = "") => "/display/" + Uri.EscapeDataString(court) + query;

    [Fact]
    public async Task A_basic_court_screen_shows_only_its_public_entries_with_masked_numbers()
    {
        var response = await Client.GetAsync(Api("豫0311", "?per=20"));
        var raw = await response.Content.ReadAsStringAsync();
        var screen = JsonDocument.Parse(raw).RootElement;
        Assert.Equal(["张三", "洛阳市恒达建筑工程有限公司"], DisplayScreens.Names(screen));
        var zhang = screen.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("name").GetString() == "张三");
        Assert.Equal("4127021984****1512", zhang.GetProperty("idNumberMasked").GetString());
        Assert.Equal(DisplayScreens.Zhang, zhang.GetProperty("caseNumber").GetString());
        Assert.Equal(50000m, zhang.GetProperty("unperformedPart").GetProperty("amount").GetDecimal());
        Assert.Equal("91410311MA44L2K3X8", screen.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("subjectType").GetString() == "organization")
            .GetProperty("creditCode").GetString());
        Assert.Equal("豫0311", screen.GetProperty("court").GetProperty("code").GetString());
        Assert.Equal(20, screen.GetProperty("refreshSeconds").GetInt32());
        Assert.True(screen.TryGetProperty("asOf", out _));
        foreach (var hidden in DisplayScreens.NeverShown.Append("钱涧西").Append("张三丰")) Assert.DoesNotContain(hidden, raw);

        var html = await Client.GetStringAsync(Page("豫0311", "?per=20"));
        Assert.Contains("张三", html);
        Assert.Contains("4127021984****1512", html);
        Assert.Contains("50,000元", html);
        Assert.Contains(DisplayScreens.Zhang, html);
        foreach (var hidden in DisplayScreens.NeverShown.Append("钱涧西").Append("张三丰")) Assert.DoesNotContain(hidden, html);
    }

    [Fact]
    public async Task A_superior_court_screen_shows_every_court_below_it()
    {
        var intermediate = await DisplayScreens.Json(Client, Api("豫03", "?per=20"));
        Assert.Equal(["张三", "洛阳市恒达建筑工程有限公司", "钱涧西"], DisplayScreens.Names(intermediate));
        Assert.Equal("洛阳市中级人民法院辖区内", intermediate.GetProperty("court").GetProperty("label").GetString());
        Assert.Equal(3, DisplayScreens.Names(await DisplayScreens.Json(Client, Api("豫", "?per=20"))).Length);
        Assert.Equal(["张三丰"], DisplayScreens.Names(await DisplayScreens.Json(Client, Api("京0105", "?per=20"))));
        Assert.Empty(DisplayScreens.Names(await DisplayScreens.Json(Client, Api("豫0305", "?per=20"))).Except(["钱涧西"]));

        var html = await Office.Parse(await Client.GetStringAsync(Page("豫03", "?per=20")));
        Assert.Equal(["张三", "洛阳市恒达建筑工程有限公司", "钱涧西"], html.QuerySelectorAll("tbody th").Select(c => c.TextContent).Order().ToArray());
        Assert.Contains("洛阳市中级人民法院辖区内", html.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task An_unknown_court_is_not_found_with_a_code_and_a_chinese_message()
    {
        var api = await Client.GetAsync(Api("豫9999"));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("court_not_found", problem.GetProperty("code").GetString());
        Assert.Contains("法院名录中没有代字为“豫9999”的法院", problem.GetProperty("detail").GetString());

        var page = await Client.GetAsync(Page("豫9999"));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("未找到", html);
        Assert.DoesNotContain("http-equiv=\"refresh\"", html);
    }

    [Fact]
    public async Task Screens_are_never_cached_refresh_within_a_minute_and_carry_no_site_chrome()
    {
        var api = await Client.GetAsync(Api("豫0311"));
        Assert.Contains("no-store", api.Headers.CacheControl!.ToString());
        var page = await Client.GetAsync(Page("豫0311"));
        Assert.Contains("no-store", page.Headers.CacheControl!.ToString());
        var html = await Office.Parse(await page.Content.ReadAsStringAsync());
        var refresh = html.QuerySelector("meta[http-equiv=refresh]")!.GetAttribute("content")!;
        var seconds = int.Parse(refresh.Split(';')[0]);
        Assert.InRange(seconds, 1, 60);
        Assert.Contains("url=/display/", refresh);
        Assert.Null(html.QuerySelector("nav"));
        Assert.Null(html.QuerySelector("footer"));
        Assert.Null(html.QuerySelector(".site-header"));
        Assert.NotNull(html.QuerySelector("main h1"));
    }

    [Fact]
    public void A_refresh_over_a_minute_is_refused_at_start()
    {
        using var portal = new PortalFactory { Settings = new() { ["Display:RefreshSeconds"] = "90" } };
        var failure = Assert.ThrowsAny<Exception>(() => portal.CreateClient());
        Assert.Contains("RefreshSeconds", failure.ToString());
    }

    [Fact]
    public async Task Following_the_refresh_reaches_every_entry_and_starts_over()
    {
        var url = Page("豫03", "?per=1");
        var seen = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var html = await Office.Parse(await Client.GetStringAsync(url));
            seen.Add(html.QuerySelector(".screen-entry h2")!.TextContent);
            url = html.QuerySelector("meta[http-equiv=refresh]")!.GetAttribute("content")!.Split("url=")[1];
            Assert.Contains("per=1", url);
        }
        Assert.Equal(["张三", "洛阳市恒达建筑工程有限公司", "钱涧西"], seen.Take(3).Order().ToArray());
        Assert.Equal(seen[0], seen[3]);

        // The JSON pages the same way: page numbers past the last start over.
        var names = new List<string>();
        for (var p = 1; p <= 3; p++)
        {
            var screen = await DisplayScreens.Json(Client, Api("豫03", $"?per=2&page={p}"));
            Assert.Equal(2, screen.GetProperty("pageCount").GetInt32());
            Assert.Equal(p % 2 + 1, screen.GetProperty("nextPage").GetInt32());
            names.AddRange(DisplayScreens.Names(screen));
        }
        Assert.Equal(3, names.Take(3).Distinct().Count());
    }
}

/// <summary>A removal reaches the screens: gone at the next refresh, and display operators' minute deadline.</summary>
public class DisplayRemovalTests : IAsyncLifetime
{
    // Friday 20 November 2026, 10:00 in China.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory _portal;

    public DisplayRemovalTests() => _portal = new PortalFactory { Clock = _clock };

    public Task InitializeAsync() => DisplayScreens.SeedAsync(_portal);

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_shielded_entry_is_gone_from_the_next_screen()
    {
        var client = _portal.CreateClient();
        Assert.Contains("张三", DisplayScreens.Names(await DisplayScreens.Json(client, "/api/v1/display/豫03?per=20")));
        Assert.Contains("4127021984****1512", await client.GetStringAsync("/display/豫03?per=20"));

        await _portal.ShieldAsync(DisplayScreens.Zhang);

        Assert.Equal(["洛阳市恒达建筑工程有限公司", "钱涧西"], DisplayScreens.Names(await DisplayScreens.Json(client, "/api/v1/display/豫03?per=20")));
        var html = await client.GetStringAsync("/display/豫03?per=20");
        Assert.DoesNotContain("4127021984****1512", html);
        Assert.DoesNotContain(">张三<", html);
    }

    [Fact]
    public async Task A_display_operator_must_take_a_removed_entry_off_within_minutes()
    {
        var operatorKey = await ClientSupport.Register(_portal, "display", "takedown", name: "洛龙户外屏公司");
        var reprinterKey = await ClientSupport.Register(_portal, "reprinter", "feed,takedown", name: "某转载网");
        var screen = ClientSupport.WithKey(_portal, operatorKey.Key);
        var reprinter = ClientSupport.WithKey(_portal, reprinterKey.Key);
        await DisplayScreens.Json(screen, "/api/v1/display/豫0311?per=20");
        Assert.Equal(HttpStatusCode.OK, (await reprinter.GetAsync("/api/v1/changes")).StatusCode);
        await DisplayScreens.Json(_portal.CreateClient(), "/api/v1/display/豫0305?per=20"); // anonymous: no duty, no notice

        await _portal.ShieldAsync(DisplayScreens.Zhang);

        var notice = Assert.Single((await screen.GetFromJsonAsync<JsonElement>("/api/v1/takedowns?status=all")).EnumerateArray());
        Assert.Equal(DisplayScreens.Zhang, notice.GetProperty("caseNumber").GetString());
        var removedAt = notice.GetProperty("removedAt").GetDateTime();
        Assert.Equal(removedAt.AddMinutes(60), notice.GetProperty("dueAt").GetDateTime());
        Assert.Equal("open", notice.GetProperty("status").GetString());
        var reprinted = Assert.Single((await reprinter.GetFromJsonAsync<JsonElement>("/api/v1/takedowns?status=all")).EnumerateArray());
        Assert.False(reprinted.TryGetProperty("dueAt", out _));

        // 61 minutes later the screen's notice is overdue; the reprinter still has working days.
        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal("overdue", Assert.Single((await screen.GetFromJsonAsync<JsonElement>("/api/v1/takedowns")).EnumerateArray()).GetProperty("status").GetString());
        Assert.Equal("open", Assert.Single((await reprinter.GetFromJsonAsync<JsonElement>("/api/v1/takedowns")).EnumerateArray()).GetProperty("status").GetString());

        var row = (await _portal.Services.GetRequiredService<TakedownLedger>().ComplianceAsync()).Single(r => r.Name == "洛龙户外屏公司");
        Assert.Equal((60, 1, 0), (row.DeadlineMinutes, row.Overdue, row.Open));

        var admin = await Office.SignedIn(_portal, "admin1", StaffRoles.Admin);
        var page = await Office.Parse(await admin.GetStringAsync("/office/takedowns"));
        var display = page.QuerySelectorAll("table.grid").Single(t => t.QuerySelector("thead")!.TextContent.Contains("期限"));
        var cells = display.QuerySelector("tbody tr")!.Children.Select(c => c.TextContent.Trim()).ToArray();
        Assert.Equal(["洛龙户外屏公司", "60分钟", "0", "0", "0", "1"], cells);
        Assert.DoesNotContain("某转载网", display.TextContent);
    }

    [Fact]
    public async Task A_display_operators_acknowledgement_within_the_minutes_is_on_time_and_after_them_late()
    {
        var key = await ClientSupport.Register(_portal, "display", "takedown");
        var screen = ClientSupport.WithKey(_portal, key.Key);
        await DisplayScreens.Json(screen, "/api/v1/display/豫0311?per=20");
        await _portal.ShieldAsync(DisplayScreens.Zhang);
        await _portal.ShieldAsync(DisplayScreens.Hengda);
        var notices = (await screen.GetFromJsonAsync<JsonElement>("/api/v1/takedowns")).EnumerateArray().ToArray();
        Assert.Equal(2, notices.Length);

        _clock.Advance(TimeSpan.FromMinutes(59));
        var onTime = await (await screen.PostAsync($"/api/v1/takedowns/{notices[0].GetProperty("id").GetInt64()}/ack", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("acknowledged", onTime.GetProperty("status").GetString());
        _clock.Advance(TimeSpan.FromMinutes(2));
        var late = await (await screen.PostAsync($"/api/v1/takedowns/{notices[1].GetProperty("id").GetInt64()}/ack", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("late", late.GetProperty("status").GetString());
    }
}
