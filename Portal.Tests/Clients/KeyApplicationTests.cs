using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Clients;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Clients;
using Portal.Web.Components.Office;

namespace Portal.Tests.Clients;

/// <summary>
/// An institution applies for an API key online (no JavaScript), an administrator approves or refuses it, and the
/// applicant collects the key once through the link only they were shown.
/// </summary>
public sealed class KeyApplicationTests : IAsyncLifetime
{
    private const string Bank = "洛阳测试银行股份有限公司";
    private static readonly string ValidCode = WithCheck("91410300MA44ABCD1");

    private readonly PortalFactory _portal = new() { Settings = new() { ["RateLimits:KeyApplicationsPerHour"] = "100" } };
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        await _portal.WaitUntilReadyAsync();
        _http = Office.NewClient(_portal);
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static string WithCheck(string first17) => first17 + Portal.Data.Entries.CreditCode.UsccCheckCharacter(first17);

    private async Task<T> Db<T>(Func<PortalDbContext, Task<T>> read)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    private static Dictionary<string, string> Valid(string institution = Bank) => new()
    {
        ["institution"] = institution, ["kind"] = "bank", ["creditCode"] = ValidCode, ["contactPerson"] = "王经理",
        ["contact"] = "13812345678", ["purpose"] = "贷前核查借款人及其法定代表人、实际控制人", ["scopes"] = "verify|feed",
    };

    /// <summary>The form as a browser without JavaScript sends it: its hidden fields as rendered, plus what the person filled in.</summary>
    private async Task<(HttpResponseMessage Response, IHtmlDocument Page)> Post(IHtmlDocument form, Dictionary<string, string> fields, HttpClient? http = null)
    {
        var data = form.QuerySelectorAll("form.key-apply-form input[type=hidden]")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
        foreach (var (k, v) in fields)
            foreach (var value in v.Split('|')) data.Add(new(k, value));
        var response = await (http ?? _http).PostAsync("/keys/apply", new FormUrlEncodedContent(data));
        return (response, await Office.Parse(await response.Content.ReadAsStringAsync()));
    }

    private async Task<IHtmlDocument> Form(HttpClient? http = null) => await Office.Parse(await (http ?? _http).GetStringAsync("/keys/apply"));

    /// <summary>Applies through the form and returns the collection link it showed.</summary>
    private async Task<string> ApplyAsync(string institution = Bank)
    {
        var (response, page) = await Post(await Form(), Valid(institution));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return page.QuerySelector("a.collect-link")!.GetAttribute("href")!;
    }

