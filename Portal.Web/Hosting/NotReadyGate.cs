namespace Portal.Web.Hosting;

/// <summary>
/// Until the data is ready (schema current, demo data in, index built), the public data surfaces say "not ready"
/// instead of answering from a partial index or database: a search during a start must never read as "not listed".
/// The API answers 503 <c>not_ready</c> with Retry-After; pages show the portal's own page with the same status.
/// </summary>
public static class NotReadyGate
{
    public const string Message = "数据准备中，请稍后再查";
    public const string PagePath = "/not-ready";
    public const int RetryAfterSeconds = 5;

    /// <summary>The public surfaces that answer from the list: search, entries, notices, receipts and the API.</summary>
    public static bool Guards(PathString path) =>
        path == "/" || path.StartsWithSegments("/entries") || path.StartsWithSegments("/notices") || path.StartsWithSegments("/browse")
        || path.StartsWithSegments("/statistics")
        || path.StartsWithSegments("/verify") || path.StartsWithSegments("/api/v1");

    /// <summary>Goes before routing: a page request is re-routed to the not-ready page, as a GET.</summary>
    public static IApplicationBuilder UseNotReadyGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.RequestServices.GetRequiredService<PortalReadiness>().IsServing || !Guards(context.Request.Path))
        {
            try
            {
                await next();
                return;
            }
            catch (Search.IndexNotCurrentException) when (!context.Response.HasStarted && Guards(context.Request.Path))
            {
                // The index fell behind during this request and cannot catch up: answer as while preparing, never from it.
                context.SetEndpoint(null);
                context.Request.RouteValues.Clear();
            }
        }
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-cache, no-store";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Publication.EntriesApi.Problem(StatusCodes.Status503ServiceUnavailable, "数据准备中", Message + "（门户正在启动或重建索引）。", "not_ready")
                .ExecuteAsync(context);
            return;
        }
        context.Request.Path = PagePath;
        context.Request.QueryString = QueryString.Empty;
        context.Request.Method = HttpMethods.Get;
        await next();
    });
}
