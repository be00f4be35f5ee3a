using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;
using Portal.Web.BackOffice;

namespace Portal.Tests.Site;

/// <summary>Bad input answers 400 in the error contract (code + Chinese detail for the API, a Chinese page for people) and never reaches the log.</summary>
public class BadInputTests : IDisposable
{
    private const string Marker = "ZQX7Injected";
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    private static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    [Theory]
    [InlineData("/?q=%E5%BC%A0&page=abc" + Marker)]
    [InlineData("/?q=%E5%BC%A0&page=99999999999")]
    [InlineData("/?q=%E5%BC%A0&page=-3")]
    [InlineData("/?q=%E5%BC%A0&year=20x4" + Marker)]
    [InlineData("/notices?page=abc%0A" + Marker)]
    [InlineData("/notices?page=99999999999")]
    public async Task A_page_with_a_bad_number_in_its_address_answers_400_in_Chinese(string url)
    {
        await _portal.ImportAsync(TestEntries.Person());
        var response = await _portal.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var alert = new HtmlParser().ParseDocument(html).QuerySelector("[role=alert]");
        Assert.NotNull(alert);
        Assert.True(HasChinese(alert!.TextContent), alert.TextContent);
        Assert.DoesNotContain("Exception", html);
        Assert.DoesNotContain(Marker, _portal.Logs.All);
    }

    [Theory]
    [InlineData("/api/v1/entries?q=x&page=abc" + Marker)]
    [InlineData("/api/v1/entries?q=x&page=99999999999")]
    [InlineData("/api/v1/entries?q=x&pageSize=1e3")]
    [InlineData("/api/v1/entries?year=nineteen" + Marker)]
    [InlineData("/api/v1/notices?page=abc" + Marker)]
    [InlineData("/api/v1/notices?pageSize=99999999999")]
    public async Task An_api_parameter_that_is_not_a_number_answers_400_with_a_code_and_a_Chinese_detail(string url)
    {
        var response = await _portal.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("code").GetString()));
        Assert.True(HasChinese(problem.GetProperty("detail").GetString()!));
        Assert.DoesNotContain(Marker, _portal.Logs.All);
    }

    [Fact]
    public async Task A_malformed_json_body_and_an_unknown_api_address_answer_in_the_contract()
    {
        var client = _portal.CreateClient();
        var bad = await client.PostAsync("/api/v1/entries/search", new StringContent("{\"q\": \"" + Marker + "\"", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.True(HasChinese(problem.GetProperty("detail").GetString()!));

        var unknown = await client.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.DoesNotContain(Marker, _portal.Logs.All);
    }

    [Fact]
    public async Task An_unexpected_failure_answers_500_in_the_contract_and_logs_where_it_failed_but_not_its_message()
    {
        using var failing = _portal.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddScoped<Portal.Web.Removal.RemovalNotices>(_ => throw new FormatException("无法解析 412702198403151512 " + Marker))));
        var client = failing.CreateClient();

        var api = await client.GetAsync("/api/v1/notices");
        Assert.Equal(HttpStatusCode.InternalServerError, api.StatusCode);
        var problem = await api.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("internal_error", problem.GetProperty("code").GetString());
        Assert.True(HasChinese(problem.GetProperty("detail").GetString()!));

        var page = await client.GetAsync("/notices");
        Assert.Equal(HttpStatusCode.InternalServerError, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("系统出错", html);
        Assert.DoesNotContain(Marker, html);

        Assert.Contains("System.FormatException", _portal.Logs.All); // what failed is logged
        Assert.DoesNotContain(Marker, _portal.Logs.All);            // what was said is not
        Assert.DoesNotContain("412702198403151512", _portal.Logs.All);
    }

}
