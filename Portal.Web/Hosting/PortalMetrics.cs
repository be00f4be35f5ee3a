using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Data.Persistence;

namespace Portal.Web.Hosting;

/// <summary>Who may read /metrics besides the machine itself (a monitoring host), as CIDR blocks.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";
    public List<string> AllowedNetworks { get; set; } = [];
}

/// <summary>
/// What an operations team watches, as JSON at /metrics (no extra packages: the framework's own meters are read with a
/// MeterListener): request rate and latency from ASP.NET Core's <c>http.server.request.duration</c>, how far the
/// search index is behind the newest committed change, the webhook backlog, and the readiness stage. Numbers only;
/// answered to loopback and to <see cref="MetricsOptions.AllowedNetworks"/>, 404 to anyone else.
/// </summary>
public sealed class PortalMetrics(IOptions<MetricsOptions> options) : IDisposable
{
    private readonly NetworkList _readers = new(options.Value.AllowedNetworks);
    private readonly MeterListener _listener = new();
    private readonly double[] _recent = new double[4096];
    private long _requests, _errors;
    private readonly DateTime _since = DateTime.UtcNow;

    public void Start()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var n = Interlocked.Increment(ref _requests);
            _recent[(int)(n % _recent.Length)] = seconds * 1000;
            foreach (var tag in tags)
                if (tag.Key == "http.response.status_code" && tag.Value is int status && status >= 500) Interlocked.Increment(ref _errors);
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    public async Task<object> SnapshotAsync(IDbContextFactory<PortalDbContext> dbFactory, Search.IndexSync sync, PortalReadiness readiness, CancellationToken ct)
    {
        var requests = Interlocked.Read(ref _requests);
        var latencies = _recent.Take((int)Math.Min(requests, _recent.Length)).Order().ToArray();
        double Percentile(double p) => latencies.Length == 0 ? 0 : Math.Round(latencies[Math.Clamp((int)Math.Ceiling(p * latencies.Length) - 1, 0, latencies.Length - 1)], 3);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = await db.EntryEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var pending = await db.WebhookDeliveries.CountAsync(d => d.Status == DeliveryStatus.Pending, ct);
        var dead = await db.WebhookDeliveries.CountAsync(d => d.Status == DeliveryStatus.Dead, ct);
        var uptime = (DateTime.UtcNow - _since).TotalSeconds;
        return new
        {
            ready = readiness.IsServing,
            stage = readiness.Stage,
            requests = new { total = requests, serverErrors = Interlocked.Read(ref _errors), perSecond = Math.Round(requests / Math.Max(1, uptime), 3),
                             latencyMs = new { p50 = Percentile(0.5), p99 = Percentile(0.99), window = latencies.Length } },
            index = new { newestChangeEvent = newest, applied = sync.Cursor, behind = Math.Max(0, newest - sync.Cursor) },
            webhooks = new { pending, dead },
            uptimeSeconds = Math.Round(uptime),
        };
    }

    public bool MayRead(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address && (IPAddress.IsLoopback(address) || _readers.Contains(address));
}
