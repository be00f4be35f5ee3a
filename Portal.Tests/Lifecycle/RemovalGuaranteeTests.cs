using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Search.Index;
using Portal.Tests.Support;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Lifecycle;

/// <summary>A removal takes the entry off every public surface in the request that commits it.</summary>
public class RemovalGuaranteeTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private HttpClient _client = default!;
    private EntryActions Actions => _portal.Services.GetRequiredService<EntryActions>();

    public async Task InitializeAsync()
    {
        _client = _portal.CreateClient();
        var report = await _portal.ImportAsync(
            TestEntries.Person(),
            TestEntries.Person("李四", "11010519491231002X", "（2018）京0105执77号"),
            TestEntries.Organization());
        Assert.Empty(report.Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> PublicIdOf(string caseNumber)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var key = CaseNumber.Key(caseNumber);
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.Where(e => e.CaseNumberKey == key).Select(e => e.PublicId).SingleAsync();
    }

    private async Task AssertGoneEverywhere(string caseNumber, string name, string publicId)
    {
        foreach (var q in new[] { name, caseNumber, "11010519491231002X" })
        {
            var page = await _client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString(q));
            Assert.False(page.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("publicId").GetString() == publicId), $"the search for {q} still shows it");
        }
        var browse = await _client.GetFromJsonAsync<JsonElement>("/api/v1/entries?pageSize=100");
        Assert.DoesNotContain(browse.GetProperty("items").EnumerateArray(), i => i.GetProperty("publicId").GetString() == publicId);
        Assert.Equal(HttpStatusCode.Gone, (await _client.GetAsync($"/api/v1/entries/{publicId}")).StatusCode);
        var page410 = await _client.GetAsync($"/entries/{publicId}");
        Assert.Equal(HttpStatusCode.Gone, page410.StatusCode);
        Assert.True(page410.Headers.CacheControl?.NoStore, page410.Headers.CacheControl?.ToString());
        Assert.DoesNotContain(name, await page410.Content.ReadAsStringAsync());
        var results = await _client.GetStringAsync("/?q=" + Uri.EscapeDataString(name));
        Assert.DoesNotContain($"/entries/{publicId}", results);
    }

    [Fact]
    public async Task A_shielded_entry_is_gone_from_search_detail_and_api_and_announced_without_personal_data()
    {
        var publicId = await PublicIdOf("（2018）京0105执77号");
        var result = (await Actions.ApplyByCaseNumbersAsync(["(2018)京0105执77"], null, EntryActions.Shield(RemovalGround.Performed, new DateOnly(2026, 11, 20)), "rev1"))[0];
        Assert.Equal(ItemOutcome.Applied, result.Outcome);

        await AssertGoneEverywhere("（2018）京0105执77号", "李四", publicId);

        var notices = await _client.GetFromJsonAsync<JsonElement>("/api/v1/notices");
        var notice = notices.GetProperty("items")[0];
        Assert.Equal("（2018）京0105执77号", notice.GetProperty("caseNumber").GetString());
        Assert.Equal("shielded", notice.GetProperty("action").GetString());
        Assert.Equal(["action", "at", "caseNumber", "court", "revokedAt"], notice.EnumerateObject().Select(p => p.Name).Order());
        var noticesPage = await _client.GetStringAsync("/notices");
        Assert.Contains("（2018）京0105执77号", noticesPage);
        Assert.DoesNotContain("李四", noticesPage);
    }

    [Fact]
    public async Task A_revocation_notice_carries_the_revocation_time()
    {
        await Actions.ApplyByCaseNumbersAsync(["（2019）豫0311执1234号"], null, EntryActions.Revoke("复议认定纳入有误"), "rev1");
        var notice = (await _client.GetFromJsonAsync<JsonElement>("/api/v1/notices")).GetProperty("items")[0];
        Assert.Equal("revoked", notice.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.String, notice.GetProperty("revokedAt").ValueKind);
    }

    [Fact]
    public async Task A_removal_by_another_process_is_honoured_by_the_next_read()
    {
        var publicId = await PublicIdOf("（2018）京0105执77号");
        // Another node shares the database but not this process's index: it commits the change and its change event, as
        // every writer does (the row alone, without its event, is no removal any node would make).
        var cs = DatabaseProvider.SqliteConnectionString(_portal.DataDirectory);
        await using (var other = new PortalDbContext(DatabaseProvider.Options(DatabaseProviderKind.Sqlite, cs)))
        {
            var e = await other.Entries.SingleAsync(x => x.PublicId == publicId);
            e.Status = EntryStatus.Revoked;
            e.RevokedAt = DateTime.UtcNow;
            other.EntryEvents.Add(EntryActions.EventFor(e, Portal.Data.Lifecycle.EntryAction.Revoked, DateTime.UtcNow));
            await other.SaveChangesAsync();
        }
        await AssertGoneEverywhere("（2018）京0105执77号", "李四", publicId);
    }

    [Fact]
    public async Task The_shield_verb_run_while_the_server_runs_takes_effect_at_once()
    {
        var publicId = await PublicIdOf("（2018）京0105执77号");
        var config = $"--Portal:DataDirectory={_portal.DataDirectory}";
        Assert.Equal(0, await Portal.Web.Cli.PortalCommands.RunAsync(["create-user", "--role", "reviewer", "--name", "rev-cli", "--court", "京0105", config]));
        Assert.Equal(0, await Portal.Web.Cli.PortalCommands.RunAsync(
            ["shield", "--case-number", "(2018)京0105执77号", "--reason", "settled", "--event-date", "2026-11-20", "--user", "rev-cli", config]));
        await AssertGoneEverywhere("（2018）京0105执77号", "李四", publicId);
    }

    [Fact]
    public async Task Expiry_runs_for_entries_whose_period_ended()
    {
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var e = await db.Entries.SingleAsync(x => x.Name == "李四");
            e.ListingEndsAt = ChinaTime.Today(TimeProvider.System).AddDays(-1);
            await db.SaveChangesAsync();
        }
        var expired = await _portal.Services.GetRequiredService<ExpiryService>().ExpireDueAsync();
        Assert.Equal(1, expired);
        var notice = (await _client.GetFromJsonAsync<JsonElement>("/api/v1/notices")).GetProperty("items")[0];
        Assert.Equal("expired", notice.GetProperty("action").GetString());
        Assert.Equal(0, await _portal.Services.GetRequiredService<ExpiryService>().ExpireDueAsync());
    }

    [Fact]
    public async Task Every_action_lands_in_an_intact_audit_chain_without_full_ids()
    {
        await Actions.ApplyByCaseNumbersAsync(["（2018）京0105执77号"], null, EntryActions.Shield(RemovalGround.Performed, new DateOnly(2026, 11, 20)), "rev1");
        await Actions.ApplyByCaseNumbersAsync(["（2018）京0105执77号"], null, EntryActions.Republish("误屏蔽"), "rev1");
        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Null(await Portal.Data.Audit.AuditLog.VerifyAsync(db));
        var records = await db.AuditRecords.OrderBy(r => r.Sequence).ToListAsync();
        Assert.Equal(["create", "create", "create", "shield", "republish"], records.Select(r => r.Action));
        Assert.Contains("\"status\":[\"published\",\"shielded\"]", records[3].Changes);
        Assert.All(records, r => Assert.DoesNotContain("11010519491231002X", r.Changes));
    }
}
