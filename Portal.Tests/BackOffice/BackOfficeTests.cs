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
        Assert.Equal(["期限", "条目", "申请与投诉", "不宜公开通知", "惩戒措施解除", "退出"], clerkLinks);
        var (_, adminLinks) = await Header(await SignedIn("admin-nav", StaffRoles.Admin));
        Assert.Contains("用户", adminLinks);
        Assert.Contains("API 客户端", adminLinks);
        Assert.Contains("密钥申请", adminLinks);
        Assert.DoesNotContain("密钥申请", clerkLinks);
        Assert.DoesNotContain("批量屏蔽", adminLinks);
    }

    [Fact]
    public async Task A_post_without_an_antiforgery_token_changes_nothing()
    {
        var client = await SignedIn("rev-c", StaffRoles.Reviewer);
        var response = await client.PostAsync("/office/password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "password", ["Current"] = "Neues-Passwort-2026", ["New"] = "Anderes-Passwort-2027", ["Confirm"] = "Anderes-Passwort-2027",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var scope = _portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByNameAsync("rev-c"))!, "Neues-Passwort-2026")); // unchanged
    }

    [Fact]
    public async Task The_deadline_board_lists_overdue_events_and_charts_on_time_rates()
    {
        var id = await IdOf("（2020）豫0311执2001号");
        var today = ChinaTime.Today(TimeProvider.System);
        var actions = _portal.Services.GetRequiredService<Portal.Web.Lifecycle.EntryActions>();
        await actions.ApplyAsync(id, Portal.Web.Lifecycle.EntryActions.RemovalEvent(RemovalGround.Settled, today.AddDays(-5)), "clerk-e");
        var reviewer = await SignedIn("rev-e", StaffRoles.Reviewer);
        var late = await IdOf("（2019）豫0311执1234号");
        await actions.ApplyAsync(late, Portal.Web.Lifecycle.EntryActions.Shield(RemovalGround.Performed, today.AddDays(-4)), "rev-e");

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
}