    /// <summary>Presses the collection page's button, as the page showed it.</summary>
    private async Task<(HttpResponseMessage Response, IHtmlDocument Page)> Collect(string link, IHtmlDocument shown)
    {
        var fields = shown.QuerySelectorAll("form[aria-label=领取密钥] input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        Assert.NotEmpty(fields);
        var response = await _http.PostAsync(link, new FormUrlEncodedContent(fields));
        return (response, await Office.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static IRenderedComponent<KeyApplicationQueue> QueueAs(OfficeCircuit circuit) => circuit.Render<KeyApplicationQueue>();

    private static void Approve(IRenderedComponent<KeyApplicationQueue> page, string institution)
    {
        page.FindAll(".key-applications-table tr").Single(tr => tr.TextContent.Contains(institution)).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "批准").Click();
        page.WaitForElement(".mud-dialog");
        page.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "批准").Click();
    }

    [Fact]
    public async Task An_institution_applies_without_javascript_and_gets_a_reference_and_a_one_time_link()
    {
        var form = await Form();
        Assert.Empty(form.QuerySelectorAll("form.key-apply-form script"));
        Assert.NotNull(form.QuerySelector("form.key-apply-form input[name=__RequestVerificationToken]"));
        Assert.Equal(["银行", "联合惩戒单位", "转载网站", "媒体", "户外显示屏运营方"], form.QuerySelectorAll("#kind option").Skip(1).Select(o => o.TextContent.Trim()));
        Assert.Equal(ClientScopes.All.Length, form.QuerySelectorAll("input[type=checkbox][name=scopes]").Length); // watch among them (#25)

        var (response, receipt) = await Post(form, Valid());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl is { NoStore: true }, response.Headers.CacheControl?.ToString());
        var reference = receipt.QuerySelector(".tracking-code")!.TextContent;
        Assert.Matches("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$", reference);
        var link = receipt.QuerySelector("a.collect-link")!.GetAttribute("href")!;
        Assert.Matches("^http://localhost/keys/collect/[A-Za-z0-9_-]{43}$", link);

        // Saved before the confirmation: the link's secret only as its hash, the contact encrypted.
        var stored = await Db(db => db.KeyApplications.SingleAsync());
        Assert.Equal((KeyApplicationStatus.Pending, Bank, ClientKind.Bank, ValidCode, "verify,feed", reference), (stored.Status, stored.Institution, stored.Kind, stored.CreditCode, stored.Scopes, stored.Reference));
        Assert.Equal(CollectionToken.Hash(link["http://localhost/keys/collect/".Length..]), stored.TokenHash);
        Assert.Equal("138****5678", stored.ContactMasked);
        Assert.DoesNotContain("13812345678", stored.ContactCipher);

        // The same form again: the same application, the link not shown a second time.
        var (again, second) = await Post(form, Valid());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(reference, second.QuerySelector(".tracking-code")!.TextContent);
        Assert.Null(second.QuerySelector("a.collect-link"));
        Assert.Equal(1, await Db(db => db.KeyApplications.CountAsync()));

        // The applicant's link tells where it stands.
        var status = await _http.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.True(status.Headers.CacheControl is { NoStore: true });
        Assert.Contains("待审核", (await Office.Parse(await status.Content.ReadAsStringAsync())).QuerySelector(".key-application")!.TextContent);
    }

