using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Persistence;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>The portal on a real PostgreSQL server (started by ./test.sh on loopback).</summary>
public class PostgresTests
{
    [Fact]
    public async Task A_fresh_postgres_database_matches_the_model()
    {
        using var database = PostgresDatabase.Create();
        await SchemaTests.AssertMatchesModel(DatabaseProviderKind.Postgres, database.ConnectionString);
    }

    [Fact]
    public async Task A_version_1_postgres_database_upgrades_to_the_model()
    {
        using var database = PostgresDatabase.Create();
        await SchemaTests.AssertMatchesModel(DatabaseProviderKind.Postgres, database.ConnectionString, upgradeFromVersion1: true);
    }

    [Fact]
    public async Task An_unreachable_postgres_server_stops_the_start_with_a_clear_sentence_and_no_password()
    {
        using var data = new TempDirectory();
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { PortalProcess.Dll(), "--urls", "http://127.0.0.1:0", $"--Portal:DataDirectory={data.Path}", "--Database:Provider=Postgres",
                     "--ConnectionStrings:Portal=Host=127.0.0.1;Port=9;Username=portal;Password=Geheim-2026;Database=portal;Timeout=3",
                     $"--Portal:IdHashKey={Convert.ToBase64String(TestEntries.HashKey)}" })
            psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("门户未启动：无法连接数据库（Postgres）：", stderr);
        Assert.DoesNotContain("Geheim-2026", stderr + await stdout);
    }

    [Fact]
    public async Task Import_search_and_detail_work_on_postgres()
    {
        using var portal = new PostgresPortalFactory();
        var shielded = TestEntries.Person("王小明", "11010519491231002X", "（2018）京0105执77号");
        shielded.Status = "shielded";
        var report = await portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), shielded);
        Assert.Empty(report.Rejected);
        await portal.WaitUntilReadyAsync();
        var client = portal.CreateClient();

        var byName = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("张三"));
        Assert.Equal(1, byName.GetProperty("total").GetInt64());
        var byId = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=412702840315151");
        Assert.Equal("张三", byId.GetProperty("items")[0].GetProperty("name").GetString());
        var byCase = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("(2020)豫0311执2001"));
        Assert.Equal("洛阳市恒达建筑工程有限公司", byCase.GetProperty("items")[0].GetProperty("name").GetString());
        var browse = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries");
        Assert.Equal(2, browse.GetProperty("total").GetInt64());

        var publicId = byName.GetProperty("items")[0].GetProperty("publicId").GetString();
        var detail = await client.GetAsync($"/entries/{publicId}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.DoesNotContain("412702198403151512", await detail.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        // Browse (with a circumstance, matched inside the stored codes), statistics and a subject's other cases.
        var browsed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync("/browse?circumstance=refuses"));
        Assert.Equal(["河南"], browsed.QuerySelectorAll("ul.tallies a").Select(a => a.TextContent));
        var statistics = await client.GetFromJsonAsync<JsonElement>("/api/v1/statistics");
        Assert.Equal(2, statistics.GetProperty("publicNow").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/entries/{publicId}/related")).StatusCode);
    }

    [Fact]
    public async Task Feed_takedown_and_verification_work_on_postgres()
    {
        using var portal = new PostgresPortalFactory();
        Assert.Empty((await portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await portal.WaitUntilReadyAsync();
        var reprinter = Portal.Tests.Clients.ClientSupport.WithKey(portal, (await Portal.Tests.Clients.ClientSupport.Register(portal, "reprinter", "feed,takedown")).Key);
        var feed = await reprinter.GetFromJsonAsync<JsonElement>("/api/v1/changes?after=0&limit=1");
        Assert.True(feed.GetProperty("hasMore").GetBoolean());
        await reprinter.GetAsync($"/api/v1/changes?after={feed.GetProperty("next").GetInt64()}");

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var key = Portal.Data.Entries.CaseNumber.Key("（2019）豫0311执1234号");
            var id = await scope.ServiceProvider.GetRequiredService<Portal.Data.Persistence.PortalDbContext>().Entries
                .Where(e => e.CaseNumberKey == key).Select(e => e.Id).SingleAsync();
            var today = Portal.Data.Entries.ChinaTime.Today(TimeProvider.System);
            var result = await portal.Services.GetRequiredService<Portal.Web.Lifecycle.EntryActions>()
                .ApplyAsync(id, Portal.Web.Lifecycle.EntryActions.Revoke("纳入有误", today), "reviewer");
            Assert.Equal(Portal.Web.Lifecycle.ItemOutcome.Applied, result.Outcome);
        }
        var notices = await reprinter.GetFromJsonAsync<JsonElement>("/api/v1/takedowns");
        var notice = Assert.Single(notices.EnumerateArray());
        var ack = await reprinter.PostAsync($"/api/v1/takedowns/{notice.GetProperty("id").GetInt64()}/ack", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        var bank = Portal.Tests.Clients.ClientSupport.WithKey(portal, (await Portal.Tests.Clients.ClientSupport.Register(portal, "bank", "verify")).Key);
        var verify = await bank.PostAsJsonAsync("/api/v1/verify", new { subjects = new object[]
        {
            new { name = "张三", idNumber = "412702198403151512" },
            new { name = "洛阳市恒达建筑工程有限公司", creditCode = "91410311MA44L2K3X8" },
        } });
        var results = (await verify.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results");
        Assert.Equal(["not_listed", "listed"], results.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
    }
}
