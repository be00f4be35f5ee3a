using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Data.Entries;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>The public JSON API over real HTTP on a fresh SQLite data directory.</summary>
public class EntriesApiTests(EntriesApiTests.Fixture fixture) : IClassFixture<EntriesApiTests.Fixture>
{
    public const string FullId = "412702198403151512";

    public sealed class Fixture : IAsyncLifetime
    {
        public PortalFactory Portal { get; } = new();
        public HttpClient Client { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            Client = Portal.CreateClient();
            var shielded = TestEntries.Person("王小明", "11010519491231002X", "（2018）京0105执77号");
            shielded.Status = "shielded";
            var hidden = TestEntries.Person("赵秘密", "440304199001011233", "（2019）粤0305执5号");
            hidden.NonPublic = true;
            hidden.EmployerUnit = "某某局";
            var draft = TestEntries.Person("钱草稿", "410305196801013998", "（2020）豫0305执8号");
            draft.Status = "draft";
            draft.PublishedAt = null;
            var report = await Portal.ImportAsync(
                TestEntries.Person(),
                TestEntries.Person("张三丰", "110101194912310016", "（2021）豫0105执9号"),
                TestEntries.Organization(),
                shielded, hidden, draft);
            Assert.Empty(report.Rejected);
            await Portal.WaitUntilReadyAsync();
        }

        public Task DisposeAsync()
        {
            Portal.Dispose();
            return Task.CompletedTask;
        }
    }

    private HttpClient Client => fixture.Client;