    [Fact]
    public async Task Bad_input_is_answered_at_each_field_in_chinese_and_nothing_is_stored()
    {
        var (response, page) = await Post(await Form(), new()
        {
            ["institution"] = " ", ["kind"] = "bureau", ["creditCode"] = "91410300MA44ABCD1" + (ValidCode[^1] == '0' ? "1" : "0"), ["contactPerson"] = "",
            ["contact"] = "12345", ["purpose"] = new string('用', 501), ["scopes"] = "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string At(string field)
        {
            Assert.Equal("true", page.QuerySelector($"#{field}")!.GetAttribute("aria-invalid"));
            return page.QuerySelector($"#{field}-error")!.TextContent;
        }
        Assert.Equal("请填写机构名称", At("institution"));
        Assert.Equal("请选择机构类型", At("kind"));
        Assert.Contains("校验位错误：第18位应为", At("creditCode"));
        Assert.Equal("请填写联系人姓名", At("contactPerson"));
        Assert.Contains("联系电话格式不正确", At("contact"));
        Assert.Contains("用途最多 500 字", At("purpose"));
        Assert.Equal("请至少选择一项权限", page.QuerySelector("#scopes-error")!.TextContent);
        Assert.Contains("7 处问题", page.QuerySelector("[role=alert]")!.TextContent);
        // What was typed stays in the form.
        Assert.Equal("12345", page.QuerySelector("#contact")!.GetAttribute("value"));

        // Measures only for a joint-punishment unit; a legacy organization code is not a credit code.
        var (_, bank) = await Post(await Form(), Valid().With("scopes", "measures"));
        Assert.Contains("只发给联合惩戒单位", bank.QuerySelector("#scopes-error")!.TextContent);
        var (_, legacy) = await Post(await Form(), Valid().With("creditCode", "MA44ABCD" + Portal.Data.Entries.CreditCode.OrganizationCodeCheckCharacter("MA44ABCD")));
        Assert.Contains("18位统一社会信用代码", legacy.QuerySelector("#creditCode-error")!.TextContent);

        Assert.Equal(0, await Db(db => db.KeyApplications.CountAsync()));
    }

    [Fact]
    public async Task An_approved_key_works_is_shown_once_and_is_never_stored_in_clear()
    {
        var link = await ApplyAsync();
        await using var admin = await OfficeCircuit.SignInAsync(_portal, "admin-keys", StaffRoles.Admin);
        var queue = QueueAs(admin);
        Assert.Contains("138****5678", queue.Find(".key-applications-table").TextContent);
        Assert.DoesNotContain("13812345678", queue.Markup);
        Approve(queue, Bank);
        queue.WaitForAssertion(() => Assert.Contains("没有待审核的密钥申请", queue.Markup));

        var stored = await Db(db => db.KeyApplications.SingleAsync());
        Assert.Equal((KeyApplicationStatus.Approved, "admin-keys"), (stored.Status, stored.DecidedBy));
        var client = await Db(db => db.ApiClients.SingleAsync(c => c.Id == stored.ClientId));
        Assert.Equal((Bank, ClientKind.Bank, "verify,feed", "admin-keys"), (client.Name, client.Kind, client.Scopes, client.CreatedBy));
        Assert.Equal(["create-client", "approve-key-application"], await Db(db => db.AuditRecords.Where(r => r.Actor == "admin-keys").OrderBy(r => r.Sequence).Select(r => r.Action).ToListAsync()));

        // Opening the link does not spend the key (a link preview would); the button does, once.
        var before = await Office.Parse(await _http.GetStringAsync(link));
        Assert.Null(before.QuerySelector("code.key-once"));
        Assert.Contains("已通过", before.QuerySelector(".key-application")!.TextContent);
        var (collected, page) = await Collect(link, before);
        Assert.Equal(HttpStatusCode.OK, collected.StatusCode);
        Assert.True(collected.Headers.CacheControl is { NoStore: true });
        var key = page.QuerySelector("code.key-once")!.TextContent;
        Assert.StartsWith($"pk_{client.KeyPrefix}_", key);

        // It works.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _portal.CreateClient().GetAsync("/api/v1/changes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, key).GetAsync("/api/v1/changes")).StatusCode);

        // Once: the stored copy is gone, a second visit says so.
        var after = await Office.Parse(await _http.GetStringAsync(link));
        Assert.Null(after.QuerySelector("code.key-once"));
        Assert.Contains("已于", after.QuerySelector(".collected")!.TextContent);
        var (_, again) = await Collect(link, before); // the button pressed again, from the page as it was
        Assert.Null(again.QuerySelector("code.key-once"));
        Assert.Contains("已于", again.QuerySelector(".collected")!.TextContent);
        Assert.Null((await Db(db => db.KeyApplications.SingleAsync())).KeyCipher);

        // Never in clear: not in the database's files (with its write-ahead log), not in the log.
        var files = Directory.GetFiles(_portal.DataDirectory, "portal.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            var bytes = System.Text.Encoding.Latin1.GetString(copy.ToArray());
            Assert.DoesNotContain(key, bytes);
            Assert.DoesNotContain(key[12..], bytes);
        }
        Assert.DoesNotContain(key[12..], _portal.Logs.All);
        Assert.DoesNotContain(link["/keys/collect/".Length..], _portal.Logs.All);
    }

    [Fact]
    public async Task A_refusal_needs_a_reason_which_the_applicant_reads()
    {
        var link = await ApplyAsync("某某数据科技有限公司");
        await using var admin = await OfficeCircuit.SignInAsync(_portal, "admin-refuse", StaffRoles.Admin);
        var queue = QueueAs(admin);
        IElement Row() => queue.FindAll(".key-applications-table tr").Single(tr => tr.TextContent.Contains("某某数据科技有限公司"));
        Row().QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "驳回").Click();
        queue.WaitForAssertion(() => Assert.Contains("请填写驳回理由", queue.Find(".mud-snackbar").TextContent));
        Assert.Equal(KeyApplicationStatus.Pending, (await Db(db => db.KeyApplications.SingleAsync())).Status);

        Row().QuerySelector(".refusal-reason input")!.Change("用途与所选权限不符，请按实际业务重新申请");
        Row().QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "驳回").Click();
        queue.WaitForAssertion(() => Assert.Contains("没有待审核的密钥申请", queue.Markup));
        Assert.Equal(0, await Db(db => db.ApiClients.CountAsync()));

        var page = await Office.Parse(await _http.GetStringAsync(link));
        Assert.Contains("已驳回", page.QuerySelector(".key-application")!.TextContent);
        Assert.Equal("用途与所选权限不符，请按实际业务重新申请", page.QuerySelector(".refusal")!.TextContent);
        Assert.Null(page.QuerySelector("form[aria-label=领取密钥]"));
        Assert.Equal(["refuse-key-application"], await Db(db => db.AuditRecords.Where(r => r.Actor == "admin-refuse").Select(r => r.Action).ToListAsync()));
    }

