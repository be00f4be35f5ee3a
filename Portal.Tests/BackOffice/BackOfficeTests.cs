using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.BackOffice;

namespace Portal.Tests.BackOffice;

/// <summary>The court back office over real HTTP: sign-in, roles, antiforgery and the lifecycle actions.</summary>
public class BackOfficeTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private static readonly HtmlParser Parser = new();

    public async Task InitializeAsync()
    {
        var draft = TestEntries.Person("王五", "440304199001011233", "（2021）粤0305执10号");
        draft.Status = "draft";
        draft.PublishedAt = null;
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), draft)).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private HttpClient NewClient() => Office.NewClient(_portal);

    private Task<string> CreateUser(string name, string role) => Office.CreateUser(_portal, name, role);

    private static Task<HttpResponseMessage> PostForm(HttpClient client, string url, string formName, Dictionary<string, string> fields) =>
        Office.PostForm(client, url, formName, fields);

    private Task<HttpClient> SignedIn(string name, string role) => Office.SignedIn(_portal, name, role);

    private Task<long> IdOf(string caseNumber) => _portal.IdOfAsync(caseNumber);

    private async Task<Entry> EntryOf(long id)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    [Theory]
    [InlineData("/office")]
    [InlineData("/office/entries")]
    [InlineData("/office/entries/1")]
    [InlineData("/office/bulk-shield")]
    [InlineData("/office/non-public")]
    [InlineData("/office/password")]
    public async Task Every_back_office_page_refuses_anonymous_visitors(string url)
    {
        var response = await NewClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/office/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_new_user_must_change_the_generated_password_before_anything_else()
    {
        var initial = await CreateUser("clerk-new", StaffRoles.Clerk);
        var client = NewClient();
        await PostForm(client, "/office/login", "login", new() { ["Name"] = "clerk-new", ["Password"] = initial });
        var blocked = await client.GetAsync("/office/entries");
        Assert.Equal("/office/password", blocked.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        var initial = await CreateUser("rev-lock", StaffRoles.Reviewer);
        var client = NewClient();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await PostForm(client, "/office/login", "login", new() { ["Name"] = "rev-lock", ["Password"] = "wrong-password-1A" });
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }
        var locked = await PostForm(client, "/office/login", "login", new() { ["Name"] = "rev-lock", ["Password"] = initial });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("账号已锁定", await locked.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_header_names_the_person_and_their_role_and_offers_only_what_they_may_open()
    {
        async Task<(string Who, List<string> Links)> Header(HttpClient client)
        {
            var page = Parser.ParseDocument(await client.GetStringAsync("/office"));
            return (page.QuerySelector(".office-header .who")!.TextContent, page.QuerySelectorAll(".office-header nav a").Select(a => a.TextContent).ToList());
        }
        var (clerkWho, clerkLinks) = await Header(await SignedIn("clerk-nav", StaffRoles.Clerk));
        Assert.Equal("clerk-nav · 书记员", clerkWho);
        Assert.Equal(["期限", "条目", "不宜公开通知", "退出"], clerkLinks);
        var (_, adminLinks) = await Header(await SignedIn("admin-nav", StaffRoles.Admin));
        Assert.Contains("用户", adminLinks);
        Assert.Contains("API 客户端", adminLinks);
        Assert.DoesNotContain("批量屏蔽", adminLinks);
    }

    [Fact]
    public async Task A_reviewer_shields_from_the_entry_page_and_the_public_sees_it_gone()
    {
        var client = await SignedIn("rev-a", StaffRoles.Reviewer);
        var id = await IdOf("（2019）豫0311执1234号");
        var publicId = (await EntryOf(id)).PublicId;
        var response = await PostForm(client, $"/office/entries/{id}", "shield", new() { ["ShieldGround"] = "performed", ["ShieldDate"] = "2026-11-20" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("已屏蔽", await response.Content.ReadAsStringAsync());
        Assert.Equal(EntryStatus.Shielded, (await EntryOf(id)).Status);
        Assert.Equal(HttpStatusCode.Gone, (await _portal.CreateClient().GetAsync($"/api/v1/entries/{publicId}")).StatusCode);

        // The entry's page tells its history from the audit log: who, when, what, why.
        var history = Parser.ParseDocument(await client.GetStringAsync($"/office/entries/{id}")).QuerySelectorAll("table.history tbody tr")
            .Select(tr => tr.Children.Skip(1).Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(["录入", "屏蔽"], history.Select(h => h[1]));
        Assert.Equal(["rev-a", "屏蔽", "被执行人已履行全部义务"], history[^1]);
    }

    [Fact]
    public async Task A_clerk_sees_no_shield_form_and_a_forged_post_is_refused()
    {
        var reviewer = await SignedIn("rev-b", StaffRoles.Reviewer);
        var id = await IdOf("（2019）豫0311执1234号");
        // Take a valid shield form from a reviewer's page, then post it with the clerk's own cookie and token.
        var clerk = await SignedIn("clerk-b", StaffRoles.Clerk);
        var page = await clerk.GetStringAsync($"/office/entries/{id}");
        Assert.DoesNotContain("value=\"shield\"", page);
        var token = Parser.ParseDocument(page).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var forged = await clerk.PostAsync($"/office/entries/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "shield", ["__RequestVerificationToken"] = token, ["ShieldGround"] = "performed", ["ShieldDate"] = "2026-11-20",
        }));
        // Blazor finds no "shield" form on a clerk's page (400); the handler's own role check would answer 403.
        Assert.Contains(forged.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Forbidden });
        Assert.Equal(EntryStatus.Published, (await EntryOf(id)).Status);
        Assert.NotNull(reviewer);
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_changes_nothing()
    {
        var client = await SignedIn("rev-c", StaffRoles.Reviewer);
        var id = await IdOf("（2019）豫0311执1234号");
        var response = await client.PostAsync($"/office/entries/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "shield", ["ShieldGround"] = "performed", ["ShieldDate"] = "2026-11-20",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(EntryStatus.Published, (await EntryOf(id)).Status);
    }

    [Fact]
    public async Task Publication_follows_risk_notice_by_a_clerk_and_approval_by_a_reviewer()
    {
        var id = await IdOf("（2021）粤0305执10号");
        var reviewer = await Office.SignedIn(_portal, "rev-d", StaffRoles.Reviewer, "粤0305"); // 王五's court
        var early = await PostForm(reviewer, $"/office/entries/{id}", "publish", []);
        Assert.Contains("发布前须登记已向被执行人发送风险提示", await early.Content.ReadAsStringAsync());
        var clerk = await Office.SignedIn(_portal, "clerk-d", StaffRoles.Clerk, "粤0305");
        await PostForm(clerk, $"/office/entries/{id}", "risk-notice", new() { ["ServedOn"] = "2026-11-02", ["ServiceMethod"] = "mail" });
        await PostForm(reviewer, $"/office/entries/{id}", "publish", []);
        var entry = await EntryOf(id);
        Assert.Equal(EntryStatus.Published, entry.Status);
        Assert.Equal((new DateOnly(2026, 11, 2), ServiceMethod.Mail), (entry.RiskNoticeServedOn, entry.RiskNoticeMethod));
        var page = Parser.ParseDocument(await reviewer.GetStringAsync($"/office/entries/{id}"));
        Assert.StartsWith("2026年11月2日邮寄送达", page.QuerySelectorAll("dl.fields dt").First(dt => dt.TextContent == "风险提示").NextElementSibling!.TextContent);
        var found = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("王五"));
        Assert.Equal(1, found.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_reviewer_of_another_court_is_refused_and_nothing_changes()
    {
        var id = await IdOf("（2019）豫0311执1234号");
        var other = await Office.SignedIn(_portal, "rev-other", StaffRoles.Reviewer, "郑州市金水区人民法院");
        var response = await PostForm(other, $"/office/entries/{id}", "shield", new() { ["ShieldGround"] = "performed", ["ShieldDate"] = "2026-11-20" });
        Assert.Contains("该条目属于洛阳市洛龙区人民法院，您所在的法院是郑州市金水区人民法院", await response.Content.ReadAsStringAsync());
        Assert.Equal(EntryStatus.Published, (await EntryOf(id)).Status);
    }

    [Fact]
    public async Task A_superior_court_decides_reconsiderations_only_for_the_courts_below_it()
    {
        var id = await IdOf("（2019）豫0311执1234号");
        var elsewhere = await Office.SignedIn(_portal, "sup-zz", StaffRoles.Superior, "豫01"); // Zhengzhou's intermediate court, not Luoyang's
        var refused = await PostForm(elsewhere, $"/office/entries/{id}", "reconsideration", new() { ["ReconsiderationDecision"] = "accepted", ["ReconsiderationReasons"] = "纳入有误" });
        Assert.Contains("不在豫01辖区中级人民法院的辖区内", await refused.Content.ReadAsStringAsync());
        Assert.Equal(EntryStatus.Published, (await EntryOf(id)).Status);

        var above = await Office.SignedIn(_portal, "sup-ly", StaffRoles.Superior, "豫03");
        await PostForm(above, $"/office/entries/{id}", "reconsideration", new() { ["ReconsiderationDecision"] = "accepted", ["ReconsiderationReasons"] = "纳入有误" });
        Assert.Equal(EntryStatus.Revoked, (await EntryOf(id)).Status);
    }

    [Fact]
    public async Task The_deadline_board_lists_overdue_events_and_charts_on_time_rates()
    {
        var clerk = await SignedIn("clerk-e", StaffRoles.Clerk);
        var id = await IdOf("（2020）豫0311执2001号");
        var today = ChinaTime.Today(TimeProvider.System);
        await PostForm(clerk, $"/office/entries/{id}", "removal-event", new() { ["EventGround"] = "settled", ["EventDate"] = today.AddDays(-5).ToString("yyyy-MM-dd") });
        var reviewer = await SignedIn("rev-e", StaffRoles.Reviewer);
        var late = await IdOf("（2019）豫0311执1234号");
        await PostForm(reviewer, $"/office/entries/{late}", "shield", new() { ["ShieldGround"] = "performed", ["ShieldDate"] = today.AddDays(-4).ToString("yyyy-MM-dd") });

        var board = Parser.ParseDocument(await reviewer.GetStringAsync("/office"));
        var overdue = board.QuerySelectorAll("section").First(s => s.QuerySelector("h2")!.TextContent.StartsWith("已逾期"));
        Assert.Contains("（2020）豫0311执2001号", overdue.TextContent);
        Assert.Contains("2 天", overdue.TextContent);
        var entryPage = Parser.ParseDocument(await reviewer.GetStringAsync($"/office/entries/{id}"));
        Assert.Equal("已逾期 2 天", entryPage.QuerySelector("dl.fields strong.late")!.TextContent);

        // Another court's reviewer sees their own court's clock, not Luoyang's.
        var zhengzhou = await Office.SignedIn(_portal, "rev-zz", StaffRoles.Reviewer, "豫0105");
        var theirs = Parser.ParseDocument(await zhengzhou.GetStringAsync("/office"));
        Assert.DoesNotContain("（2020）豫0311执2001号", theirs.Body!.TextContent);
        Assert.Contains("本页显示郑州市金水区人民法院的条目", theirs.Body!.TextContent);
        var chart = board.QuerySelector("figure.chart")!;
        Assert.Contains("洛阳市洛龙区人民法院", chart.QuerySelector(".mud-chart svg")!.TextContent); // the chart's axis
        var row = chart.QuerySelectorAll("table tbody tr").Single(r => r.TextContent.Contains("洛阳市洛龙区人民法院"));
        Assert.Contains("0%（0/1）", row.TextContent); // shielded 4 days after the event: late
    }

    [Fact]
    public async Task A_clerk_creates_a_draft_in_the_editor_and_bad_input_is_explained_without_saving()
    {
        var clerk = await SignedIn("clerk-h", StaffRoles.Clerk);
        var bad = await PostForm(clerk, "/office/entries/new", "entry", NewEntryFields("赵新", "412702198403151516"));
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("身份证号码校验位错误：第18位应为 2", badHtml);
        Assert.DoesNotContain("412702198403151516", badHtml); // the typed number is not echoed back
        var form = Parser.ParseDocument(badHtml);
        var link = form.QuerySelector(".field-errors a[href='#idNumber']")!; // the field is named in Chinese and linked
        Assert.Equal("身份证号码", link.TextContent);
        Assert.NotNull(form.QuerySelector("#idNumber"));
        Assert.Equal("赵新", form.QuerySelector("#name")!.GetAttribute("value")); // what was typed is kept
        Assert.Contains("未保存", form.QuerySelector("[role=alert]")!.TextContent);
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.AnyAsync(e => e.Name == "赵新"));

        var good = await PostForm(clerk, "/office/entries/new", "entry", NewEntryFields("赵新", "412702198403151512"));
        Assert.Equal(HttpStatusCode.Redirect, good.StatusCode);
        var id = await IdOf("（2022）豫0311执500号");
        var entry = await EntryOf(id);
        Assert.Equal(EntryStatus.Draft, entry.Status);
        Assert.Equal("4127021984****1512", entry.IdNumberMasked);
        Assert.Equal($"/office/entries/{id}?saved=1", good.Headers.Location!.PathAndQuery);
        Assert.Contains("已保存", Parser.ParseDocument(await clerk.GetStringAsync(good.Headers.Location!.PathAndQuery)).QuerySelector("[role=status]")!.TextContent);
    }

    [Fact]
    public async Task A_court_that_contradicts_the_case_number_is_named_and_linked()
    {
        var clerk = await SignedIn("clerk-court", StaffRoles.Clerk);
        var fields = NewEntryFields("钱多", "412702198403151512");
        fields["court"] = "郑州市金水区人民法院";
        var page = Parser.ParseDocument(await (await PostForm(clerk, "/office/entries/new", "entry", fields)).Content.ReadAsStringAsync());
        var item = page.QuerySelectorAll(".field-errors li").Single(li => li.QuerySelector("a[href='#court']") is not null);
        Assert.Equal("执行法院：案号中的法院代字“豫0311”属于洛阳市洛龙区人民法院，与所填执行法院“郑州市金水区人民法院”不一致", item.TextContent);
        Assert.Contains(page.QuerySelectorAll("#court-directory option"), o => o.GetAttribute("value") == "洛阳市洛龙区人民法院");
    }

    [Fact]
    public async Task A_reviewer_edits_a_published_entry_the_public_sees_the_change_and_the_audit_has_before_and_after()
    {
        var reviewer = await SignedIn("rev-i", StaffRoles.Reviewer);
        var id = await IdOf("（2020）豫0311执2001号");
        var form = Parser.ParseDocument(await reviewer.GetStringAsync($"/office/entries/{id}/edit"));
        Assert.Equal("洛阳市恒达建筑工程有限公司", form.QuerySelector("#name")!.GetAttribute("value"));
        var fields = form.QuerySelectorAll("form input[name], form textarea[name], form select[name]")
            .Where(i => i.GetAttribute("type") is not ("checkbox" or "hidden"))
            .ToDictionary(i => i.GetAttribute("name")!, i => i.TagName == "TEXTAREA" ? i.TextContent : i.TagName == "SELECT" ? (i.QuerySelector("option[selected]")?.GetAttribute("value") ?? "") : i.GetAttribute("value") ?? "");
        fields["name"] = "洛阳市恒达建设工程有限公司";
        fields["circumstances"] = "refuses";
        var saved = await PostForm(reviewer, $"/office/entries/{id}/edit", "entry", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var found = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("恒达建设"));
        Assert.Equal("洛阳市恒达建设工程有限公司", found.GetProperty("items")[0].GetProperty("name").GetString());
        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var edit = await db.AuditRecords.Where(r => r.Action == "edit" && r.EntryId == id).SingleAsync();
        var name = JsonDocument.Parse(edit.Changes).RootElement.GetProperty("name");
        Assert.Equal(["洛阳市恒达建筑工程有限公司", "洛阳市恒达建设工程有限公司"], name.EnumerateArray().Select(v => v.GetString()));
        Assert.Contains(await db.EntryEvents.Where(e => e.EntryId == id).Select(e => e.Action).ToListAsync(), a => a == Portal.Data.Lifecycle.EntryAction.Updated);
    }

    [Fact]
    public async Task The_edit_form_never_contains_the_full_id_number()
    {
        var reviewer = await SignedIn("rev-j", StaffRoles.Reviewer);
        var id = await IdOf("（2019）豫0311执1234号");
        var html = await reviewer.GetStringAsync($"/office/entries/{id}/edit");
        Assert.DoesNotContain("412702198403151512", html);
        Assert.Equal("", Parser.ParseDocument(html).QuerySelector("#idNumber")!.GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task A_superior_court_decides_a_reconsideration_and_acceptance_revokes()
    {
        var superior = await SignedIn("sup-m", StaffRoles.Superior);
        var id = await IdOf("（2019）豫0311执1234号");
        await PostForm(superior, $"/office/entries/{id}", "reconsideration", new() { ["ReconsiderationDecision"] = "refused", ["ReconsiderationReasons"] = "纳入符合规定" });
        Assert.Equal(EntryStatus.Published, (await EntryOf(id)).Status);
        await PostForm(superior, $"/office/entries/{id}", "reconsideration", new() { ["ReconsiderationDecision"] = "accepted", ["ReconsiderationReasons"] = "被执行人无履行能力" });
        var entry = await EntryOf(id);
        Assert.Equal(EntryStatus.Revoked, entry.Status);
        Assert.Equal("复议撤销：被执行人无履行能力", entry.RemovalReason);
        await using var scope = _portal.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.Where(r => r.Actor == "sup-m").Select(r => r.Action).ToListAsync();
        Assert.Equal(["reconsideration-refused", "reconsideration-accepted"], actions);
    }

    [Fact]
    public async Task A_reviewer_may_not_manage_users()
    {
        var reviewer = await SignedIn("rev-l", StaffRoles.Reviewer);
        var response = await reviewer.GetAsync("/office/users");
        Assert.StartsWith("/office/denied", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task A_clerk_may_not_open_bulk_shielding()
    {
        var clerk = await SignedIn("clerk-g", StaffRoles.Clerk);
        var response = await clerk.GetAsync("/office/bulk-shield");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/office/denied", response.Headers.Location!.PathAndQuery);
    }

    private static Dictionary<string, string> NewEntryFields(string name, string idNumber) => new()
    {
        ["caseNumber"] = "(2022)豫0311执500号", ["subjectType"] = "person", ["name"] = name, ["idNumber"] = idNumber,
        ["court"] = "洛阳市洛龙区人民法院", ["basisDocumentNumber"] = "（2021）豫0311民初1号", ["basisIssuer"] = "洛阳市洛龙区人民法院",
        ["obligation"] = "偿还借款10000元", ["performanceStatus"] = "unperformed", ["circumstances"] = "refuses",
        ["unperformedAmount"] = "10000", ["filedAt"] = "2022-05-01",
    };
}
