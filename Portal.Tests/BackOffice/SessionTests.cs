using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Tests.Support;
using Portal.Web.BackOffice;

namespace Portal.Tests.BackOffice;

/// <summary>A session ends when its account is locked, changes role or password, or signs out, also for a copied cookie.</summary>
public class SessionTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private const string Case = "（2019）豫0311执1234号";

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person())).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A browser whose cookies the test can see and copy.</summary>
    private sealed class Browser(HttpClient http, Dictionary<string, string>? cookies = null)
    {
        private readonly Dictionary<string, string> _cookies = cookies is null ? new() : new(cookies);

        public Browser Copy() => new(http, _cookies);

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, HttpContent? content = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = content };
            if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await http.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var set))
                foreach (var c in set)
                {
                    var pair = c.Split(';')[0].Split('=', 2);
                    if (pair[1].Length == 0 || c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) _cookies.Remove(pair[0]);
                    else _cookies[pair[0]] = pair[1];
                }
            return response;
        }

        public async Task<HttpResponseMessage> PostFormAsync(string url, string formName, Dictionary<string, string> fields)
        {
            var html = await (await SendAsync(HttpMethod.Get, url)).Content.ReadAsStringAsync();
            var form = new HtmlParser().ParseDocument(html).QuerySelectorAll("form").First(f => f.QuerySelector($"input[name=_handler][value={formName}]") is not null);
            var data = form.QuerySelectorAll("input[type=hidden]").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
            foreach (var (k, v) in fields) data[k] = v;
            return await SendAsync(HttpMethod.Post, url, new FormUrlEncodedContent(data));
        }

        public async Task<bool> IsSignedInAsync()
        {
            var response = await SendAsync(HttpMethod.Get, "/office/entries");
            return response.StatusCode == HttpStatusCode.OK;
        }
    }

    private Browser NewBrowser() => new(_portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));

    /// <summary>A staff member who has already changed the initial password, signed in.</summary>
    private async Task<(Browser Browser, string Password)> SignedIn(string name, string role)
    {
        var password = await Office.CreateUser(_portal, name, role);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = (await users.FindByNameAsync(name))!;
            user.MustChangePassword = false;
            await users.UpdateAsync(user);
        }
        var browser = NewBrowser();
        var login = await browser.PostFormAsync("/office/login", "login", new() { ["Name"] = name, ["Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.True(await browser.IsSignedInAsync());
        return (browser, password);
    }

    private async Task<T> WithAccounts<T>(Func<StaffAccounts, Task<T>> action)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffAccounts>());
    }

    [Fact]
    public async Task A_locked_reviewers_open_session_ends()
    {
        var (reviewer, _) = await SignedIn("rev-lock2", StaffRoles.Reviewer);
        Assert.Null(await WithAccounts(a => a.SetLockedAsync("rev-lock2", true, "admin")));
        Assert.False(await reviewer.IsSignedInAsync()); // the interactive pages' own re-check is in EntryPageTests
    }

    [Fact]
    public async Task A_copied_cookie_dies_with_the_logout()
    {
        var (browser, _) = await SignedIn("rev-out", StaffRoles.Reviewer);
        var copy = browser.Copy();
        Assert.True(await copy.IsSignedInAsync());
        var logout = await browser.PostFormAsync("/office/logout", "logout", []);
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.False(await browser.IsSignedInAsync());
        Assert.False(await copy.IsSignedInAsync());
    }

    [Fact]
    public async Task A_demoted_reviewer_can_no_longer_shield()
    {
        var (reviewer, _) = await SignedIn("rev-demote", StaffRoles.Reviewer);
        Assert.Null(await WithAccounts(a => a.SetRoleAsync("rev-demote", StaffRoles.Clerk, "admin")));
        Assert.False(await reviewer.IsSignedInAsync()); // the session under the old role is over
        Assert.Equal(EntryStatus.Published, await _portal.StatusOfAsync(Case));
    }

    [Fact]
    public async Task A_new_password_ends_the_other_sessions_and_keeps_this_one()
    {
        var (first, password) = await SignedIn("rev-pw", StaffRoles.Reviewer);
        var second = NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await second.PostFormAsync("/office/login", "login", new() { ["Name"] = "rev-pw", ["Password"] = password })).StatusCode);
        Assert.True(await second.IsSignedInAsync());

        var changed = await first.PostFormAsync("/office/password", "password", new() { ["Current"] = password, ["New"] = "Ein-neues-Passwort-1", ["Confirm"] = "Ein-neues-Passwort-1" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.True(await first.IsSignedInAsync());
        Assert.False(await second.IsSignedInAsync());
    }

    [Fact]
    public async Task The_password_page_names_every_problem_at_its_field_then_confirms_the_change()
    {
        var (browser, password) = await SignedIn("rev-pw2", StaffRoles.Reviewer);
        var refused = await browser.PostFormAsync("/office/password", "password", new() { ["Current"] = "", ["New"] = "kurz", ["Confirm"] = "anders" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = new HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync());
        Assert.Equal(["confirm", "current", "new"], page.QuerySelectorAll("input[aria-invalid=true]").Select(i => i.Id!).Order());
        Assert.Contains("请输入当前密码", page.QuerySelector("#current-error")!.TextContent);
        Assert.Contains("新密码至少12位", page.QuerySelector("#new-error")!.TextContent);
        Assert.Contains("新密码须包含数字", page.QuerySelector("#new-error")!.TextContent);
        Assert.Contains("两次输入的新密码不一致", page.QuerySelector("#confirm-error")!.TextContent);
        Assert.StartsWith("密码未修改", page.QuerySelector("[role=alert]")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("main noscript")); // a plain form: it works without JavaScript and does not claim otherwise
        var grid = new HtmlParser().ParseDocument(await (await browser.SendAsync(HttpMethod.Get, "/office/entries")).Content.ReadAsStringAsync());
        Assert.Contains("需要启用 JavaScript", grid.QuerySelector("main noscript")!.InnerHtml); // the grid runs in a circuit

        // A wrong current password counts toward the lockout like a wrong one at sign-in.
        var wrong = await browser.PostFormAsync("/office/password", "password", new() { ["Current"] = "Falsch-Passwort-1", ["New"] = "Ein-neues-Passwort-2", ["Confirm"] = "Ein-neues-Passwort-2" });
        Assert.Contains("当前密码不正确", new HtmlParser().ParseDocument(await wrong.Content.ReadAsStringAsync()).QuerySelector("#current-error")!.TextContent);
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Equal(1, (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync("rev-pw2"))!.AccessFailedCount);

        var changed = await browser.PostFormAsync("/office/password", "password", new() { ["Current"] = password, ["New"] = "Ein-neues-Passwort-2", ["Confirm"] = "Ein-neues-Passwort-2" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var done = new HtmlParser().ParseDocument(await (await browser.SendAsync(HttpMethod.Get, changed.Headers.Location!.OriginalString)).Content.ReadAsStringAsync());
        Assert.Contains("密码已修改", done.QuerySelector("[role=status]")!.TextContent);
        Assert.Null(done.QuerySelector("form[method=post] input[type=password]"));
        var again = NewBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await again.PostFormAsync("/office/login", "login", new() { ["Name"] = "rev-pw2", ["Password"] = "Ein-neues-Passwort-2" })).StatusCode);
        Assert.True(await again.IsSignedInAsync());
    }

    /// <summary>Counts password-hash checks, the costly step whose presence or absence would time an account's existence.</summary>
    private sealed class CountingHasher : IPasswordHasher<StaffUser>
    {
        private readonly PasswordHasher<StaffUser> _inner = new();
        public int Verifications;
        public string HashPassword(StaffUser user, string password) => _inner.HashPassword(user, password);
        public PasswordVerificationResult VerifyHashedPassword(StaffUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref Verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task Unknown_names_wrong_passwords_and_locked_accounts_get_the_same_answer_after_the_same_work()
    {
        var hasher = new CountingHasher();
        using var portal = _portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<StaffUser>>(hasher)));
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
            await accounts.CreateAsync("rev-known", StaffRoles.Reviewer, "豫0311");
            await accounts.CreateAsync("rev-locked", StaffRoles.Reviewer, "豫0311");
            await accounts.SetLockedAsync("rev-locked", true, "admin");
        }
        var client = portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var answers = new List<string>();
        foreach (var name in new[] { "nobody-here", "rev-known", "rev-locked" })
        {
            var before = hasher.Verifications;
            var response = await Office.PostForm(client, "/office/login", "login", new() { ["Name"] = name, ["Password"] = "Wrong-password-123" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(1, hasher.Verifications - before);
            answers.Add(new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("[role=alert]")!.TextContent);
        }
        Assert.Single(answers.Distinct());
    }
}
