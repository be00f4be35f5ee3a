using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>A person's journey in a real browser: search a name, open the entry, and never see a full ID number.</summary>
public class SearchJourneyTests(PortalServer portal) : IClassFixture<PortalServer>
{
    private async Task<IPage> NewPage(int width = 1280, int height = 900)
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            JavaScriptEnabled = false, // the site must work as plain HTML
        });
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task Search_a_name_open_the_entry_and_find_no_full_id_anywhere()
    {
        var page = await NewPage();
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.GetByLabel("姓名、单位名称、身份证号码、统一社会信用代码或案号").FillAsync("欧阳明远");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();

        var result = page.Locator("li.result").Filter(new() { HasText = "欧阳明远" });
        await Assertions.Expect(result).ToHaveCountAsync(1);
        Assert.DoesNotContain(PortalServer.KnownFullId, await page.ContentAsync());

        await result.GetByRole(AriaRole.Link, new() { Name = "欧阳明远" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("欧阳明远");
        await Assertions.Expect(page.Locator("dl.fields .id-number")).ToHaveTextAsync("4127021984****1512");
        Assert.Matches(@"/entries/[a-z0-9]{16}(\?back=[^#]*)?$", page.Url); // back to the results it came from

        var source = await page.ContentAsync();
        Assert.DoesNotContain(PortalServer.KnownFullId, source);
        Assert.DoesNotContain("19840315", source);
    }

    [Fact]
    public async Task A_search_is_certified_in_one_click_and_prints_on_one_sheet_with_its_qr_code()
    {
        var page = await NewPage();
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        await page.GetByRole(AriaRole.Button, new() { Name = "出具查询证明" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("失信被执行人名单查询证明");
        Assert.Matches(@"/verify/[a-z0-9]{16}$", page.Url);
        await Assertions.Expect(page.Locator("[role=status]")).ToContainTextAsync("签名有效");
        await Assertions.Expect(page.Locator("table.grid tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("table.grid")).ToContainTextAsync("4127021984****1512");
        Assert.DoesNotContain(PortalServer.KnownFullId, await page.ContentAsync());

        // Printed: the site's navigation and the page's own hints go, the certificate and its QR code fit one A4 sheet.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator(".site-header nav")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator(".certificate .qr svg")).ToBeVisibleAsync();
        var pdf = await page.PdfAsync(new() { Format = "A4" });
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]"));
        await PortalServer.Screenshot(page, "query-certificate-print", fullPage: true);
    }

    [Fact]
    public async Task Searching_by_full_id_number_keeps_it_out_of_the_address_and_the_page()
    {
        var page = await NewPage();
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.GetByLabel("姓名、单位名称、身份证号码、统一社会信用代码或案号").FillAsync(PortalServer.KnownFullId);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Assertions.Expect(page.Locator("li.result h3 a")).ToHaveTextAsync("欧阳明远");
        Assert.DoesNotContain(PortalServer.KnownFullId, page.Url);
        Assert.DoesNotContain(PortalServer.KnownFullId, await page.ContentAsync());
        await Assertions.Expect(page.Locator("#q")).ToHaveValueAsync("4127021984****1512");
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("按身份证号码可见部分查询"); // anonymous: by the visible digits
    }

    [Fact]
    public async Task Seeded_demo_data_is_searchable_and_paged()
    {
        var page = await NewPage();
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("有限公司"));
        await Assertions.Expect(page.Locator("li.result")).ToHaveCountAsync(20);
        await page.GetByRole(AriaRole.Link, new() { Name = "下一页" }).ClickAsync();
        Assert.Contains("page=2", page.Url);
        Assert.True(await page.Locator("li.result").CountAsync() > 0);
    }

    [Fact]
    public async Task At_phone_width_nothing_overflows_sideways()
    {
        var page = await NewPage(width: 360, height: 740);
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        await page.Locator("li.result h3 a").ClickAsync();
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 740 } });
        var scripted = await context.NewPageAsync();
        await scripted.GotoAsync(page.Url);
        var overflow = await scripted.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the detail page is {overflow}px wider than a 360px screen");
    }

    [Fact]
    public async Task At_390px_no_public_page_overflows_sideways_and_the_elder_friendly_mode_is_one_click_away_without_javascript()
    {
        using var http = new HttpClient();
        var key = await portal.CreateClientKeyAsync("bank", "宽度测试银行", "verify");
        using var request = new HttpRequestMessage(HttpMethod.Post, portal.BaseUrl + "/api/v1/verify")
        {
            Content = new StringContent($$$"""{"subjects":[{"name":"欧阳明远","idNumber":"{{{PortalServer.KnownFullId}}}"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", key);
        using var answer = await http.SendAsync(request);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        var receipt = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("receipt").GetProperty("id").GetString();

        string[] pages = ["/", "/?q=" + Uri.EscapeDataString("张"), "/?q=" + Uri.EscapeDataString("洛阳市"), "/browse", "/browse?province=" + Uri.EscapeDataString("河南"),
            "/statistics", "/notices", "/data", "/apply", "/apply/correction", "/terms", "/verify/batch", "/watch", "/verify/" + receipt];
        var page = await NewPage(width: 390, height: 844);
        async Task NothingOverflows(string mode)
        {
            foreach (var path in pages)
            {
                await page.GotoAsync(portal.BaseUrl + path);
                var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                Assert.True(overflow <= 0, $"{path} ({mode}) is {overflow}px wider than a 390px screen");
            }
        }
        await NothingOverflows("standard");

        // One click from any public page, and back to the same page.
        await page.GotoAsync(portal.BaseUrl + "/statistics");
        await page.GetByRole(AriaRole.Link, new() { Name = "长辈模式" }).ClickAsync();
        Assert.EndsWith("/statistics", page.Url);
        await Assertions.Expect(page.Locator("html.elder")).ToHaveCountAsync(1);
        var elderSize = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)");
        await page.GotoAsync(portal.BaseUrl + "/");
        Assert.Equal(0, await page.Locator("datalist, script[src*='suggest']").CountAsync()); // no pop-ups: no name completions
        await PortalServer.Screenshot(page, "phone-elder");
        await NothingOverflows("elder-friendly");
        await page.GotoAsync(portal.BaseUrl + "/statistics");
        await page.GetByRole(AriaRole.Link, new() { Name = "标准模式" }).ClickAsync();
        await Assertions.Expect(page.Locator("html.elder")).ToHaveCountAsync(0);
        var standardSize = await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)");
        Assert.True(elderSize >= standardSize * 1.2, $"the elder-friendly text is {elderSize}px against {standardSize}px");
    }

    [Fact]
    public async Task On_a_phone_without_javascript_results_come_first_and_the_filters_fold_behind_one_line()
    {
        var page = await NewPage(width: 390, height: 844);
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("张"));
        var count = (await page.Locator(".count").BoundingBoxAsync())!;
        var first = (await page.Locator("li.result").First.BoundingBoxAsync())!;
        Assert.True(count.Y + count.Height <= 844, $"the count ends at {count.Y + count.Height}px, below the first screen");
        Assert.True(first.Y + 40 <= 844, $"the first result starts at {first.Y}px");
        var facet = page.Locator("nav.facets a").First;
        Assert.False(await facet.IsVisibleAsync()); // folded
        foreach (var link in await page.Locator(".site-header nav a").AllAsync())
            Assert.True((await link.BoundingBoxAsync())!.Height < 40, $"the header link “{await link.TextContentAsync()}” wraps a character per line");
        await PortalServer.Screenshot(page, "phone-results");
        await page.Locator(".facets-toggle > summary").ClickAsync(); // a details element: no script needed
        Assert.True(await facet.IsVisibleAsync());
        await PortalServer.Screenshot(page, "phone-filters");

        var wide = await NewPage();
        await wide.GotoAsync(page.Url);
        Assert.True(await wide.Locator("nav.facets a").First.IsVisibleAsync()); // beside the results on a wide screen
        Assert.False(await wide.Locator(".facets-toggle > summary").IsVisibleAsync());

        // A table on a phone: each row a small card, never one character per line.
        await page.GotoAsync(portal.BaseUrl + "/notices");
        var caption = (await page.Locator(".notices caption").BoundingBoxAsync())!;
        Assert.True(caption.Height < 60, $"the table's caption is {caption.Height}px tall: wrapped a character per line");
        var cells = page.Locator(".notices tbody td");
        Assert.True(await cells.CountAsync() > 0, "the demo data has removal notices");
        for (var i = 0; i < Math.Min(10, await cells.CountAsync()); i++)
        {
            var box = (await cells.Nth(i).BoundingBoxAsync())!;
            Assert.True(box.Width >= 300, $"a notice cell is {box.Width}px wide on a 390px screen");
        }
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the notices page is {overflow}px wider than the screen");
        await PortalServer.Screenshot(page, "phone-notices");
    }

    [Fact]
    public async Task Keyboard_users_skip_from_the_form_to_the_results_and_the_filters_follow_the_search_button()
    {
        var context = await portal.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("张"));
        await page.FocusAsync("button[type=submit]");
        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.textContent.trim()"));
        }
        Assert.Equal(["in", "type", "province", "跳到查询结果"], order.Take(4));
        Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement.closest('nav.facets')"), "after the skip link come the filters");
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Enter");
        Assert.EndsWith("#results-title", page.Url);
    }

    [Fact]
    public async Task Keyboard_users_reach_the_skip_link_first_and_it_leads_to_the_content()
    {
        var context = await portal.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("跳到主要内容", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.EndsWith("#main", page.Url);
    }

    [Fact]
    public async Task With_javascript_the_search_box_suggests_names_as_they_are_typed()
    {
        var context = await portal.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(portal.BaseUrl + "/");
        await page.Locator("#q").PressSequentiallyAsync("ouyangm", new() { Delay = 30 });
        await Assertions.Expect(page.Locator("#q-suggestions option[value='欧阳明远']")).ToHaveCountAsync(1);
        await page.Locator("#q").FillAsync(PortalServer.KnownFullId[..8]);
        await page.Locator("#q").PressSequentiallyAsync("1", new() { Delay = 30 });
        await page.WaitForTimeoutAsync(400);
        Assert.Equal(0, await page.Locator("#q-suggestions option").CountAsync()); // numbers are never sent
    }

    [Fact]
    public async Task A_pinyin_search_highlights_the_name_and_the_facets_narrow_it()
    {
        var page = await NewPage();
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明"));
        await Assertions.Expect(page.Locator("li.result h3 mark").First).ToHaveTextAsync("欧阳明");
        var typeLink = page.Locator("nav.facets a").Filter(new() { HasText = "自然人" });
        await typeLink.ClickAsync();
        Assert.Contains("type=person", page.Url);
        await Assertions.Expect(page.Locator("nav.facets .chosen")).ToHaveCountAsync(1);
    }
}
