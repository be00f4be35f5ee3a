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
    public async Task One_honest_check_of_a_listed_number_is_answered_by_its_visible_digits()
    {
        var response = await SearchByBody(_portal.CreateClient(), TrueId);
        Assert.Equal("total=1", await Outcome(response));
    }

    /// <summary>What an anonymous answer says, without the parts that differ between any two requests.</summary>
    private static async Task<string> Answer(HttpResponseMessage response) => $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

    [Fact]
    public async Task Anonymous_callers_get_one_answer_for_every_number_that_shows_the_same_digits_and_nothing_is_counted()
    {
        var client = _portal.CreateClient();
        var answers = new List<string>();
        foreach (var id in Candidates) answers.Add(await Answer(await SearchByBody(client, id)));
        foreach (var id in Candidates.Take(3)) answers.Add(await Answer(await client.GetAsync("/api/v1/entries?q=" + id)));

        Assert.Single(answers.Distinct());                      // the true number, asked last, looks like every other
        Assert.Contains("4127021984****1512", answers[0]);      // the entry, as its masked number shows it
        Assert.Contains("按身份证号码可见部分查询", answers[0]);   // and the answer says how it was found
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().IdLookupMisses.CountAsync()); // no work that differs, nothing to close
    }

    [Fact]
    public async Task The_site_answers_every_number_of_the_family_alike_and_never_closes_it()
    {
        string Results(string html) => Office.Parse(html).Result.QuerySelector(".results-layout")?.TextContent ?? html;
        var pages = new List<string>();
        foreach (var id in Candidates)
            pages.Add(Results(await (await Office.PostForm(Office.NewClient(_portal), "/", "search", new() { ["q"] = id })).Content.ReadAsStringAsync()));
        Assert.Single(pages.Distinct());
        Assert.Contains("按身份证号码可见部分查询", pages[0]);
        Assert.Contains("张三", pages[0]);
        Assert.DoesNotContain(TrueId, pages[0]);
    }

    [Fact]
    public async Task A_bank_key_guessing_in_parallel_is_counted_guess_by_guess()
    {
        var bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify", name: "并行银行")).Key);
        var outcomes = await Task.WhenAll(Candidates.Select(async id => await Outcome(await SearchByBody(bank, id))));
        // With two wrong guesses allowed, at most three answers are given however the requests interleave.
        Assert.True(outcomes.Count(o => o.StartsWith("total=")) <= 3, string.Join(", ", outcomes));
        Assert.Contains("403 id_lookup_closed", outcomes);
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
    public async Task A_closed_family_is_listed_for_the_client_and_reopens_after_the_configured_days()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        using var portal = new PortalFactory { Clock = clock, Settings = new() { ["Privacy:ReopenAfterDays"] = "7" } };
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected);
        await portal.WaitUntilReadyAsync();
        var key = (await ClientSupport.Register(portal, "bank", "verify", name: "七日银行")).Key;
        var bank = ClientSupport.WithKey(portal, key);
        foreach (var id in Candidates.Take(3)) await SearchByBody(bank, id);
        Assert.Equal("403 id_lookup_closed", await Outcome(await SearchByBody(bank, TrueId)));

        var closures = await bank.GetFromJsonAsync<JsonElement>("/api/v1/verify/closures");
        var closure = Assert.Single(closures.EnumerateArray());
        Assert.Equal("4127021984****1512", closure.GetProperty("masked").GetString());
        Assert.Equal(7, (closure.GetProperty("reopensAt").GetDateTime() - closure.GetProperty("closedAt").GetDateTime()).TotalDays, 3);
        var otherBank = ClientSupport.WithKey(portal, (await ClientSupport.Register(portal, "bank", "verify", name: "他行")).Key);
        Assert.Empty((await otherBank.GetFromJsonAsync<JsonElement>("/api/v1/verify/closures")).EnumerateArray()); // its own only
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateClient().GetAsync("/api/v1/verify/closures")).StatusCode);

        clock.Advance(TimeSpan.FromDays(6));
        Assert.Equal("403 id_lookup_closed", await Outcome(await SearchByBody(bank, TrueId)));
        clock.Advance(TimeSpan.FromDays(1.1));
        Assert.Equal("total=1", await Outcome(await SearchByBody(bank, TrueId)));
        Assert.Empty((await bank.GetFromJsonAsync<JsonElement>("/api/v1/verify/closures")).EnumerateArray());
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
