namespace Portal.Web.Hosting;

/// <summary>
/// The headers every response carries. Scripts only from the portal's own files (no inline script anywhere; Blazor's
/// and MudBlazor's scripts are files too); styles may be inline because MudBlazor sets them on its elements; no page
/// may be framed; no address with a query is sent on as a referrer; HTTPS is remembered where it is used. A response
/// that set its own, stricter policy keeps it.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string OwnPolicyKey = "portal:own-content-security-policy";

    /// <summary>Gives this response a stricter policy than the site's, e.g. <c>sandbox; default-src 'none'</c> for a file.</summary>
    public static void UseOwnPolicy(HttpContext context, string policy) => context.Items[OwnPolicyKey] = policy;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // The framework sets a weaker policy of its own on some responses (frame-ancestors 'self'): replaced. A response
            // that asked for a stricter one (an attachment download: sandbox) keeps it.
            headers.ContentSecurityPolicy = context.Items[OwnPolicyKey] as string ?? ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.IsHttps) headers.StrictTransportSecurity = "max-age=31536000";
            return Task.CompletedTask;
        });
        await next();
    });
}
