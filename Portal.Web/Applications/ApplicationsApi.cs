using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Data.Applications;

namespace Portal.Web.Applications;

/// <summary>An application as JSON: the same fields as the forms (attachments only through the forms).</summary>
public sealed record ApplicationBody(string? Kind, string? CaseNumber, string? IdNumber, string? CreditCode, IReadOnlyList<string>? Grounds, string? Text, string? Contact);

public sealed record ApplicationCreated(string TrackingCode, DateOnly DueBy, bool DueProvisional, string Status, ApplicationView Application);

/// <summary>Applications by machine: <c>POST /api/v1/applications</c> and <c>GET /api/v1/applications/{trackingCode}</c>.</summary>
public static class ApplicationsApi
{
    public static IEndpointRouteBuilder MapApplicationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/applications");
        api.MapPost("", Submit)
            .Accepts<ApplicationBody>("application/json")
            .WithTags("申请与投诉").WithName("SubmitApplication").WithSummary("提交纠正、复议、信用修复申请或投诉举报")
            .WithDescription("kind 为 correction（申请纠正）、reconsideration（对驳回纠正的决定申请复议）、credit_repair（信用修复）或 complaint（投诉举报）。" +
                             "除投诉举报外须提供案号和被执行人本人的 idNumber（身份证号码）或 creditCode（统一社会信用代码），号码只用于核验、不保存；" +
                             "grounds 为理由代码（见各申请页面），text 为事实和理由（最多 2000 字），contact 为手机、固定电话或电子邮箱。" +
                             "成功返回 201 与跟踪码 trackingCode、处理期限 dueBy；同一请求重发（带相同的 Idempotency-Key 请求头）返回 200 与同一跟踪码。" +
                             "错误代码：unknown_case、identity_mismatch（案号不存在与证件号码不符的回答相同）、identity_check_closed、out_of_time（periodEnded 为期限届满日）、" +
                             "already_applied、too_many_for_entry、rate_limited 等。");
        api.MapGet("/{trackingCode}", Track)
            .WithTags("申请与投诉").WithName("GetApplication").WithSummary("凭跟踪码查询申请进度")
            .WithDescription("返回状态、处理期限、历史和法院的决定或答复；不含证件号码和联系方式。跟踪码不区分大小写，可带或不带连字符。");
        // Attachments reach court staff only, as downloads: never rendered inline, never under the public site.
        app.MapGet("/office/applications/{id:long}/files/{fileId:long}", Download).RequireAuthorization(BackOffice.StaffRoles.Policy).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Download(HttpContext http, ApplicationDesk desk, long id, long fileId, CancellationToken ct)
    {
        if (await desk.AttachmentAsync(http.User, id, fileId, ct) is not { } file) return Results.NotFound();
        http.Response.Headers.CacheControl = "no-cache, no-store";
        Hosting.SecurityHeaders.UseOwnPolicy(http, "sandbox; default-src 'none'");
        return Results.File(file.Content, "application/octet-stream", Portal.Data.Applications.ApplicationFiles.SafeName(file.FileName)); // names stored before they were cleaned too
    }

    private static async Task<Results<Created<ApplicationCreated>, Ok<ApplicationCreated>, ProblemHttpResult>> Submit(
        HttpContext http, ApplicationDesk desk, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-cache, no-store";
        ApplicationBody? body;
        try { body = await JsonSerializer.DeserializeAsync<ApplicationBody>(http.Request.Body, json.Value.SerializerOptions, ct); }
        catch (JsonException ex) { return Problem(400, "invalid_json", $"请求体应为 JSON 对象（{ex.Path}）。"); }
        if (body is null) return Problem(400, "invalid_json", "请求体应为 JSON 对象。");
        var request = new ApplicationRequest(ApplicationLabels.KindOf(body.Kind), body.CaseNumber, body.IdNumber, body.CreditCode, body.Grounds ?? [], body.Text, body.Contact)
        {
            SubmissionKey = http.Request.Headers["Idempotency-Key"].FirstOrDefault(),
        };
        var (receipt, problem) = await desk.SubmitAsync(request, http.Connection.RemoteIpAddress, ct);
        if (problem is not null) return Problem(problem);
        var created = new ApplicationCreated(receipt!.TrackingCode, receipt.Application.DueBy, receipt.Application.DueProvisional, receipt.Application.Status, receipt.Application);
        return receipt.Replayed ? TypedResults.Ok(created) : TypedResults.Created($"/api/v1/applications/{receipt.TrackingCode}", created);
    }

    private static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Track(HttpContext http, ApplicationDesk desk, string trackingCode, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-cache, no-store";
        return await desk.TrackAsync(trackingCode, ct) is { } found
            ? TypedResults.Ok(found.View)
            : Problem(404, "application_not_found", "没有这个跟踪码的申请，请核对跟踪码（16位字母和数字）。");
    }

    private static ProblemHttpResult Problem(ApplicationProblem p)
    {
        var result = Problem(p.Status, p.Code, p.Message);
        if (p.PeriodEnded is { } ended) result.ProblemDetails.Extensions["periodEnded"] = ended.ToString("yyyy-MM-dd");
        return result;
    }

    private static ProblemHttpResult Problem(int status, string code, string detail) =>
        Publication.EntriesApi.Problem(status, status switch { 404 => "未找到", 409 => "重复申请", 413 => "请求过大", 422 => "申请未受理", 429 => "请求过于频繁", _ => "请求无效" }, detail, code);
}
