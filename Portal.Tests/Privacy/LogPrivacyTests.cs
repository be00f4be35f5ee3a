using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;

namespace Portal.Tests.Privacy;

/// <summary>
/// What the portal writes to its log while people search, check and look up entries (every level the portal logs at)
/// holds no ID number, whole or by its hidden digits, and no name anyone searched for.
/// </summary>
public sealed class LogPrivacyTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    /// <summary>On the real server (Kestrel), as an operator reads its console: a page view is not worth a warning.</summary>
    [Fact]
    public async Task Ordinary_page_views_log_no_warning()
    {
        using var data = new TempDirectory();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var (node, http) = await PortalProcess.StartNodeAsync([$"--Portal:DataDirectory={data.Path}", "--Portal:DemoDataCount=200"], output);
        try
        {
            var before = output.Count;
            foreach (var url in new[] { "/", "/?q=%E5%BC%A0", "/browse", "/statistics", "/notices", "/data", "/terms", "/apply", "/apply/correction",
                         "/apply/complaint", "/verify/batch", "/watch", "/track", "/office/login", "/api/v1/entries?q=%E5%BC%A0" })
                Assert.True((await http.GetAsync(url)).IsSuccessStatusCode, url);
            await Task.Delay(500); // the last lines reach the console
            var warnings = output.Skip(before).Where(l => l.StartsWith("warn:") || l.StartsWith("fail:") || l.StartsWith("crit:")).ToList();
            Assert.True(warnings.Count == 0, string.Join("\n", output.Skip(before)));
        }
        finally
        {
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Searches_lookups_and_checks_leave_no_personal_data_in_the_log()
    {
        await _portal.WaitUntilReadyAsync();
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person("欧阳明远", "412702198403151512", "（2019）豫0311执1234号"))).Rejected);
        var http = _portal.CreateClient();
        var detail = (await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("欧阳明远")))
            .GetProperty("items")[0].GetProperty("publicId").GetString();
        foreach (var q in (string[])["412702198403151512", "412702198403151513", "41270219840315151", "司马光远"])
            await http.PostAsJsonAsync("/api/v1/entries/search", new { q });
        await http.GetAsync("/?q=" + Uri.EscapeDataString("司马光远"));
        await http.GetAsync("/api/v1/entries?q=" + Uri.EscapeDataString("欧阳明远 4127021984****1512"));
        await http.GetAsync("/api/v1/suggest?q=" + Uri.EscapeDataString("欧阳"));
        await http.GetAsync($"/api/v1/entries/{detail}");
        await http.GetAsync($"/entries/{detail}");
        await http.GetAsync("/api/v1/entries?q=x&page=abc");
        // Applications: a wrong and a right identity, a contact, and the outbox sending (and failing to send) its messages.
        foreach (var id in (string[])["412702198403151512", "412702198403161518"])
            await http.PostAsJsonAsync("/api/v1/applications", new { kind = "complaint", caseNumber = "（2019）豫0311执1234号", idNumber = id, grounds = new[] { "other" }, text = "欧阳明远", contact = "13800138000" });
        await http.PostAsJsonAsync("/api/v1/applications", new { kind = "correction", caseNumber = "（2019）豫0311执1234号", idNumber = "412702198403151512", grounds = new[] { "other" }, contact = "zhang@example.com" });
        await _portal.Services.GetRequiredService<Portal.Web.Applications.NotificationOutbox>().RunOnceAsync();

        var log = _portal.Logs.All;
        Assert.NotEmpty(_portal.Logs.Lines); // the portal did log (start-up, index), so the test reads a real log
        foreach (var personal in (string[])["412702198403151512", "412702198403151513", "41270219840315151", "19840315", "欧阳明远", "司马光远", "欧阳", "13800138000", "zhang@example.com", "412702198403161518"])
            Assert.DoesNotContain(personal, log);
    }
}
