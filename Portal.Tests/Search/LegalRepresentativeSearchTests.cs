using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Search;

/// <summary>
/// A person's name also finds the organizations whose legal representative bears it (issue #25), as a group of their
/// own after the debtors, with the same name variants; real HTTP on a real SQLite file and index.
/// </summary>
public sealed class LegalRepresentativeSearchTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        var debtor = TestEntries.Person("王建国", "110101194912310016", "（2021）豫0105执9号");         // 王建国 himself is listed
        var hengda = TestEntries.Organization();                                                      // 王建国 is 恒达's legal representative
        var other = TestEntries.Organization("郑州市远航贸易有限公司", "91410100MA45XK3L26", "（2022）豫0105执31号");
        other.LegalRepresentative = "欧阳振华";
        var removed = TestEntries.Organization("洛阳市宏图商贸有限公司", "91410300MA46P7Q81M", "（2022）豫0311执77号");
        removed.LegalRepresentative = "欧阳振华";
        Assert.Empty((await _portal.ImportAsync(debtor, hengda, other, removed)).Rejected);
        await _portal.WaitUntilReadyAsync();
        await _portal.ShieldAsync("（2022）豫0311执77号");
        _http = _portal.CreateClient();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JsonElement> Search(string q, string extra = "")
    {
        var response = await _http.GetAsync("/api/v1/entries?q=" + Uri.EscapeDataString(q) + extra);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Names(JsonElement items) => items.EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray();

    [Fact]
    public async Task A_name_finds_the_person_listed_and_apart_from_them_the_organization_they_represent()
    {
        var page = await Search("王建国");
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal(["王建国"], Names(page.GetProperty("items")));
        Assert.Equal("name", page.GetProperty("hits")[0].GetProperty("matchedOn").GetString());

        var group = page.GetProperty("representatives");
        Assert.Equal(1, group.GetProperty("total").GetInt64());
        Assert.Equal(["洛阳市恒达建筑工程有限公司"], Names(group.GetProperty("items")));
        var hit = group.GetProperty("hits")[0];
        Assert.Equal("legalRepresentative", hit.GetProperty("matchedOn").GetString());
        Assert.Equal("exact_name", hit.GetProperty("match").GetString());
        var representative = group.GetProperty("items")[0].GetProperty("legalRepresentative").GetString()!;
        var marked = hit.GetProperty("highlights").EnumerateArray().Sum(h => h.GetProperty("length").GetInt32());
        Assert.Equal(representative.Length, marked); // the highlights are in the representative's name
    }

    [Theory]
    [InlineData("王建國", "exact_name", false)]
    [InlineData("wangjianguo", "pinyin", false)]
    [InlineData("汪建国", "homophone", true)]
    public async Task The_representative_is_found_by_the_same_variants_as_a_name(string typed, string match, bool approximate)
    {
        var hit = (await Search(typed)).GetProperty("representatives").GetProperty("hits").EnumerateArray()
            .Single(h => h.GetProperty("matchedOn").GetString() == "legalRepresentative");
        Assert.Equal(match, hit.GetProperty("match").GetString());
        Assert.Equal(approximate, hit.GetProperty("approximate").GetBoolean());
    }

    [Fact]
    public async Task A_representative_of_a_removed_entry_finds_nothing_and_is_never_a_suggestion_or_an_entry()
    {
        var page = await Search("欧阳振华");
        Assert.Equal(0, page.GetProperty("total").GetInt64());
        Assert.Equal(["郑州市远航贸易有限公司"], Names(page.GetProperty("representatives").GetProperty("items"))); // not the shielded 宏图

        var suggestions = await _http.GetFromJsonAsync<JsonElement>("/api/v1/suggest?q=" + Uri.EscapeDataString("欧阳"));
        Assert.Empty(suggestions.GetProperty("suggestions").EnumerateArray());
        Assert.Equal(3, (await Search("")).GetProperty("total").GetInt64()); // browsing counts entries, not representatives

        var persons = await Search("欧阳振华", "&type=person");
        Assert.Equal(JsonValueKind.Null, persons.GetProperty("representatives").ValueKind); // people only: no organizations
    }

    [Fact]
    public async Task The_results_page_shows_the_group_after_the_debtors_under_its_own_heading()
    {
        var html = await _http.GetStringAsync("/?q=" + Uri.EscapeDataString("王建国"));
        var debtors = html.IndexOf("id=\"results-title\"", StringComparison.Ordinal);
        var group = html.IndexOf("以法定代表人或负责人身份出现", StringComparison.Ordinal);
        Assert.True(debtors >= 0 && group > debtors);
        Assert.True(html.IndexOf("洛阳市恒达建筑工程有限公司", StringComparison.Ordinal) > group);
    }
}
