using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Tests.Support;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Clients;

/// <summary>The change feed against the public list: replaying it from cursor 0 gives exactly today's list.</summary>
public class ChangeFeedTests : IAsyncLifetime
{
    // Friday 20 November 2026, 10:00 in China.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory _portal;

    public ChangeFeedTests() => _portal = new PortalFactory { Clock = _clock };

    public static EntryInput Wang() => TestEntries.Person("王小明", "11010519491231002X", "（2018）京0105执77号");
    public static EntryInput Li() => TestEntries.Person("李四", "440304199001011233", "（2021）粤0305执10号");

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), Wang(), Li())).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private Task Apply(string caseNumber, EntryStep step) => _portal.ApplyAsync(caseNumber, step);

    private static async Task<List<JsonElement>> ReadAll(HttpClient client, int pageSize)
    {
        var events = new List<JsonElement>();
        long cursor = 0;
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/api/v1/changes?after={cursor}&limit={pageSize}");
            events.AddRange(page.GetProperty("events").EnumerateArray());
            var next = page.GetProperty("next").GetInt64();
            Assert.True(next >= cursor);
            cursor = next;
            if (!page.GetProperty("hasMore").GetBoolean()) return events;
        }
    }

    [Fact]
    public async Task Replaying_the_feed_from_zero_gives_todays_public_list()
    {
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime.AddHours(8));
        await Apply("（2019）豫0311执1234号", EntryActions.Shield(RemovalGround.Performed, today));
        var edited = Li();
        edited.Obligation = "被告偿还借款本金80000元。";
        edited.IdNumber = null; // kept as stored
        await Apply("（2021）粤0305执10号", EntryActions.Edit(edited, _portal.Services.GetRequiredService<IdNumberProtection>()));
        await Apply("（2018）京0105执77号", EntryActions.Revoke("纳入有误"));
        await Apply("（2019）豫0311执1234号", EntryActions.Republish("屏蔽有误"));
        await Apply("（2020）豫0311执2001号", EntryActions.Shield(RemovalGround.Settled, today));

        var unit = await ClientSupport.Register(_portal, "unit", "feed");
        var events = await ReadAll(ClientSupport.WithKey(_portal, unit.Key), pageSize: 2);

        var cursors = events.Select(e => e.GetProperty("cursor").GetInt64()).ToList();
        Assert.Equal(cursors.Order(), cursors);
        Assert.Equal(cursors.Count, cursors.Distinct().Count());
        Assert.Equal(["published", "published", "published", "published", "shielded", "updated", "revoked", "republished", "shielded"],
            events.Select(e => e.GetProperty("action").GetString()));

        var replayed = new Dictionary<string, string>();
        foreach (var e in events)
        {
            var publicId = e.GetProperty("publicId").GetString()!;
            if (e.GetProperty("entry").ValueKind == JsonValueKind.Object) replayed[publicId] = e.GetProperty("entry").GetRawText();
            else if (e.GetProperty("action").GetString() is "shielded" or "revoked" or "expired" or "withdrawn") replayed.Remove(publicId);
        }

        var list = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?pageSize=100");
        var expected = list.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("publicId").GetString()!, i => i.GetRawText());
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.OrderBy(p => p.Key), replayed.OrderBy(p => p.Key));
        Assert.Contains("80000", replayed.Values.Single(v => v.Contains("李四")));
    }

    [Fact]
    public async Task Removal_events_carry_no_personal_data_and_the_takedown_deadline_in_working_days()
    {
        await Apply("（2018）京0105执77号", EntryActions.Revoke("纳入有误"));
        var unit = await ClientSupport.Register(_portal, "unit", "feed");
        var events = await ReadAll(ClientSupport.WithKey(_portal, unit.Key), pageSize: 100);

        var revoked = events.Single(e => e.GetProperty("action").GetString() == "revoked");
        Assert.Equal(JsonValueKind.Null, revoked.GetProperty("entry").ValueKind);
        Assert.Equal("（2018）京0105执77号", revoked.GetProperty("caseNumber").GetString());
        Assert.Equal("北京市朝阳区人民法院", revoked.GetProperty("court").GetString()); // the court of 京0105
        // Removed on Friday 20 November: Monday 23, Tuesday 24, Wednesday 25 November are the three working days.
        Assert.Equal("2026-11-25", revoked.GetProperty("takedownDueOn").GetString());
        Assert.NotEqual(JsonValueKind.Null, revoked.GetProperty("revokedAt").ValueKind);
        var raw = revoked.GetRawText();
        Assert.DoesNotContain("王小明", raw);
        Assert.DoesNotContain("1101051949", raw);

        // Its earlier "published" event no longer carries what was published: the entry is gone from every surface.
        var published = events.Single(e => e.GetProperty("action").GetString() == "published" && e.GetProperty("caseNumber").GetString() == "（2018）京0105执77号");
        Assert.Equal(JsonValueKind.Null, published.GetProperty("entry").ValueKind);
        Assert.DoesNotContain(events, e => e.GetRawText().Contains("王小明"));
    }

    [Theory]
    [InlineData("after=-1", "invalid_cursor")]
    [InlineData("limit=0", "invalid_limit")]
    [InlineData("limit=1001", "invalid_limit")]
    public async Task Bad_feed_parameters_are_refused_with_a_code(string query, string code)
    {
        var unit = await ClientSupport.Register(_portal, "unit", "feed");
        var response = await ClientSupport.WithKey(_portal, unit.Key).GetAsync("/api/v1/changes?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_export_is_todays_list_with_the_cursor_to_follow_and_it_counts_as_received()
    {
        await Apply("（2018）京0105执77号", EntryActions.Revoke("纳入有误"));
        var reprinter = await ClientSupport.Register(_portal, "reprinter", "feed,takedown");
        var client = ClientSupport.WithKey(_portal, reprinter.Key);
        var response = await client.GetAsync("/api/v1/export");
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var cursor = long.Parse(response.Headers.GetValues("X-Feed-Cursor").Single());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var exported = lines.Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("publicId").GetString()!, e => e.GetRawText());

        var list = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?pageSize=100");
        var expected = list.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("publicId").GetString()!, i => i.GetRawText());
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.OrderBy(p => p.Key), exported.OrderBy(p => p.Key));
        var unit = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "unit", "feed")).Key);
        var feed = await unit.GetFromJsonAsync<JsonElement>("/api/v1/changes?after=0&limit=1000");
        Assert.Equal(feed.GetProperty("next").GetInt64(), cursor);

        // What went out in the export is what the reprinter must later take down.
        await Apply("（2021）粤0305执10号", EntryActions.Shield(RemovalGround.Performed, ChinaTime.Today(_clock)));
        var notice = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/api/v1/takedowns")).EnumerateArray());
        Assert.Equal("（2021）粤0305执10号", notice.GetProperty("caseNumber").GetString());
    }
}
