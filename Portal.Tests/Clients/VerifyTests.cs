using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Clients;

/// <summary>Bank verification: exact matching, reported name mismatches and invalid IDs, and a receipt anyone can check.</summary>
public class VerifyTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private HttpClient _bank = default!;

    public async Task InitializeAsync()
    {
        var shielded = TestEntries.Person("李四", "440304199001011233", "（2021）粤0305执10号");
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), ChangeFeedTests.Wang(), shielded)).Rejected);
        await _portal.WaitUntilReadyAsync();
        await _portal.ShieldAsync("（2021）粤0305执10号");
        _bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify", name: "某商业银行")).Key);
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(JsonElement Response, byte[] Body)> Verify(object request)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request);
        var response = await _bank.PostAsync("/api/v1/verify", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), body);
    }

    [Fact]
    public async Task Each_subject_is_listed_not_listed_mismatched_or_invalid_on_its_own()
    {
        var (response, _) = await Verify(new
        {
            subjects = new object[]
            {
                new { name = "张三", idNumber = "412702198403151512" },             // 0 listed
                new { name = "張三", idNumber = "412702840315151" },                // 1 the 15-digit form, traditional characters
                new { name = "王小明", idNumber = "11010519491231002x" },            // 2 lowercase x
                new { name = "洛阳市恒达建筑工程有限公司", creditCode = "91410311ma44l2k3x8" }, // 3 lowercase credit code
                new { name = "李四", idNumber = "412702198403151512" },             // 4 someone else's listed number
                new { name = "李四", idNumber = "440304199001011233" },             // 5 shielded: not listed
                new { name = "赵六", idNumber = "412702198403151513" },             // 6 bad check digit
                new { name = "钱七" },                                              // 7 no identifier: screened by name, nothing near
                new { name = "华为技术有限公司", creditCode = "914403001922038216" }, // 8 valid, not listed
            },
        });
        var results = response.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(Enumerable.Range(0, 9), results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal(["listed", "listed", "listed", "listed", "name_mismatch", "not_listed", "invalid", "no_match", "not_listed"],
            results.Select(r => r.GetProperty("status").GetString()));

        var match = results[0].GetProperty("matches").EnumerateArray().Single();
        Assert.Equal("（2019）豫0311执1234号", match.GetProperty("caseNumber").GetString());
        Assert.Equal("洛阳市洛龙区人民法院", match.GetProperty("court").GetString());
        Assert.StartsWith("2019-0", match.GetProperty("publishedAt").GetString());
        Assert.Empty(results[4].GetProperty("matches").EnumerateArray()); // the number is listed, but the listed name is not given away
        Assert.DoesNotContain("张三", results[4].GetRawText());
        Assert.Equal("invalid_id_number", results[6].GetProperty("errorCode").GetString());
        Assert.Contains("校验", results[6].GetProperty("error").GetString());
        Assert.Empty(results[7].GetProperty("candidates").EnumerateArray());
        Assert.DoesNotContain("412702198403151512", response.GetRawText());

        var receipt = response.GetProperty("receipt");
        Assert.Equal((9, 4, 1, 1), (receipt.GetProperty("subjects").GetInt32(), receipt.GetProperty("listed").GetInt32(),
            receipt.GetProperty("nameMismatches").GetInt32(), receipt.GetProperty("invalid").GetInt32()));
    }

    /// <summary>Every valid number that shows as 4127021984****1512 once masked (the true one among them).</summary>
    private static IEnumerable<string> Candidates()
    {
        for (var day = new DateOnly(1984, 1, 1); day.Year == 1984; day = day.AddDays(1))
        {
            var first17 = $"4127021984{day:MMdd}151";
            if (first17 + IdNumber.CheckCharacter(first17) is var id && id.EndsWith("1512")) yield return id;
        }
    }

    [Fact]
    public async Task A_public_receipt_cannot_be_hashed_back_to_the_number_but_the_bank_can_prove_what_it_sent_and_received()
    {
        var (response, body) = await Verify(new { subjects = new object[] { new { name = "张三", idNumber = "412702198403151512" } } });
        var id = response.GetProperty("receipt").GetProperty("id").GetString()!;
        var anonymous = _portal.CreateClient();
        var shown = (await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/verify/receipts/{id}")).GetProperty("receipt");
        var (requestDigest, resultDigest) = (shown.GetProperty("requestDigest").GetString()!, shown.GetProperty("resultDigest").GetString()!);

        // The attack: the masked number is public, so are the public ids; hash every candidate the way a bank's JSON
        // would spell it, and every result line a listed or unlisted answer could give.
        string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var spellings = Candidates().SelectMany(n => new[]
        {
            JsonSerializer.Serialize(new { subjects = new object[] { new { name = "张三", idNumber = n } } }),
            $"{{\"subjects\":[{{\"name\":\"张三\",\"idNumber\":\"{n}\"}}]}}",
            $"{{\"subjects\": [{{\"name\": \"张三\", \"idNumber\": \"{n}\"}}]}}",
        }).ToList();
        Assert.Contains(Encoding.UTF8.GetString(body), spellings); // the true request is among the guesses
        Assert.DoesNotContain(requestDigest, spellings.Select(Sha));
        var publicIds = (await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=张三")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("publicId").GetString()).ToList();
        var lines = publicIds.Select(p => $"0\tlisted\t{p}\n").Append("0\tnot_listed\t\n").ToList();
        Assert.DoesNotContain(resultDigest, lines.Select(Sha));

        // The bank proves it: the SHA-256 of what it sent and of the result lines it received, compared by the portal.
        var received = string.Concat(response.GetProperty("results").EnumerateArray().Select(r =>
            $"{r.GetProperty("index").GetInt32()}\t{r.GetProperty("status").GetString()}\t" +
            string.Join(',', r.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("publicId").GetString())) + "\n"));
        async Task<HttpResponseMessage> Check(HttpClient client, string request, string result) =>
            await client.PostAsJsonAsync($"/api/v1/verify/receipts/{id}/check", new { requestSha256 = request, resultSha256 = result });
        var proved = await (await Check(_bank, Convert.ToHexStringLower(SHA256.HashData(body)), Sha(received))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(proved.GetProperty("requestMatches").GetBoolean());
        Assert.True(proved.GetProperty("resultMatches").GetBoolean());
        var wrong = await (await Check(_bank, Sha("{}"), Sha("0\tnot_listed\t\n"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(wrong.GetProperty("requestMatches").GetBoolean());
        Assert.False(wrong.GetProperty("resultMatches").GetBoolean());

        // Nobody else can use the portal to test guesses against the receipt.
        var otherBank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify", name: "另一银行")).Key);
        Assert.Equal(HttpStatusCode.NotFound, (await Check(otherBank, Convert.ToHexStringLower(SHA256.HashData(body)), Sha(received))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Check(anonymous, Convert.ToHexStringLower(SHA256.HashData(body)), Sha(received))).StatusCode);
        var html = await anonymous.GetStringAsync($"/verify/{id}");
        Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(body)), html);
    }

    [Fact]
    public async Task The_receipt_is_signed_and_detects_tampering()
    {
        var (response, _) = await Verify(new
        {
            subjects = new object[] { new { name = "张三", idNumber = "412702198403151512" }, new { name = "某人", idNumber = "110101194912310016" } },
        });
        var receipt = response.GetProperty("receipt");
        var id = receipt.GetProperty("id").GetString()!;
        Assert.EndsWith("/verify/" + id, receipt.GetProperty("url").GetString());

        var anonymous = _portal.CreateClient();
        var check = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/verify/receipts/{id}");
        Assert.True(check.GetProperty("signatureValid").GetBoolean());
        Assert.Equal(1, check.GetProperty("receipt").GetProperty("listed").GetInt32());

        var html = await anonymous.GetStringAsync($"/verify/{id}");
        var page = await Office.Parse(html);
        Assert.NotNull(page.QuerySelector(".qr svg rect, .qr svg path"));
        Assert.Contains("签名有效", html);
        Assert.Contains("某商业银行", html);
        Assert.DoesNotContain("张三", html);
        Assert.DoesNotContain("412702", html);

        // Someone edits the stored figures: the signature no longer holds, and both views say so.
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await db.VerificationReceipts.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Listed, 0));
        }
        Assert.False((await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/verify/receipts/{id}")).GetProperty("signatureValid").GetBoolean());
        Assert.Contains("签名校验不通过", await anonymous.GetStringAsync($"/verify/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/verify/aaaaaaaaaaaaaaaa")).StatusCode);
    }

    [Fact]
    public async Task Batches_are_limited_to_ten_thousand_and_bad_bodies_get_a_code()
    {
        async Task<string> CodeOf(HttpContent content)
        {
            var response = await _bank.PostAsync("/api/v1/verify", content);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        }
        var many = Enumerable.Range(0, 10_001).Select(_ => new { name = "张三", idNumber = "412702198403151512" }).ToArray();
        Assert.Equal("too_many_subjects", await CodeOf(JsonContent.Create(new { subjects = many })));
        Assert.Equal("no_subjects", await CodeOf(JsonContent.Create(new { subjects = Array.Empty<object>() })));
        Assert.Equal("invalid_json", await CodeOf(new StringContent("{ subjects: [", Encoding.UTF8, "application/json")));

        var (full, _) = await Verify(new { subjects = many[..10_000] });
        Assert.Equal(10_000, full.GetProperty("results").GetArrayLength());
        Assert.All(full.GetProperty("results").EnumerateArray(), r => Assert.Equal("listed", r.GetProperty("status").GetString()));
    }
}
