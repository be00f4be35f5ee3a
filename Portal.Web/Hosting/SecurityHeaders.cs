namespace Portal.Web.Hosting;

/// <summary>
/// The headers every response carries. Scripts only from the portal's own files (no inline script anywhere; Blazor's
/// and MudBlazor's scripts are files too); styles may be inline because MudBlazor sets them on its elements; no page
/// may be framed; no address with a query is sent on as a referrer; HTTPS is remembered where it is used.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            return Task.CompletedTask;
        });
        await next();
    });
}
