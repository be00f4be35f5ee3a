using Bunit;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Clients;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Clients;

/// <summary>Webhooks to a real HTTP receiver on loopback: signed, retried, dead-lettered, re-delivered, kept across restarts.</summary>
public class WebhookTests : IAsyncLifetime
{
    private const string Zhang = "（2019）豫0311执1234号";
    private const string Hengda = "（2020）豫0311执2001号";

    private readonly TempDirectory _data = new();
    private LoopbackServer _receiver = default!;

    private static readonly Dictionary<string, string> Fast = new()
    {
        ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8", // the receiver runs on loopback; internal addresses are refused by default
        ["Webhooks:PollSeconds"] = "0.05", ["Webhooks:RetryBaseSeconds"] = "0.1", ["Webhooks:MaxAttempts"] = "3",
    };

    private PortalFactory NewPortal() => new() { DataDirectoryOf = _data.Path, Settings = Fast };

    public async Task InitializeAsync() => _receiver = await LoopbackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _data.Dispose();
    }

    private static Task Remove(PortalFactory portal, string caseNumber) => portal.ShieldAsync(caseNumber);

    private static async Task<List<WebhookDelivery>> Deliveries(PortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().WebhookDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
    }

    private static async Task<List<WebhookDelivery>> WaitForDeliveries(PortalFactory portal, Func<List<WebhookDelivery>, bool> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            var rows = await Deliveries(portal);
            if (condition(rows)) return rows;
            await Task.Delay(50);
        }
        Assert.Fail("deliveries did not reach the expected state: " + string.Join("; ", (await Deliveries(portal)).Select(d => $"{d.Id}:{d.Status}/{d.Attempts}")));
        return [];
    }

    [Fact]
    public async Task Each_event_arrives_signed_with_a_timestamp_in_commit_order()
    {
        using var portal = NewPortal();
        Assert.Empty((await portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await portal.WaitUntilReadyAsync();
        var unit = await ClientSupport.Register(portal, "unit", "feed", webhook: _receiver.BaseUrl + "/hooks/shixin?token=K7WEBHOOKTOKEN");
        await Remove(portal, Zhang);
        await Remove(portal, Hengda);

        var received = await _receiver.WaitForAsync(r => r.Count >= 2);
        Assert.Equal(2, received.Count);
        var cursors = new List<long>();
        foreach (var request in received)
        {
            Assert.Equal("/hooks/shixin?token=K7WEBHOOKTOKEN", request.Path);
            var timestamp = long.Parse(request.Headers["X-Portal-Timestamp"]);
            Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -5, 300); // fresh: a receiver may reject older than 5 minutes
            var signed = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(request.Body).ToArray();
            var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(unit.WebhookSecret!), signed));
            Assert.Equal(expected, request.Headers["X-Portal-Signature"]);
            var body = JsonDocument.Parse(request.Body).RootElement;
            Assert.Equal("shielded", body.GetProperty("action").GetString());
            Assert.Equal("shielded", request.Headers["X-Portal-Event"]);
            Assert.Equal(request.Headers["X-Portal-Event-Id"], body.GetProperty("cursor").GetInt64().ToString());
            cursors.Add(body.GetProperty("cursor").GetInt64());
        }
        Assert.Equal([Zhang, Hengda], received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("caseNumber").GetString()));
        Assert.Equal(cursors.Order(), cursors);
        Assert.DoesNotContain("K7WEBHOOKTOKEN", portal.Logs.All); // the outbound request logs would name the whole URL

        // A body changed on the way no longer matches its signature.
        var tampered = Encoding.UTF8.GetBytes($"{received[0].Headers["X-Portal-Timestamp"]}.").Concat(received[1].Body).ToArray();
        Assert.NotEqual(received[0].Headers["X-Portal-Signature"], "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(unit.WebhookSecret!), tampered)));
    }

    [Fact]
    public async Task A_failing_receiver_gets_retries_then_the_dead_letter_list_then_an_administrators_redelivery()
    {
        using var portal = NewPortal();
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected);
        await portal.WaitUntilReadyAsync();
        _receiver.Status = 500;
        await ClientSupport.Register(portal, "unit", "feed", webhook: _receiver.BaseUrl + "/hook");
        await Remove(portal, Zhang);

        var dead = await WaitForDeliveries(portal, rows => rows.Count == 1 && rows[0].Status == DeliveryStatus.Dead);
        Assert.Equal(3, dead[0].Attempts);
        Assert.Contains("500", dead[0].LastError);
        Assert.Equal(3, _receiver.Requests.Count);

        _receiver.Status = 200;
        await using var admin = await OfficeCircuit.SignInAsync(portal, "admin1", StaffRoles.Admin);
        var page = admin.Render<Portal.Web.Components.Office.Clients>();
        Assert.Contains("接收方返回 500", page.Find(".dead-letters").TextContent);
        page.FindAll("button").Single(b => b.TextContent.Contains("全部重新投递（1）")).Click();
        page.WaitForAssertion(() => Assert.Contains("已安排重新投递 1 条推送", page.Find(".mud-snackbar").TextContent));

        var done = await WaitForDeliveries(portal, rows => rows[0].Status == DeliveryStatus.Delivered);
        Assert.Equal(1, done[0].Attempts);
        Assert.Equal(200, _receiver.Requests[^1].AnsweredWith);
    }

    [Fact]
    public async Task A_receiver_that_recovers_gets_the_event_on_a_retry()
    {
        using var portal = NewPortal();
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected);
        await portal.WaitUntilReadyAsync();
        _receiver.Status = 503;
        await ClientSupport.Register(portal, "unit", "feed", webhook: _receiver.BaseUrl + "/hook");
        await Remove(portal, Zhang);
        await _receiver.WaitForAsync(r => r.Count >= 1);
        _receiver.Status = 200;
        var rows = await WaitForDeliveries(portal, rows => rows.Count == 1 && rows[0].Status == DeliveryStatus.Delivered);
        Assert.InRange(rows[0].Attempts, 2, 3);
        Assert.Equal(200, _receiver.Requests[^1].AnsweredWith);
    }

    [Fact]
    public async Task Deliveries_survive_a_restart_of_the_portal()
    {
        _receiver.Status = 503;
        using (var first = new PortalFactory { DataDirectoryOf = _data.Path, Settings = new(Fast) { ["Webhooks:RetryBaseSeconds"] = "3600" } })
        {
            Assert.Empty((await first.ImportAsync(TestEntries.Person())).Rejected);
            await first.WaitUntilReadyAsync();
            await ClientSupport.Register(first, "unit", "feed", webhook: _receiver.BaseUrl + "/hook");
            await Remove(first, Zhang);
            await WaitForDeliveries(first, rows => rows.Count == 1 && rows[0].Attempts == 1 && rows[0].LastError is not null);
        }
        // Down for an hour's backoff when the portal stopped; the next one picks it up from the database.
        await using (var db = new PortalDbContext(DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(_data.Path))))
            await db.WebhookDeliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTime.UtcNow));
        _receiver.Status = 200;
        using var second = NewPortal();
        await second.WaitUntilReadyAsync();
        var rows = await WaitForDeliveries(second, rows => rows[0].Status == DeliveryStatus.Delivered);
        Assert.Equal(2, rows[0].Attempts);
        Assert.Equal(Zhang, JsonDocument.Parse(_receiver.Requests[^1].Body).RootElement.GetProperty("caseNumber").GetString());
    }

    [Fact]
    public async Task A_reprinter_that_received_an_entry_by_webhook_gets_its_takedown_notice()
    {
        using var portal = NewPortal();
        await portal.WaitUntilReadyAsync();
        var reprinter = await ClientSupport.Register(portal, "reprinter", "feed,takedown", webhook: _receiver.BaseUrl + "/hook");
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected); // published after the webhook was registered
        var published = await _receiver.WaitForAsync(r => r.Count >= 1);
        Assert.Equal("张三", JsonDocument.Parse(published[0].Body).RootElement.GetProperty("entry").GetProperty("name").GetString());
        await WaitForDeliveries(portal, rows => rows.All(d => d.Status == DeliveryStatus.Delivered));

        await Remove(portal, Zhang);
        var notices = await portal.Services.GetRequiredService<TakedownLedger>().ListAsync(reprinter.Client.Id, openOnly: true);
        Assert.Equal(Zhang, Assert.Single(notices).CaseNumber);
    }
}
