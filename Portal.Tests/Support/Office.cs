using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.BackOffice;

namespace Portal.Tests.Support;

/// <summary>A court staff member's browser session against a test portal: sign-in and form posts with antiforgery tokens.</summary>
public static class Office
{
    private static readonly HtmlParser Parser = new();

    public static HttpClient NewClient(PortalFactory portal) =>
        portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>The court test staff belong to unless a test says otherwise: the test entries' 洛阳市洛龙区人民法院 (豫0311), or above it.</summary>
    public static string? DefaultCourt(string role) => role switch
    {
        StaffRoles.Superior => "豫03",
        StaffRoles.Admin => null,
        _ => "豫0311",
    };

    public static async Task<string> CreateUser(PortalFactory portal, string name, string role, string? court = null)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var (password, errors) = await scope.ServiceProvider.GetRequiredService<StaffAccounts>().CreateAsync(name, role, court ?? DefaultCourt(role));
        Assert.True(password is not null, string.Join("；", errors));
        return password!;
    }

    /// <summary>Fills the form named <paramref name="formName"/> on the page at <paramref name="url"/> and posts it.</summary>
    public static async Task<HttpResponseMessage> PostForm(HttpClient client, string url, string formName, Dictionary<string, string> fields)
    {
        var page = await Parser.ParseDocumentAsync(await client.GetStringAsync(url));
        var form = page.QuerySelectorAll("form").First(f => f.QuerySelector($"input[name=_handler][value={formName}]") is not null);
        var data = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        foreach (var (k, v) in fields) data[k] = v;
        return await client.PostAsync(url, new FormUrlEncodedContent(data));
    }

    /// <summary>Signs in and changes the generated password, as a new staff member does on day one.</summary>
    public static async Task<HttpClient> SignedIn(PortalFactory portal, string name, string role, string? court = null)
    {
        var initial = await CreateUser(portal, name, role, court);
        var client = NewClient(portal);
        var login = await PostForm(client, "/office/login", "login", new() { ["Name"] = name, ["Password"] = initial });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/office/password", login.Headers.Location!.OriginalString.Replace("http://localhost", ""));
        var changed = await PostForm(client, "/office/password", "password", new() { ["Current"] = initial, ["New"] = "Neues-Passwort-2026", ["Confirm"] = "Neues-Passwort-2026" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        return client;
    }

    public static Task<AngleSharp.Html.Dom.IHtmlDocument> Parse(string html) => Parser.ParseDocumentAsync(html);
}
