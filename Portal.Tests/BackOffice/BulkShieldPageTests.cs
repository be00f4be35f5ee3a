using System.Text;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Components.Office;

namespace Portal.Tests.BackOffice;

/// <summary>The interactive bulk shield: upload, confirm, one transaction, a result per line; bad files named in Chinese.</summary>
public sealed class BulkShieldPageTests : IAsyncLifetime
{
    private const string Marker = "ZQX7Injected";
    private readonly PortalFactory _portal = new();
    private OfficeCircuit _reviewer = default!;

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
        _reviewer = await OfficeCircuit.SignInAsync(_portal, "rev-bulk", StaffRoles.Reviewer);
    }

    public async Task DisposeAsync()
    {
        await _reviewer.DisposeAsync();
        _portal.Dispose();
    }

    private IRenderedComponent<BulkShield> Upload(string content, string name)
    {
        var page = _reviewer.Render<BulkShield>();
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(content, name));
        return page;
    }

    private static void Preview(IRenderedComponent<BulkShield> page) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == "预览").Click();

    [Fact]
    public async Task A_list_whose_every_line_can_be_done_is_shielded_whole_after_its_preview()
    {
        var page = Upload("caseNumber\n(2019)豫0311执1234号\n（2020）豫0311执2001号\n", "cases.csv");
        page.Find("#bulk-ground").Change("performed");
        page.Find("#bulk-date").Change("2026-11-20");
        Preview(page);
        page.WaitForAssertion(() => Assert.Equal(["2将屏蔽", "0此前已移除", "0未找到", "0不能屏蔽"], page.FindAll(".tally li").Select(li => li.TextContent.Trim())), TimeSpan.FromSeconds(10));
        page.FindAll("button").Single(b => b.TextContent.Trim() == "批量屏蔽").Click();
        page.WaitForElement(".mud-dialog");
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认屏蔽")).Click();
        page.WaitForAssertion(() => Assert.Equal(["2已屏蔽", "0此前已移除", "0未找到", "0不能屏蔽"], page.FindAll(".tally li").Select(li => li.TextContent.Trim())), TimeSpan.FromSeconds(10));
        Assert.Equal(EntryStatus.Shielded, await _portal.StatusOfAsync("（2020）豫0311执2001号"));
        Assert.DoesNotContain("BROWSE", page.Markup, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Shielding_a_list_reports_shielded_already_removed_and_not_found()
    {
        await _portal.Services.GetRequiredService<Portal.Web.Lifecycle.EntryActions>()
            .ApplyByCaseNumbersAsync(["（2020）豫0311执2001号"], null, Portal.Web.Lifecycle.EntryActions.Revoke("有误"), "rev-bulk");
        var page = Upload("caseNumber\n(2019)豫0311执1234号\n（2020）豫0311执2001号\n（2099）京0105执1号\n", "cases.csv");
        page.WaitForAssertion(() => Assert.Contains("3 个案号", page.Find("[role=status]").TextContent));
        page.Find("#bulk-ground").Change("performed");
        page.Find("#bulk-date").Change("2026-11-20");
        Preview(page);
        page.WaitForAssertion(() => Assert.Equal(["1将屏蔽", "1此前已移除", "1未找到", "0不能屏蔽"],
            page.FindAll(".tally li").Select(li => li.TextContent.Trim())), TimeSpan.FromSeconds(10));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync("（2019）豫0311执1234号")); // a preview changes nothing
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "批量屏蔽"); // not the whole list: one line cannot be done

        // Only on the person's explicit choice are the good lines done, and the result says so.
        page.FindAll("button").Single(b => b.TextContent.Trim() == "只屏蔽可以屏蔽的 1 行").Click();
        page.WaitForElement(".mud-dialog");
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("确认屏蔽")).Click();
        page.WaitForAssertion(() => Assert.Equal(["1已屏蔽", "1此前已移除", "0未找到", "0不能屏蔽"],
            page.FindAll(".tally li").Select(li => li.TextContent.Trim())), TimeSpan.FromSeconds(10));
        Assert.Contains("其余 1 行未处理", page.Markup);
        Assert.Equal(2, page.FindAll(".bulk-results tbody tr").Count);
        Assert.Equal(EntryStatus.Shielded, await _portal.StatusOfAsync("（2019）豫0311执1234号"));
    }

    [Theory]
    [InlineData("{\"caseNumber\": 5}", "caseNumber 应为")]
    [InlineData("{\"caseNumber\": null}", "caseNumber 应为")]
    [InlineData("{\"case\": \"" + Marker + "\"}", "缺少 caseNumber")]
    [InlineData("{\"caseNumber\": \"" + Marker + "\"", "不是有效的JSON")]
    public async Task A_malformed_line_is_named_in_Chinese_and_nothing_is_shielded(string line, string expected)
    {
        var page = Upload("{\"caseNumber\": \"（2019）豫0311执1234号\"}\n" + line + "\n", "cases.jsonl");
        page.WaitForAssertion(() => Assert.Contains("第2行", page.Find("[role=alert]").TextContent));
        Assert.Contains(expected, page.Find("[role=alert]").TextContent);
        Assert.True(page.FindAll("button").Single(b => b.TextContent.Trim() == "预览").HasAttribute("disabled"));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync("（2019）豫0311执1234号"));
        Assert.DoesNotContain(Marker, _portal.Logs.All);
    }

    [Fact]
    public async Task A_reviewer_locked_while_the_page_is_open_shields_nothing()
    {
        var page = Upload("（2019）豫0311执1234号\n", "cases.txt");
        page.Find("#bulk-ground").Change("performed");
        page.Find("#bulk-date").Change("2026-11-20");
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SetLockedAsync("rev-bulk", true, "admin"));
        Preview(page);
        page.WaitForAssertion(() => Assert.Contains("登录已失效", page.Find("[role=alert]").TextContent));
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync("（2019）豫0311执1234号"));
    }

    [Fact]
    public async Task Another_courts_entries_are_not_found_not_named()
    {
        var beijing = TestEntries.Person("京城人", "110105194912310038", "（2021）京0105执7号");
        var hidden = TestEntries.Person("隐藏人", "11010519491231002X", "（2021）京0105执8号");
        Assert.Empty((await _portal.ImportAsync(beijing, hidden)).Rejected);
        await _portal.ApplyAsync("（2021）京0105执8号", Portal.Web.Lifecycle.EntryActions.MarkNonPublic("某单位", "依法不宜公开"));
        var page = Upload("（2021）京0105执7号\n（2021）京0105执8号\n", "cases.txt");
        page.Find("#bulk-ground").Change("performed");
        page.Find("#bulk-date").Change("2026-11-20");
        Preview(page);

        page.WaitForAssertion(() => Assert.Equal(["0将屏蔽", "0此前已移除", "2未找到", "0不能屏蔽"],
            page.FindAll(".tally li").Select(li => li.TextContent.Trim())), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("朝阳", page.Markup);
        Assert.DoesNotContain("属于", page.Markup);
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync("（2021）京0105执7号"));
    }
}
