using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>axe-core (from npm, injected into the page) finds no moderate, serious or critical violation on the public pages and the office's.</summary>
public class AccessibilityTests(PortalServer portal) : IClassFixture<PortalServer>
{
    private static readonly string AxeScript = Path.Combine(PortalServer.RepositoryRoot(), "e2e", "node_modules", "axe-core", "axe.min.js");

    /// <summary>Moderate, serious and critical violations, one line each: rule, impact, help, the first elements concerned.</summary>
    /// <param name="unattended">An outdoor screen: nobody reads it at a keyboard, and refreshing itself is what it is for, so
    /// axe's meta-refresh rule (WCAG 2.2.1, timing a user must be able to adjust) is the one rule not applied to it.</param>
    private static async Task<IReadOnlyList<string>> Violations(IPage page, bool unattended = false)
    {
        Assert.True(File.Exists(AxeScript), $"{AxeScript} is missing: run `npm ci --prefix e2e` (./test.sh does)");
        await page.AddScriptTagAsync(new() { Path = AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async (unattended) => (await axe.run(document, { resultTypes: ['violations'], rules: unattended ? { 'meta-refresh': { enabled: false } } : {} })).violations
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') }))
            """, unattended);
        return violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "moderate" or "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} — {v.GetProperty("targets").GetString()}")
            .ToList();
    }

    [Fact]
    public async Task The_public_pages_and_the_office_pages_have_no_moderate_or_worse_violations()
    {
        // axe-core is injected as an inline script, which the portal's Content-Security-Policy (rightly) refuses.
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true });
        var page = await context.NewPageAsync();
        var found = new Dictionary<string, IReadOnlyList<string>>();

        foreach (var (name, url) in new[] { ("home", "/"), ("results", "/?q=" + Uri.EscapeDataString("欧阳明远")), ("notices", "/notices"), ("login", "/office/login"),
                     ("filtered results", "/?q=" + Uri.EscapeDataString("张") + "&province=" + Uri.EscapeDataString("河南")), ("bank batch check", "/verify/batch"), ("watched book", "/watch"),
                     ("not found", "/no-such-page"), ("correction form", "/apply/correction"), ("complaint form", "/apply/complaint"), ("tracking", "/track?code=0000"),
                     ("browse", "/browse?province=" + Uri.EscapeDataString("河南")), ("statistics", "/statistics"), ("data", "/data"),
                     ("place query", "/?q=" + Uri.EscapeDataString("洛阳市")), ("case number miss", "/?q=" + Uri.EscapeDataString("（2019）豫0311执99999号")),
                     ("apply", "/apply"), ("terms", "/terms"), ("reconsideration form", "/apply/reconsideration"), ("credit repair form", "/apply/credit-repair"),
                     ("court screen", "/display/" + Uri.EscapeDataString("豫03")), ("court screen, one entry", "/display/" + Uri.EscapeDataString("豫03") + "?per=1"),
                     ("key application form", "/keys/apply"), ("key collection, unknown link", "/keys/collect/unknown") })
        {
            await page.GotoAsync(portal.BaseUrl + url);
            found[name] = await Violations(page, unattended: url.StartsWith("/display/", StringComparison.Ordinal));
        }
        // The elder-friendly mode, switched on by its link like anyone would.
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("张"));
        await page.Locator("a.mode-switch").ClickAsync();
        await Assertions.Expect(page.Locator("html.elder")).ToHaveCountAsync(1);
        found["results, elder-friendly"] = await Violations(page);
        await page.GotoAsync(portal.BaseUrl + "/statistics");
        found["statistics, elder-friendly"] = await Violations(page);
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        await page.Locator("li.result a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("欧阳明远");
        found["detail"] = await Violations(page);
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        await page.GetByRole(AriaRole.Button, new() { Name = "出具查询证明" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("失信被执行人名单查询证明");
        found["query certificate"] = await Violations(page);

        var office = await portal.StaffPageAsync("rev-axe", "reviewer", bypassCsp: true);
        await office.GotoAsync(portal.BaseUrl + "/office/entries");
        await Assertions.Expect(office.Locator(".entry-grid tbody tr").First).ToBeVisibleAsync();
        found["office entry list"] = await Violations(office);
        await office.Locator(".entry-grid tbody tr a").First.ClickAsync();
        await Assertions.Expect(office.Locator("table.history")).ToBeVisibleAsync();
        found["office entry page"] = await Violations(office);
        var clerk = await portal.StaffPageAsync("clerk-axe", "clerk", bypassCsp: true); // new entries are the clerks'
        await clerk.GotoAsync(portal.BaseUrl + "/office/entries/new");
        await Assertions.Expect(clerk.Locator("#caseNumber")).ToBeVisibleAsync();
        found["office editor"] = await Violations(clerk);
        foreach (var (name, url) in new[] { ("office dashboard", "/office"), ("office applications", "/office/applications"),
                     ("office non-public", "/office/non-public"), ("office bulk shield", "/office/bulk-shield"),
                     ("office password", "/office/password") })
        {
            await office.GotoAsync(portal.BaseUrl + url);
            await Assertions.Expect(office.Locator("h1")).ToBeVisibleAsync();
            await office.WaitForLoadStateAsync(LoadState.NetworkIdle);
            found[name] = await Violations(office);
        }
        var admin = await portal.StaffPageAsync("adm-axe", "admin", bypassCsp: true);
        foreach (var (name, url) in new[] { ("office users", "/office/users"), ("office clients", "/office/clients"), ("office courts", "/office/courts"),
                     ("office takedowns", "/office/takedowns"), ("office calendar", "/office/calendar") })
        {
            await admin.GotoAsync(portal.BaseUrl + url);
            await Assertions.Expect(admin.Locator("h1")).ToBeVisibleAsync();
            await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
            found[name] = await Violations(admin);
        }

        Assert.True(found.Values.All(v => v.Count == 0),
            string.Join("\n", found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value))));
    }
}
