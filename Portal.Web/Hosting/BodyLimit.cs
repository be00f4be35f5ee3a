using Microsoft.AspNetCore.Http.Metadata;

namespace Portal.Web.Hosting;

/// <summary>
/// The most a request body may hold at an endpoint or page. The server enforces it while the body is read, chunked or
/// not (routing hands it to the server's request-size feature), so nothing beyond it is parsed; every endpoint without
/// one of its own gets <see cref="Default"/> (the server's limit, set at start). Too much is answered 413:
/// <c>body_too_large</c> in the API, a page in Chinese elsewhere (<see cref="PortalErrors"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class BodyLimitAttribute(long bytes) : Attribute, IRequestSizeLimitMetadata
{
    /// <summary>A search, an application in JSON, a sign-in form: 64 KB is far more than any of them needs.</summary>
    public const long Default = 64 * 1024;

    public long Bytes => bytes;

    public long? MaxRequestBodySize => bytes;

    /// <summary>The limit in words: "64 KB", "8 MB".</summary>
    public static string Text(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / 1024 / 1024} MB" : $"{bytes / 1024} KB";
}

public static class BodyLimits
{
    /// <summary>
    /// A form posted to a page is read here, before the page and its antiforgery check (which would answer a body over
    /// the limit with a bare 400): so that a form too large gets the same 413 page in Chinese as any other body.
    /// </summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType && !context.Request.Path.StartsWithSegments("/api"))
        {
            try { await context.Request.ReadFormAsync(context.RequestAborted); }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await PortalErrors.TooLargeAsync(context, context.RequestAborted);
                return;
            }
            catch (Exception e) when (e is BadHttpRequestException or InvalidDataException or IOException or FormatException)
            {
                // A body that is not a form (a broken multipart header, a bad encoding): the sender's mistake, not an error of ours.
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>表单无效 - 失信被执行人名单公示</title></head>" +
                    "<body><h1>表单无效</h1><p>提交的表单格式无效，请返回后重新填写提交。</p><p><a href=\"/\">返回首页</a></p></body></html>", context.RequestAborted);
                return;
            }
        }
        await next();
    });
}
