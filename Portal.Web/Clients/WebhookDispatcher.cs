using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Data.Persistence;
using Portal.Web.Hosting;

namespace Portal.Web.Clients;

/// <summary>The <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Tries before a delivery goes to the dead-letter list.</summary>
    [Range(1, 50)] public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; doubled after each further one (10 s, 20 s, 40 s ... about 21 min in all).</summary>
    [Range(0.01, 3600)] public double RetryBaseSeconds { get; set; } = 10;

    [Range(0.01, 3600)] public double PollSeconds { get; set; } = 1;

    [Range(1, 300)] public double TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// A claimed delivery is not claimed again (by this or another node) until this lease passes: longer than a request
    /// may take, short enough that a node killed while sending does not hold its deliveries long.
    /// </summary>
    [Range(2, 3600)] public double LeaseSeconds { get; set; } = 120;
}

/// <summary>
/// How webhook requests are signed: <c>X-Portal-Signature: v1=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))</c> with the
/// Unix time in <c>X-Portal-Timestamp</c>, so a receiver can reject bodies that were altered or are replayed late.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Portal-Signature";
    public const string TimestampHeader = "X-Portal-Timestamp";
    public const string EventHeader = "X-Portal-Event";
    public const string EventIdHeader = "X-Portal-Event-Id";
    public const string DeliveryHeader = "X-Portal-Delivery";

    public static string Sign(string secret, long timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".").Concat(body).ToArray();
        return "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}

