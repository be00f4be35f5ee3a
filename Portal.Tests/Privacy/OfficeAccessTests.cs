using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Applications;
using Portal.Tests.Clients;
using Portal.Tests.Support;
using Portal.Web.Applications;
using Portal.Web.BackOffice;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Privacy;

/// <summary>
/// Every back-office page and download, taken from the portal's own route table (a new page is covered without editing
/// this test), asked for by everyone who is not the listing court's staff: nobody, each kind of API key, a clerk and a
/// superior of another court, and the court's own reviewer once locked. None of them may see the court's data: a draft,
/// a non-public entry and its employer, a shielded entry, an application and its attachment.
/// </summary>
public class OfficeAccessTests : IAsyncLifetime
{
    private const string DraftCase = "（2026）豫0311执901号", HiddenCase = "（2026）豫0311执902号", ShieldedCase = "（2026）豫0311执903号";

    /// <summary>What only the listing court's staff may see.</summary>
    private static readonly string[] Secrets =
    [
        "草稿人甲", "隐名人乙", "机密单位丙", "屏蔽人丁", "申请秘密戊", "附件秘密己", "2026豫0311执901", "豫0311执901号", "豫0311执902号",
        "密钥申请机构庚",
    ];

    private readonly PortalFactory _portal = new();
    private long _draft, _hidden, _shielded, _application, _file;

    public async Task InitializeAsync()
    {
        var draft = TestEntries.Person("草稿人甲", "110105194912310038", DraftCase);
        draft.PublishedAt = null;
        var hidden = TestEntries.Person("隐名人乙", "11010519491231002X", HiddenCase);
        var shielded = TestEntries.Person("屏蔽人丁", "412702198403151512", ShieldedCase);
        Assert.Empty((await _portal.ImportAsync(draft, hidden, shielded)).Rejected);
        await _portal.ApplyAsync(HiddenCase, EntryActions.MarkNonPublic("机密单位丙", "涉及国家秘密"));
        await _portal.ShieldAsync(ShieldedCase);
        await _portal.WaitUntilReadyAsync();
        (_draft, _hidden, _shielded) = (await _portal.IdOfAsync(DraftCase), await _portal.IdOfAsync(HiddenCase), await _portal.IdOfAsync(ShieldedCase));

        var pdf = "%PDF-1.4\n附件秘密己\n%%EOF"u8.ToArray();
        var (receipt, problem) = await _portal.Services.GetRequiredService<ApplicationDesk>().SubmitAsync(
            new ApplicationRequest(ApplicationKind.Complaint, ShieldedCase, null, null, ["wrong-info"], "申请秘密戊", "13812345678")
            {
                Files = [new AttachedFile("证明.pdf", pdf)],
            }, IPAddress.Loopback);
        Assert.Null(problem);
        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Portal.Data.Persistence.PortalDbContext>();
        _application = db.Applications.Single().Id;
        _file = db.ApplicationAttachments.Single().Id;
        Assert.NotNull(receipt);

        // An institution's key application: only administrators review it.
        var (keyReceipt, keyErrors) = await _portal.Services.GetRequiredService<Portal.Web.Clients.KeyApplications>().SubmitAsync(new(
            "密钥申请机构庚", "bank", "91350100M000100Y43", "王经理", "13812345670", "贷前核查", ["verify"]));
        Assert.True(keyReceipt is not null, string.Join("；", keyErrors.Values));
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Every back-office address the portal routes, with its parameters filled in with the court's records.</summary>
    private IReadOnlyList<string> OfficeAddresses()
    {
        var patterns = _portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!).Select(p => p.StartsWith('/') ? p : "/" + p)
            .Where(p => p.StartsWith("/office", StringComparison.Ordinal)).Distinct().ToList();
        Assert.True(patterns.Count >= 15, $"only {patterns.Count} office routes found: {string.Join(", ", patterns)}");
        var addresses = new List<string>();
        foreach (var pattern in patterns)
        {
            if (pattern.Contains("/applications/{", StringComparison.Ordinal))
                addresses.Add(Fill(pattern, _application));
            else if (pattern.Contains('{'))
                addresses.AddRange(new[] { _draft, _hidden, _shielded }.Select(id => Fill(pattern, id)));
            else addresses.Add(pattern);
        }
        return addresses;
    }

