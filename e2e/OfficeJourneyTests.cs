using System.Net;
using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>A reviewer's day in the interactive back office, and what the public sees a moment later.</summary>
public class OfficeJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task A_reviewer_shields_an_entry_in_the_grid_and_the_public_no_longer_finds_it()
    {
        // The public first: the entry is there, and its address is known.
        var publicContext = await portal.Browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false });
        var visitor = await publicContext.NewPageAsync();
        await visitor.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        var detail = await visitor.Locator("li.result a").First.GetAttributeAsync("href");
        Assert.NotNull(detail);

        var page = await portal.StaffPageAsync("rev-e2e", "reviewer");
        // The Content-Security-Policy allows no inline script: Blazor's circuit and MudBlazor must run without a violation.
        var violations = new List<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy")) violations.Add(message.Text); };
        page.PageError += (_, error) => violations.Add(error);
        await page.GotoAsync(portal.BaseUrl + "/office/entries");
        await page.GetByLabel("案号或名称").FillAsync("欧阳明远");
        var row = page.Locator(".entry-grid tr").Filter(new() { HasText = "欧阳明远" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await PortalServer.Screenshot(page, "office-grid");
        await page.SetViewportSizeAsync(390, 844); // a phone
        await PortalServer.Screenshot(page, "office-grid-phone");
        await page.SetViewportSizeAsync(1366, 900);

        await row.GetByRole(AriaRole.Button, new() { Name = "屏蔽" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("将立即从公开查询");
        await dialog.GetByLabel("屏蔽事由").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "被执行人已履行全部义务" }).ClickAsync();
        await PortalServer.Screenshot(page, "office-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认屏蔽" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已屏蔽");
        await Assertions.Expect(row.Locator(".mud-chip")).ToContainTextAsync("已屏蔽");
        Assert.Empty(violations);

        // The entry's own page, with its history; the deadline board.
        await row.Locator("a").First.ClickAsync();
        await Assertions.Expect(page.Locator("table.history")).ToContainTextAsync("屏蔽");
        await PortalServer.Screenshot(page, "office-entry", fullPage: true);
        await page.GotoAsync(portal.BaseUrl + "/office");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("屏蔽、撤销期限");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await PortalServer.Screenshot(page, "office-dashboard", fullPage: true);

        // A second browser, signed out and without JavaScript: the detail page is gone and search no longer finds it.
        var gone = await visitor.GotoAsync(portal.BaseUrl + detail);
        Assert.Equal((int)HttpStatusCode.Gone, gone!.Status);
        await visitor.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        Assert.Equal(0, await visitor.Locator("li.result").CountAsync());
    }

    [Fact]
    public async Task A_clerk_who_saves_an_empty_draft_is_told_every_missing_field_at_once()
    {
        var page = await portal.StaffPageAsync("clerk-e2e", "clerk");
        await page.GotoAsync(portal.BaseUrl + "/office/entries/new");
        await Assertions.Expect(page.Locator("#caseNumber")).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存草稿" }).ClickAsync();
        var summary = page.Locator("[role=alert]").Filter(new() { HasText = "未保存" });
        await Assertions.Expect(summary).ToContainTextAsync("案号");
        foreach (var field in (string[])["姓名或单位名称", "执行法院", "立案时间"])
            await Assertions.Expect(summary).ToContainTextAsync(field);
        await PortalServer.Screenshot(page, "office-editor-errors", fullPage: true);
    }
}
