using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Components.Office;

namespace Portal.Tests.BackOffice;

/// <summary>
/// An entry's interactive page and editor with bUnit, on the real portal's services and database, signed in as real
/// staff: the actions through their dialogs, the court and role rules, the history, and the editor's field messages.
/// </summary>
public sealed class EntryPageTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private const string Case = "（2019）豫0311执1234号", Draft = "（2021）粤0305执10号", Company = "（2020）豫0311执2001号";
    private const string FullId = "412702198403151512";
    private OfficeCircuit? _circuit;

    public async Task InitializeAsync()
    {
        var draft = TestEntries.Person("王五", "440304199001011233", Draft);
        (draft.Status, draft.PublishedAt) = ("draft", null);
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), draft)).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        if (_circuit is not null) await _circuit.DisposeAsync();
        _portal.Dispose();
    }

    private async Task SignIn(string name, string role, string? court = null)
    {
        if (_circuit is not null) await _circuit.DisposeAsync();
        _circuit = await OfficeCircuit.SignInAsync(_portal, name, role, court);
    }

    private async Task<IRenderedComponent<EntryOffice>> OpenEntry(string caseNumber)
    {
        var id = await _portal.IdOfAsync(caseNumber);
        var page = _circuit!.Context.Render<EntryOffice>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Contains(caseNumber, page.Markup), TimeSpan.FromSeconds(10));
        return page;
    }

    /// <summary>Opens an entry outside the person's view: it is not found, as if it did not exist.</summary>
    private async Task<IRenderedComponent<EntryOffice>> OpenUnseen(string caseNumber)
    {
        var id = await _portal.IdOfAsync(caseNumber);
        var page = _circuit!.Context.Render<EntryOffice>(p => p.Add(x => x.Id, id));
        page.WaitForAssertion(() => Assert.Equal("未找到条目", page.Find("h1").TextContent), TimeSpan.FromSeconds(10));
        return page;
    }

    private static List<string> Actions(IRenderedComponent<EntryOffice> page) =>
        page.FindAll(".actions button").Select(b => b.TextContent.Trim()).ToList();

    private static void Click(IRenderedComponent<EntryOffice> page, string action) =>
        page.FindAll(".actions button").Single(b => b.TextContent.Trim() == action).Click();

    private static void Confirm(IRenderedComponent<EntryOffice> page, string action)
    {
        var button = page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认" + action));
        Assert.False(button.HasAttribute("disabled"), "the dialog is not complete");
        button.Click();
    }

    private static void Choose<T>(IRenderedComponent<EntryOffice> page, T value) =>
        page.InvokeAsync(() => page.FindComponent<MudSelect<T>>().Instance.SelectOption(value)).GetAwaiter().GetResult();

    private static void Said(IRenderedComponent<EntryOffice> page, string text) =>
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-snackbar"), s => s.TextContent.Contains(text)), TimeSpan.FromSeconds(10)); // an earlier one may still show

    private async Task<Entry> EntryOf(string caseNumber)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var key = CaseNumber.Key(caseNumber);
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.AsNoTracking().SingleAsync(e => e.CaseNumberKey == key);
    }

    [Fact]
    public async Task A_reviewer_shields_in_the_dialog_the_public_sees_it_gone_and_the_history_tells_who_and_why()
    {
        await SignIn("rev-a", StaffRoles.Reviewer);
        var page = await OpenEntry(Case);
        Click(page, "屏蔽");
        page.WaitForAssertion(() => Assert.Contains("将立即从公开查询", page.Find(".mud-dialog").TextContent), TimeSpan.FromSeconds(10));
        Choose<RemovalGround?>(page, RemovalGround.Performed);
        Confirm(page, "屏蔽");

        Said(page, "已屏蔽");
        var entry = await EntryOf(Case);
        Assert.Equal(EntryStatus.Shielded, entry.Status);
        Assert.Equal(HttpStatusCode.Gone, (await _portal.CreateClient().GetAsync($"/api/v1/entries/{entry.PublicId}")).StatusCode);
        page.WaitForAssertion(() => Assert.Contains("状态：已屏蔽", page.Find(".lead").TextContent), TimeSpan.FromSeconds(10)); // without a reload
        var history = page.FindAll("table.history tbody tr").Select(tr => tr.Children.Skip(1).Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(["录入", "屏蔽"], history.Select(h => h[1]));
        Assert.Equal(["rev-a", "屏蔽", "被执行人已履行全部义务"], history[^1]);
        Assert.Contains("重新发布", Actions(page)); // what a shielded entry allows now
    }

    [Fact]
    public async Task A_clerk_records_the_removal_event_and_sees_no_reviewer_actions()
    {
        await SignIn("clerk-b", StaffRoles.Clerk);
        var page = await OpenEntry(Case);
        Assert.DoesNotContain("屏蔽", Actions(page));
        Assert.DoesNotContain("撤销", Actions(page));
        Click(page, "登记屏蔽事由");
        Choose<RemovalGround?>(page, RemovalGround.Settled);
        Confirm(page, "登记屏蔽事由");

        Said(page, "须在3日内屏蔽");
        var entry = await EntryOf(Case);
        Assert.Equal((EntryStatus.Published, ChinaTime.Today(TimeProvider.System)), (entry.Status, entry.TriggerEventDate));
        page.WaitForAssertion(() => Assert.Contains("须于", page.Find("dl.fields").TextContent), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("登记屏蔽事由", Actions(page)); // recorded once
    }

    [Fact]
    public async Task Publication_follows_the_clerks_risk_notice_and_the_reviewers_approval()
    {
        await SignIn("rev-d", StaffRoles.Reviewer, "粤0305"); // 王五's court
        var page = await OpenEntry(Draft);
        var publish = page.FindAll(".actions button").Single(b => b.TextContent.Trim() == "发布");
        Assert.True(publish.HasAttribute("disabled")); // the missing prerequisite is shown before it is clicked
        Assert.Equal("尚缺：须先由书记员登记已送达风险提示", page.Find(".actions .missing").TextContent);

        await SignIn("clerk-d", StaffRoles.Clerk, "粤0305");
        page = await OpenEntry(Draft);
        Click(page, "登记风险提示");
        Assert.True(page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认登记风险提示")).HasAttribute("disabled")); // no method yet
        Choose<ServiceMethod?>(page, ServiceMethod.Mail);
        Confirm(page, "登记风险提示");
        Said(page, "已登记风险提示的送达");
        var today = ChinaTime.Today(TimeProvider.System);
        page.WaitForAssertion(() => Assert.StartsWith($"{today.Year}年{today.Month}月{today.Day}日邮寄送达",
            page.FindAll("dl.fields dt").First(dt => dt.TextContent == "风险提示").NextElementSibling!.TextContent), TimeSpan.FromSeconds(10));

        await SignIn("rev-d2", StaffRoles.Reviewer, "粤0305");
        page = await OpenEntry(Draft);
        Click(page, "发布");
        Confirm(page, "发布");
        Said(page, "已发布");
        Assert.Equal(EntryStatus.Published, (await EntryOf(Draft)).Status);
        var found = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("王五"));
        Assert.Equal(1, found.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Another_courts_reviewer_finds_no_such_entry()
    {
        await SignIn("rev-other", StaffRoles.Reviewer, "郑州市金水区人民法院");
        var page = await OpenUnseen(Case);
        Assert.Empty(page.FindAll(".actions button"));
        Assert.DoesNotContain("4127021984", page.Markup);
        Assert.DoesNotContain("豫0311执1234", page.Markup);
        Assert.DoesNotContain("洛龙", page.Markup);
    }

    [Fact]
    public async Task A_superior_court_decides_reconsiderations_for_the_courts_below_it_only()
    {
        await SignIn("sup-zz", StaffRoles.Superior, "豫01"); // Zhengzhou's intermediate court, not Luoyang's
        var page = await OpenUnseen(Case);
        Assert.Empty(page.FindAll(".actions button"));

        await SignIn("sup-ly", StaffRoles.Superior, "豫03");
        page = await OpenEntry(Case);
        Assert.Equal(["复议决定"], Actions(page));
        Click(page, "复议决定");
        page.Find(".mud-dialog textarea").Input("纳入符合规定");
        Assert.True(page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认复议决定")).HasAttribute("disabled")); // no decision chosen for them
        page.FindAll(".mud-dialog input[type=radio]")[0].Click();
        Confirm(page, "复议决定");
        Said(page, "已记录驳回复议的理由");
        Assert.Equal(EntryStatus.Published, (await EntryOf(Case)).Status);

        Click(page, "复议决定");
        page.FindAll(".mud-dialog input[type=radio]")[1].Click();
        page.WaitForAssertion(() => Assert.Contains("将立即从公开查询", page.Find(".mud-dialog").TextContent), TimeSpan.FromSeconds(10)); // the consequence follows the decision
        page.Find(".mud-dialog textarea").Input("被执行人无履行能力");
        Confirm(page, "复议决定");
        Said(page, "复议成立");
        var entry = await EntryOf(Case);
        Assert.Equal((EntryStatus.Revoked, "复议撤销：被执行人无履行能力"), (entry.Status, entry.RemovalReason));
        await using var scope = _portal.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.Where(r => r.Actor == "sup-ly").Select(r => r.Action).ToListAsync();
        Assert.Equal(["reconsideration-refused", "reconsideration-accepted"], actions);
    }

    [Fact]
    public async Task A_reviewer_locked_while_the_page_is_open_is_refused_at_the_next_action()
    {
        await SignIn("rev-lock", StaffRoles.Reviewer);
        var page = await OpenEntry(Case);
        Click(page, "撤销");
        page.Find(".mud-dialog textarea").Input("纳入有误");
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SetLockedAsync("rev-lock", true, "admin"));
        Confirm(page, "撤销");
        Said(page, "登录已失效");
        Assert.Equal(EntryStatus.Published, (await EntryOf(Case)).Status);
    }

    private IRenderedComponent<EntryEditor> OpenEditor(long? id = null)
    {
        var editor = _circuit!.Context.Render<EntryEditor>(p => p.Add(x => x.Id, id));
        editor.WaitForAssertion(() => editor.Find("#caseNumber"), TimeSpan.FromSeconds(10));
        return editor;
    }

    private static void Fill(IRenderedComponent<EntryEditor> editor, string name, string idNumber, string court = "洛阳市洛龙区人民法院")
    {
        editor.Find("#caseNumber").Change("(2022)豫0311执500号");
        editor.Find("#name").Change(name);
        editor.Find("#idNumber").Change(idNumber);
        editor.InvokeAsync(() => editor.FindComponent<MudAutocomplete<string>>().Instance.SelectOptionAsync(court)).GetAwaiter().GetResult();
        editor.Find("#basisDocumentNumber").Change("（2021）豫0311民初1号");
        editor.Find("#basisIssuer").Change("洛阳市洛龙区人民法院");
        editor.Find("#obligation").Change("偿还借款10000元");
        editor.FindAll("#circumstances input[type=checkbox]")[0].Change(true);
        editor.Find("#unperformedAmount").Change("10000");
        editor.Find("#filedAt").Change("2022-05-01");
    }

    private static void Save(IRenderedComponent<EntryEditor> editor) => // found and clicked in one render: the court picker may redraw between
        editor.InvokeAsync(() => editor.FindAll("button").Single(b => b.TextContent.Trim() is "保存草稿" or "保存修改").Click()).GetAwaiter().GetResult();

    [Fact]
    public async Task An_empty_form_names_every_missing_field_at_once_at_the_field_and_in_the_summary()
    {
        await SignIn("clerk-empty", StaffRoles.Clerk);
        var editor = OpenEditor();
        Save(editor);
        editor.WaitForAssertion(() => editor.Find(".field-errors"), TimeSpan.FromSeconds(10));
        var named = editor.FindAll(".field-errors a").Select(a => a.GetAttribute("href")).ToList();
        foreach (var field in new[] { "#caseNumber", "#name", "#idNumber", "#court", "#basisDocumentNumber", "#basisIssuer", "#obligation", "#filedAt" })
            Assert.Contains(field, named);
        Assert.True(editor.FindAll(".mud-input-error").Count >= 6); // and at each field
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.CountAsync(e => e.Name == "")); // nothing saved
    }

    [Fact]
    public async Task A_reviewer_is_told_before_typing_that_clerks_enter_new_entries()
    {
        await SignIn("rev-new", StaffRoles.Reviewer);
        var editor = _circuit!.Context.Render<EntryEditor>();
        editor.WaitForAssertion(() => Assert.Contains("由书记员录入", editor.Markup));
        Assert.Empty(editor.FindAll("input#caseNumber"));
    }

    [Fact]
    public async Task A_clerk_creates_a_draft_and_bad_input_is_explained_at_the_field_without_saving()
    {
        await SignIn("clerk-h", StaffRoles.Clerk);
        var editor = OpenEditor();
        Fill(editor, "赵新", "412702198403151516");
        Save(editor);

        editor.WaitForAssertion(() => Assert.Contains("未保存", editor.Find("[role=alert]").TextContent), TimeSpan.FromSeconds(10));
        var link = editor.Find(".field-errors a[href='#idNumber']"); // the field is named in Chinese and linked
        Assert.Equal("身份证号码", link.TextContent);
        Assert.Contains("身份证号码校验位错误：第18位应为 2", editor.Find("#idNumber-error").TextContent); // and said at the field
        Assert.DoesNotContain("412702198403151516", editor.Markup); // the typed number is not rendered back
        Assert.Equal("赵新", editor.Find("#name").GetAttribute("value")); // what was typed is kept
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.AnyAsync(e => e.Name == "赵新"));

        editor.Find("#idNumber").Change(FullId);
        Save(editor);
        var navigation = _circuit!.Context.Services.GetRequiredService<NavigationManager>();
        editor.WaitForAssertion(() => Assert.EndsWith("?saved=1", navigation.Uri), TimeSpan.FromSeconds(10));
        var entry = await EntryOf("（2022）豫0311执500号");
        Assert.Equal((EntryStatus.Draft, "4127021984****1512"), (entry.Status, entry.IdNumberMasked));
        Assert.EndsWith($"/office/entries/{entry.Id}?saved=1", navigation.Uri);
        await _circuit.Context.DisposeComponentsAsync(); // the browser leaves the editor for the entry's page
        var page = _circuit.Context.Render<EntryOffice>(p => p.Add(x => x.Id, entry.Id));
        page.WaitForAssertion(() => Assert.Contains("已保存", page.Find("[role=status]").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_court_that_contradicts_the_case_number_is_named_at_the_court_field()
    {
        await SignIn("clerk-court", StaffRoles.Clerk);
        var editor = OpenEditor();
        Fill(editor, "钱多", FullId, court: "郑州市金水区人民法院");
        Save(editor);
        editor.WaitForAssertion(() => editor.Find(".field-errors a[href='#court']"), TimeSpan.FromSeconds(10));
        var item = editor.FindAll(".field-errors li").Single(li => li.QuerySelector("a[href='#court']") is not null);
        Assert.Equal("执行法院：案号中的法院代字“豫0311”属于洛阳市洛龙区人民法院，与所填执行法院“郑州市金水区人民法院”不一致", item.TextContent);
        var suggestions = await editor.InvokeAsync(() => editor.FindComponent<MudAutocomplete<string>>().Instance.SearchFunc!("豫0311", CancellationToken.None)!);
        Assert.Equal(["洛阳市洛龙区人民法院"], suggestions); // the directory answers a case-number code
    }

    [Fact]
    public async Task A_reviewer_edits_a_published_entry_the_public_sees_it_and_the_audit_has_before_and_after()
    {
        await SignIn("rev-i", StaffRoles.Reviewer);
        var id = await _portal.IdOfAsync(Company);
        var editor = OpenEditor(id);
        Assert.Equal("洛阳市恒达建筑工程有限公司", editor.Find("#name").GetAttribute("value"));
        editor.Find("#name").Change("洛阳市恒达建设工程有限公司");
        Save(editor);
        var navigation = _circuit!.Context.Services.GetRequiredService<NavigationManager>();
        editor.WaitForAssertion(() => Assert.EndsWith($"/office/entries/{id}?saved=1", navigation.Uri), TimeSpan.FromSeconds(10));

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
    public async Task A_clerk_may_not_change_a_published_entry()
    {
        await SignIn("clerk-j", StaffRoles.Clerk);
        var id = await _portal.IdOfAsync(Company);
        var editor = OpenEditor(id);
        editor.Find("#name").Change("改掉的名称");
        Save(editor);
        editor.WaitForAssertion(() => Assert.Contains("您没有审核人角色", editor.Find("[role=alert]").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal("洛阳市恒达建筑工程有限公司", (await EntryOf(Company)).Name);
    }

    [Fact]
    public async Task The_editor_never_contains_the_full_id_number()
    {
        await SignIn("rev-k", StaffRoles.Reviewer);
        var id = await _portal.IdOfAsync(Case);
        var editor = OpenEditor(id);
        Assert.DoesNotContain(FullId, editor.Markup);
        Assert.Equal("", editor.Find("#idNumber").GetAttribute("value") ?? "");
        var http = await Office.SignedIn(_portal, "rev-k2", StaffRoles.Reviewer);
        Assert.DoesNotContain(FullId, await http.GetStringAsync($"/office/entries/{id}/edit")); // the prerendered page neither
    }
}
