using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Clients;

namespace Portal.Tests.Clients;

/// <summary>
/// A borrower with its officers (issue #25, part 2): each related person checked as a debtor and as the legal
/// representative of a listed organization, exactly by ID number or by name only (marked), covered by the receipt;
/// the representative's recorded number never leaves the server. Real HTTP, real SQLite.
/// </summary>
public sealed class RelatedPersonsVerifyTests : IAsyncLifetime
{
    private const string Debtor = "110101194912310016";          // 王建国, listed himself
    private const string Representative = "440304199001011233";  // 李红, recorded as 恒达's legal representative
    private const string Stranger = "110105194912310038";
    private readonly PortalFactory _portal = new();
    private HttpClient _bank = default!;

    public async Task InitializeAsync()
    {
        var debtor = TestEntries.Person("王建国", Debtor, "（2021）豫0105执9号");
        var hengda = TestEntries.Organization();
        (hengda.LegalRepresentative, hengda.LegalRepresentativeIdNumber) = ("李红", Representative);
        var yuanhang = TestEntries.Organization("郑州市远航贸易有限公司", "91410100MA45XK3L26", "（2022）豫0105执31号");
        yuanhang.LegalRepresentative = "赵强";                     // no number recorded
        var hongtu = TestEntries.Organization("洛阳市宏图商贸有限公司", "91410300MA46P7Q81M", "（2022）豫0311执77号");
        hongtu.LegalRepresentative = "赵强";                       // shielded below
        Assert.Empty((await _portal.ImportAsync(debtor, hengda, yuanhang, hongtu)).Rejected);
        await _portal.WaitUntilReadyAsync();
        await _portal.ShieldAsync("（2022）豫0311执77号");
        _bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify", name: "某商业银行")).Key);
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(JsonElement Response, byte[] Body)> Verify(object request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request);
        var response = await _bank.PostAsync("/api/v1/verify", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), body);
    }

    private static readonly object Borrower = new
    {
        name = "某某投资有限公司", creditCode = "914403001922038216",
        related = new object[]
        {
            new { role = "legalRepresentative", name = "李红", idNumber = Representative }, // 0 recorded representative of 恒达: exact
            new { role = "controller", name = "王建国", idNumber = Debtor },                 // 1 listed himself
            new { role = "director", name = "赵强" },                                         // 2 by name: 远航 only (宏图 is shielded)
            new { role = "supervisor", name = "钱多", idNumber = Stranger },                  // 3 nowhere
            new { role = "manager", name = "李红" },                                          // 4 name only: 恒达, but not exact
            new { role = "manager", name = "李红", idNumber = Stranger },                     // 5 恒达 recorded another number: not this 李红
            new { role = "ceo", name = "孙七" },                                              // 6 unknown role
            new { role = "director", name = " " },                                            // 7 no name
            new { role = "director", name = "周八", idNumber = "110105194912310039" },        // 8 bad check digit
        },
    };

    [Fact]
    public async Task Every_officer_gets_a_result_exact_by_number_or_marked_as_by_name_only()
    {
        var (response, _) = await Verify(new { subjects = new[] { Borrower } });
        var subject = response.GetProperty("results")[0];
        Assert.Equal("not_listed", subject.GetProperty("status").GetString());
        var related = subject.GetProperty("related").EnumerateArray().ToList();
        Assert.Equal(9, related.Count);
        (string, bool) At(int n) => (related[n].GetProperty("status").GetString()!, related[n].GetProperty("exact").GetBoolean());
        string[] Cases(int n) => related[n].GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("caseNumber").GetString()!).ToArray();

        Assert.Equal(("legal_representative", true), At(0));
        Assert.Equal(["（2020）豫0311执2001号"], Cases(0));
        Assert.Equal(("listed", true), At(1));
        Assert.Equal(["（2021）豫0105执9号"], Cases(1));
        Assert.Equal(("legal_representative", false), At(2));
        Assert.Equal(["（2022）豫0105执31号"], Cases(2));
        Assert.Equal(("not_found", false), At(3));
        Assert.Equal(("legal_representative", false), At(4));
        Assert.Equal(("not_found", false), At(5));
        Assert.Equal(["unknown_role", "related_name_required", "invalid_id_number"],
            new[] { 6, 7, 8 }.Select(n => related[n].GetProperty("errorCode").GetString()!).ToArray());
        Assert.All(new[] { 6, 7, 8 }, n => Assert.Equal("invalid", related[n].GetProperty("status").GetString()));
        Assert.Equal(Enumerable.Range(0, 9), related.Select(r => r.GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task The_receipt_covers_every_person_in_the_documented_line_format()
    {
        var (response, body) = await Verify(new { subjects = new[] { Borrower } });
        var id = response.GetProperty("receipt").GetProperty("id").GetString();
        static string Ids(JsonElement r) => string.Join(',', r.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("publicId").GetString()));
        var lines = new StringBuilder();
        foreach (var r in response.GetProperty("results").EnumerateArray())
        {
            lines.Append($"{r.GetProperty("index").GetInt32()}\t{r.GetProperty("status").GetString()}\t{Ids(r)}\n");
            foreach (var p in r.GetProperty("related").EnumerateArray())
                lines.Append($"{r.GetProperty("index").GetInt32()}.{p.GetProperty("index").GetInt32()}\t{p.GetProperty("status").GetString()}\t{Ids(p)}\n");
        }
        static string Sha(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)));
        async Task<JsonElement> Check(string result) => await (await _bank.PostAsJsonAsync($"/api/v1/verify/receipts/{id}/check",
            new { requestSha256 = Convert.ToHexStringLower(SHA256.HashData(body)), resultSha256 = result })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await Check(Sha(lines.ToString()))).GetProperty("resultMatches").GetBoolean());
        // Without the officers' lines (or with one changed) the result is not the one received.
        var subjectOnly = lines.ToString().Split('\n')[0] + "\n";
        Assert.False((await Check(Sha(subjectOnly))).GetProperty("resultMatches").GetBoolean());
        Assert.False((await Check(Sha(lines.ToString().Replace("0.3\tnot_found", "0.3\tlisted")))).GetProperty("resultMatches").GetBoolean());
    }

    [Fact]
    public async Task The_representatives_number_never_leaves_the_server_and_is_not_stored_in_clear()
    {
        var http = _portal.CreateClient();
        var page = await http.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("恒达"));
        var publicId = page.GetProperty("items")[0].GetProperty("publicId").GetString();
        foreach (var url in new[] { "/api/v1/entries?q=" + Uri.EscapeDataString("恒达"), $"/api/v1/entries/{publicId}", $"/entries/{publicId}",
                     "/?q=" + Uri.EscapeDataString("李红"), "/api/v1/entries?q=" + Uri.EscapeDataString("李红") })
        {
            var text = await http.GetStringAsync(url);
            Assert.DoesNotContain(Representative, text);
            Assert.DoesNotContain("19900101", text);
        }
        await using var scope = _portal.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.AsNoTracking().SingleAsync(e => e.PublicId == publicId);
        Assert.NotNull(stored.LegalRepresentativeIdHash);
        Assert.DoesNotContain(Representative, stored.LegalRepresentativeIdCipher!);
        Assert.DoesNotContain(Representative, stored.LegalRepresentativeIdHash);
    }

    [Fact]
    public async Task Guessing_a_representatives_number_closes_its_family_as_for_a_debtor_and_a_number_alone_names_nobody()
    {
        // The representative's number under another name: reported, without the company.
        var (mismatch, _) = await Verify(new { subjects = new[] { new { name = "某公司", creditCode = "914403001922038216",
            related = new[] { new { role = "director", name = "张三", idNumber = Representative } } } } });
        var other = mismatch.GetProperty("results")[0].GetProperty("related")[0];
        Assert.Equal("name_mismatch", other.GetProperty("status").GetString());
        Assert.Empty(other.GetProperty("matches").EnumerateArray());

        // Numbers of the family of 李红's (same visible digits, other birthdays): after the allowance of misses the family
        // is closed to this key, and then the true number is not answered either.
        var guesses = Enumerable.Range(2, 6).Select(day =>
        {
            var first17 = $"4403041990{1:D2}{day:D2}123";
            return new { role = "director", name = "李红", idNumber = first17 + Portal.Data.Entries.IdNumber.CheckCharacter(first17) };
        }).ToArray();
        var (probe, _) = await Verify(new { subjects = new[] { new { name = "某公司", creditCode = "914403001922038216", related = guesses } } });
        Assert.Contains(probe.GetProperty("results")[0].GetProperty("related").EnumerateArray(), r => r.GetProperty("status").GetString() == "unverifiable");
        var (after, _) = await Verify(new { subjects = new[] { new { name = "某公司", creditCode = "914403001922038216",
            related = new[] { new { role = "legalRepresentative", name = "李红", idNumber = Representative } } } } });
        Assert.Equal("unverifiable", after.GetProperty("results")[0].GetProperty("related")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_new_representative_recorded_in_the_editor_replaces_the_old_number()
    {
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var input = TestEntries.Organization();
            (input.LegalRepresentative, input.LegalRepresentativeIdNumber) = ("钱新", Stranger);
            var protection = scope.ServiceProvider.GetRequiredService<Portal.Data.Privacy.IdNumberProtection>();
            var result = await scope.ServiceProvider.GetRequiredService<Portal.Web.Lifecycle.EntryActions>()
                .ApplyAsync(await _portal.IdOfAsync("（2020）豫0311执2001号"), Portal.Web.Lifecycle.EntryActions.Edit(input, protection), "clerk");
            Assert.Equal(Portal.Web.Lifecycle.ItemOutcome.Applied, result.Outcome);
        }
        var (response, _) = await Verify(new { subjects = new[] { new { name = "某公司", creditCode = "914403001922038216", related = new[]
        {
            new { role = "legalRepresentative", name = "李红", idNumber = Representative }, // the former representative: no longer theirs
            new { role = "legalRepresentative", name = "钱新", idNumber = Stranger },
        } } } });
        var related = response.GetProperty("results")[0].GetProperty("related");
        Assert.Equal("not_found", related[0].GetProperty("status").GetString());
        Assert.Equal(("legal_representative", true), (related[1].GetProperty("status").GetString(), related[1].GetProperty("exact").GetBoolean()));
    }

    [Fact]
    public async Task Too_many_officers_or_a_person_entry_with_a_representatives_number_is_refused()
    {
        var crowd = Enumerable.Range(0, RelatedRoles.MaxPerSubject + 1).Select(i => new { role = "director", name = "董事" + i }).ToArray();
        var (problem, _) = await Verify(new { subjects = new[] { new { name = "某公司", creditCode = "914403001922038216", related = crowd } } }, HttpStatusCode.BadRequest);
        Assert.Equal("too_many_related", problem.GetProperty("code").GetString());

        var person = TestEntries.Person("孙九", Stranger, "（2023）豫0105执5号");
        person.LegalRepresentativeIdNumber = Representative;
        var organization = TestEntries.Organization("郑州市新星贸易有限公司", "91410100MA45XK3L26", "（2023）豫0105执6号");
        organization.LegalRepresentativeIdNumber = "110105194912310039";
        var report = await _portal.ImportAsync(person, organization);
        Assert.Contains(report.Rejected, r => r.Message.Contains("自然人不填写法定代表人身份证号码"));
        Assert.Contains(report.Rejected, r => r.Message.Contains("法定代表人身份证号码："));
    }

    [Fact]
    public void The_batch_file_takes_officers_in_columns_named_by_role()
    {
        var csv = "姓名或名称,统一社会信用代码,法定代表人姓名,法定代表人身份证号码,董事姓名\n某某投资有限公司,914403001922038216,李红," + Representative + ",赵强\n";
        var (subjects, error) = VerifyBatchFile.Read(Encoding.UTF8.GetBytes(csv));
        Assert.Null(error);
        var related = Assert.Single(subjects).Related!;
        Assert.Equal([("legalRepresentative", "李红", Representative), ("director", "赵强", (string?)null)],
            related.Select(p => (p.Role!, p.Name!, p.IdNumber)).ToArray());
        var (_, missing) = VerifyBatchFile.Read(Encoding.UTF8.GetBytes("姓名或名称,统一社会信用代码,监事身份证号码\n某公司,914403001922038216," + Stranger + "\n"));
        Assert.Contains("监事姓名", missing);
    }
}