    private async Task<JsonElement> Search(string query)
    {
        var response = await Client.GetAsync("/api/v1/entries?q=" + Uri.EscapeDataString(query));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray();

    [Fact]
    public async Task A_name_search_returns_the_page_shape_with_masked_ids()
    {
        var page = await Search("张三");
        Assert.Equal(2, page.GetProperty("total").GetInt64());
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(20, page.GetProperty("pageSize").GetInt32());
        Assert.Equal(["张三", "张三丰"], Names(page));
        var first = page.GetProperty("items")[0];
        Assert.Equal("4127021984****1512", first.GetProperty("idNumberMasked").GetString());
        Assert.False(first.TryGetProperty("idNumber", out _));
        Assert.Equal("（2019）豫0311执1234号", first.GetProperty("caseNumber").GetString());
        Assert.Equal(["refuses"], first.GetProperty("circumstances").EnumerateArray().Select(c => c.GetString()!).ToArray());
    }

    [Theory]
    [InlineData(FullId)]
    [InlineData("4127 0219 8403 1515 12")]
    [InlineData("412702840315151")]
    public async Task A_full_id_number_finds_exactly_that_person(string typed)
    {
        Assert.Equal(["张三"], Names(await Search(typed)));
    }

    [Fact]
    public async Task An_id_number_can_be_searched_in_a_body_instead_of_a_url()
    {
        var response = await Client.PostAsJsonAsync("/api/v1/entries/search", new { q = FullId, pageSize = 5 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["张三"], Names(page));
        Assert.Equal(5, page.GetProperty("pageSize").GetInt32());
        var bad = await Client.PostAsJsonAsync("/api/v1/entries/search", new { q = "张三", pageSize = 1000 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task An_id_number_one_digit_off_finds_nothing_and_says_why_on_the_page()
    {
        Assert.Empty(Names(await Search("412702198403151513")));
        var html = await Client.GetStringAsync("/?q=412702198403151513");
        Assert.Contains("身份证号码校验位错误：第18位应为 2", html);
    }

    [Theory]
    [InlineData("91410311MA44L2K3X8")]
    [InlineData("91410311ma44l2k3x8")]
    [InlineData("91410311 MA44 L2K3 X8")]
    public async Task A_credit_code_finds_the_organization(string typed)
    {
        Assert.Equal(["洛阳市恒达建筑工程有限公司"], Names(await Search(typed)));
    }

    [Theory]
    [InlineData("（2019）豫0311执1234号")]
    [InlineData("(2019)豫0311执1234号")]
    [InlineData("2019豫0311执1234号")]
    [InlineData("2019豫0311执1234")]
    public async Task Any_bracket_form_of_a_case_number_finds_the_entry(string typed)
    {
        Assert.Equal(["张三"], Names(await Search(typed)));
    }

    [Fact]
    public async Task Part_of_a_company_name_finds_it()
    {
        Assert.Equal(["洛阳市恒达建筑工程有限公司"], Names(await Search("恒达建筑")));
    }

    [Theory]
    [InlineData("王小明")]
    [InlineData("11010519491231002X")]
    [InlineData("赵秘密")]
    [InlineData("440304199001011233")]
    [InlineData("钱草稿")]
    public async Task Shielded_non_public_and_draft_entries_are_never_found(string typed)
    {
        Assert.Equal(0, (await Search(typed)).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Browsing_without_a_query_lists_only_public_entries_newest_first()
    {
        var page = await Search("");
        // The company was published in 2020; both people on the same day in 2019, the later-entered first.
        Assert.Equal(["洛阳市恒达建筑工程有限公司", "张三丰", "张三"], Names(page));
        Assert.Equal(3, page.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Filters_by_type_and_province()
    {
        var organizations = await Client.GetFromJsonAsync<JsonElement>("/api/v1/entries?type=organization");
        Assert.Equal(["洛阳市恒达建筑工程有限公司"], Names(organizations));
        var beijing = await Client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("张三") + "&province=" + Uri.EscapeDataString("河南"));
        Assert.Equal(["张三", "张三丰"], Names(beijing)); // both courts are in Henan
    }

    [Fact]
    public async Task The_detail_carries_every_public_field()
    {
        var publicId = (await Search("恒达建筑")).GetProperty("items")[0].GetProperty("publicId").GetString();
        var entry = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/entries/{publicId}");
        Assert.Equal("organization", entry.GetProperty("subjectType").GetString());
        Assert.Equal("91410311MA44L2K3X8", entry.GetProperty("creditCode").GetString());
        Assert.Equal("王建国", entry.GetProperty("legalRepresentative").GetString());
        Assert.Equal("河南", entry.GetProperty("province").GetString());
        Assert.Equal("partial", entry.GetProperty("performanceStatus").GetString());
        Assert.Equal(200000m, entry.GetProperty("performedPart").GetProperty("amount").GetDecimal());
        Assert.Equal("已执行到位部分车辆", entry.GetProperty("performedPart").GetProperty("text").GetString());
        Assert.Equal("2099-03-01", entry.GetProperty("listingEndsAt").GetString());
        Assert.Equal("2020-02-29T16:00:00Z", entry.GetProperty("publishedAt").GetString()); // 2020-03-01 00:00 in China
    }

    [Fact]
    public async Task A_removed_entry_answers_410_and_an_unknown_one_404_as_problem_details()
    {
        await using var scope = fixture.Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Portal.Data.Persistence.PortalDbContext>();
        var shielded = db.Entries.Single(e => e.Name == "王小明").PublicId;
        var hidden = db.Entries.Single(e => e.Name == "赵秘密").PublicId;

        var gone = await Client.GetAsync($"/api/v1/entries/{shielded}");
        Assert.Equal(HttpStatusCode.Gone, gone.StatusCode);
        Assert.Equal("application/problem+json", gone.Content.Headers.ContentType?.MediaType);
        var body = await gone.Content.ReadAsStringAsync();
        Assert.Contains("entry_removed", body);
        Assert.DoesNotContain("王小明", body);

        var notPublic = await Client.GetAsync($"/api/v1/entries/{hidden}");
        Assert.Equal(HttpStatusCode.NotFound, notPublic.StatusCode);
        Assert.Contains("entry_not_found", await notPublic.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("pageSize=0", "invalid_page_size")]
    [InlineData("pageSize=101", "invalid_page_size")]
    [InlineData("page=0", "invalid_page")]
    [InlineData("type=company", "invalid_type")]
    [InlineData("province=%E7%81%AB%E6%98%9F", "invalid_province")]
    public async Task Bad_parameters_get_a_code_and_a_chinese_message(string query, string code)
    {
        var response = await Client.GetAsync("/api/v1/entries?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_2000_character_query_is_answered()
    {
        var response = await Client.GetAsync("/api/v1/entries?q=" + Uri.EscapeDataString(new string('张', 2000)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tooLong = await Client.GetAsync("/api/v1/entries?q=" + new string('a', 2001));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
    }

    [Fact]
    public async Task Words_of_the_obligation_find_the_entries_that_owe_it_and_mark_where()
    {
        var response = await Client.GetAsync("/api/v1/entries?text=" + Uri.EscapeDataString("借款本金"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        // 张三 and 张三丰 owe a loan; 王小明 (shielded) owes the same but is not public; the company owes 工程款.
        Assert.Equal(["张三", "张三丰"], Names(page).Order().ToArray());
        var hit = page.GetProperty("hits")[0];
        Assert.Equal("full_text", hit.GetProperty("match").GetString());
        var obligation = page.GetProperty("items")[0].GetProperty("obligation").GetString()!;
        var marked = hit.GetProperty("obligationHighlights").EnumerateArray()
            .Select(h => obligation.Substring(h.GetProperty("start").GetInt32(), h.GetProperty("length").GetInt32())).ToArray();
        Assert.Equal(["借款本金"], marked); // 本 of 本判决 is a word of the query too, but alone it is not marked

        var company = await (await Client.PostAsJsonAsync("/api/v1/entries/search", new { text = "工程款" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["洛阳市恒达建筑工程有限公司"], Names(company));
        Assert.Empty(Names(await (await Client.GetAsync("/api/v1/entries?text=" + Uri.EscapeDataString("借款 工程款"))).Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Theory]
    [InlineData("q=%E5%BC%A0%E4%B8%89&text=%E5%80%9F%E6%AC%BE", "text_with_q")]
    public async Task Full_text_with_a_name_is_refused_with_a_code(string query, string code)
    {
        var response = await Client.GetAsync("/api/v1/entries?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var tooLong = await Client.GetAsync("/api/v1/entries?text=" + Uri.EscapeDataString(new string('款', 201)));
        Assert.Equal("text_too_long", (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_results_page_searches_the_obligation_and_marks_the_words()
    {
        var html = await Client.GetStringAsync("/?text=" + Uri.EscapeDataString("工程款"));
        Assert.Contains("洛阳市恒达建筑工程有限公司", html);
        Assert.DoesNotContain(">张三<", html);
        Assert.Contains("<mark>工程款</mark>", html);
    }

    [Fact]
    public async Task No_response_contains_a_full_id_number()
    {
        var publicId = (await Search("张三")).GetProperty("items")[0].GetProperty("publicId").GetString();
        foreach (var url in new[]
                 {
                     "/api/v1/entries?q=" + FullId, "/api/v1/entries?q=" + Uri.EscapeDataString("张三"), $"/api/v1/entries/{publicId}",
                     "/?q=" + FullId, $"/entries/{publicId}", "/api/v1/entries", "/?q=" + Uri.EscapeDataString("张三"),
                 })
        {
            var body = await Client.GetStringAsync(url);
            Assert.DoesNotContain(FullId, body);
            Assert.DoesNotContain("19840315", body);
            Assert.DoesNotContain("11010519491231002X", body);
        }
    }

    [Fact]
    public async Task No_file_in_the_data_directory_holds_the_id_number_in_the_clear()
    {
        foreach (var file in Directory.GetFiles(fixture.Portal.DataDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                await stream.ReadExactlyAsync(bytes);
            }
            catch (FileNotFoundException) { continue; }
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            Assert.DoesNotContain(FullId, text);
            Assert.DoesNotContain("19840315", text);
        }
    }

    [Fact]
    public async Task Health_and_openapi_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health")).StatusCode);
        var openApi = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/entries", out _));
        Assert.True(paths.TryGetProperty("/api/v1/entries/{publicId}", out _));
    }
}

/// <summary>One entry prints alike whichever way it was read: amounts as SQLite gives them back (5500.0) or as written (5500).</summary>
public class PublicProjectionTests
{
    [Theory]
    [InlineData("5500", "5500.0", "5500")]
    [InlineData("14269.02", "14269.020", "14269.02")]
    [InlineData("0", "0.00", "0")]
    public void An_amount_prints_without_trailing_zeros(string written, string readBack, string printed)
    {
        var a = Portal.Data.Publication.PublicPart.Of(decimal.Parse(written, System.Globalization.CultureInfo.InvariantCulture), null);
        var b = Portal.Data.Publication.PublicPart.Of(decimal.Parse(readBack, System.Globalization.CultureInfo.InvariantCulture), null);
        Assert.Equal(JsonSerializer.Serialize(a), JsonSerializer.Serialize(b));
        Assert.Equal($$"""{"Amount":{{printed}},"Text":null}""", JsonSerializer.Serialize(b));
    }
}