    private string Fill(string pattern, long id) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}",
        m => m.Groups[1].Value.Equals("fileId", StringComparison.OrdinalIgnoreCase) ? _file.ToString() : id.ToString());

    private static async Task<string> Leak(HttpClient client, string address)
    {
        using var response = await client.GetAsync(address);
        var body = await response.Content.ReadAsStringAsync();
        var found = Secrets.Where(s => body.Contains(s, StringComparison.Ordinal)).ToList();
        return found.Count == 0 ? "" : $"{address} → {(int)response.StatusCode} shows {string.Join("、", found)}";
    }

    private async Task AssertSeesNothing(string who, HttpClient client)
    {
        var leaks = new List<string>();
        foreach (var address in OfficeAddresses())
            if (await Leak(client, address) is { Length: > 0 } leak) leaks.Add(leak);
        Assert.True(leaks.Count == 0, $"{who} sees the court's data:\n{string.Join("\n", leaks)}");
    }

    [Fact]
    public async Task The_courts_own_reviewer_and_an_administrator_see_their_records_so_the_walk_can_find_a_leak()
    {
        var reviewer = await Office.SignedIn(_portal, "rev-own", StaffRoles.Reviewer, "豫0311");
        Assert.NotEqual("", await Leak(reviewer, $"/office/entries/{_draft}"));
        Assert.NotEqual("", await Leak(reviewer, "/office/non-public"));
        Assert.NotEqual("", await Leak(reviewer, $"/office/applications/{_application}"));
        Assert.NotEqual("", await Leak(reviewer, $"/office/applications/{_application}/files/{_file}"));
        var admin = await Office.SignedIn(_portal, "admin-own", StaffRoles.Admin);
        Assert.NotEqual("", await Leak(admin, "/office/key-applications"));
    }

    [Fact]
    public async Task An_attachment_reaches_its_courts_reviewer_as_a_sandboxed_download_under_a_clean_name()
    {
        var (receipt, problem) = await _portal.Services.GetRequiredService<ApplicationDesk>().SubmitAsync(
            new ApplicationRequest(ApplicationKind.Complaint, ShieldedCase, null, null, ["wrong-info"], "文件名", "13812345679")
            {
                Files = [new AttachedFile("发票\u202Efdp.exe\u200B", "%PDF-1.4\n%%EOF"u8.ToArray())],
            }, IPAddress.Parse("10.0.0.9"));
        Assert.Null(problem);
        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Portal.Data.Persistence.PortalDbContext>();
        var file = db.ApplicationAttachments.OrderByDescending(f => f.Id).First();
        Assert.Equal("发票fdp.exe", file.FileName);

        var reviewer = await Office.SignedIn(_portal, "rev-files", StaffRoles.Reviewer, "豫0311");
        var response = await reviewer.GetAsync($"/office/applications/{file.ApplicationId}/files/{file.Id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("sandbox; default-src 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain('\u202E', response.Content.Headers.ContentDisposition!.ToString());
        Assert.NotNull(receipt);
    }

    [Fact]
    public Task Nobody_sees_anything() => AssertSeesNothing("an anonymous caller", Office.NewClient(_portal));

    [Theory]
    [InlineData("bank")]
    [InlineData("unit")]
    [InlineData("reprinter")]
    [InlineData("media")]
    public async Task No_API_key_opens_the_office(string kind)
    {
        var key = await ClientSupport.Register(_portal, kind, "feed,takedown,verify");
        var client = Office.NewClient(_portal);
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        await AssertSeesNothing($"a {kind} key", client);
    }

    [Theory]
    [InlineData(StaffRoles.Clerk, "京0105")]
    [InlineData(StaffRoles.Reviewer, "京0105")]
    [InlineData(StaffRoles.Superior, "京")]
    public async Task Staff_of_another_court_see_none_of_this_courts_records(string role, string court) =>
        await AssertSeesNothing($"a {role} of {court}", await Office.SignedIn(_portal, $"other-{role}", role, court));

    [Fact]
    public async Task A_locked_account_sees_nothing()
    {
        var reviewer = await Office.SignedIn(_portal, "rev-locked", StaffRoles.Reviewer, "豫0311");
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SetLockedAsync("rev-locked", true, "admin"));
        await AssertSeesNothing("a locked reviewer", reviewer);
    }
}