/// <summary>
/// Queues every change-feed event for each client with a webhook (in the database, so nothing is lost on restart),
/// POSTs it signed, retries with exponential backoff, and after the last try moves it to the dead-letter list, from
/// which an administrator can send it again. At-least-once: receivers de-duplicate on <c>X-Portal-Event-Id</c>.
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<PortalDbContext> dbFactory,
    ChangeFeed feed,
    TakedownLedger ledger,
    Measures.MeasureLedger measures,
    WatchBook watch,
    ApiClients clients,
    IHttpClientFactory httpFactory,
    IOptions<WebhookOptions> options,
    IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    PortalReadiness readiness,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    private readonly WebhookOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady) await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Webhook run failed"); }
            await Task.Delay(TimeSpan.FromSeconds(_options.PollSeconds), stoppingToken);
        }
    }

    /// <summary>Matches new changes against the watched books, queues new events, then sends what is due. Returns the number of requests that succeeded.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await watch.MatchChangesAsync(ct);
        await EnqueueAsync(ct);
        var due = await ClaimDueAsync(ct);
        var results = await Task.WhenAll(due.GroupBy(d => d.ClientId).Select(g => SendAllAsync(g.Key, g.ToList(), ct)));
        return results.Sum();
    }

    private async Task EnqueueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var targets = await db.ApiClients.Where(c => c.RevokedAt == null && c.WebhookUrl != null).ToListAsync(ct);
        foreach (var client in targets.Where(c => c.Has(ClientScopes.Feed)))
        {
            var ids = await db.EntryEvents.Where(e => e.Id > client.WebhookCursor).OrderBy(e => e.Id).Select(e => e.Id).Take(1000).ToListAsync(ct);
            if (ids.Count == 0) continue;
            db.WebhookDeliveries.AddRange(ids.Select(id => new WebhookDelivery
            {
                ClientId = client.Id, EventId = id, Status = DeliveryStatus.Pending, CreatedAt = now, NextAttemptAt = now,
            }));
            client.WebhookCursor = ids[^1];
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task<List<WebhookDelivery>> ClaimDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.WebhookDeliveries.Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.Id).Take(200).ToListAsync(ct);
        foreach (var d in due)
        {
            d.Attempts++;
            d.NextAttemptAt = now + TimeSpan.FromSeconds(Math.Max(_options.LeaseSeconds, _options.TimeoutSeconds + 1));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return due;
    }

    /// <summary>One client's deliveries in event order; after a failure the rest wait for their retry too.</summary>
    private async Task<int> SendAllAsync(long clientId, List<WebhookDelivery> deliveries, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.AsNoTracking().SingleAsync(c => c.Id == clientId, ct);
        var sent = 0;
        DateTime? retryAt = null; // set once one fails: the rest wait with it, their tries not counted
        foreach (var delivery in deliveries.OrderBy(d => d.Feed).ThenBy(d => d.EventId))
        {
            db.WebhookDeliveries.Attach(delivery);
            if (retryAt is { } later)
            {
                (delivery.Attempts, delivery.NextAttemptAt) = (delivery.Attempts - 1, later);
                await db.SaveChangesAsync(ct);
                continue;
            }
            string? error = null;
            if (!client.IsActive || client.WebhookUrl is null) error = "客户端已吊销或已无推送地址";
            else
            {
                try
                {
                    var delivered = await SendAsync(db, client, delivery, ct);
                    if (delivered.Count > 0 && client.Kind.KeepsCopies()) await ledger.RecordReceiptsAsync(client.Id, delivered, "webhook", ct);
                    sent++;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    error = ex.Message.Length > 480 ? ex.Message[..480] : ex.Message;
                }
            }
            var now = clock.GetUtcNow().UtcDateTime;
            if (error is null) (delivery.Status, delivery.DeliveredAt, delivery.LastError) = (DeliveryStatus.Delivered, now, null);
            else
            {
                delivery.LastError = error;
                if (delivery.Attempts >= _options.MaxAttempts || !client.IsActive) delivery.Status = DeliveryStatus.Dead;
                else retryAt = delivery.NextAttemptAt = now + Backoff(delivery.Attempts);
            }
            await db.SaveChangesAsync(ct);
        }
        return sent;
    }

    public TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(_options.RetryBaseSeconds * Math.Pow(2, attempts - 1));

    /// <summary>POSTs one event; throws HttpRequestException unless the receiver answers 2xx. Returns the entries whose fields it carried.</summary>
    private async Task<IReadOnlyCollection<long>> SendAsync(PortalDbContext db, ApiClient client, WebhookDelivery delivery, CancellationToken ct)
    {
        byte[] body;
        string eventType, eventId;
        IReadOnlyCollection<long> delivered = [];
        if (delivery.Feed == DeliveryFeed.Measures)
        {
            // A unit's own measure feed: ids of their own, told apart from the public feed's cursors.
            var (view, type) = await measures.DescribeAsync(db, delivery.EventId, ct);
            (body, eventType, eventId) = (JsonSerializer.SerializeToUtf8Bytes(view, json.Value.SerializerOptions), type, $"measure-{delivery.EventId}");
        }
        else if (delivery.Feed == DeliveryFeed.Watch)
        {
            var alert = await WatchBook.DescribeAsync(db, delivery.EventId, ct);
            (body, eventType, eventId) = (JsonSerializer.SerializeToUtf8Bytes(alert, json.Value.SerializerOptions),
                "watch." + JsonSerializer.Serialize(alert.Type, json.Value.SerializerOptions).Trim('"'), $"watch-{delivery.EventId}");
        }
        else
        {
            var events = await db.EntryEvents.AsNoTracking().Where(e => e.Id == delivery.EventId).ToListAsync(ct);
            (var described, delivered) = await feed.DescribeAsync(db, events, ct);
            (body, eventType, eventId) = (JsonSerializer.SerializeToUtf8Bytes(described[0], json.Value.SerializerOptions), described[0].Action,
                delivery.EventId.ToString(CultureInfo.InvariantCulture));
        }
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, client.WebhookUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(clients.WebhookSecret(client), timestamp, body));
        request.Headers.Add(WebhookSignature.EventHeader, eventType);
        request.Headers.Add(WebhookSignature.EventIdHeader, eventId);
        request.Headers.Add(WebhookSignature.DeliveryHeader, delivery.Id.ToString(CultureInfo.InvariantCulture));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(_options.TimeoutSeconds));
        using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, cts.Token);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"接收方返回 {(int)response.StatusCode}");
        return delivered;
    }

    /// <summary>Dead-letter deliveries, newest first, for the administrator.</summary>
    public async Task<IReadOnlyList<(WebhookDelivery Delivery, string Client)>> DeadLettersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await (from d in db.WebhookDeliveries.AsNoTracking()
                          join c in db.ApiClients.AsNoTracking() on d.ClientId equals c.Id
                          where d.Status == DeliveryStatus.Dead
                          orderby d.Id descending
                          select new { d, c.Name }).Take(500).ToListAsync(ct);
        return rows.Select(r => (r.d, r.Name)).ToList();
    }

    /// <summary>Sends dead-letter deliveries again with a fresh set of tries.</summary>
    public async Task<int> RedeliverAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var dead = await db.WebhookDeliveries.Where(d => deliveryIds.Contains(d.Id) && d.Status == DeliveryStatus.Dead).ToListAsync(ct);
        foreach (var d in dead) (d.Status, d.Attempts, d.NextAttemptAt) = (DeliveryStatus.Pending, 0, now);
        await db.SaveChangesAsync(ct);
        return dead.Count;
    }
}
