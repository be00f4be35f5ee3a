using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 (a webhook receiver, a reprinter's site) that records what it was sent.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    public sealed record Received(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, int AnsweredWith);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    /// <summary>The status the next requests are answered with (webhook receivers), unless a page handler answers.</summary>
    public volatile int Status = 200;

    /// <summary>Pages by path (reprinter sites); a path not here gets 404.</summary>
    public ConcurrentDictionary<string, string> Pages { get; } = new();

    public bool ServesPages { get; init; }

    /// <summary>How long each answer waits after the request was recorded (a slow receiver, a sender killed meanwhile).</summary>
    public volatile int DelayMs;

    /// <summary>When set, every request is answered 307 to this address (a redirect a guard must re-check).</summary>
    public volatile string? RedirectTo;

    private LoopbackServer(WebApplication app) => _app = app;

    public IReadOnlyList<Received> Requests => _received.ToList();

    public string BaseUrl => _app.Urls.First();

    public static async Task<LoopbackServer> StartAsync(bool servesPages = false, string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{address}:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LoopbackServer(app) { ServesPages = servesPages };
        app.Run(server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var path = context.Request.Path + context.Request.QueryString;
        int status;
        string? page = null;
        if (ServesPages) status = Pages.TryGetValue(Uri.UnescapeDataString(path), out page) ? 200 : 404;
        else status = RedirectTo is null ? Status : 307;
        if (RedirectTo is { } target) context.Response.Headers.Location = target;
        _received.Enqueue(new Received(path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray(), status));
        if (DelayMs > 0) await Task.Delay(DelayMs);
        context.Response.StatusCode = status;
        if (page is not null)
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(page);
        }
    }

    public async Task<IReadOnlyList<Received>> WaitForAsync(Func<IReadOnlyList<Received>, bool> condition, int timeoutMs = 15_000)
    {
        for (var waited = 0; waited < timeoutMs; waited += 50)
        {
            if (condition(Requests)) return Requests;
            await Task.Delay(50);
        }
        Assert.Fail($"the loopback server did not get what was expected within {timeoutMs} ms; it got {Requests.Count} requests");
        return Requests;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
