using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Clients;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Clients;

/// <summary>Reprinters' takedown notices: who gets one, its working-day deadline, acknowledgement, compliance, page re-check.</summary>
public class TakedownTests : IAsyncLifetime
{
    private const string Zhang = "（2019）豫0311执1234号";
    private const string Hengda = "（2020）豫0311执2001号";

    // Friday 20 November 2026, 10:00 in China.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory _portal;

    // The reprinter's site runs on loopback in these tests; internal addresses are refused unless allow-listed.
    public TakedownTests() => _portal = new PortalFactory { Clock = _clock, Settings = new() { ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8" } };

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private DateOnly Today => ChinaTime.Today(_clock);

    private Task Remove(string caseNumber) => _portal.ShieldAsync(caseNumber);

    private static async Task<JsonElement[]> Notices(HttpClient client, string status = "all") =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/v1/takedowns?status={status}")).EnumerateArray().ToArray();

    [Fact]
    public async Task A_removal_gives_notice_to_each_reprinter_that_received_the_entry_and_nobody_else()
    {
        var received = await ClientSupport.Register(_portal, "reprinter", "feed,takedown");
        var never = await ClientSupport.Register(_portal, "reprinter", "feed,takedown");
        var unit = await ClientSupport.Register(_portal, "unit", "feed,takedown");
        var reprinter = ClientSupport.WithKey(_portal, received.Key);
        Assert.Equal(HttpStatusCode.OK, (await reprinter.GetAsync("/api/v1/changes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, unit.Key).GetAsync("/api/v1/changes")).StatusCode);

        await Remove(Zhang);

        var notice = Assert.Single(await Notices(reprinter));
        Assert.Equal(Zhang, notice.GetProperty("caseNumber").GetString());
        Assert.Equal("shielded", notice.GetProperty("action").GetString());
        Assert.Equal("2026-11-25", notice.GetProperty("dueOn").GetString()); // 3 working days after Friday the 20th
        Assert.Equal("open", notice.GetProperty("status").GetString());
        Assert.DoesNotContain("张三", notice.GetRawText());
        Assert.Empty(await Notices(ClientSupport.WithKey(_portal, never.Key)));
        Assert.Empty(await Notices(ClientSupport.WithKey(_portal, unit.Key)));
    }

    [Fact]
    public async Task Acknowledgements_count_on_time_or_late_and_only_the_addressee_can_give_one()
    {
        var first = await ClientSupport.Register(_portal, "reprinter", "feed,takedown", name: "甲转载网");
        var second = await ClientSupport.Register(_portal, "reprinter", "feed,takedown", name: "乙转载网");
        var a = ClientSupport.WithKey(_portal, first.Key);
        var b = ClientSupport.WithKey(_portal, second.Key);
        await a.GetAsync("/api/v1/changes");
        await b.GetAsync("/api/v1/changes");
        await Remove(Zhang);
        await Remove(Hengda);

        var aNotices = await Notices(a);
        Assert.Equal(2, aNotices.Length);
        var zhangId = aNotices.Single(n => n.GetProperty("caseNumber").GetString() == Zhang).GetProperty("id").GetInt64();
        var hengdaId = aNotices.Single(n => n.GetProperty("caseNumber").GetString() == Hengda).GetProperty("id").GetInt64();

        // Another reprinter cannot acknowledge for this one.
        var foreign = await b.PostAsync($"/api/v1/takedowns/{zhangId}/ack", null);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("takedown_not_found", (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var ack = await (await a.PostAsync($"/api/v1/takedowns/{zhangId}/ack", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("acknowledged", ack.GetProperty("status").GetString());
        var firstTime = ack.GetProperty("acknowledgedAt").GetString();
        _clock.Advance(TimeSpan.FromHours(1));
        var again = await (await a.PostAsync($"/api/v1/takedowns/{zhangId}/ack", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(firstTime, again.GetProperty("acknowledgedAt").GetString());
        Assert.Single(await Notices(a, "open"));

        // Thursday the 26th, 10:00: the deadline (end of the 25th) has passed.
        _clock.Advance(TimeSpan.FromDays(6) - TimeSpan.FromHours(1));
        Assert.Equal("overdue", (await Notices(a, "open")).Single().GetProperty("status").GetString());
        var late = await (await a.PostAsync($"/api/v1/takedowns/{hengdaId}/ack", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("late", late.GetProperty("status").GetString());

        var compliance = await _portal.Services.GetRequiredService<TakedownLedger>().ComplianceAsync();
        var rowA = compliance.Single(c => c.Name == "甲转载网");
        Assert.Equal((0, 1, 1, 0), (rowA.Open, rowA.OnTime, rowA.Late, rowA.Overdue));
        var rowB = compliance.Single(c => c.Name == "乙转载网");
        Assert.Equal((0, 0, 0, 2), (rowB.Open, rowB.OnTime, rowB.Late, rowB.Overdue));

        // The administrator's view shows the same, as a chart with its table.
        var admin = await Office.SignedIn(_portal, "admin1", StaffRoles.Admin);
        var page = await Office.Parse(await admin.GetStringAsync("/office/takedowns"));
        Assert.NotNull(page.QuerySelector("figure.chart .mud-chart svg"));
        var cells = page.QuerySelectorAll("figure.chart table tbody tr")
            .ToDictionary(r => r.Children[0].TextContent, r => string.Join(",", r.Children.Skip(1).Select(c => c.TextContent)));
        Assert.Equal("0,1,1,0,2", cells["甲转载网"]);
        Assert.Equal("0,0,0,2,2", cells["乙转载网"]);
        var clerk = await Office.SignedIn(_portal, "clerk1", StaffRoles.Clerk);
        Assert.Equal(HttpStatusCode.Redirect, (await clerk.GetAsync("/office/takedowns")).StatusCode);
    }

    [Fact]
    public async Task An_entry_removed_while_a_reprinter_was_reading_still_gets_its_notice()
    {
        var reprinter = await ClientSupport.Register(_portal, "reprinter", "feed,takedown");
        var ledger = _portal.Services.GetRequiredService<TakedownLedger>();
        var page = await _portal.Services.GetRequiredService<ChangeFeed>().ReadAsync(0, 100); // read while still public...
        await Remove(Zhang);                                                                   // ...removed before the receipt is recorded
        await ledger.RecordReceiptsAsync(reprinter.Client.Id, page.Delivered, "feed");
        var notice = Assert.Single(await ledger.ListAsync(reprinter.Client.Id, openOnly: true));
        Assert.Equal(Zhang, notice.CaseNumber);
    }

    [Fact]
    public async Task After_the_deadline_the_reprinters_page_is_checked_for_the_case_number()
    {
        await using var site = await LoopbackServer.StartAsync(servesPages: true);
        site.Pages["/laolai/" + Zhang] = $"<html><body><table><tr><td>张三</td><td>(2019)豫0311执1234号</td></tr></table></body></html>";
        site.Pages["/laolai/" + Hengda] = "<html><body>暂无</body></html>";
        var reprinter = await ClientSupport.Register(_portal, "reprinter", "feed,takedown", pagePattern: site.BaseUrl + "/laolai/{caseNumber}");
        await ClientSupport.WithKey(_portal, reprinter.Key).GetAsync("/api/v1/changes");
        await Remove(Zhang);
        await Remove(Hengda);
        var recheck = _portal.Services.GetRequiredService<TakedownRecheck>();

        Assert.Equal(0, await recheck.CheckDueAsync()); // not before the deadline
        _clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal(2, await recheck.CheckDueAsync());
        Assert.Equal(0, await recheck.CheckDueAsync()); // each notice once

        await using var scope = _portal.Services.CreateAsyncScope();
        var notices = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().TakedownNotices.AsNoTracking().ToDictionaryAsync(n => n.CaseNumber);
        Assert.True(notices[Zhang].StillShown);
        Assert.False(notices[Hengda].StillShown);
        Assert.Equal(2, site.Requests.Count);
        Assert.Equal(1, (await _portal.Services.GetRequiredService<TakedownLedger>().ComplianceAsync()).Single().StillShown);
    }

    [Theory]
    [InlineData("<td>（2019）豫0311执1234号</td>", true)]
    [InlineData("<td>〔2019〕豫0311执1234号</td>", true)]
    [InlineData("<td>( 2019 )豫0311执1234</td>", true)]
    [InlineData("<td>（2019）豫0311执12345号</td>", false)]
    [InlineData("<td>（2019）豫0311执123号</td>", false)]
    public void The_case_number_is_recognised_in_any_bracket_form(string html, bool shown) =>
        Assert.Equal(shown, TakedownRecheck.Shows(html, Zhang));
}
