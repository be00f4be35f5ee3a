using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Data.Measures;
using Portal.Data.Persistence;
using Portal.Tests.Clients;
using Portal.Tests.Support;
using Portal.Web.Applications;
using Portal.Web.BackOffice;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Measures;

/// <summary>
/// Joint punishment through the API and the court's desk (issue #26): units report measures on public entries, each
/// removal lifts them with a working-day deadline, objections suspend them and come back with the court's outcome, and
/// every refusal changes nothing. Runs on SQLite here and on the real PostgreSQL in <see cref="MeasurePostgresTests"/>.
/// </summary>
public class MeasureTests : IAsyncLifetime
{
    private const string Zhang = "（2026）豫0311执901号";     // a person, published 18 November 2026
    private const string Hengda = "（2026）豫0311执902号";    // an organization, published 19 November 2026
    private const string Ending = "（2026）豫0311执903号";    // a person whose listing period ends 21 November 2026
    private const string Elsewhere = "（2026）豫0302执904号"; // a person listed by another court (洛阳市老城区)

    // Friday 20 November 2026, 10:00 in China.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory _portal;

    public MeasureTests() : this(postgres: false) { }

    protected MeasureTests(bool postgres) =>
        _portal = postgres ? new PostgresPortalFactory { Clock = _clock } : new PortalFactory { Clock = _clock };

    public async Task InitializeAsync()
    {
        var zhang = TestEntries.Person("张三", "412702198403151512", Zhang);
        zhang.PublishedAt = "2026-11-18";
        var hengda = TestEntries.Organization(caseNumber: Hengda);
        hengda.PublishedAt = "2026-11-19";
        var ending = TestEntries.Person("赵六", "110105194912310038", Ending);
        (ending.PublishedAt, ending.ListingEndsAt) = ("2026-11-10", "2026-11-21");
        var elsewhere = TestEntries.Person("孙七", "11010519491231002X", Elsewhere);
        (elsewhere.PublishedAt, elsewhere.Court) = ("2026-11-18", "洛阳市老城区人民法院");
        Assert.Empty((await _portal.ImportAsync(zhang, hengda, ending, elsewhere)).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    // ---- helpers ----

    private async Task<(HttpClient Http, long Id, string Name)> Unit(string name, string scopes = "measures", string? category = "transport", string? webhook = null)
    {
        _ = _portal.Server;
        var (issued, errors) = await _portal.Services.GetRequiredService<Portal.Web.Clients.ApiClients>().CreateAsync(new Portal.Web.Clients.ClientRegistration
        {
            Name = name, Kind = "unit", Scopes = scopes, Category = category, WebhookUrl = webhook,
        }, "test-admin");
        Assert.True(issued is not null, string.Join("；", errors));
        return (ClientSupport.WithKey(_portal, issued!.Key), issued.Client.Id, name);
    }

    private async Task<string> PublicIdOf(string caseNumber)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var key = CaseNumber.Key(caseNumber);
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.Where(e => e.CaseNumberKey == key).Select(e => e.PublicId).SingleAsync();
    }

    private async Task<T> Db<T>(Func<PortalDbContext, Task<T>> read)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>Rows that a refused request must not have touched: measures, lifts, feed events, deliveries, applications, audit.</summary>
    private Task<string> Footprint() => Db(async db =>
        $"{await db.Measures.CountAsync()}|{await db.Measures.CountAsync(m => m.Status == MeasureStatus.Active)}|{await db.MeasureLifts.CountAsync()}|" +
        $"{await db.MeasureLifts.CountAsync(l => l.LiftedOn != null)}|{await db.MeasureEvents.CountAsync()}|{await db.Applications.CountAsync()}|{await db.AuditRecords.CountAsync()}");

    private async Task<JsonElement> Record(HttpClient unit, string caseNumber, string measure = "flight", string appliedOn = "2026-11-19", string? subject = null,
        string? reference = null)
    {
        var response = await unit.PostAsJsonAsync("/api/v1/measures", new { publicId = await PublicIdOf(caseNumber), measure, appliedOn, subject, reference });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.GetRawText());
        return body;
    }

    private static async Task<JsonElement[]> Lifts(HttpClient unit, string status = "all") =>
        (await unit.GetFromJsonAsync<JsonElement>($"/api/v1/measures/lifts?status={status}")).EnumerateArray().ToArray();

