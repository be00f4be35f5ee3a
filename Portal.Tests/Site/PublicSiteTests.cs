using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Portal.Tests.Clients;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>What citizens, banks and journalists need from the public site, over real HTTP on a real SQLite file.</summary>
public sealed class PublicSiteTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private static readonly HtmlParser Parser = new();
    private const string FullId = "412702198403151512";
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        // 张三 has three cases (one since shielded), a namesake with another ID has one; the company has two.
        var namesake = TestEntries.Person("张三", "440304199001011233", "（2021）粤0305执10号");
        var secondCompanyCase = TestEntries.Organization(caseNumber: "（2022）豫0311执88号");
        var many = Enumerable.Range(1, 25).Select(i =>
        {
            var first17 = "41270219840315" + (100 + i);
            return TestEntries.Person("李四", first17 + Portal.Data.Entries.IdNumber.CheckCharacter(first17), $"（2019）豫0311执{3000 + i}号");
        });
        Assert.Empty((await _portal.ImportAsync([
            TestEntries.Person(), TestEntries.Person(caseNumber: "（2020）豫0311执5号"), TestEntries.Person(caseNumber: "（2018）豫0311执9号"),
            namesake, TestEntries.Organization(), secondCompanyCase, .. many])).Rejected);
        await _portal.WaitUntilReadyAsync();
        await _portal.ShieldAsync("（2018）豫0311执9号");
        _http = _portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(HttpResponseMessage Response, IHtmlDocument Page)> Get(string url)
    {
        var response = await _http.GetAsync(url);
        return (response, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    private async Task<HttpResponseMessage> PostSearch(string q) => await Office.PostForm(_http, "/", "search", new() { ["q"] = q });

    [Theory]
    [InlineData("41270219840315151", 17)]
    [InlineData("4127021984031515121", 19)]
    [InlineData("4127 0219 8403 1515 12 3", 19)]
    public async Task A_number_a_digit_short_or_long_is_answered_as_such_and_never_lands_in_a_url(string typed, int length)
    {
        var posted = await PostSearch(typed);
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode); // answered in place, not redirected to /?q=
        Assert.Null(posted.Headers.Location);
        var html = await posted.Content.ReadAsStringAsync();
        Assert.Contains($"身份证号码应为18位（旧号码为15位），您输入了{length}位", Parser.ParseDocument(html).QuerySelector("[role=alert]")!.TextContent);
        Assert.DoesNotContain(typed.Replace(" ", ""), html.Replace(" ", "")); // nor echoed back in full

        var api = await _http.PostAsJsonAsync("/api/v1/entries/search", new { q = typed });
        Assert.Equal(HttpStatusCode.BadRequest, api.StatusCode);
        Assert.Equal("invalid_id_number_length", (await api.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_page_past_the_end_shows_the_last_page_and_says_so()
    {
        var (response, page) = await Get("/?q=" + Uri.EscapeDataString("李四") + "&page=9");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("第 9 页超出范围（共 2 页），以下为最后一页", page.QuerySelector(".results [role=status]")!.TextContent);
        Assert.Equal(5, page.QuerySelectorAll("li.result").Length); // 25 results, 20 a page: the 5 on page 2
        Assert.Equal("第 2 / 2 页", page.QuerySelector(".count")!.TextContent.Split('，')[1].Trim());
    }

    [Fact]
    public async Task Removal_notices_are_found_by_case_number_in_any_bracket_form_and_by_court_with_page_counts()
    {
        var (_, byCase) = await Get("/notices?case=" + Uri.EscapeDataString("(2018)豫0311执9号"));
        Assert.Equal(["（2018）豫0311执9号"], byCase.QuerySelectorAll(".notices tbody tr td:first-child").Select(td => td.TextContent));
        Assert.Contains("共 1 条，第 1 / 1 页", byCase.QuerySelector(".notices caption")!.TextContent);
        Assert.Equal("(2018)豫0311执9号", byCase.QuerySelector("#case")!.GetAttribute("value")); // the form keeps what was asked

        var (_, byCourt) = await Get("/notices?court=" + Uri.EscapeDataString("郑州"));
        Assert.Contains("没有符合条件的移除公告", byCourt.Body!.TextContent);
        var api = await _http.GetFromJsonAsync<JsonElement>("/api/v1/notices?caseNumber=" + Uri.EscapeDataString("豫0311执9"));
        Assert.Equal(1, api.GetProperty("total").GetInt64());
        Assert.Equal(1, api.GetProperty("pageCount").GetInt32());
    }

    private async Task<string> PublicIdOf(string caseNumber)
    {
        var found = await _http.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString(caseNumber));
        return found.GetProperty("items")[0].GetProperty("publicId").GetString()!;
    }

    [Fact]
    public async Task An_entry_lists_the_subjects_other_public_cases_by_id_never_a_namesake_or_a_removed_case()
    {
        var id = await PublicIdOf("（2019）豫0311执1234号");
        var (response, page) = await Get($"/entries/{id}");
        var related = page.QuerySelector("section.related")!;
        Assert.Equal(["（2020）豫0311执5号"], related.QuerySelectorAll("tbody td:first-child").Select(td => td.TextContent.Trim()));
        Assert.DoesNotContain("粤0305", related.TextContent); // the namesake is another person
        Assert.DoesNotContain("（2018）豫0311执9号", await response.Content.ReadAsStringAsync()); // shielded: gone everywhere
        Assert.DoesNotContain(FullId, await response.Content.ReadAsStringAsync());

        var api = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/entries/{id}/related");
        Assert.Equal(["（2020）豫0311执5号"], api.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseNumber").GetString()));
        Assert.False(string.IsNullOrEmpty(api.GetProperty("firstListedOn").GetString()));
        Assert.DoesNotContain(FullId, api.GetRawText());

        var company = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/entries/{await PublicIdOf("（2020）豫0311执2001号")}/related");
        Assert.Equal(["（2022）豫0311执88号"], company.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseNumber").GetString()));

        // Once this case is shielded itself, its related list answers 410 like the entry.
        var other = await PublicIdOf("（2020）豫0311执5号");
        await _portal.ShieldAsync("（2020）豫0311执5号");
        Assert.Equal(HttpStatusCode.Gone, (await _http.GetAsync($"/api/v1/entries/{other}/related")).StatusCode);
        var after = await _http.GetFromJsonAsync<JsonElement>($"/api/v1/entries/{id}/related");
        Assert.Equal(0, after.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task The_detail_page_carries_what_a_printed_copy_needs_and_leads_back_to_the_results()
    {
        var (_, results) = await Get("/?q=" + Uri.EscapeDataString("李四") + "&page=2");
        var link = results.QuerySelector("li.result h3 a")!.GetAttribute("href")!;
        var (_, page) = await Get(link);
        var evidence = page.QuerySelector("article footer.evidence")!; // inside the article, so it prints
        var facts = evidence.QuerySelectorAll("dt").ToDictionary(dt => dt.TextContent, dt => dt.NextElementSibling!.TextContent);
        Assert.Matches(@"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）$", facts["查询时间"]);
        Assert.Matches(@"^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间）$", facts["数据截至"]);
        Assert.Equal("http://localhost/" + link.TrimStart('/').Split('?')[0], facts["本页地址"]);
        Assert.NotNull(evidence.QuerySelector("a[href='/terms']"));
        Assert.NotNull(page.QuerySelector("[data-print]"));
        Assert.Equal("/?q=" + Uri.EscapeDataString("李四") + "&page=2", page.QuerySelector(".back a")!.GetAttribute("href"));

        var (_, elsewhere) = await Get(link.Split('?')[0] + "?back=" + Uri.EscapeDataString("//evil.example/"));
        Assert.Equal("/", elsewhere.QuerySelector(".back a")!.GetAttribute("href")); // never a link off the site
    }

    private async Task<(HttpResponseMessage Response, IHtmlDocument Page)> PostBatch(string key, byte[] file)
    {
        var html = await _http.GetStringAsync("/verify/batch");
        var token = Parser.ParseDocument(html).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent("verify-batch"), "_handler" },
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(key), "key" },
            { new ByteArrayContent(file), "file", "名单.csv" },
        };
        var response = await _http.PostAsync("/verify/batch", form);
        return (response, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Bank_staff_upload_a_csv_and_take_away_results_and_a_signed_receipt_and_nothing_is_kept()
    {
        var key = (await ClientSupport.Register(_portal, "bank", "verify")).Key;
        const string Unlisted = "110101199003074514";
        var csv = $"姓名,身份证号码,统一社会信用代码\n张三,{FullId},\n李小,{Unlisted},\n王五,{FullId},\n洛阳市恒达建筑工程有限公司,,91410311MA44L2K3X8\n坏号,41270219840315151,\n";
        var (response, page) = await PostBatch(key, Encoding.UTF8.GetBytes(csv));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = page.QuerySelectorAll(".batch-results tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(["已列入失信名单", "未列入", "号码相符但名称不符，请核对", "已列入失信名单"], rows.Take(4).Select(r => r[3]));
        Assert.StartsWith("无效", rows[4][3]);
        Assert.Equal("4127021984****1512", rows[0][2]);
        Assert.Contains("（2019）豫0311执1234号", rows[0][4]);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(FullId, html);
        Assert.DoesNotContain(Unlisted, html);
        Assert.DoesNotContain(key, html); // the key is not sent back to the browser

        var download = page.QuerySelectorAll("a").Single(a => a.TextContent.Contains("下载结果"));
        var results = Encoding.UTF8.GetString(Convert.FromBase64String(download.GetAttribute("href")!.Split(",", 2)[1])).TrimStart('\uFEFF');
        Assert.Equal("序号,姓名或名称,证件号码（脱敏）,核查结果,案号,关联人员核查结果", results.Split("\r\n")[0]);
        Assert.Contains("1,张三,4127021984****1512,已列入失信名单,", results);
        Assert.DoesNotContain(FullId, results);

        var receiptLink = page.QuerySelectorAll("a").Single(a => a.TextContent.StartsWith("核查回执")).GetAttribute("href")!;
        var receipt = Parser.ParseDocument(await _http.GetStringAsync(receiptLink));
        Assert.Contains("签名有效", receipt.QuerySelector("[role=status]")!.TextContent);
        Assert.Contains("5 个", receipt.Body!.TextContent);

        // Neither the file nor its numbers were written anywhere in the data directory.
        foreach (var path in Directory.EnumerateFiles(_portal.DataDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try { bytes = await File.ReadAllBytesAsync(path); }
            catch (FileNotFoundException) { continue; } // SQLite's -shm goes when the last connection closes
            Assert.True(!ContainsAscii(bytes, Unlisted), $"{path} holds the uploaded ID number");
        }
    }

    private static bool ContainsAscii(byte[] haystack, string needle) => haystack.AsSpan().IndexOf(Encoding.ASCII.GetBytes(needle)) >= 0;

    [Fact]
    public async Task A_file_saved_by_excel_in_gb18030_is_read_and_wrong_keys_are_answered_in_chinese()
    {
        var key = (await ClientSupport.Register(_portal, "bank", "verify")).Key;
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb = Encoding.GetEncoding("GB18030").GetBytes($"姓名,身份证号码\r\n张三,{FullId}\r\n");
        var (ok, page) = await PostBatch(key, gb);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var row = page.QuerySelector(".batch-results tbody tr")!;
        Assert.Equal("张三", row.QuerySelectorAll("td")[1].TextContent);
        Assert.Equal("已列入失信名单", row.QuerySelectorAll("td")[3].TextContent);

        var (wrong, wrongPage) = await PostBatch(key + "x", gb);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("密钥无效或已吊销", wrongPage.QuerySelector("[role=alert]")!.TextContent);
        var feedOnly = (await ClientSupport.Register(_portal, "reprinter", "feed")).Key;
        var (refused, refusedPage) = await PostBatch(feedOnly, gb);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("没有核查权限", refusedPage.QuerySelector("[role=alert]")!.TextContent);
        var (empty, emptyPage) = await PostBatch(key, Encoding.UTF8.GetBytes("姓名,身份证号码\r\n"));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("文件中没有核查对象", emptyPage.QuerySelector("[role=alert]")!.TextContent);
        // The template has Chinese headers, and the template itself, uploaded unchanged, is read line by line.
        var template = await (await _http.GetAsync("/verify/batch/template.csv")).Content.ReadAsByteArrayAsync();
        Assert.StartsWith("姓名或名称,身份证号码,统一社会信用代码", Encoding.UTF8.GetString(template).TrimStart('\uFEFF'));
        var (fromTemplate, templatePage) = await PostBatch(key, template);
        Assert.Equal(HttpStatusCode.OK, fromTemplate.StatusCode);
        Assert.Equal(["示例甲", "示例有限公司"], templatePage.QuerySelectorAll(".batch-results tbody tr").Select(r => r.QuerySelectorAll("td")[1].TextContent));
    }
}
