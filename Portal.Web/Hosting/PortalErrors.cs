using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.Web.Hosting;

/// <summary>
/// One contract for every error: API answers are ProblemDetails with a <c>code</c> and a Chinese <c>detail</c>, pages
/// answer in Chinese, and nothing a caller sent (a query, a form field, a number typed in a URL) reaches the log:
/// exception messages may quote input, so only the exception's type and stack are logged.
/// </summary>
public static class PortalErrors
{
    public static IServiceCollection AddPortalErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context => Complete(context.ProblemDetails, context.HttpContext));
        services.AddExceptionHandler<UnexpectedErrorHandler>();
        return services;
    }

    public static IApplicationBuilder UsePortalErrors(this IApplicationBuilder app) =>
        // The middleware's own log line carries the exception message; UnexpectedErrorHandler logs without it.
        app.UseExceptionHandler(new ExceptionHandlerOptions { SuppressDiagnosticsCallback = _ => true });

    /// <summary>The code and Chinese detail of an answer the framework wrote (a parameter that did not bind, an unknown route).</summary>
    private static void Complete(Microsoft.AspNetCore.Mvc.ProblemDetails problem, HttpContext context)
    {
        if (problem.Extensions.ContainsKey("code")) return;
        if (problem.Status == StatusCodes.Status413PayloadTooLarge)
        {
            (problem.Extensions["code"], problem.Title, problem.Detail) = ("body_too_large", "请求过大", TooLargeText(context) + "请分批提交。");
            return;
        }
        var (code, title, detail) = problem.Status switch
        {
            400 => ("invalid_request", "请求无效", "请求格式无效：数字参数（如 page、pageSize、year、after、limit）应为范围内的整数，请求体应为有效的 JSON。"),
            401 => ("unauthorized", "需要身份验证", "请提供有效的身份凭据。"),
            403 => ("forbidden", "没有权限", "没有执行此操作的权限。"),
            404 => ("not_found", "未找到", "没有这个地址。"),
            405 => ("method_not_allowed", "方法不允许", "此地址不支持该请求方法。"),
            415 => ("unsupported_media_type", "内容类型不支持", "请求体应为 application/json。"),
            _ when problem.Status >= 500 => ("internal_error", "服务器内部错误", "服务器处理请求时出错，请稍后再试。"),
            _ => ("error", "请求未完成", "请求未能完成。"),
        };
        problem.Extensions["code"] = code;
        problem.Title = title;
        problem.Detail ??= detail;
        if (problem.Detail is { } d && !ContainsChinese(d)) problem.Detail = detail;
    }

    /// <summary>A body over its endpoint's limit (found while reading it): 413 in the contract, without an error in the log.</summary>
    public static async ValueTask<bool> TooLargeAsync(HttpContext context, CancellationToken ct)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        context.Response.Headers.Connection = "close"; // the rest of the body is not read
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Publication.EntriesApi.Problem(413, "请求过大", TooLargeText(context) + "请分批提交。", "body_too_large").ExecuteAsync(context);
            return true;
        }
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>请求过大 - 失信被执行人名单公示</title></head>" +
            $"<body><h1>请求过大</h1><p>{TooLargeText(context)}附件请控制在规定大小以内。</p><p><a href=\"/\">返回首页</a></p></body></html>", ct);
        return true;
    }

    /// <summary>
    /// "请求体超过此地址允许的 64 KB。": the limit of the endpoint asked for (the exception handler has cleared the request's
    /// endpoint by now; its feature keeps it).
    /// </summary>
    private static string TooLargeText(HttpContext context) =>
        $"请求体超过此地址允许的 {BodyLimitAttribute.Text((context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint())
            ?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? BodyLimitAttribute.Default)}。";

    private static bool ContainsChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    /// <summary>Logs what failed without the message, and answers in the contract: ProblemDetails for the API, a Chinese page elsewhere.</summary>
    private sealed class UnexpectedErrorHandler(IProblemDetailsService problems, ILogger<UnexpectedErrorHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }) return await TooLargeAsync(context, ct);
            logger.LogError("Unhandled {Type} on {Method} {Route}\n{Stack}", exception.GetType().FullName, context.Request.Method,
                context.GetEndpoint()?.DisplayName ?? "(no endpoint)", exception.StackTrace);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            if (context.Request.Path.StartsWithSegments("/api"))
                return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = 500 } });
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>系统出错 - 失信被执行人名单公示</title></head>" +
                "<body><h1>系统出错</h1><p>处理您的请求时出错，请稍后再试。</p><p><a href=\"/\">返回首页</a></p></body></html>", ct);
            return true;
        }
    }
}
