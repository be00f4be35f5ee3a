using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Components.Office;

namespace Portal.Tests.BackOffice;

/// <summary>The interactive entry grid with bUnit, on the real portal's services and database: dialogs, roles, server paging.</summary>
public sealed class EntryGridTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private const string Case = "（2019）豫0311执1234号";

    public async Task InitializeAsync()
    {
        var others = Enumerable.Range(1, 60).Select(i => TestEntries.Organization($"洛阳市第{i}建筑工程有限公司", CreditCodeFor(i), $"（2020）豫0311执{3000 + i}号")).ToArray();
        Assert.Empty((await _portal.ImportAsync([.. others, TestEntries.Person()])).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        if (_circuit is not null) await _circuit.DisposeAsync();
        _portal.Dispose();
    }

    private static string CreditCodeFor(int i)
    {
        var first17 = $"9141031100000{i:D4}";
        const string chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var sum = first17.Select((c, n) => chars.IndexOf(c) * weights[n]).Sum();
        return first17 + chars[(31 - sum % 31) % 31];
    }

    private OfficeCircuit _circuit = default!;

    private async Task SignIn(string name, string role) => _circuit = await OfficeCircuit.SignInAsync(_portal, name, role);

    private IRenderedComponent<EntryGrid> RenderGrid()
    {
        var grid = _circuit.Render<EntryGrid>();
        grid.WaitForAssertion(() => Assert.Contains(Case, grid.Markup), TimeSpan.FromSeconds(10));
        return grid;
    }

    private static AngleSharp.Dom.IElement RowOf(IRenderedComponent<EntryGrid> grid, string caseNumber) =>
        grid.FindAll(".entry-grid tbody tr").Single(tr => tr.TextContent.Contains(caseNumber));

    [Fact]
    public async Task Confirming_the_revoke_dialog_revokes_the_entry_and_says_so()
    {
        await SignIn("rev-grid", StaffRoles.Reviewer);
        var grid = RenderGrid();
        RowOf(grid, Case).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "撤销").Click();
        grid.WaitForAssertion(() => Assert.Contains("将立即从公开查询", grid.Find(".mud-dialog").TextContent), TimeSpan.FromSeconds(10));
        Assert.True(grid.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认撤销")).HasAttribute("disabled")); // no reasons yet

        grid.Find(".mud-dialog textarea").Input("复议认定纳入有误");
        grid.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认撤销")).Click();

        grid.WaitForAssertion(() => Assert.Contains("已撤销", grid.Find(".mud-snackbar").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal(EntryStatus.Revoked, await _portal.StatusOfAsync(Case));
        grid.WaitForAssertion(() => Assert.Contains("已撤销", RowOf(grid, Case).TextContent), TimeSpan.FromSeconds(10)); // the grid shows it without a reload
    }

    [Fact]
    public async Task A_grid_left_open_shows_nothing_more_once_the_account_is_locked()
    {
        await SignIn("clerk-open", StaffRoles.Clerk);
        var grid = RenderGrid();
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SetLockedAsync("clerk-open", true, "admin"));
        grid.FindAll("button").Single(b => b.TextContent.Trim() == "待审核（草稿）").Click(); // any new read: a filter, a page, a sort
        grid.WaitForAssertion(() => Assert.Contains("登录已失效", grid.Find("[role=alert]").TextContent), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(grid.FindAll(".entry-grid tbody tr"), tr => tr.TextContent.Contains("豫0311"));
        Assert.DoesNotContain(Case, grid.Markup);
    }

    [Fact]
    public async Task The_review_queue_lists_drafts_with_what_each_still_lacks()
    {
        var draft = TestEntries.Person("王五", "440304199001011233", "（2021）豫0311执10号");
        (draft.Status, draft.PublishedAt) = ("draft", null);
        Assert.Empty((await _portal.ImportAsync(draft)).Rejected);
        await SignIn("rev-queue", StaffRoles.Reviewer);
        var grid = RenderGrid();
        grid.FindAll("button").Single(b => b.TextContent.Trim() == "待审核（草稿）").Click();
        grid.WaitForAssertion(() => Assert.Single(grid.FindAll(".entry-grid tbody tr")), TimeSpan.FromSeconds(10));
        var row = RowOf(grid, "（2021）豫0311执10号");
        Assert.Contains("尚缺：须先由书记员登记已送达风险提示", row.TextContent);
        Assert.True(row.QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "发布").HasAttribute("disabled")); // shown before it is clicked
    }

    [Fact]
    public async Task Court_staff_see_their_own_courts_entries()
    {
        var other = TestEntries.Person("赵六", "440304199001011233", "（2021）粤0305执10号");
        Assert.Empty((await _portal.ImportAsync(other)).Rejected);
        await SignIn("rev-mine", StaffRoles.Reviewer);
        var grid = RenderGrid();
        Assert.Contains("洛阳市洛龙区人民法院的条目", grid.Markup);
        Assert.DoesNotContain("（2021）粤0305执10号", grid.Markup);
    }

    [Fact]
    public async Task A_clerk_sees_no_reviewer_actions()
    {
        await SignIn("clerk-grid", StaffRoles.Clerk);
        var grid = RenderGrid();
        Assert.DoesNotContain(RowOf(grid, Case).QuerySelectorAll("button"), b => b.TextContent.Trim() is "屏蔽" or "撤销" or "发布");
    }

    [Fact]
    public async Task A_reviewer_demoted_while_the_page_is_open_is_refused_at_the_next_action()
    {
        await SignIn("rev-demoted", StaffRoles.Reviewer);
        var grid = RenderGrid();
        RowOf(grid, Case).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "撤销").Click();
        grid.WaitForAssertion(() => grid.Find(".mud-dialog textarea"), TimeSpan.FromSeconds(10));
        grid.Find(".mud-dialog textarea").Input("有误");

        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SetRoleAsync("rev-demoted", StaffRoles.Clerk, "admin"));
        grid.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认撤销")).Click();

        grid.WaitForAssertion(() => Assert.Contains("登录已失效", grid.Find(".mud-snackbar").TextContent), TimeSpan.FromSeconds(10));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync(Case));
    }

    [Fact]
    public async Task The_grid_pages_in_the_database()
    {
        await SignIn("rev-pages", StaffRoles.Reviewer);
        var grid = RenderGrid();
        Assert.Equal(50, grid.FindAll(".entry-grid tbody tr").Count);
        Assert.Contains("共 61 条", grid.Find(".mud-table-pagination").TextContent);
        grid.Find("button[aria-label='Next page'], .mud-table-pagination-actions button:nth-of-type(3)").Click();
        grid.WaitForAssertion(() => Assert.Equal(11, grid.FindAll(".entry-grid tbody tr").Count), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_deadline_board_updates_when_someone_else_acts()
    {
        await SignIn("rev-board", StaffRoles.Reviewer);
        _circuit.Context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        var board = _circuit.Render<Dashboard>();
        string Overdue() => board.FindAll(".tally li").First(li => li.TextContent.Contains("已逾期")).QuerySelector("strong")!.TextContent;
        Assert.Equal("0", Overdue());

        // A clerk elsewhere records that the debtor performed five days ago: the 3-day limit has passed.
        var today = ChinaTime.Today(TimeProvider.System);
        var id = await _portal.IdOfAsync(Case);
        var result = await _portal.Services.GetRequiredService<Portal.Web.Lifecycle.EntryActions>()
            .ApplyAsync(id, Portal.Web.Lifecycle.EntryActions.RemovalEvent(RemovalGround.Performed, today.AddDays(-5)), "clerk-elsewhere");
        Assert.Equal(Portal.Web.Lifecycle.ItemOutcome.Applied, result.Outcome);

        board.WaitForAssertion(() => Assert.Equal("1", Overdue()), TimeSpan.FromSeconds(10));
        Assert.Contains(Case, board.Find("section").TextContent);
    }
}
