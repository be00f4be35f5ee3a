using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.E2E;

/// <summary>axe-core (from npm, injected into the page) finds no serious or critical violation on the pages people use most.</summary>
public class AccessibilityTests(PortalServer portal) : IClassFixture<PortalServer>
{
    private static readonly string AxeScript = Path.Combine(PortalServer.RepositoryRoot(), "e2e", "node_modules", "axe-core", "axe.min.js");

    /// <summary>Serious and critical violations, one line each: rule, impact, help, the first elements concerned.</summary>
    private static async Task<IReadOnlyList<string>> SeriousViolations(IPage page)
    {
        Assert.True(File.Exists(AxeScript), $"{AxeScript} is missing: run `npm ci --prefix e2e` (./test.sh does)");
        await page.AddScriptTagAsync(new() { Path = AxeScript });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ') }))
            """);
        return violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} — {v.GetProperty("targets").GetString()}")
            .ToList();
    }

    [Fact]
    public async Task The_public_pages_and_the_office_entry_list_have_no_serious_violations()
    {
        // axe-core is injected as an inline script, which the portal's Content-Security-Policy (rightly) refuses.
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions { BypassCSP = true });
        var page = await context.NewPageAsync();
        var found = new Dictionary<string, IReadOnlyList<string>>();

        foreach (var (name, url) in new[] { ("home", "/"), ("results", "/?q=" + Uri.EscapeDataString("欧阳明远")), ("notices", "/notices"), ("login", "/office/login"),
                     ("filtered results", "/?q=" + Uri.EscapeDataString("张") + "&province=" + Uri.EscapeDataString("河南")), ("bank batch check", "/verify/batch"),
                     ("not found", "/no-such-page"), ("correction form", "/apply/correction"), ("complaint form", "/apply/complaint"), ("tracking", "/track?code=0000"),
                     ("browse", "/browse?province=" + Uri.EscapeDataString("河南")), ("statistics", "/statistics"), ("data", "/data") })
        {
            await page.GotoAsync(portal.BaseUrl + url);
            found[name] = await SeriousViolations(page);
        }
        await page.GotoAsync(portal.BaseUrl + "/?q=" + Uri.EscapeDataString("欧阳明远"));
        await page.Locator("li.result a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("欧阳明远");
        found["detail"] = await SeriousViolations(page);

        var office = await portal.StaffPageAsync("rev-axe", "reviewer", bypassCsp: true);
        await office.GotoAsync(portal.BaseUrl + "/office/entries");
        await Assertions.Expect(office.Locator(".entry-grid tbody tr").First).ToBeVisibleAsync();
        found["office entry list"] = await SeriousViolations(office);
        await office.Locator(".entry-grid tbody tr a").First.ClickAsync();
        await Assertions.Expect(office.Locator("table.history")).ToBeVisibleAsync();
        found["office entry page"] = await SeriousViolations(office);
        await office.GotoAsync(portal.BaseUrl + "/office/entries/new");
        await Assertions.Expect(office.Locator("#caseNumber")).ToBeVisibleAsync();
        found["office editor"] = await SeriousViolations(office);

        Assert.True(found.Values.All(v => v.Count == 0),
            string.Join("\n", found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value))));
    }
}