    private static async Task<JsonElement[]> Events(HttpClient unit) =>
        (await unit.GetFromJsonAsync<JsonElement>("/api/v1/measures/events")).GetProperty("events").EnumerateArray().ToArray();

    private static async Task<(HttpStatusCode Status, string Code, string Detail, JsonElement Body)> Refusal(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body.GetProperty("code").GetString()!, body.GetProperty("detail").GetString()!, body);
    }

    private async Task<ClaimsPrincipal> Staff(string name, string role, string? court = null)
    {
        await Office.CreateUser(_portal, name, role, court);
        await using var scope = _portal.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(name))!;
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<StaffUser>>().CreateAsync(user);
    }

    private ApplicationDesk Desk => _portal.Services.GetRequiredService<ApplicationDesk>();

    // ---- the catalogue ----

    [Fact]
    public async Task The_catalogue_is_public_and_holds_the_seeds_measures_with_whom_they_reach()
    {
        var catalogue = (await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/measures/catalogue")).EnumerateArray().ToList();
        var codes = catalogue.Select(k => k.GetProperty("code").GetString()).ToList();
        foreach (var code in new[] { "flight", "high-speed-rail", "tendering", "government-procurement", "bond-issuance", "credit-strict-review", "soe-executive", "real-estate", "honours" })
            Assert.Contains(code, codes);
        var flight = catalogue.Single(k => k.GetProperty("code").GetString() == "flight");
        Assert.Equal("限制乘坐飞机", flight.GetProperty("name").GetString());
        Assert.Contains("legal-representative", flight.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
        Assert.Contains("法释〔2015〕17号", flight.GetProperty("legalBasis").GetString());
        var bonds = catalogue.Single(k => k.GetProperty("code").GetString() == "bond-issuance");
        Assert.Equal(["debtor-organization"], bonds.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task An_administrator_adds_and_retires_a_kind_and_a_retired_kind_takes_no_new_measures()
    {
        var kinds = _portal.Services.GetRequiredService<Portal.Web.Measures.MeasureKinds>();
        Assert.Equal("代码应为2–40位小写字母、数字或连字符，以字母开头，如 flight", await kinds.SaveAsync("Bad Code", "x", "y", ["debtor-person"], false, "admin"));
        Assert.Null(await kinds.SaveAsync("yacht", "限制购买游艇", "某市联合惩戒措施清单（测试）", ["debtor-person", "legal-representative"], false, "admin"));
        var (unit, _, _) = await Unit("某市交通运输局");
        await Record(unit, Zhang, "yacht");
        Assert.Null(await kinds.SaveAsync("yacht", "限制购买游艇", "某市联合惩戒措施清单（测试）", ["debtor-person", "legal-representative"], true, "admin"));
        var (status, code, detail, _) = await Refusal(await unit.PostAsJsonAsync("/api/v1/measures",
            new { publicId = await PublicIdOf(Elsewhere), measure = "yacht", appliedOn = "2026-11-19" }));
        Assert.Equal((HttpStatusCode.BadRequest, "measure_retired"), (status, code));
        Assert.Contains("已于2026年11月20日停用", detail);
        Assert.DoesNotContain("yacht", (await _portal.CreateClient().GetStringAsync("/api/v1/measures/catalogue")));
        Assert.Contains("yacht", (await _portal.CreateClient().GetStringAsync("/api/v1/measures/catalogue?all=true")));
        Assert.Equal(2, await Db(db => db.AuditRecords.CountAsync(a => a.Action == "measure-kind-changed" || a.Action == "measure-kind-added")));
    }

    // ---- reporting ----

    [Fact]
    public async Task A_unit_records_lists_and_withdraws_its_own_measures_and_another_units_answer_as_if_none_existed()
    {
        var (mine, _, _) = await Unit("某市住房和城乡建设局", category: "land-housing");
        var (other, _, _) = await Unit("某市公共资源交易中心", category: "procurement");
        var recorded = await Record(mine, Hengda, "real-estate", subject: "legal-representative", reference: "建房〔2026〕17号");
        Assert.Equal("active", recorded.GetProperty("status").GetString());
        Assert.Equal(Hengda, recorded.GetProperty("caseNumber").GetString());
        var id = recorded.GetProperty("id").GetInt64();

        Assert.Single((await mine.GetFromJsonAsync<JsonElement>("/api/v1/measures")).EnumerateArray());
        Assert.Empty((await other.GetFromJsonAsync<JsonElement>("/api/v1/measures")).EnumerateArray());
        // Another unit's measure and a number nobody has answer alike, word for word.
        var foreign = await Refusal(await other.DeleteAsync($"/api/v1/measures/{id}"));
        var none = await Refusal(await other.DeleteAsync($"/api/v1/measures/{id + 1000}"));
        Assert.Equal((HttpStatusCode.NotFound, "measure_not_found"), (foreign.Status, foreign.Code));
        Assert.Equal((foreign.Status, foreign.Code, foreign.Detail), (none.Status, none.Code, none.Detail));
        var foreignObjection = await Refusal(await other.PostAsJsonAsync($"/api/v1/measures/{id}/objection", new { grounds = "已履行" }));
        Assert.Equal((HttpStatusCode.NotFound, "measure_not_found"), (foreignObjection.Status, foreignObjection.Code));
        Assert.Equal("active", (await mine.GetFromJsonAsync<JsonElement>("/api/v1/measures"))[0].GetProperty("status").GetString());

        var withdrawn = await mine.DeleteAsync($"/api/v1/measures/{id}");
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var again = await Refusal(await mine.DeleteAsync($"/api/v1/measures/{id}"));
        Assert.Equal((HttpStatusCode.Conflict, "measure_not_in_force"), (again.Status, again.Code));
        Assert.Equal(["measure-recorded", "measure-withdrawn"],
            await Db(db => db.AuditRecords.Where(a => a.Action.StartsWith("measure-")).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync()));
        // The unit's own reference is for the unit: not in the audit log.
        Assert.False(await Db(db => db.AuditRecords.AnyAsync(a => a.Reason!.Contains("建房"))));
    }

    [Fact]
    public async Task Bad_input_gets_a_chinese_message_and_a_code_and_changes_nothing()
    {
        var (unit, _, _) = await Unit("某市发展和改革委员会", category: "finance");
        await Record(unit, Zhang, "flight");
        var before = await Footprint();
        var zhang = await PublicIdOf(Zhang);
        var hengda = await PublicIdOf(Hengda);
        var cases = new (object Body, HttpStatusCode Status, string Code)[]
        {
            (new { publicId = zhang, measure = "no-such-measure", appliedOn = "2026-11-19" }, HttpStatusCode.BadRequest, "unknown_measure"),
            (new { publicId = zhang, measure = "high-speed-rail", appliedOn = "2026-11-21" }, HttpStatusCode.BadRequest, "date_in_future"),
            (new { publicId = zhang, measure = "high-speed-rail", appliedOn = "19/11/2026" }, HttpStatusCode.BadRequest, "invalid_date"),
            (new { publicId = zhang, measure = "high-speed-rail", appliedOn = "2026-11-17" }, HttpStatusCode.BadRequest, "date_before_listing"),
            (new { publicId = zhang, measure = "high-speed-rail", appliedOn = "2026-11-19", subject = "legal-representative" }, HttpStatusCode.BadRequest, "subject_not_applicable"),
            (new { publicId = hengda, measure = "civil-service", appliedOn = "2026-11-19" }, HttpStatusCode.BadRequest, "subject_not_applicable"),
            (new { publicId = zhang, measure = "flight", appliedOn = "2026-11-20" }, HttpStatusCode.Conflict, "already_recorded"),
            (new { publicId = "nosuchentry0000", measure = "flight", appliedOn = "2026-11-19" }, HttpStatusCode.NotFound, "entry_not_found"),
            (new { publicId = zhang, measure = "tendering", appliedOn = "2026-11-19", reference = new string('号', 101) }, HttpStatusCode.BadRequest, "reference_too_long"),
        };
        foreach (var (body, expectedStatus, expectedCode) in cases)
        {
            var (status, code, detail, _) = await Refusal(await unit.PostAsJsonAsync("/api/v1/measures", body));
            Assert.True((expectedStatus, expectedCode) == (status, code), $"{JsonSerializer.Serialize(body)} → {status} {code}: {detail}");
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", detail);
        }
        var json = await Refusal(await unit.PostAsync("/api/v1/measures", new StringContent("{\"publicId\":", Encoding.UTF8, "application/json")));
        Assert.Equal("invalid_json", json.Code);
        Assert.Equal(before, await Footprint());
    }

    [Fact]
    public async Task A_removed_entry_takes_no_new_measure_and_answers_410_with_its_removal_date()
    {
        var (unit, _, _) = await Unit("某银行业监督管理分局", category: "finance");
        await _portal.ShieldAsync(Zhang);
        var before = await Footprint();
        var (status, code, detail, body) = await Refusal(await unit.PostAsJsonAsync("/api/v1/measures",
            new { publicId = await PublicIdOf(Zhang), measure = "credit-strict-review", appliedOn = "2026-11-19" }));
        Assert.Equal((HttpStatusCode.Gone, "entry_removed"), (status, code));
        Assert.Equal("2026-11-20", body.GetProperty("removedOn").GetString());
        Assert.Contains("2026年11月20日", detail);
        Assert.Equal(before, await Footprint());
    }

    [Fact]
    public async Task Keys_need_the_measures_scope_and_only_units_may_hold_it()
    {
        var (feedOnly, _, _) = await Unit("某市教育局", scopes: "feed", category: "education");
        var refused = await Refusal(await feedOnly.GetAsync("/api/v1/measures/lifts"));
        Assert.Equal((HttpStatusCode.Forbidden, "scope_missing"), (refused.Status, refused.Code));
        Assert.Equal(HttpStatusCode.Forbidden, (await feedOnly.PostAsJsonAsync("/api/v1/measures", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _portal.CreateClient().GetAsync("/api/v1/measures")).StatusCode);
        var (issued, errors) = await _portal.Services.GetRequiredService<Portal.Web.Clients.ApiClients>().CreateAsync(
            new Portal.Web.Clients.ClientRegistration { Name = "某银行", Kind = "bank", Scopes = "verify,measures" }, "admin");
        Assert.Null(issued);
        Assert.Contains("惩戒措施反馈权限（measures）只发给联合惩戒单位（unit）", errors);
    }

    [Fact]
    public async Task A_csv_batch_is_recorded_whole_or_not_at_all_with_each_bad_line_named()
    {
        var (unit, _, _) = await Unit("某市财政局", category: "procurement");
        var (zhang, hengda) = (await PublicIdOf(Zhang), await PublicIdOf(Hengda));
        var before = await Footprint();
        var bad = $"publicId,measure,appliedOn,subject,reference\r\n{zhang},government-procurement,2026-11-19,,采〔2026〕1号\r\n{hengda},government-procurement,2026-12-01,,\r\n{hengda},flying-carpet,2026-11-19,,\r\n";
        var (status, code, _, body) = await Refusal(await unit.PostAsync("/api/v1/measures/batch", new StringContent(bad, Encoding.UTF8, "text/csv")));
        Assert.Equal((HttpStatusCode.BadRequest, "batch_rejected"), (status, code));
        var errors = body.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal([(3, "date_in_future"), (4, "unknown_measure")], errors);
        Assert.Equal(before, await Footprint());

        var good = $"publicId,measure,appliedOn\n{zhang},government-procurement,2026-11-19\n{hengda},government-procurement,2026-11-20\n";
        var created = await unit.PostAsync("/api/v1/measures/batch", new StringContent(good, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(2, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("measures").GetArrayLength());
        Assert.Equal(2, (await unit.GetFromJsonAsync<JsonElement>("/api/v1/measures?status=active")).GetArrayLength());
    }

    // ---- lifting ----

    [Fact]
    public async Task Shielding_revoking_and_expiry_lift_every_measure_in_force_on_the_entry_with_a_working_day_deadline()
    {
        var (a, _, _) = await Unit("中国民用航空局某地区管理局", category: "transport");
        var (b, _, _) = await Unit("某铁路局集团公司", category: "transport");
        await Record(a, Zhang, "flight");
        await Record(b, Zhang, "high-speed-rail");
        await Record(a, Hengda, "flight", subject: "legal-representative");
        await Record(b, Ending, "high-speed-rail", appliedOn: "2026-11-11");

        await _portal.ShieldAsync(Zhang);
        var lift = Assert.Single(await Lifts(a));
        Assert.Equal((Zhang, "shielded", "open"), (lift.GetProperty("caseNumber").GetString(), lift.GetProperty("cause").GetString(), lift.GetProperty("status").GetString()));
        Assert.Equal("2026-11-25", lift.GetProperty("dueOn").GetString()); // 3 working days after Friday the 20th
        Assert.Equal("high-speed-rail", Assert.Single(await Lifts(b)).GetProperty("measure").GetString());
        Assert.Equal(["lifting", "active"], (await a.GetFromJsonAsync<JsonElement>("/api/v1/measures")).EnumerateArray().Select(m => m.GetProperty("status").GetString()));
        var feed = Assert.Single(await Events(a));
        Assert.Equal(("lift", lift.GetProperty("id").GetInt64()), (feed.GetProperty("type").GetString(), feed.GetProperty("lift").GetProperty("id").GetInt64()));
        Assert.DoesNotContain("张三", feed.GetRawText()); // the feed names the case, never the subject

        await _portal.ApplyAsync(Hengda, EntryActions.Revoke("复议认定纳入有误"));
        Assert.Equal(["shielded", "revoked"], (await Lifts(a)).Select(l => l.GetProperty("cause").GetString()));

        _clock.Advance(TimeSpan.FromDays(2)); // Sunday the 22nd: the listing period of 赵六 ended on the 21st
        Assert.Equal(1, await _portal.Services.GetRequiredService<ExpiryService>().ExpireDueAsync());
        var expired = (await Lifts(b)).Single(l => l.GetProperty("caseNumber").GetString() == Ending);
        Assert.Equal(("expired", "2026-11-25"), (expired.GetProperty("cause").GetString(), expired.GetProperty("dueOn").GetString())); // Mon, Tue, Wed
        Assert.Equal(3, await Db(db => db.AuditRecords.CountAsync(r => r.Action == "measure-lift-notices")));
    }

    [Fact]
    public async Task A_lift_is_confirmed_once_on_time_or_late_and_an_unconfirmed_one_becomes_overdue()
    {
        var (a, _, _) = await Unit("某市自然资源和规划局", category: "land-housing");
        var (b, _, _) = await Unit("某市市场监督管理局", category: "market");
        await Record(a, Zhang, "real-estate");
        await Record(a, Hengda, "real-estate");
        await Record(b, Zhang, "food-drug-industry");
        await _portal.ShieldAsync(Zhang);
        await _portal.ShieldAsync(Hengda);
        var lifts = await Lifts(a);
        var (first, second) = (lifts[0].GetProperty("id").GetInt64(), lifts[1].GetProperty("id").GetInt64());
        var others = Assert.Single(await Lifts(b)).GetProperty("id").GetInt64();

        var before = await Footprint();
        foreach (var (id, body, status, code) in new (long, object, HttpStatusCode, string)[]
                 {
                     (first, new { liftedOn = "2026-11-21" }, HttpStatusCode.BadRequest, "date_in_future"),
                     (first, new { liftedOn = "2026-11-19" }, HttpStatusCode.BadRequest, "date_before_notice"),
                     (first, new { liftedOn = "" }, HttpStatusCode.BadRequest, "lifted_on_required"),
                     (others, new { liftedOn = "2026-11-20" }, HttpStatusCode.NotFound, "lift_not_found"),
                 })
        {
            var refusal = await Refusal(await a.PostAsJsonAsync($"/api/v1/measures/lifts/{id}/ack", body));
            Assert.Equal((status, code), (refusal.Status, refusal.Code));
        }
        Assert.Equal(before, await Footprint());

        var ack = await a.PostAsJsonAsync($"/api/v1/measures/lifts/{first}/ack", new { liftedOn = "2026-11-20" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal("lifted", (await ack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var confirmed = await Footprint();
        var twice = await Refusal(await a.PostAsJsonAsync($"/api/v1/measures/lifts/{first}/ack", new { liftedOn = "2026-11-20" }));
        Assert.Equal((HttpStatusCode.Conflict, "already_acknowledged"), (twice.Status, twice.Code));
        Assert.Contains("不能重复确认", twice.Detail);
        Assert.Equal(confirmed, await Footprint());
        Assert.Equal("lifted", (await a.GetFromJsonAsync<JsonElement>("/api/v1/measures"))[0].GetProperty("status").GetString());

        _clock.Advance(TimeSpan.FromDays(6)); // Thursday the 26th: past the 25th
        Assert.Equal("overdue", (await Lifts(a, "open")).Single().GetProperty("status").GetString());
        Assert.Equal("overdue", Assert.Single(await Lifts(b)).GetProperty("status").GetString());
        var late = await a.PostAsJsonAsync($"/api/v1/measures/lifts/{second}/ack", new { liftedOn = "2026-11-26" });
        Assert.Equal("late", (await late.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty(await Lifts(a, "open"));

        // The office: the listing court sees the overdue lift on its entry; another court sees nothing of it.
        await using var own = await OfficeCircuit.SignInAsync(_portal, "wang", StaffRoles.Reviewer, "豫0311");
        var page = own.Render<Portal.Web.Components.Office.MeasureLifts>();
        page.WaitForAssertion(() => Assert.Contains("某市市场监督管理局", page.Find(".overdue-lifts").TextContent));
        Assert.Contains(Zhang, page.Find(".overdue-lifts").TextContent);
        await using var other = await OfficeCircuit.SignInAsync(_portal, "li", StaffRoles.Reviewer, "豫0302");
        var elsewhere = other.Render<Portal.Web.Components.Office.MeasureLifts>();
        elsewhere.WaitForAssertion(() => Assert.Contains("尚无惩戒措施解除通知", elsewhere.Markup));
        Assert.DoesNotContain("某市市场监督管理局", elsewhere.Markup);
    }

    [Fact]
    public async Task Republishing_an_entry_does_not_bring_back_its_lifted_measures()
    {
        var (unit, _, _) = await Unit("某市人力资源和社会保障局", category: "civil-service");
        var id = (await Record(unit, Zhang, "civil-service")).GetProperty("id").GetInt64();
        await _portal.ShieldAsync(Zhang);
        await _portal.ApplyAsync(Zhang, EntryActions.Republish("屏蔽有误，恢复公布"));
        var measure = (await unit.GetFromJsonAsync<JsonElement>("/api/v1/measures")).EnumerateArray().Single();
        Assert.Equal((id, "lifting"), (measure.GetProperty("id").GetInt64(), measure.GetProperty("status").GetString()));
        Assert.Single(await Events(unit)); // the lift; nothing told the unit to apply it again
        // Applying it again is the unit's own decision, recorded as a new measure.
        Assert.NotEqual(id, (await Record(unit, Zhang, "civil-service", appliedOn: "2026-11-20")).GetProperty("id").GetInt64());
    }

    // ---- objections ----

    [Fact]
    public async Task An_objection_suspends_the_measure_and_puts_a_forwarded_correction_in_the_listing_courts_queue()
    {
        var (unit, _, name) = await Unit("某市公安局出入境管理支队", category: "transport");
        var id = (await Record(unit, Zhang, "exit-restriction")).GetProperty("id").GetInt64();
        var empty = await Refusal(await unit.PostAsJsonAsync($"/api/v1/measures/{id}/objection", new { grounds = "  " }));
        Assert.Equal((HttpStatusCode.BadRequest, "grounds_required"), (empty.Status, empty.Code));

        var response = await unit.PostAsJsonAsync($"/api/v1/measures/{id}/objection", new { grounds = "被执行人称已于11月15日全部履行，提交了银行回单。" });
        var forwarded = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, forwarded.GetRawText());
        Assert.Equal("suspended", forwarded.GetProperty("measure").GetProperty("status").GetString());
        Assert.Equal("2026-11-23", forwarded.GetProperty("dueBy").GetString()); // the correction's review period: 3 days from the 20th

        var reviewer = await Staff("wang", StaffRoles.Reviewer, "豫0311");
        var item = Assert.Single(await Desk.QueueAsync(reviewer));
        Assert.Equal((Zhang, new DateOnly(2026, 11, 23)), (item.CaseNumber, item.DueBy));
        Assert.Equal($"{name}（限制出境）", item.ForwardedBy);
        Assert.Empty(await Desk.QueueAsync(await Staff("li", StaffRoles.Reviewer, "豫0302")));
        // The subject follows it with the tracking code the unit hands over; no message goes to any contact.
        var tracked = await _portal.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/applications/{forwarded.GetProperty("trackingCode").GetString()}");
        Assert.Equal("received", tracked.GetProperty("status").GetString());
        Assert.Equal(0, await Db(db => db.Notifications.CountAsync()));
        var again = await Refusal(await unit.PostAsJsonAsync($"/api/v1/measures/{id}/objection", new { grounds = "再次异议" }));
        Assert.Equal((HttpStatusCode.Conflict, "measure_not_active"), (again.Status, again.Code));
        Assert.Equal(["application-received", "measure-suspended"],
            await Db(db => db.AuditRecords.Where(a => a.Action == "application-received" || a.Action == "measure-suspended").OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync()));
    }

    private async Task<(HttpClient Unit, long Measure, long Application)> Objected(string unitName, string measure = "flight")
    {
        var (unit, _, _) = await Unit(unitName);
        var id = (await Record(unit, Zhang, measure)).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await unit.PostAsJsonAsync($"/api/v1/measures/{id}/objection", new { grounds = "信息有误" })).StatusCode);
        var application = await Db(db => db.Applications.Where(a => a.MeasureId == id).Select(a => a.Id).SingleAsync());
        return (unit, id, application);
    }

    [Fact]
    public async Task A_refused_objection_resumes_the_measure_and_tells_the_unit()
    {
        var (unit, id, application) = await Objected("某航空公司");
        Assert.Null(await Desk.DecideAsync(await Staff("wang", StaffRoles.Reviewer, "豫0311"), application, new ApplicationDecision(false, "经核实，被执行人尚未履行")));
        var resumed = Assert.Single(await Events(unit));
        Assert.Equal(("resumed", id, "active"), (resumed.GetProperty("type").GetString(), resumed.GetProperty("measure").GetProperty("id").GetInt64(),
            resumed.GetProperty("measure").GetProperty("status").GetString()));
        Assert.Empty(await Lifts(unit));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync(Zhang));
    }

    [Fact]
    public async Task An_objection_accepted_by_revoking_the_entry_lifts_every_units_measure_on_it()
    {
        var (unit, _, application) = await Objected("某航空公司");
        var (bystander, _, _) = await Unit("某铁路局");
        await Record(bystander, Zhang, "high-speed-rail");
        Assert.Null(await Desk.DecideAsync(await Staff("wang", StaffRoles.Reviewer, "豫0311"), application, new ApplicationDecision(true, "纳入名单有误")));
        Assert.Equal(EntryStatus.Revoked, await _portal.StatusOfAsync(Zhang));
        Assert.Equal("revoked", Assert.Single(await Lifts(unit)).GetProperty("cause").GetString());
        Assert.Equal("revoked", Assert.Single(await Lifts(bystander)).GetProperty("cause").GetString());
    }

    [Fact]
    public async Task An_objection_accepted_as_corrected_lifts_that_measure_only()
    {
        var (unit, id, application) = await Objected("某航空公司");
        var (bystander, _, _) = await Unit("某铁路局");
        await Record(bystander, Zhang, "high-speed-rail");
        Assert.Null(await Desk.DecideAsync(await Staff("wang", StaffRoles.Reviewer, "豫0311"), application,
            new ApplicationDecision(true, "更正履行情况", Revoke: false)));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync(Zhang));
        var lift = Assert.Single(await Lifts(unit));
        Assert.Equal(("objection_accepted", id, "2026-11-25"), (lift.GetProperty("cause").GetString(), lift.GetProperty("measureId").GetInt64(), lift.GetProperty("dueOn").GetString()));
        Assert.Equal("lift", Assert.Single(await Events(unit)).GetProperty("type").GetString());
        Assert.Empty(await Lifts(bystander));
        Assert.Equal("active", (await bystander.GetFromJsonAsync<JsonElement>("/api/v1/measures"))[0].GetProperty("status").GetString());
    }
}

/// <summary>The same on the real PostgreSQL server.</summary>
public sealed class MeasurePostgresTests() : MeasureTests(postgres: true);
