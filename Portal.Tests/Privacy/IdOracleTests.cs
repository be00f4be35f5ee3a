using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Clients;
using Portal.Tests.Support;

namespace Portal.Tests.Privacy;

/// <summary>
/// The attack that recovered full ID numbers: a masked number hides month and day only, so trying every number that
/// agrees with what it shows (about 33 pass the checksum) until one answers "listed" gives the whole number away.
/// Each test replays it with the true number last; it must not be confirmed, while one honest check is answered.
/// </summary>
public class IdOracleTests : IAsyncLifetime
{
    private const string TrueId = "412702198403151512"; // shown as 4127021984****1512
    private readonly PortalFactory _portal = new();

    /// <summary>Every valid number that looks like the listed one once masked, the true one last.</summary>
    private static readonly IReadOnlyList<string> Candidates = BuildCandidates();

    private static List<string> BuildCandidates()
    {
        var list = new List<string>();
        for (var day = new DateOnly(1984, 1, 1); day.Year == 1984; day = day.AddDays(1))
        {
            var first17 = $"4127021984{day:MMdd}151";
            var id = first17 + IdNumber.CheckCharacter(first17);
            if (id.EndsWith("1512") && id != TrueId) list.Add(id);
        }
        list.Add(TrueId);
        return list;
    }

    public async Task InitializeAsync()
    {
        Assert.True(Candidates.Count > 25, $"only {Candidates.Count} candidates");
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person())).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static Task<HttpResponseMessage> SearchByBody(HttpClient client, string id) =>
        client.PostAsync("/api/v1/entries/search", JsonContent.Create(new { q = id }));

    private static async Task<string> Outcome(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.StatusCode == HttpStatusCode.OK ? $"total={body.GetProperty("total").GetInt64()}" : $"{(int)response.StatusCode} {body.GetProperty("code").GetString()}";
    }

    [Fact]
    public async Task One_honest_check_of_a_listed_number_is_answered()
    {
        var response = await SearchByBody(_portal.CreateClient(), TrueId);
        Assert.Equal("total=1", await Outcome(response));
    }

    [Fact]
    public async Task Anonymous_guessing_through_the_api_never_confirms_the_true_number()
    {
        var client = _portal.CreateClient();
        var outcomes = new List<string>();
        foreach (var id in Candidates) outcomes.Add(await Outcome(await SearchByBody(client, id)));

        Assert.Equal("403 id_lookup_closed", outcomes[^1]);                 // the true number, asked last, is not confirmed
        Assert.True(outcomes.Count(o => o == "total=0") <= 1, string.Join(", ", outcomes)); // one wrong guess answered at most
        Assert.Single(outcomes.Skip(2).Distinct());                         // after that every guess looks alike, the true one too
    }

    [Fact]
    public async Task Guessing_through_the_site_closes_the_family_for_the_api_too()
    {
        var site = Office.NewClient(_portal);
        string? last = null;
        foreach (var id in Candidates.Take(3))
            last = await (await Office.PostForm(site, "/", "search", new() { ["q"] = id })).Content.ReadAsStringAsync();
        Assert.Contains("已暂停对这一号段的精确查询", last);
        Assert.DoesNotContain(TrueId, last);

        // Another address, another surface: the count is kept for all anonymous callers together.
        Assert.Equal("403 id_lookup_closed", await Outcome(await SearchByBody(_portal.CreateClient(), TrueId)));
        var page = await (await Office.PostForm(Office.NewClient(_portal), "/", "search", new() { ["q"] = TrueId })).Content.ReadAsStringAsync();
        Assert.Contains("这不表示该号码未被列入名单", page);
        Assert.DoesNotContain("href=\"/entries/", page);
    }

    [Fact]
    public async Task Parallel_guessing_is_counted_guess_by_guess()
    {
        var client = _portal.CreateClient();
        var outcomes = await Task.WhenAll(Candidates.Select(async id => await Outcome(await SearchByBody(client, id))));
        // With one wrong guess allowed, at most two answers are given however the requests interleave.
        Assert.True(outcomes.Count(o => o.StartsWith("total=")) <= 2, string.Join(", ", outcomes));
    }

    [Fact]
    public async Task A_bank_key_guessing_in_one_call_does_not_confirm_the_true_number()
    {
        var bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify", name: "某商业银行")).Key);
        var response = await bank.PostAsync("/api/v1/verify", JsonContent.Create(new { subjects = Candidates.Select(id => new { name = "李四", idNumber = id }) }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statuses = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("status").GetString()!).ToList();
        Assert.Equal("unverifiable", statuses[^1]);
        Assert.True(statuses.Count(s => s == "not_listed") <= 2, string.Join(", ", statuses));
        Assert.DoesNotContain("name_mismatch", statuses);

        // Another bank checking its customer once is answered; the closing is on the audit log, without any full number.
        var other = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify", name: "另一家银行")).Key);
        var honest = await (await other.PostAsync("/api/v1/verify", JsonContent.Create(new { subjects = new[] { new { name = "张三", idNumber = TrueId } } })))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("listed", honest.GetProperty("results")[0].GetProperty("status").GetString());

        await using var scope = _portal.Services.CreateAsyncScope();
        var closing = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords
            .Where(r => r.Action == "id-lookup-closed").Select(r => r.Actor + " " + r.Reason).ToListAsync();
        Assert.Contains(closing, c => c.StartsWith("某商业银行"));
        Assert.All(closing, c => Assert.DoesNotMatch(@"\d{15,18}", c));

        // Administrators see each client's misses and closed families beside its key.
        var admin = await Office.SignedIn(_portal, "admin-oracle", Portal.Web.BackOffice.StaffRoles.Admin);
        var clients = await Office.Parse(await admin.GetStringAsync("/office/clients"));
        var row = clients.QuerySelectorAll("tr").First(tr => tr.TextContent.Contains("某商业银行"));
        Assert.Contains($"{Candidates.Count - 1}（1）", row.TextContent);
    }

    [Fact]
    public async Task A_bank_rescreening_the_same_customers_is_not_closed_by_it()
    {
        var bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify", name: "复查银行")).Key);
        async Task<string> Check(string name, string id) => (await (await bank.PostAsync("/api/v1/verify",
                JsonContent.Create(new { subjects = new[] { new { name, idNumber = id } } })))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results")[0].GetProperty("status").GetString()!;

        for (var month = 0; month < 5; month++) Assert.Equal("not_listed", await Check("王二", Candidates[0])); // same customer, every month
        Assert.Equal("listed", await Check("张三", TrueId));
    }

    [Fact]
    public async Task Numbers_whose_family_holds_no_listed_entry_are_answered_and_not_counted()
    {
        var client = _portal.CreateClient();
        for (var seq = 100; seq < 110; seq++)
        {
            var first17 = $"11010519900101{seq}";
            Assert.Equal("total=0", await Outcome(await SearchByBody(client, first17 + IdNumber.CheckCharacter(first17))));
        }
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().IdLookupMisses.CountAsync());
    }
}
