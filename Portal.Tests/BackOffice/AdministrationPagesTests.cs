using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Persistence;
using Portal.Tests.Clients;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Components.Office;

namespace Portal.Tests.BackOffice;

/// <summary>The administrators' interactive pages under bUnit: secrets shown once in a dialog, roles and locks, keys.</summary>
public sealed class AdministrationPagesTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private OfficeCircuit _admin = default!;

    public async Task InitializeAsync()
    {
        _ = _portal.Server;
        _admin = await OfficeCircuit.SignInAsync(_portal, "admin-k", StaffRoles.Admin);
    }

    public async Task DisposeAsync()
    {
        await _admin.DisposeAsync();
        _portal.Dispose();
    }

    [Fact]
    public async Task An_administrator_creates_a_user_whose_password_is_shown_once_then_locks_it()
    {
        var page = _admin.Render<Users>();
        page.Find("input").Input("clerk-k");
        page.Find("#new-court").Input("豫0311");
        page.FindAll("button").First(b => b.TextContent.Trim() == "创建").Click();

        var dialog = page.WaitForElement(".mud-dialog");
        var password = dialog.QuerySelector("code.key-once")!.TextContent;
        Assert.Equal(20, password.Length);
        await page.InvokeAsync(() => page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("关闭")).Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-dialog")));
        Assert.DoesNotContain(password, page.Markup); // only once

        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<StaffUser>>();
            var user = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync("clerk-k"))!;
            Assert.True((await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false)).Succeeded);
        }

        page.FindAll(".users-table tr").Single(tr => tr.TextContent.Contains("clerk-k")).QuerySelectorAll("button").Single(b => b.TextContent.Trim() == "锁定").Click();
        page.WaitForAssertion(() => Assert.Contains("已锁定", page.FindAll(".users-table tr").Single(tr => tr.TextContent.Contains("clerk-k")).TextContent));
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync("clerk-k"))!));
            var actions = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.Where(r => r.Actor == "admin-k").Select(r => r.Action).ToListAsync();
            Assert.Equal(["create-user", "lock-user"], actions);
        }
    }

    [Fact]
    public async Task An_administrator_moves_a_reviewer_to_another_court_and_the_old_session_ends()
    {
        await Office.CreateUser(_portal, "rev-move", StaffRoles.Reviewer, "豫0311");
        string stamp;
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            stamp = (await users.GetSecurityStampAsync((await users.FindByNameAsync("rev-move"))!))!;
        }
        var page = _admin.Render<Users>();
        var field = page.FindAll(".users-table tr").Single(tr => tr.TextContent.Contains("rev-move")).QuerySelector(".court-field input")!;
        Assert.Equal("洛阳市洛龙区人民法院", field.GetAttribute("value"));
        MudBlazor.MudAutocomplete<string> CourtPicker() => page.FindComponents<MudBlazor.MudAutocomplete<string>>()
            .Single(c => c.Instance.UserAttributes.TryGetValue("aria-label", out var label) && Equals(label, "rev-move 的所在法院")).Instance;
        Assert.Equal(["郑州市金水区人民法院"], await page.InvokeAsync(() => CourtPicker().SearchFunc!("豫0105", CancellationToken.None)!)); // the picker knows every court
        await page.InvokeAsync(() => CourtPicker().SelectOptionAsync("郑州市金水区人民法院"));
        page.WaitForAssertion(() => Assert.Contains("已将“rev-move”的所在法院改为郑州市金水区人民法院", page.Find(".mud-snackbar").TextContent));

        await using var check = _portal.Services.CreateAsyncScope();
        Assert.Equal("豫0105", (await check.ServiceProvider.GetRequiredService<StaffAccounts>().ScopeOfAsync("rev-move")).CourtCode);
        var accounts = check.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.NotEqual(stamp, await accounts.GetSecurityStampAsync((await accounts.FindByNameAsync("rev-move"))!));

        // A court the directory does not know is refused in Chinese.
        await page.InvokeAsync(() => CourtPicker().SelectOptionAsync("某某法院"));
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-snackbar"), s => s.TextContent.Contains("法院名录中没有“某某法院”")));
        Assert.Equal("豫0105", (await check.ServiceProvider.GetRequiredService<StaffAccounts>().ScopeOfAsync("rev-move")).CourtCode); // unchanged
    }

    [Fact]
    public async Task An_administrator_who_lost_the_role_meanwhile_is_refused()
    {
        var page = _admin.Render<Users>();
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Null(await scope.ServiceProvider.GetRequiredService<StaffAccounts>().SetLockedAsync("admin-k", true, "other-admin"));
        page.Find("input").Input("clerk-late");
        page.FindAll("button").First(b => b.TextContent.Trim() == "创建").Click();
        page.WaitForAssertion(() => Assert.Contains("登录已失效", page.Find(".mud-snackbar").TextContent));
        await using var check = _portal.Services.CreateAsyncScope();
        Assert.Null(await check.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync("clerk-late"));
    }

    [Fact]
    public async Task An_administrator_registers_a_client_and_sees_its_key_and_secret_once()
    {
        var page = _admin.Render<Portal.Web.Components.Office.Clients>();
        page.FindAll("input").First(i => i.GetAttribute("maxlength") == "200").Input("某省联合惩戒中心");
        page.FindAll("input[type=checkbox]").First().Change(true); // feed
        var webhook = page.FindAll("input").First(i => i.GetAttribute("placeholder") == "https://example.cn/hooks/shixin");
        webhook.Change("https://example.cn/hook");
        await page.InvokeAsync(() => page.FindAll("button").First(b => b.TextContent.Contains("登记并发放密钥")).Click()); // found and clicked in one render

        var dialog = page.WaitForElement(".mud-dialog");
        var shown = dialog.QuerySelectorAll("code.key-once").Select(c => c.TextContent).ToList();
        Assert.Equal(2, shown.Count); // the API key and the webhook signing secret
        Assert.Equal(System.Net.HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, shown[0]).GetAsync("/api/v1/changes")).StatusCode);
        await page.InvokeAsync(() => page.FindAll(".mud-dialog button").Single(b => b.TextContent.Contains("关闭")).Click());
        page.WaitForAssertion(() => Assert.Contains("某省联合惩戒中心", page.Find(".clients-table").TextContent));
        Assert.DoesNotContain(shown[0], page.Markup);
        Assert.DoesNotContain(shown[1], page.Markup);

        // No scope: refused in Chinese, nothing stored.
        page.FindAll("input").First(i => i.GetAttribute("maxlength") == "200").Input("某行");
        await page.InvokeAsync(() => page.FindAll("button").First(b => b.TextContent.Contains("登记并发放密钥")).Click()); // found and clicked in one render
        page.WaitForAssertion(() => Assert.Contains("至少需要一项权限", page.Find("[role=alert]").TextContent));
        Assert.DoesNotContain("某行", page.Find(".clients-table").TextContent);
    }
}
