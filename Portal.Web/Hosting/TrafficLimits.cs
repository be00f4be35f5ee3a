using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;

namespace Portal.Web.Hosting;

/// <summary>The <c>RateLimits</c> configuration section: requests per client address per minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    [Range(1, 1_000_000)] public int PublicPerMinute { get; set; } = 120;
    [Range(1, 1_000_000)] public int ApiPerMinute { get; set; } = 600;

    /// <summary>Per API key, unless the client's registration sets its own.</summary>
    [Range(1, 1_000_000)] public int ClientPerMinute { get; set; } = 1200;

    /// <summary>
    /// Query certificates one address (or one key, or one staff account) may have made per hour: each is stored and
    /// kept, so this is a storage quota more than a speed limit.
    /// </summary>
    [Range(1, 100_000)] public int CertificatesPerHour { get; set; } = 20;

    /// <summary>API key applications (<c>/keys/apply</c>) one address may send per hour: each waits for an administrator.</summary>
    [Range(1, 100_000)] public int KeyApplicationsPerHour { get; set; } = 5;

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For is believed; nobody else's is.</summary>
    public string[] KnownProxies { get; set; } = [];
}

/// <summary>Per-address limits on anonymous traffic (pages and API), answering 429 with Retry-After.</summary>
public static class TrafficLimits
{
    public const string Pages = "public-pages";
    public const string Api = "public-api";
    public const string Certificates = "certificates";
    public const string KeyApplications = "key-applications";

    public static IServiceCollection AddTrafficLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in options.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
        });
        services.AddSingleton(options);

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Pages, context => PerCaller(context, options.PublicPerMinute, options.ClientPerMinute));
            o.AddPolicy(Api, context => PerCaller(context, options.ApiPerMinute, options.ClientPerMinute));
            // Nobody is exempt: a key or a staff account is limited by its own identity, everyone else by address.
            o.AddPolicy(Certificates, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirst(Clients.ApiKeyAuthentication.ClientIdClaim)?.Value is { } client ? "client:" + client
                : context.User.Identity is { IsAuthenticated: true, Name: { } staff } ? "staff:" + staff
                : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.CertificatesPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 }));
            // The key application page: reading it is a page view, sending it a stored application (by address: nobody signs in to apply).
            o.AddPolicy(KeyApplications, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter("sent:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), // not a page view's key: a partition keeps its first limiter
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.KeyApplicationsPerHour, Window = TimeSpan.FromHours(1), QueueLimit = 0 })
                : PerCaller(context, options.PublicPerMinute, options.ClientPerMinute));
            o.OnRejected = async (context, ct) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString();
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    await Results.Problem(statusCode: 429, title: "请求过于频繁", detail: $"请在{(int)Math.Ceiling(retry.TotalSeconds)}秒后重试。",
                        extensions: new Dictionary<string, object?> { ["code"] = "rate_limited" }).ExecuteAsync(context.HttpContext);
                }
                else
                {
                    context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                    await context.HttpContext.Response.WriteAsync("请求过于频繁，请稍后再试。", ct);
                }
            };
        });
        return services;
    }

    /// <summary>
    /// A page that names its own policy (<c>[EnableRateLimiting]</c>, e.g. the key application form) keeps it: the pages'
    /// common policy is added after a page's attributes, and the last one added is the one applied.
    /// </summary>
    public static void KeepPagesOwnPolicy(EndpointBuilder endpoint)
    {
        if (endpoint.Metadata.OfType<EnableRateLimitingAttribute>().FirstOrDefault(a => a.PolicyName != Pages) is { } own) endpoint.Metadata.Add(own);
    }

    /// <summary>
    /// Believes X-Forwarded-For only from the configured proxies. With none configured the header is ignored: the
    /// framework's middleware trusts every sender when its lists are empty, so it is not added at all then.
    /// </summary>
    public static IApplicationBuilder UseKnownProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<RateLimitOptions>();
        return options.KnownProxies.Length == 0 ? app : app.UseForwardedHeaders();
    }

    /// <summary>
    /// API clients are limited per key (an invalid key counts as anonymous), anonymous traffic per address; signed-in
    /// court staff are not limited (a court may share one address).
    /// </summary>
    private static RateLimitPartition<string> PerCaller(HttpContext context, int perMinute, int clientPerMinute)
    {
        var user = context.User;
        if (Clients.ApiKeyAuthentication.IsClient(user))
        {
            var limit = int.TryParse(user.FindFirst(Clients.ApiKeyAuthentication.RateClaim)?.Value, out var own) ? own : clientPerMinute;
            return PerMinute("client:" + user.FindFirst(Clients.ApiKeyAuthentication.ClientIdClaim)!.Value, limit);
        }
        return user.Identity?.IsAuthenticated == true
            ? RateLimitPartition.GetNoLimiter("staff")
            : PerMinute("ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), perMinute);
    }

    private static RateLimitPartition<string> PerMinute(string key, int limit) => RateLimitPartition.GetFixedWindowLimiter(
        key, _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}
