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
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "portal-office-grid.png") });
        await page.SetViewportSizeAsync(390, 844); // a phone
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "portal-office-grid-phone.png") });
        await page.SetViewportSizeAsync(1366, 900);

        await row.GetByRole(AriaRole.Button, new() { Name = "屏蔽" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("将立即从公开查询");
        await dialog.GetByLabel("屏蔽事由").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "被执行人已履行全部义务" }).ClickAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "portal-office-dialog.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "确认屏蔽" }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("已屏蔽");
        await Assertions.Expect(row.Locator(".mud-chip")).ToContainTextAsync("已屏蔽");
        Assert.Empty(violations);

        // A second browser, signed out and without JavaScript: the detail page is gone and search no longer finds it.
        var gone = await visitor.GotoAsync(portal.BaseUrl + detail);
        Assert.Equal((int)HttpStatusCode.Gone, gone!.Status);
        await visitor.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        Assert.Equal(0, await visitor.Locator("li.result").CountAsync());
    }
}
