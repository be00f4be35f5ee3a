using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Persistence;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>
/// Query certificates (issue #27): the results page's form, the search run again on the server, the signed record stored
/// before the redirect, its page at /verify/{id}, and what it must never hold or keep showing. Real HTTP, real SQLite.
/// </summary>
public sealed class QueryCertificateTests : IAsyncLifetime
{
    private const string FullId = "412702198403151512";
    private readonly PortalFactory _portal = new() { Settings = new() { ["RateLimits:CertificatesPerHour"] = "8" } };
    private static readonly HtmlParser Parser = new();
    private HttpClient _http = default!;

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Person("张三", "440304199001011233", "（2021）粤0305执10号"),
            TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
        _http = _portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Opens the results page, submits its certificate form as a browser would, and follows the redirect.</summary>
    private async Task<(string Id, IHtmlDocument Page)> Certify(string resultsUrl)
    {
        var results = Parser.ParseDocument(await _http.GetStringAsync(resultsUrl));
        var form = results.QuerySelector("form[action='/certificates']") ?? throw new Xunit.Sdk.XunitException($"no certificate form on {resultsUrl}");
        var fields = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value")!);
        var response = await _http.PostAsync("/certificates", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/verify/", location);
        var id = location["/verify/".Length..];
        await using (var scope = _portal.Services.CreateAsyncScope()) // stored before the person was sent to it
            Assert.True(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().QueryCertificates.AnyAsync(c => c.Id == id));
        return (id, Parser.ParseDocument(await _http.GetStringAsync(location)));
    }

    private static string Fact(IHtmlDocument page, string term) =>
        page.QuerySelectorAll(".facts dt").Single(dt => dt.TextContent == term).NextElementSibling!.TextContent.Trim();

    [Fact]
    public async Task A_name_search_is_certified_with_its_results_a_valid_signature_and_a_qr_code()
    {
        var (id, page) = await Certify("/?q=" + Uri.EscapeDataString("张三") + "&province=" + Uri.EscapeDataString("河南"));
        Assert.Contains("签名有效", page.QuerySelector("[role=status]")!.TextContent);
        Assert.Equal("张三", Fact(page, "查询内容"));
        Assert.Equal("省份：河南", Fact(page, "查询条件"));
        Assert.Equal("查询到 1 条公示中的失信被执行人信息", Fact(page, "查询结果"));
        var row = Assert.Single(page.QuerySelectorAll("table.grid tbody tr"));
        Assert.Contains("4127021984****1512", row.TextContent); // the Henan 张三 only: the province filter was applied again
        Assert.Contains("（2019）豫0311执1234号", row.TextContent);
        Assert.NotNull(page.QuerySelector(".qr svg"));
        Assert.Equal(id, Fact(page, "证明编号"));
    }

    [Fact]
    public async Task A_search_that_finds_nothing_is_certified_as_not_found()
    {
        var (_, page) = await Certify("/?q=" + Uri.EscapeDataString("欧阳无名"));
        Assert.Equal("未查询到", Fact(page, "查询结果"));
        Assert.Contains("未查询到", page.QuerySelector(".certificate-none")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("table.grid"));
    }

    [Fact]
    public async Task A_name_with_a_masked_number_is_certified_and_nothing_stored_or_shown_holds_the_full_number()
    {
        var (id, page) = await Certify("/?q=" + Uri.EscapeDataString("张三 4127021984****1512"));
        Assert.Equal("张三 4127021984****1512", Fact(page, "查询内容"));
        Assert.Single(page.QuerySelectorAll("table.grid tbody tr"));
        await using var scope = _portal.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().QueryCertificates.SingleAsync(c => c.Id == id);
        foreach (var column in new[] { stored.Query, stored.Scope, stored.Items, stored.Signature, page.DocumentElement.OuterHtml })
        {
            Assert.DoesNotContain(FullId, column);
            Assert.DoesNotContain("19840315", column);
        }
    }

    private async Task<string> Token() => Parser.ParseDocument(await _http.GetStringAsync("/?q=" + Uri.EscapeDataString("张三")))
        .QuerySelector("form[action='/certificates'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

    private async Task<HttpResponseMessage> Forge(string field, string value) =>
        await _http.PostAsync("/certificates", new FormUrlEncodedContent(new Dictionary<string, string> { [field] = value, ["__RequestVerificationToken"] = await Token() }));

    private async Task<List<Portal.Data.Publication.QueryCertificate>> Stored()
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().QueryCertificates.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task A_full_id_number_is_not_offered_a_form_and_is_never_kept_or_shown_however_it_is_posted()
    {
        Assert.DoesNotContain("/certificates", await _http.GetStringAsync("/?q=" + FullId));
        var textPage = await _http.GetStringAsync("/?text=" + Uri.EscapeDataString("借款 " + FullId));
        Assert.DoesNotContain(FullId, textPage); // not in the search box, not in a form
        Assert.DoesNotContain("/certificates", textPage);

        // Posted by hand: alone (refused: a public page answers an ID number by its visible digits only), among words,
        // spaced, twice, as words of the obligation.
        Assert.Equal(HttpStatusCode.BadRequest, (await Forge("q", FullId)).StatusCode);
        foreach (var (field, value) in new[] { ("q", "张三 " + FullId), ("q", "张三" + FullId), ("q", "4127 0219 8403 1515 12"), ("q", FullId + FullId),
                     ("text", FullId), ("text", "借款 " + FullId) })
        {
            var response = await Forge(field, value);
            if (response.StatusCode == HttpStatusCode.Redirect)
                Assert.DoesNotContain(FullId, await _http.GetStringAsync(response.Headers.Location!.OriginalString));
            else Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        foreach (var c in await Stored())
            foreach (var column in new[] { c.Query, c.Scope, c.Items })
            {
                Assert.DoesNotContain(FullId, column);
                Assert.DoesNotContain("19840315", column);
            }
    }

    [Theory]
    [InlineData("洛龙区")]                // a place alone: the search refuses it
    [InlineData("412702198403151513")]    // an ID number with a wrong check digit
    [InlineData("91410311U7Y06Q536X")]    // a credit code with a wrong check character
    public async Task No_not_found_is_certified_for_a_search_that_was_not_run(string q)
    {
        var response = await Forge("q", q);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("不能出具证明", await response.Content.ReadAsStringAsync());
        Assert.Empty(await Stored());
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_stores_nothing()
    {
        var response = await _http.PostAsync("/certificates", new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = "张三" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().QueryCertificates.CountAsync());
    }

    [Fact]
    public async Task An_entry_removed_after_the_search_is_no_longer_shown_and_a_changed_record_fails_its_signature()
    {
        var (id, _) = await Certify("/?q=" + Uri.EscapeDataString("恒达建筑"));
        await _portal.ShieldAsync("（2020）豫0311执2001号");
        var page = Parser.ParseDocument(await _http.GetStringAsync($"/verify/{id}"));
        Assert.Contains("签名有效", page.QuerySelector("[role=status]")!.TextContent);
        Assert.DoesNotContain("恒达", page.QuerySelector("table.grid")!.TextContent);
        Assert.Contains("已移出公示", page.QuerySelector("table.grid")!.TextContent);

        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().QueryCertificates.Where(c => c.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Total, 0L));
        var changed = Parser.ParseDocument(await _http.GetStringAsync($"/verify/{id}"));
        Assert.Contains("签名校验不通过", changed.QuerySelector("[role=alert]")!.TextContent);
    }

    [Fact]
    public async Task Words_of_the_obligation_are_certified_with_their_scope()
    {
        var (_, page) = await Certify("/?text=" + Uri.EscapeDataString("工程款"));
        Assert.Equal("工程款", Fact(page, "查询内容"));
        Assert.Equal("查询范围：义务内容", Fact(page, "查询条件"));
        Assert.Contains("洛阳市恒达建筑工程有限公司", page.QuerySelector("table.grid")!.TextContent);
    }

    [Fact]
    public async Task One_address_makes_a_limited_number_of_certificates_an_hour()
    {
        for (var i = 0; i < 8; i++) Assert.Equal(HttpStatusCode.Redirect, (await Forge("q", "张三")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Forge("q", "张三")).StatusCode);
        Assert.Equal(8, (await Stored()).Count);
    }
}
