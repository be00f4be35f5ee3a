using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>A journalist in a real browser with JavaScript off: browse to a month of one court and open an entry; read the statistics.</summary>
public class NewsroomJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    private async Task<IPage> PlainPage()
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            JavaScriptEnabled = false,
        });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task A_journalist_browses_province_city_court_month_and_opens_an_entry()
    {
        var page = await PlainPage();
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "浏览", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "河南", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "洛阳市", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "洛阳市洛龙区人民法院", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".crumbs")).ToContainTextAsync("洛阳市洛龙区人民法院");
        await page.GetByRole(AriaRole.Link, new() { Name = "2019年6月", Exact = true }).ClickAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "欧阳明", Exact = true }).CountAsync()); // shielded that month: gone
        await page.GetByRole(AriaRole.Link, new() { Name = "欧阳明远", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("欧阳明远");
        Assert.DoesNotContain(PortalServer.KnownFullId, await page.ContentAsync());
    }

    [Fact]
    public async Task Without_javascript_the_statistics_page_shows_its_tables()
    {
        var page = await PlainPage();
        await page.GotoAsync(portal.BaseUrl + "/statistics");
        var tables = page.Locator("figure.chart .chart-table > table"); // one per figure; long ones fold their other rows below
        Assert.Equal(13, await tables.CountAsync());
        var provinces = page.Locator("figure.chart", new() { HasText = "公开条目按省份" });
        Assert.True(await provinces.Locator(".chart-table > table").IsVisibleAsync());
        Assert.True(await provinces.Locator(".chart-table > table tbody tr").CountAsync() > 5);
        await PortalServer.Screenshot(page, "statistics", fullPage: true);
    }
}
