using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Applications;
using Portal.Data.Audit;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Clients;
using Portal.Tests.Support;
using Portal.Web.Applications;
using Portal.Web.BackOffice;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Applications;

/// <summary>Due process online through the API and the court's desk: identity, deadlines, idempotency, decisions, limits.</summary>
public class ApplicationDeskTests : IAsyncLifetime
{
    private const string Zhang = "（2026）豫0311执801号";        // published two days ago: within the 10 days
    private const string ZhangId = "412702198403151512";
    private const string Old = "（2019）豫0311执1234号";         // published in 2019
    private const string Hidden = "（2026）豫0311执802号";       // not to be made public by law
    private const string Hengda = "（2026）豫0311执803号";

    // Friday 20 November 2026, 10:00 in China.
    private readonly TestClock _clock = new(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero));
    private readonly PortalFactory _portal;

    public ApplicationDeskTests() : this(postgres: false) { }

    protected ApplicationDeskTests(bool postgres)
    {
        var settings = new Dictionary<string, string> { ["Notifications:PollSeconds"] = "3600" }; // the tests run the outbox themselves
        _portal = postgres ? new PostgresPortalFactory { Clock = _clock, Settings = settings } : new PortalFactory { Clock = _clock, Settings = settings };
    }

    public async Task InitializeAsync()
    {
        var zhang = TestEntries.Person("张三", ZhangId, Zhang);
        zhang.PublishedAt = "2026-11-18";
        var hidden = TestEntries.Person("李四", "11010519491231002X", Hidden);
        hidden.PublishedAt = "2026-11-18";
        var hengda = TestEntries.Organization(caseNumber: Hengda);
        hengda.PublishedAt = "2026-11-19";
        Assert.Empty((await _portal.ImportAsync(zhang, TestEntries.Person("王五", "110105194912310038", Old), hidden, hengda)).Rejected);
        await _portal.ApplyAsync(Hidden, EntryActions.MarkNonPublic("某某单位", "涉及未成年人"));
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private HttpClient Client => _portal.CreateClient();

    private static object Correction(string caseNumber = Zhang, string? id = ZhangId, string contact = "13812345678") =>
        new { kind = "correction", caseNumber, idNumber = id, grounds = new[] { "not-dishonest" }, text = "已于立案前全部履行。", contact };

    private async Task<HttpResponseMessage> Post(object body, string? idempotencyKey = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/applications") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await (client ?? Client).SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage r) => await r.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<T> Db<T>(Func<PortalDbContext, Task<T>> read)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>A signed-in staff member's principal as a real sign-in issues it (the desk re-checks its stamp and roles).</summary>
    private async Task<ClaimsPrincipal> Staff(string name, string role, string? court = null)
    {
        await Office.CreateUser(_portal, name, role, court);
        await using var scope = _portal.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(name))!;
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<StaffUser>>().CreateAsync(user);
    }

    private ApplicationDesk Desk => _portal.Services.GetRequiredService<ApplicationDesk>();

    private async Task<long> ApplicationIdOf(string trackingCode)
    {
        var hash = TrackingCode.Hash(TrackingCode.Normalize(trackingCode)!);
        return await Db(db => db.Applications.Where(a => a.TrackingHash == hash).Select(a => a.Id).SingleAsync());
    }

    private async Task<int> SearchTotal(string q) =>
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/entries?q={Uri.EscapeDataString(q)}")).GetProperty("total").GetInt32();

    [Fact]
    public async Task A_correction_is_received_with_a_tracking_code_and_its_3_day_deadline_and_can_be_tracked()
    {
        var response = await Post(Correction());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        var code = body.GetProperty("trackingCode").GetString()!;
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", code);
        Assert.Equal("2026-11-23", body.GetProperty("dueBy").GetString()); // 3 calendar days from Friday
        Assert.Equal($"/api/v1/applications/{code}", response.Headers.Location!.OriginalString);

        var tracked = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{code.Replace("-", "").ToLowerInvariant()}");
        Assert.Equal("received", tracked.GetProperty("status").GetString());
        Assert.Equal(Zhang, tracked.GetProperty("caseNumber").GetString());
        Assert.Single(tracked.GetProperty("history").EnumerateArray());
        Assert.DoesNotContain(ZhangId, tracked.GetRawText());
        Assert.DoesNotContain("13812345678", tracked.GetRawText());

        // Stored: no identity number and no contact in clear; one message queued for the applicant.
        var stored = await Db(db => db.Applications.SingleAsync());
        Assert.DoesNotContain("5678", stored.ContactCipher);
        Assert.Equal("138****5678", stored.ContactMasked);
        Assert.Equal(1, await Db(db => db.Notifications.CountAsync(n => n.ApplicationId == stored.Id)));
        if (_portal.PostgresConnectionString is null)
        {
            var raw = await File.ReadAllBytesAsync(Path.Combine(_portal.DataDirectory, "portal.db"));
            Assert.Equal(-1, System.Text.Encoding.ASCII.GetString(raw).IndexOf(ZhangId, StringComparison.Ordinal));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/applications/0000-0000-0000-0000")).StatusCode);
    }

    [Fact]
    public async Task Sending_the_same_application_again_gives_the_same_receipt_and_no_second_application()
    {
        var first = await Post(Correction(), "retry-1");
        var again = await Post(Correction(), "retry-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((await Json(first)).GetProperty("trackingCode").GetString(), (await Json(again)).GetProperty("trackingCode").GetString());
        Assert.Equal(1, await Db(db => db.Applications.CountAsync()));

        // A different submission for the same entry while the first is open is refused, not duplicated.
        var other = await Post(Correction(), "retry-2");
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("already_applied", (await Json(other)).GetProperty("code").GetString());
        Assert.Equal(1, await Db(db => db.Applications.CountAsync()));
    }

    [Fact]
    public async Task Submissions_sent_at_the_same_moment_are_counted_once()
    {
        var same = await Task.WhenAll(Post(Correction(), "double-click"), Post(Correction(), "double-click"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], same.Select(r => r.StatusCode).Order());
        Assert.Equal(1, await Db(db => db.Applications.CountAsync()));

        var hengda = new { kind = "complaint", caseNumber = Hengda, grounds = new[] { "wrong-info" }, contact = "13812345678" };
        var complaints = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Post(hengda, $"complaint-{i}")));
        Assert.Equal(5, complaints.Count(r => r.StatusCode == HttpStatusCode.Created)); // the per-entry limit holds under a race
        Assert.Equal(5, await Db(db => db.Applications.CountAsync(a => a.Kind == ApplicationKind.Complaint)));
    }

    [Fact]
    public async Task A_wrong_identity_answers_alike_for_a_real_case_an_unknown_case_and_a_hidden_entry()
    {
        var answers = new List<string>();
        foreach (var (caseNumber, id) in new[] { (Zhang, "412702198403161518"), ("（2026）豫0311执999号", ZhangId), (Hidden, "11010519491231002X") })
        {
            Assert.True(IdNumber.IsValid(id), id);
            var r = await Post(Correction(caseNumber, id));
            var body = await Json(r);
            answers.Add($"{(int)r.StatusCode} {body.GetProperty("code").GetString()} {body.GetProperty("detail").GetString()}");
        }
        Assert.Equal("identity_mismatch", answers[0].Split(' ')[1]);
        Assert.All(answers, a => Assert.Equal(answers[0], a)); // the hidden entry's true number included
        Assert.Equal(0, await Db(db => db.Applications.CountAsync()));
    }

    [Fact]
    public async Task Guessing_the_hidden_digits_closes_the_online_identity_check_of_the_entry()
    {
        foreach (var wrong in new[] { "412702198403161518", "412702198403171513", "412702198403181519" })
        {
            Assert.True(IdNumber.IsValid(wrong), wrong);
            Assert.Equal("identity_mismatch", (await Json(await Post(Correction(id: wrong)))).GetProperty("code").GetString());
        }
        var right = await Post(Correction());
        Assert.Equal((HttpStatusCode)429, right.StatusCode);
        Assert.Equal("identity_check_closed", (await Json(right)).GetProperty("code").GetString());

        // Someone else may have closed it: the court, after checking the person's papers, opens it again (reviewers of
        // the listing court only), and the person's own correction is taken.
        var id = await _portal.IdOfAsync(Zhang);
        Assert.NotNull(await Desk.ReopenIdentityCheckAsync(await Staff("clerk-reopen", StaffRoles.Clerk), id));
        Assert.NotNull(await Desk.ReopenIdentityCheckAsync(await Staff("rev-bj-reopen", StaffRoles.Reviewer, "京0105"), id));
        Assert.Null(await Desk.ReopenIdentityCheckAsync(await Staff("rev-reopen", StaffRoles.Reviewer), id));
        Assert.Equal(HttpStatusCode.Created, (await Post(Correction())).StatusCode);
        Assert.Equal(1, await Db(db => db.AuditRecords.CountAsync(r => r.Action == "identity-check-reopened" && r.Actor == "rev-reopen")));
    }

    [Fact]
    public async Task Out_of_time_is_the_answer_whether_the_number_is_right_or_wrong()
    {
        // 王五's entry was published in 2019: no correction can be taken, so the number is never looked at.
        var answers = new List<string>();
        foreach (var id in new[] { "110105194912310038", "110105194912300032" })
        {
            Assert.True(IdNumber.IsValid(id), id);
            var r = await Post(Correction(Old, id));
            var body = await Json(r);
            answers.Add($"{(int)r.StatusCode} {body.GetProperty("code").GetString()} {body.GetProperty("detail").GetString()}");
        }
        Assert.Equal("out_of_time", answers[0].Split(' ')[1]);
        Assert.Equal(answers[0], answers[1]);
        Assert.Equal(0, await Db(db => db.IdLookupMisses.CountAsync())); // and no guess was counted
    }

    [Fact]
    public async Task One_subjects_entries_and_forms_share_one_allowance_of_wrong_numbers()
    {
        // 张三 has a second entry published this week and a third already shielded (where credit repair is the form).
        var second = TestEntries.Person("张三", ZhangId, "（2026）豫0311执811号");
        second.PublishedAt = "2026-11-19";
        var third = TestEntries.Person("张三", ZhangId, "（2026）豫0311执812号");
        third.PublishedAt = "2026-11-01";
        Assert.Empty((await _portal.ImportAsync(second, third)).Rejected);
        await _portal.ShieldAsync("（2026）豫0311执812号", _clock);

        Assert.Equal("identity_mismatch", (await Json(await Post(Correction(Zhang, "412702198403161518")))).GetProperty("code").GetString());
        Assert.Equal("identity_mismatch", (await Json(await Post(Correction("（2026）豫0311执811号", "412702198403171513")))).GetProperty("code").GetString());
        var repair = new { kind = "credit_repair", caseNumber = "（2026）豫0311执812号", idNumber = "412702198403181519", grounds = new[] { "performed" }, text = "已履行", contact = "13812345678" };
        Assert.Equal("identity_mismatch", (await Json(await Post(repair))).GetProperty("code").GetString());

        // Three wrong numbers across two entries and two forms: the check is closed for 张三 everywhere, the true number too.
        var right = await Post(Correction("（2026）豫0311执811号"));
        Assert.Equal((HttpStatusCode)429, right.StatusCode);
        Assert.Equal("identity_check_closed", (await Json(right)).GetProperty("code").GetString());
        Assert.Equal(0, await Db(db => db.Applications.CountAsync()));
    }

    [Fact]
    public async Task Complaints_never_use_up_the_subjects_own_allowance()
    {
        object Complaint(int n) => new { kind = "complaint", caseNumber = Zhang, grounds = new[] { "wrong-info" }, text = $"投诉{n}", contact = "13812345678" };
        for (var n = 0; n < 5; n++) Assert.Equal(HttpStatusCode.Created, (await Post(Complaint(n))).StatusCode);
        Assert.Equal("too_many_for_entry", (await Json(await Post(Complaint(5)))).GetProperty("code").GetString()); // complaints have their own limit
        Assert.Equal(HttpStatusCode.Created, (await Post(Correction())).StatusCode); // the subject's correction is still taken
    }

    [Fact]
    public async Task A_correction_after_its_10_days_is_out_of_time_and_says_when_the_period_ended()
    {
        var r = await Post(Correction(Old, "110105194912310038"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        var body = await Json(r);
        Assert.Equal("out_of_time", body.GetProperty("code").GetString());
        Assert.Equal("2019-06-11", body.GetProperty("periodEnded").GetString());
        Assert.Contains("2019年6月11日", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Bad_input_gets_a_code_and_a_chinese_message_and_stores_nothing()
    {
        async Task Expect(object body, string code)
        {
            var r = await Post(body);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            var json = await Json(r);
            Assert.Equal(code, json.GetProperty("code").GetString());
            Assert.Matches("[\u4e00-\u9fff]", json.GetProperty("detail").GetString());
        }
        await Expect(new { kind = "appeal", caseNumber = Zhang }, "invalid_kind");
        await Expect(new { kind = "correction", caseNumber = "2019执1", idNumber = ZhangId, grounds = new[] { "other" }, contact = "13812345678" }, "invalid_case_number");
        await Expect(new { kind = "correction", caseNumber = Zhang, grounds = new[] { "other" }, contact = "13812345678" }, "identity_required");
        await Expect(new { kind = "correction", caseNumber = Zhang, idNumber = "412702198403151513", grounds = new[] { "other" }, contact = "13812345678" }, "invalid_id_number");
        await Expect(new { kind = "correction", caseNumber = Zhang, idNumber = ZhangId, grounds = new[] { "because" }, contact = "13812345678" }, "invalid_grounds");
        await Expect(new { kind = "correction", caseNumber = Zhang, idNumber = ZhangId, grounds = new[] { "other" }, contact = "12345" }, "invalid_contact");
        await Expect(new { kind = "correction", caseNumber = Zhang, idNumber = ZhangId, text = new string('长', 2001), contact = "13812345678" }, "text_too_long");
        var notJson = await Client.PostAsync("/api/v1/applications", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(0, await Db(db => db.Applications.CountAsync()));
    }

    [Fact]
    public async Task An_accepted_correction_revokes_the_entry_everywhere_and_tells_reprinters_and_the_applicant()
    {
        var reprinter = await ClientSupport.Register(_portal, "reprinter", "feed,takedown");
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, reprinter.Key).GetAsync("/api/v1/export")).StatusCode);
        Assert.Equal(1, await SearchTotal("张三"));
        var code = (await Json(await Post(Correction(contact: "zhangsan@example.com")))).GetProperty("trackingCode").GetString()!;
        var id = await ApplicationIdOf(code);

        var reviewer = await Staff("wang", StaffRoles.Reviewer);
        Assert.Equal("驳回须写明理由", await Desk.DecideAsync(reviewer, id, new ApplicationDecision(false, " ")));
        var clerk = await Staff("li", StaffRoles.Clerk);
        Assert.Contains("审核人", await Desk.DecideAsync(clerk, id, new ApplicationDecision(true, "执行依据已撤销")));
        var elsewhere = await Staff("zhao", StaffRoles.Reviewer, "豫0305");
        Assert.NotNull(await Desk.DecideAsync(elsewhere, id, new ApplicationDecision(true, "执行依据已撤销")));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync(Zhang));

        Assert.Null(await Desk.DecideAsync(reviewer, id, new ApplicationDecision(true, "执行依据已被撤销，不应纳入名单")));

        Assert.Equal(EntryStatus.Revoked, await _portal.StatusOfAsync(Zhang));
        Assert.Equal(0, await SearchTotal("张三"));
        Assert.Contains(Zhang, await Client.GetStringAsync("/notices"));
        var takedowns = await ClientSupport.WithKey(_portal, reprinter.Key).GetFromJsonAsync<JsonElement>("/api/v1/takedowns");
        Assert.Equal("revoked", Assert.Single(takedowns.EnumerateArray()).GetProperty("action").GetString());

        var tracked = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{code}");
        Assert.Equal("accepted", tracked.GetProperty("status").GetString());
        Assert.Contains("不应纳入名单", tracked.GetProperty("decision").GetString());
        Assert.Contains("已处理", await Desk.DecideAsync(reviewer, id, new ApplicationDecision(false, "再驳回")));

        // The revocation and the decision are one change in the audit chain, which still verifies.
        var audit = await Db(db => db.AuditRecords.OrderBy(r => r.Sequence).ToListAsync());
        var revoke = audit.Single(r => r.Action == "revoke");
        var accepted = audit.Single(r => r.Action == "application-accepted");
        Assert.Equal(revoke.Sequence + 1, accepted.Sequence);
        Assert.Contains($"纠正申请 #{id}", revoke.Reason);
        Assert.Null(await Db(db => AuditLog.VerifyAsync(db)));

        // The outbox tells the applicant twice (received, accepted); the file sender writes them to the data directory.
        Assert.Equal(2, await _portal.Services.GetRequiredService<NotificationOutbox>().RunOnceAsync());
        var files = Directory.GetFiles(Path.Combine(_portal.DataDirectory, "outbox"));
        Assert.Equal(2, files.Length);
        Assert.Contains(files.Select(File.ReadAllText), t => t.Contains("zhangsan@example.com") && t.Contains("纠正申请成立"));
        Assert.Equal(0, await _portal.Services.GetRequiredService<NotificationOutbox>().RunOnceAsync());
    }

    [Fact]
    public async Task A_refused_correction_may_go_to_the_court_above_within_10_days_which_decides_it()
    {
        var code = (await Json(await Post(Correction()))).GetProperty("trackingCode").GetString()!;
        var id = await ApplicationIdOf(code);
        var reviewer = await Staff("wang", StaffRoles.Reviewer);
        Assert.Null(await Desk.DecideAsync(reviewer, id, new ApplicationDecision(false, "拒不履行的事实清楚")));
        var tracked = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{code}");
        Assert.Equal("refused", tracked.GetProperty("status").GetString());
        Assert.Equal("2026-11-30", tracked.GetProperty("reconsiderationUntil").GetString());
        Assert.Contains("申请复议", await Client.GetStringAsync($"/track/{code}"));

        // Someone else's number cannot file it.
        Assert.Equal("identity_mismatch", (await Json(await Post(new { kind = "reconsideration", caseNumber = Hengda, creditCode = "91410311MA44L2K3X8", grounds = new[] { "other" }, contact = "13812345678" }))).GetProperty("code").GetString());
        var reconsideration = await Post(new { kind = "reconsideration", caseNumber = Zhang, idNumber = ZhangId, grounds = new[] { "not-dishonest" }, contact = "13812345678" });
        Assert.Equal(HttpStatusCode.Created, reconsideration.StatusCode);
        var body = await Json(reconsideration);
        Assert.Equal("2026-12-05", body.GetProperty("dueBy").GetString()); // 15 days
        var rid = await ApplicationIdOf(body.GetProperty("trackingCode").GetString()!);
        var twice = await Post(new { kind = "reconsideration", caseNumber = Zhang, idNumber = ZhangId, grounds = new[] { "other" }, contact = "13812345678" });
        Assert.Equal("already_applied", (await Json(twice)).GetProperty("code").GetString());

        // The listing court's reviewer does not see it; the court above does.
        Assert.DoesNotContain(await Desk.QueueAsync(reviewer), i => i.Id == rid);
        var superior = await Staff("zhou", StaffRoles.Superior);
        Assert.Contains(await Desk.QueueAsync(superior), i => i.Id == rid && i.Kind == ApplicationKind.Reconsideration);
        Assert.NotNull(await Desk.DecideAsync(reviewer, rid, new ApplicationDecision(true, "复议成立")));
        Assert.Null(await Desk.DecideAsync(superior, rid, new ApplicationDecision(true, "执行法院认定事实有误")));
        Assert.Equal(EntryStatus.Revoked, await _portal.StatusOfAsync(Zhang));
        Assert.Equal(0, await SearchTotal("张三"));
    }

    [Fact]
    public async Task A_correction_on_the_ground_of_full_performance_is_answered_by_shielding()
    {
        var code = (await Json(await Post(new { kind = "correction", caseNumber = Zhang, idNumber = ZhangId, grounds = new[] { "should-be-removed" },
            text = "已于11月19日全部履行。", contact = "13812345678" }))).GetProperty("trackingCode").GetString()!;
        var reviewer = await Staff("wang", StaffRoles.Reviewer);
        var id = await ApplicationIdOf(code);
        Assert.Equal("事由发生日期不能晚于今天", await Desk.DecideAsync(reviewer, id,
            new ApplicationDecision(true, "已全部履行") { Shield = (RemovalGround.Performed, new DateOnly(2026, 11, 30)) }));
        Assert.Null(await Desk.DecideAsync(reviewer, id, new ApplicationDecision(true, "经核实已全部履行") { Shield = (RemovalGround.Performed, new DateOnly(2026, 11, 19)) }));
        var entry = await Db(db => db.Entries.SingleAsync(e => e.CaseNumber == Zhang));
        Assert.Equal((EntryStatus.Shielded, RemovalGround.Performed, new DateOnly(2026, 11, 19)), (entry.Status, entry.RemovalGround, entry.TriggerEventDate));
        Assert.Equal(0, await SearchTotal("张三"));
        Assert.Contains("已屏蔽", (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{code}")).GetProperty("history")[1].GetProperty("note").GetString());
    }

    [Fact]
    public async Task A_correction_accepted_because_the_information_was_corrected_keeps_the_entry_listed()
    {
        var code = (await Json(await Post(Correction()))).GetProperty("trackingCode").GetString()!;
        Assert.Null(await Desk.DecideAsync(await Staff("wang", StaffRoles.Reviewer), await ApplicationIdOf(code),
            new ApplicationDecision(true, "未履行金额有误，已在条目中更正", Revoke: false)));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync(Zhang));
        Assert.Equal(1, await SearchTotal("张三"));
        var tracked = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{code}");
        Assert.Equal("纠正申请成立", tracked.GetProperty("statusLabel").GetString());
        Assert.DoesNotContain("撤销", tracked.GetProperty("history")[1].GetProperty("note").GetString());
    }

    [Fact]
    public async Task Reconsideration_after_its_10_days_is_out_of_time()
    {
        var code = (await Json(await Post(Correction()))).GetProperty("trackingCode").GetString()!;
        Assert.Null(await Desk.DecideAsync(await Staff("wang", StaffRoles.Reviewer), await ApplicationIdOf(code), new ApplicationDecision(false, "理由不成立")));
        _clock.Advance(TimeSpan.FromDays(11));
        var late = await Post(new { kind = "reconsideration", caseNumber = Zhang, idNumber = ZhangId, grounds = new[] { "other" }, contact = "13812345678" });
        var body = await Json(late);
        Assert.Equal("out_of_time", body.GetProperty("code").GetString());
        Assert.Equal("2026-11-30", body.GetProperty("periodEnded").GetString());
        Assert.Equal(JsonValueKind.Null, (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/applications/{code}")).GetProperty("reconsiderationUntil").ValueKind);
    }

    [Fact]
    public async Task The_queue_puts_overdue_applications_first_and_the_board_counts_them()
    {
        var late = (await Json(await Post(Correction()))).GetProperty("trackingCode").GetString()!;
        _clock.Advance(TimeSpan.FromDays(4)); // past the 3 days
        var complaint = await Post(new { kind = "complaint", caseNumber = Hengda, grounds = new[] { "wrong-info" }, text = "法定代表人姓名有误", contact = "13912345678" });
        Assert.Equal(HttpStatusCode.Created, complaint.StatusCode);
        Assert.Equal("2026-12-09", (await Json(complaint)).GetProperty("dueBy").GetString()); // 15 days from the 24th

        var reviewer = await Staff("wang", StaffRoles.Reviewer);
        var queue = await Desk.QueueAsync(reviewer);
        Assert.Equal([ApplicationKind.Correction, ApplicationKind.Complaint], queue.Select(i => i.Kind));
        Assert.Equal(1, queue[0].DaysLate);
        Assert.Equal(await ApplicationIdOf(late), queue[0].Id);
        var counts = await Desk.CountsAsync(reviewer);
        Assert.Equal(1, counts.Single(c => c.Kind == ApplicationKind.Correction).Overdue);
        Assert.Equal(1, counts.Single(c => c.Kind == ApplicationKind.Complaint).Upcoming);
        Assert.Empty(await Desk.QueueAsync(await Staff("zhao", StaffRoles.Reviewer, "豫0305")));
    }

    [Fact]
    public async Task Credit_repair_is_for_removed_entries_and_records_the_deciding_unit()
    {
        var apply = new { kind = "credit_repair", caseNumber = Hengda, creditCode = "91410311MA44L2K3X8", grounds = new[] { "performed" }, contact = "13812345678" };
        Assert.Equal("identity_mismatch", (await Json(await Post(apply))).GetProperty("code").GetString()); // still listed
        await _portal.ShieldAsync(Hengda, _clock);
        var r = await Post(apply);
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var receipt = await Json(r);
        Assert.Equal("2026-12-11", receipt.GetProperty("dueBy").GetString()); // 15 working days
        var code = receipt.GetProperty("trackingCode").GetString()!;
        var id = await ApplicationIdOf(code);
        var reviewer = await Staff("wang", StaffRoles.Reviewer);
        Assert.Equal("请填写作出信用修复决定的单位", await Desk.DecideAsync(reviewer, id, new ApplicationDecision(true, "已全部履行")));
        Assert.Null(await Desk.DecideAsync(reviewer, id, new ApplicationDecision(true, "已全部履行", DecidingUnit: "洛阳市洛龙区人民法院")));
        var view = (await Desk.TrackAsync(code))!.Value.View;
        Assert.Equal("准予信用修复", view.StatusLabel);
        Assert.Equal("洛阳市洛龙区人民法院", view.DecidingUnit);
    }

    [Fact]
    public async Task Complaints_need_no_identity_but_a_case_number_must_be_public_or_in_the_removal_notices()
    {
        var unknown = await Post(new { kind = "complaint", caseNumber = Hidden, grounds = new[] { "still-shown" }, contact = "13812345678" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown_case", (await Json(unknown)).GetProperty("code").GetString());
        var general = await Post(new { kind = "complaint", grounds = new[] { "reprinter" }, text = "某网站仍在转载已撤销的条目", contact = "a@example.com" });
        Assert.Equal(HttpStatusCode.Created, general.StatusCode);
        var id = await ApplicationIdOf((await Json(general)).GetProperty("trackingCode").GetString()!);
        var reviewer = await Staff("wang", StaffRoles.Reviewer);
        Assert.DoesNotContain(await Desk.QueueAsync(reviewer), i => i.Id == id); // no court: the administrators answer it
        var admin = await Staff("root", StaffRoles.Admin);
        Assert.Null(await Desk.DecideAsync(admin, id, new ApplicationDecision(false, "已通知该网站删除")));
        Assert.Equal(ApplicationStatus.Answered, await Db(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task One_address_and_one_entry_are_limited_per_day()
    {
        using var limited = new PortalFactory { Clock = _clock, Settings = new() { ["Applications:PerAddressPerDay"] = "2", ["Applications:PerEntryPerDay"] = "1" } };
        var hengda = TestEntries.Organization(caseNumber: Hengda);
        hengda.PublishedAt = "2026-11-19";
        Assert.Empty((await limited.ImportAsync(hengda)).Rejected);
        await limited.WaitUntilReadyAsync();
        var client = limited.CreateClient();
        object Complaint(string text) => new { kind = "complaint", caseNumber = Hengda, grounds = new[] { "wrong-info" }, text, contact = "13812345678" };
        Assert.Equal(HttpStatusCode.Created, (await Post(Complaint("一"), client: client)).StatusCode);
        var second = await Json(await Post(Complaint("二"), client: client));
        Assert.Equal("too_many_for_entry", second.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, (await Post(new { kind = "complaint", grounds = new[] { "other" }, text = "三", contact = "13812345678" }, client: client)).StatusCode);
        var third = await Post(new { kind = "complaint", grounds = new[] { "other" }, text = "四", contact = "13812345678" }, client: client);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Equal("rate_limited", (await Json(third)).GetProperty("code").GetString());
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.Created, (await Post(new { kind = "complaint", grounds = new[] { "other" }, text = "五", contact = "13812345678" }, client: client)).StatusCode);
    }
}

/// <summary>The same on a real PostgreSQL server (its locks, its translation of the queue's court filter).</summary>
public sealed class ApplicationDeskPostgresTests() : ApplicationDeskTests(postgres: true);
