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
using Portal.Web.Clients;

namespace Portal.Tests.Clients;

/// <summary>
/// A bank's watched book (issue #25): registered by JSON and CSV, matched against the list at once and at every change,
/// told through the watch feed and a signed webhook to a real receiver on loopback; bad books refused whole; numbers kept
/// nowhere in clear; one client's book invisible to another; a book no way around the exact-lookup guard.
/// </summary>
public class WatchBookTests : IAsyncLifetime
{
    private const string ZhangId = "412702198403151512";
    private const string HengdaCode = "91410311MA44L2K3X8";
    private const string LiId = "110101199003074514";

    private LoopbackServer _receiver = default!;
    private PortalFactory _portal = default!;

    protected virtual PortalFactory Create(Dictionary<string, string> settings) => new() { Settings = settings };

    public async Task InitializeAsync()
    {
        _receiver = await LoopbackServer.StartAsync();
        _portal = Create(new()
        {
            ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8", ["Webhooks:PollSeconds"] = "0.05", ["Webhooks:RetryBaseSeconds"] = "0.1", ["Watch:MaxSubjects"] = "5",
        });
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        _portal.Dispose();
        await _receiver.DisposeAsync();
    }

    private async Task<(HttpClient Http, IssuedKey Issued)> Bank(string? webhook = null, string scopes = "watch")
    {
        var issued = await ClientSupport.Register(_portal, "bank", scopes, webhook);
        return (ClientSupport.WithKey(_portal, issued.Key), issued);
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static async Task<JsonElement> Body(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<List<JsonElement>> Events(HttpClient bank) =>
        (await bank.GetFromJsonAsync<JsonElement>("/api/v1/watchlist/events")).GetProperty("events").EnumerateArray().ToList();

    private Task<int> MatchAsync() => _portal.Services.GetRequiredService<WatchBook>().MatchChangesAsync();

    /// <summary>A valid number with the visible digits of <see cref="ZhangId"/> (its family) and another birth day.</summary>
    private static string SameFamily(int day)
    {
        var first17 = $"41270219840{(day > 28 ? 4 : 3)}{day % 28 + 1:00}151";
        return first17 + IdNumber.CheckCharacter(first17);
    }

    [Fact]
    public async Task A_book_is_matched_at_once_by_number_and_name_and_a_number_under_another_name_tells_nothing_of_a_person()
    {
        var (bank, _) = await Bank();
        var done = await Body(await bank.PostAsync("/api/v1/watchlist", Json(new
        {
            subjects = new object[]
            {
                new { reference = "C-1", name = "張三", idNumber = ZhangId.Insert(6, " ") }, // traditional, typed with a space: the same person
                new { reference = "C-2", name = "洛阳市恒达建筑工程有限公司", creditCode = HengdaCode.ToLowerInvariant() },
                new { reference = "C-3", name = "李四", idNumber = LiId },
                new { reference = "C-4", name = "王五", idNumber = ZhangId },
                new { reference = "C-5", name = "洛阳市另一建筑有限公司", creditCode = HengdaCode },
            },
        })), HttpStatusCode.OK);
        Assert.Equal((5, 0, 5), (done.GetProperty("added").GetInt32(), done.GetProperty("replaced").GetInt32(), done.GetProperty("total").GetInt32()));

        var events = await Events(bank);
        var byReference = events.ToDictionary(e => e.GetProperty("reference").GetString()!);
        Assert.Equal(["C-1", "C-2", "C-5"], byReference.Keys.Order());
        Assert.All(events, e => Assert.Equal("already_listed", e.GetProperty("type").GetString()));
        Assert.Equal(TestEntries.Person().CaseNumber, byReference["C-1"].GetProperty("caseNumber").GetString());
        Assert.Equal(TestEntries.Organization().CaseNumber, byReference["C-2"].GetProperty("caseNumber").GetString());
        // C-4 carries 张三's number under another name: a person's number is secret, so nothing is told (else a book of
        // candidates under invented names would find the real one). C-5 carries the company's public credit code under
        // another name: told that the code is listed, not under whom.
        Assert.False(byReference["C-5"].GetProperty("nameMatches").GetBoolean());
        Assert.False(byReference["C-5"].TryGetProperty("publicId", out _));
        Assert.False(byReference["C-5"].TryGetProperty("caseNumber", out _));
        Assert.Equal(3, done.GetProperty("alreadyListed").GetInt32());

        // Listed: what the client sent, normalized, and never the number.
        var list = await bank.GetStringAsync("/api/v1/watchlist");
        Assert.Contains("\"张三\"", list);
        Assert.DoesNotContain(ZhangId[6..14], list);
        Assert.DoesNotContain("MA44L2K3X8", list);
    }

    [Fact]
    public async Task Every_change_to_a_watched_entry_reaches_the_feed_and_the_signed_webhook_with_the_clients_reference()
    {
        var (bank, issued) = await Bank(_receiver.BaseUrl + "/hooks/watch");
        await Body(await bank.PostAsync("/api/v1/watchlist/batch", Csv($"客户编号,姓名或名称,身份证号码,统一社会信用代码\r\nL-9,李四,{LiId},\r\nZ-1,张三,{ZhangId},\r\n")), HttpStatusCode.OK);
        Assert.Equal(["already_listed"], (await Events(bank)).Select(e => e.GetProperty("type").GetString()));

        // 李四 is listed later; 张三 is shielded: two alerts, each naming the bank's reference.
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person("李四", LiId, "（2021）豫0311执77号"))).Rejected);
        await _portal.ShieldAsync(TestEntries.Person().CaseNumber!);
        var received = await _receiver.WaitForAsync(r => r.Count >= 3);
        await Task.Delay(300); // room for a duplicate, if there were going to be one
        var events = await Events(bank);
        Assert.Equal([("already_listed", "Z-1"), ("listed", "L-9"), ("shielded", "Z-1")],
            events.Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("reference").GetString()!)));
        Assert.Equal(3, _receiver.Requests.Count);
        foreach (var (request, e) in _receiver.Requests.OrderBy(r => r.Headers["X-Portal-Event-Id"]).Zip(events))
        {
            Assert.Equal($"watch-{e.GetProperty("id").GetInt64()}", request.Headers["X-Portal-Event-Id"]);
            Assert.Equal("watch." + e.GetProperty("type").GetString(), request.Headers["X-Portal-Event"]);
            var signed = Encoding.UTF8.GetBytes(request.Headers["X-Portal-Timestamp"] + ".").Concat(request.Body).ToArray();
            Assert.Equal("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(issued.WebhookSecret!), signed)), request.Headers["X-Portal-Signature"]);
            Assert.Equal(e.GetRawText(), Encoding.UTF8.GetString(request.Body));
            Assert.DoesNotContain(LiId[6..14], Encoding.UTF8.GetString(request.Body));
        }
        Assert.NotNull(received);

        // Removed from the book: no more alerts for it.
        await Body(await bank.DeleteAsync("/api/v1/watchlist/Z-1"), HttpStatusCode.OK);
        await _portal.ImportAsync(TestEntries.Person("张三", ZhangId, "（2022）豫0311执88号"));
        await MatchAsync();
        Assert.Equal(3, (await Events(bank)).Count);
    }

    [Fact]
    public async Task A_legal_representatives_recorded_number_is_watched_as_such()
    {
        var company = TestEntries.Organization(caseNumber: "（2023）豫0311执3001号", creditCode: Code(9));
        company.LegalRepresentative = "李四";
        company.LegalRepresentativeIdNumber = LiId;
        var (bank, _) = await Bank();
        await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[] { new { reference = "P-7", name = "李四", idNumber = LiId } } })), HttpStatusCode.OK);
        Assert.Empty(await Events(bank));
        Assert.Empty((await _portal.ImportAsync(company)).Rejected);
        await MatchAsync();
        var alert = Assert.Single(await Events(bank));
        Assert.Equal(("listed", "legalRepresentative", "P-7", true), (alert.GetProperty("type").GetString(), alert.GetProperty("matchedOn").GetString(),
            alert.GetProperty("reference").GetString(), alert.GetProperty("nameMatches").GetBoolean()));
        Assert.Equal(company.CaseNumber, alert.GetProperty("caseNumber").GetString());
    }

    [Fact]
    public async Task A_bad_line_or_a_book_over_its_limit_refuses_the_whole_book_and_names_no_number()
    {
        var (bank, _) = await Bank();
        await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[] { new { reference = "keep", name = "张三", idNumber = ZhangId } } })), HttpStatusCode.OK);

        var badCheck = LiId[..17] + (LiId[17] == '0' ? '1' : '0');
        var rejected = await Body(await bank.PostAsync("/api/v1/watchlist/batch",
            Csv($"reference,name,idNumber,creditCode\nA,甲,{LiId},\nB,乙,{badCheck},\nA,丙,,{HengdaCode}\nD,,{LiId},\nE,戊,,\n")), HttpStatusCode.BadRequest);
        Assert.Equal("book_rejected", rejected.GetProperty("code").GetString());
        var errors = rejected.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal([(3, "invalid_id_number"), (4, "duplicate_reference"), (5, "name_required"), (6, "identifier_required")], errors);
        Assert.DoesNotContain(badCheck[6..], rejected.GetRawText());
        Assert.Matches("[\u4e00-\u9fff]", rejected.GetProperty("detail").GetString()!);

        var over = await Body(await bank.PostAsync("/api/v1/watchlist/batch",
            Csv("reference,name,creditCode\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"O{i},单位{i},{Code(i)}\n")))), (HttpStatusCode)422);
        Assert.Equal("book_over_limit", over.GetProperty("code").GetString());
        Assert.Contains("6", over.GetProperty("detail").GetString());

        // Nothing of either is stored; replacing the book with the same five fits.
        var list = await bank.GetFromJsonAsync<JsonElement>("/api/v1/watchlist");
        Assert.Equal(["keep"], list.GetProperty("subjects").EnumerateArray().Select(s => s.GetProperty("reference").GetString()));
        var replaced = await Body(await bank.PostAsync("/api/v1/watchlist/batch?mode=replace",
            Csv("reference,name,creditCode\n" + string.Concat(Enumerable.Range(1, 5).Select(i => $"O{i},单位{i},{Code(i)}\n")))), HttpStatusCode.OK);
        Assert.Equal(5, replaced.GetProperty("total").GetInt32());
        Assert.Equal(404, (int)(await bank.GetAsync("/api/v1/watchlist/keep")).StatusCode);

        // What Excel does to a long number, and an Excel workbook uploaded as it is: each named for what to do about it.
        var excel = await Body(await bank.PostAsync("/api/v1/watchlist/batch", Csv("reference,name,idNumber\nX,甲,4.12702E+17\n")), HttpStatusCode.BadRequest);
        Assert.Contains("科学计数法", excel.GetProperty("errors")[0].GetProperty("detail").GetString());
        Assert.Equal("X", excel.GetProperty("errors")[0].GetProperty("reference").GetString());
        var workbook = await bank.PostAsync("/api/v1/watchlist/batch", new ByteArrayContent([.. "PK\u0003\u0004"u8, 0, 0, 0]));
        Assert.Contains("另存为", (await Body(workbook, HttpStatusCode.BadRequest)).GetProperty("detail").GetString());

        Assert.Equal("invalid_mode", (await Body(await bank.PostAsync("/api/v1/watchlist/batch?mode=merge", Csv("reference,name,idNumber\n")), HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        Assert.Equal("invalid_csv", (await Body(await bank.PostAsync("/api/v1/watchlist/batch", Csv("name,idNumber\n张三," + ZhangId)), HttpStatusCode.BadRequest)).GetProperty("code").GetString());
    }

    /// <summary>A valid unified social credit code, one per <paramref name="i"/>.</summary>
    private static string Code(int i)
    {
        var first17 = $"9141030{i:0}MA47XY2K0";
        return first17 + CreditCode.UsccCheckCharacter(first17);
    }

    [Fact]
    public async Task Another_client_an_api_key_without_the_scope_and_an_anonymous_caller_reach_nothing_of_a_book()
    {
        var (bank, _) = await Bank();
        await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[] { new { reference = "C-1", name = "张三", idNumber = ZhangId } } })), HttpStatusCode.OK);
        var (other, _) = await Bank();
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/watchlist/C-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync("/api/v1/watchlist/C-1")).StatusCode);
        Assert.Equal(0, (await other.GetFromJsonAsync<JsonElement>("/api/v1/watchlist")).GetProperty("total").GetInt32());
        Assert.Empty(await Events(other));
        Assert.Equal(0, (await Body(await other.DeleteAsync("/api/v1/watchlist"), HttpStatusCode.OK)).GetProperty("removed").GetInt32());
        Assert.Single(await Events(bank)); // the first bank's book and alert untouched

        var (verifier, _) = await Bank(scopes: "verify,feed");
        Assert.Equal(HttpStatusCode.Forbidden, (await verifier.GetAsync("/api/v1/watchlist/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await verifier.PostAsync("/api/v1/watchlist", Json(new { subjects = new[] { new { reference = "x", name = "张三", idNumber = ZhangId } } }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _portal.CreateClient().GetAsync("/api/v1/watchlist")).StatusCode);

        // The scope is for banks and units only.
        var (refused, errors) = await _portal.Services.GetRequiredService<ApiClients>().CreateAsync(
            new ClientRegistration { Name = "某转载网站", Kind = "reprinter", Scopes = "feed,watch" }, "test-admin");
        Assert.Null(refused);
        Assert.Contains(errors, e => e.Contains("watch"));
    }

    [Fact]
    public async Task A_book_of_candidates_for_a_listed_persons_hidden_digits_confirms_none_past_the_allowance()
    {
        // Two wrong guesses are allowed per family (Privacy:ClientMissesPerFamily), counted across registrations (a book
        // emptied and filled again is no fresh start); the third closes it, and the true number is then kept but never matched.
        var (guesser, _) = await Bank();
        var first = await Body(await guesser.PostAsync("/api/v1/watchlist", Json(new { subjects = new[]
        {
            new { reference = "G1", name = "张三", idNumber = SameFamily(1) }, new { reference = "G2", name = "张三", idNumber = SameFamily(2) },
        } })), HttpStatusCode.OK);
        Assert.Equal((0, 0), (first.GetProperty("alreadyListed").GetInt32(), first.GetProperty("unverifiable").GetInt32()));
        await Body(await guesser.DeleteAsync("/api/v1/watchlist"), HttpStatusCode.OK);
        var done = await Body(await guesser.PostAsync("/api/v1/watchlist", Json(new { subjects = new[]
        {
            new { reference = "G3", name = "张三", idNumber = SameFamily(3) }, new { reference = "G-true", name = "张三", idNumber = ZhangId },
        } })), HttpStatusCode.OK);
        Assert.Equal((0, 2), (done.GetProperty("alreadyListed").GetInt32(), done.GetProperty("unverifiable").GetInt32()));
        Assert.Empty(await Events(guesser));
        Assert.True((await guesser.GetFromJsonAsync<JsonElement>("/api/v1/watchlist/G-true")).GetProperty("unverifiable").GetBoolean());
        // Nor later: a change to the entry tells the guesser nothing either.
        await _portal.ShieldAsync(TestEntries.Person().CaseNumber!);
        await MatchAsync();
        Assert.Empty(await Events(guesser));

        // A bank that holds the one true number is told, as before.
        var (bank, _) = await Bank();
        await _portal.ImportAsync(TestEntries.Person("张三", ZhangId, "（2024）豫0311执5号"));
        var honest = await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[] { new { reference = "H", name = "张三", idNumber = ZhangId } } })), HttpStatusCode.OK);
        Assert.Equal(1, honest.GetProperty("alreadyListed").GetInt32());
    }

    private async Task<(HttpResponseMessage Response, AngleSharp.Html.Dom.IHtmlDocument Page)> PostBook(string key, byte[]? file, string mode = "add")
    {
        var http = _portal.CreateClient();
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        var token = parser.ParseDocument(await http.GetStringAsync("/watch")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent("watch-book"), "_handler" }, { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(key), "key" }, { new StringContent(mode), "mode" },
        };
        if (file is not null) form.Add(new ByteArrayContent(file), "file", "监测名单.csv");
        var response = await http.PostAsync("/watch", form);
        return (response, parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Bank_staff_upload_a_book_on_the_page_see_its_first_matches_and_the_bad_lines_of_a_refused_one()
    {
        var key = (await ClientSupport.Register(_portal, "bank", "watch")).Key;
        var template = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await _portal.CreateClient().GetStringAsync("/watch"))
            .QuerySelector("a[download]")!.GetAttribute("href")!;
        Assert.StartsWith("客户编号,姓名或名称,身份证号码,统一社会信用代码", Encoding.UTF8.GetString(Convert.FromBase64String(template.Split(',', 2)[1])).TrimStart('\uFEFF'));

        var (ok, page) = await PostBook(key, Encoding.UTF8.GetBytes($"客户编号,姓名或名称,身份证号码,统一社会信用代码\nK-1,张三,{ZhangId},\nK-2,李四,{LiId},\n"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("现共监测 2 个客户", page.QuerySelector("[role=status]")!.TextContent);
        var row = Assert.Single(page.QuerySelectorAll(".batch-results tbody tr")).QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
        Assert.Equal(("K-1", "登记时已在名单中", TestEntries.Person().CaseNumber), (row[1], row[2], row[4]));
        var html = await ok.Content.ReadAsStringAsync();
        Assert.DoesNotContain(LiId, html);
        Assert.DoesNotContain(key, html);

        var (bad, badPage) = await PostBook(key, Encoding.UTF8.GetBytes($"客户编号,姓名或名称,身份证号码\nK-3,王五,{LiId[..17]}\n"), "replace");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("整批未登记", badPage.QuerySelector("[role=alert]")!.TextContent);
        Assert.Equal(["2"], badPage.QuerySelectorAll("tbody tr td:first-child").Select(td => td.TextContent));
        var (_, after) = await PostBook(key, null); // no file: the book as it stands, untouched by the refused replacement
        Assert.Contains("现共监测 2 个客户", after.QuerySelector("[role=status]")!.TextContent);

        var verifier = (await ClientSupport.Register(_portal, "bank", "verify")).Key;
        Assert.Equal(HttpStatusCode.Forbidden, (await PostBook(verifier, null)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostBook("pk_abcdefgh_nope", null)).Response.StatusCode);
    }

    /// <summary>A valid number of the family 320102 1988 ·· ·· 123 (a person not listed until the test lists one), born on the given day.</summary>
    private static string Unlisted(int month, int day)
    {
        var first17 = $"3201021988{month:00}{day:00}123";
        return first17 + IdNumber.CheckCharacter(first17);
    }

    [Fact]
    public async Task A_book_holding_more_candidates_of_a_family_than_the_guard_answers_is_not_told_which_one_is_listed()
    {
        // The attacker's book: more candidates for 3201021988****123x than the guard answers (three), registered while
        // nobody of that family is listed, waiting for a listing to name the right one.
        var (attacker, _) = await Bank();
        var candidates = Enumerable.Range(4, 4).Select(d => new { reference = $"S{d}", name = "孙七", idNumber = Unlisted(7, d) }).ToArray();
        var done = await Body(await attacker.PostAsync("/api/v1/watchlist", Json(new { subjects = candidates })), HttpStatusCode.OK);
        Assert.Equal(4, done.GetProperty("unverifiable").GetInt32());
        // A bank with two customers of that family (as may happen) is not affected.
        var (bank, _) = await Bank();
        await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[]
        {
            new { reference = "B1", name = "孙七", idNumber = Unlisted(7, 7) }, new { reference = "B2", name = "孙八", idNumber = Unlisted(3, 1) },
        } })), HttpStatusCode.OK);

        Assert.Empty((await _portal.ImportAsync(TestEntries.Person("孙七", Unlisted(7, 7), "（2025）豫0311执707号"))).Rejected);
        await MatchAsync();
        Assert.Empty(await Events(attacker));
        Assert.Equal(["B1"], (await Events(bank)).Select(e => e.GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task A_county_banks_customers_sharing_a_listed_persons_family_under_their_own_names_are_all_watched()
    {
        // One customer per birthday with 张三's county, year and sequence digits: as a county bank's book has them.
        var (bank, _) = await Bank();
        var subjects = Enumerable.Range(1, 4).Select(d => new { reference = $"K{d}", name = $"客户{d}", idNumber = SameFamily(d) })
            .Append(new { reference = "K-zhang", name = "张三", idNumber = ZhangId }).ToArray();
        var done = await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects })), HttpStatusCode.OK);
        Assert.Equal((1, 0), (done.GetProperty("alreadyListed").GetInt32(), done.GetProperty("unverifiable").GetInt32()));
        Assert.Equal(["K-zhang"], (await Events(bank)).Select(e => e.GetProperty("reference").GetString()));
    }

    [Fact]
    public async Task Numbers_typed_into_a_reference_or_a_name_are_refused_unechoed_and_references_may_hold_slashes()
    {
        var (bank, _) = await Bank();
        var refused = await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[]
        {
            new { reference = "客户" + LiId, name = "李四", idNumber = LiId }, new { reference = "ok", name = "李四 " + LiId, idNumber = LiId },
        } })), HttpStatusCode.BadRequest);
        Assert.Equal(["invalid_reference", "invalid_name"], refused.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()));
        Assert.DoesNotContain(LiId[6..14], refused.GetRawText());

        await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[] { new { reference = "2024/001", name = "李四", idNumber = LiId } } })), HttpStatusCode.OK);
        Assert.Equal("2024/001", (await bank.GetFromJsonAsync<JsonElement>("/api/v1/watchlist/2024/001")).GetProperty("reference").GetString());
        Assert.Equal(1, (await Body(await bank.DeleteAsync("/api/v1/watchlist/2024/001"), HttpStatusCode.OK)).GetProperty("removed").GetInt32());
    }

    [Fact]
    public async Task A_revoked_client_is_told_nothing_more()
    {
        var (bank, issued) = await Bank();
        await Body(await bank.PostAsync("/api/v1/watchlist", Json(new { subjects = new[] { new { reference = "L", name = "李四", idNumber = LiId } } })), HttpStatusCode.OK);
        await _portal.Services.GetRequiredService<ApiClients>().RevokeAsync(issued.Client.Id, "test-admin");
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person("李四", LiId, "（2021）豫0311执77号"))).Rejected);
        await MatchAsync();
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().WatchEvents.AnyAsync(e => e.ClientId == issued.Client.Id));
    }

    [Fact]
    public async Task A_watched_number_is_nowhere_in_clear_not_in_the_database_files_nor_the_log()
    {
        var (bank, _) = await Bank();
        await Body(await bank.PostAsync("/api/v1/watchlist/batch", Csv($"reference,name,idNumber\nC-1,李四,{LiId}\nC-2,张三,{ZhangId}\n")), HttpStatusCode.OK);
        await Body(await bank.PostAsync("/api/v1/watchlist/batch", Csv($"reference,name,idNumber\nbad,王五,{LiId[..17]}Y\n")), HttpStatusCode.BadRequest);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var stored = await db.WatchedSubjects.AsNoTracking().ToListAsync();
            Assert.Equal(2, stored.Count);
            Assert.All(stored, s => Assert.Matches("^[0-9a-f]{64}$", s.NumberHash));
        }
        foreach (var file in Directory.GetFiles(_portal.DataDirectory, "portal.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.DoesNotContain(LiId, Encoding.Latin1.GetString(copy.ToArray()));
        }
        Assert.DoesNotContain(LiId[6..14], _portal.Logs.All);
        Assert.DoesNotContain(LiId[..17], _portal.Logs.All);
    }
}

/// <summary>The same on a real PostgreSQL server (the book's bulk insert, the guard's counts and the matcher's cursor).</summary>
public sealed class WatchBookPostgresTests : WatchBookTests
{
    protected override PortalFactory Create(Dictionary<string, string> settings) => new PostgresPortalFactory { Settings = settings };
}