    [Fact]
    public async Task A_guessed_link_finds_nothing()
    {
        await ApplyAsync();
        foreach (var guess in new[] { CollectionToken.New(), "x", new string('A', 43) })
        {
            var response = await _http.GetAsync($"/keys/collect/{guess}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain(Bank, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Only_an_administrator_sees_or_acts_on_the_applications()
    {
        var link = await ApplyAsync();
        var key = await ClientSupport.Register(_portal, "bank", "verify");
        var withKey = Office.NewClient(_portal);
        withKey.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        foreach (var (who, client) in new[]
                 {
                     ("nobody", Office.NewClient(_portal)), ("an API key", withKey),
                     ("a reviewer", await Office.SignedIn(_portal, "rev-keys", StaffRoles.Reviewer)),
                     ("a superior", await Office.SignedIn(_portal, "sup-keys", StaffRoles.Superior)),
                 })
        {
            var response = await client.GetAsync("/office/key-applications");
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{who}: {response.StatusCode}");
            Assert.DoesNotContain(Bank, await response.Content.ReadAsStringAsync());
        }
        var admin = await Office.SignedIn(_portal, "admin-http", StaffRoles.Admin);
        Assert.Contains(Bank, await admin.GetStringAsync("/office/key-applications"));
        Assert.Contains("/office/key-applications", await admin.GetStringAsync("/office"));

        // A page opened as an administrator, acted on after the account lost the role: refused on the server.
        await using var circuit = await OfficeCircuit.SignInAsync(_portal, "admin-demoted", StaffRoles.Admin);
        var queue = QueueAs(circuit);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<StaffUser>>();
            var account = (await users.FindByNameAsync("admin-demoted"))!;
            await users.RemoveFromRoleAsync(account, StaffRoles.Admin);
        }
        Approve(queue, Bank);
        queue.WaitForAssertion(() => Assert.Matches("登录已失效|没有管理员角色", queue.Find(".mud-snackbar").TextContent));
        Assert.Equal(KeyApplicationStatus.Pending, (await Db(db => db.KeyApplications.SingleAsync())).Status);
        Assert.Contains("待审核", await _http.GetStringAsync(link));
    }

    [Fact]
    public async Task One_address_sends_only_a_few_applications_an_hour()
    {
        using var portal = new PortalFactory { Settings = new() { ["RateLimits:KeyApplicationsPerHour"] = "2" } };
        await portal.WaitUntilReadyAsync();
        var http = Office.NewClient(portal);
        var form = await Form(http);
        Assert.Equal(HttpStatusCode.Created, (await Post(form, Valid("甲银行"), http)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(await Form(http), Valid("乙银行"), http)).Response.StatusCode);
        var (refused, _) = await Post(await Form(http), Valid("丙银行"), http);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/keys/apply")).StatusCode); // reading the form is not sending one
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().KeyApplications.CountAsync());
    }
}

internal static class FormFields
{
    public static Dictionary<string, string> With(this Dictionary<string, string> fields, string name, string value)
    {
        fields[name] = value;
        return fields;
    }
}
