using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Data.Measures;
using Portal.Web.Applications;
using Portal.Web.Clients;

namespace Portal.Web.Measures;

public sealed record MeasureKindView(string Code, string Name, string LegalBasis, IReadOnlyList<string> Subjects, DateOnly? RetiredOn);

public sealed record MeasuresRecorded(IReadOnlyList<MeasureView> Measures);

public sealed record ObjectionBody(string? Grounds);

public sealed record AcknowledgeBody(string? LiftedOn);

/// <summary>An objection forwarded: the suspended measure, and the correction it opened in the listing court's queue.</summary>
public sealed record ObjectionForwarded(MeasureView Measure, string TrackingCode, string Court, DateOnly DueBy, bool DueProvisional);

/// <summary>
/// Joint punishment by machine (issue #26): the catalogue (public), and for units with the <c>measures</c> scope their
/// measures, lift notices, objections and measure feed. Every handler acts on the calling unit's own records only.
/// </summary>
public static class MeasuresApi
{
    public const int MaxBatchBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapMeasuresApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/measures");

        api.MapGet("/catalogue", Catalogue)
            .WithTags("联合惩戒").WithName("GetMeasureCatalogue").WithSummary("惩戒措施目录（无需密钥）")
            .WithDescription("联合惩戒单位登记措施时使用的代码 code、名称、依据 legalBasis 和适用对象 subjects（debtor-person 自然人被执行人、debtor-organization 单位被执行人、" +
                             "legal-representative 法定代表人、principal 主要负责人、controller 实际控制人、responsible-person 影响债务履行的直接责任人员）。" +
                             "已停用的措施（retiredOn）不再接受新登记，仅在 all=true 时列出。");

        api.MapPost("", Record)
            .ForClients(ClientScopes.Measures)
            .Accepts<MeasureRequest>("application/json")
            .WithTags("联合惩戒").WithName("RecordMeasure").WithSummary("反馈已实施的惩戒措施")
            .WithDescription("publicId 为公开条目的标识，measure 为目录中的代码，appliedOn 为实施日期（北京时间，不晚于今天、不早于条目发布日），" +
                             "subject 为适用对象（默认被执行人本人），reference 为本单位的文号或编号（仅本单位可见，最多100字）。只有公开条目可以登记：" +
                             "已移出名单的条目返回 410 entry_removed 与移出日期 removedOn；其他错误 unknown_measure、measure_retired、invalid_date、date_in_future、" +
                             "date_before_listing、subject_not_applicable、already_recorded、entry_not_found。成功返回 201。");

        api.MapPost("/batch", RecordBatch)
            .ForClients(ClientScopes.Measures)
            .WithMetadata(new Hosting.BodyLimitAttribute(MaxBatchBytes))
            .Accepts<string>("text/csv")
            .WithTags("联合惩戒").WithName("RecordMeasureBatch").WithSummary("以 CSV 批量反馈惩戒措施")
            .WithDescription($"表头 publicId,measure,appliedOn,subject,reference（subject、reference 可空），每行一项，最多 {MeasureLedger.MaxBatch} 行，UTF-8 或 GB18030。" +
                             "全部成功才登记；任何一行有误则一项也不登记，返回 400 batch_rejected，errors 中逐行列出行号 line、代码 code 和原因 detail。");

        api.MapGet("", List)
            .ForClients(ClientScopes.Measures)
            .WithTags("联合惩戒").WithName("ListMeasures").WithSummary("本单位登记的惩戒措施")
            .WithDescription("status 可为 active、suspended、lifting、lifted、withdrawn，不填为全部。只列出本单位的措施。");

        api.MapDelete("/{id:long}", Withdraw)
            .ForClients(ClientScopes.Measures)
            .WithTags("联合惩戒").WithName("WithdrawMeasure").WithSummary("撤回本单位登记的措施")
            .WithDescription("只能撤回实施中或异议核实中的措施；已发出解除通知的措施请确认解除。其他单位的措施与不存在的措施回答相同（404 measure_not_found）。");

        api.MapPost("/{id:long}/objection", Object)
            .ForClients(ClientScopes.Measures)
            .Accepts<ObjectionBody>("application/json")
            .WithTags("联合惩戒").WithName("ForwardObjection").WithSummary("转交被执行人对措施的异议")
            .WithDescription("被执行人对本单位的措施提出异议时，单位告知其向执行法院申请纠正，并以 grounds 写明异议的事实和理由。措施随即暂停执行（suspended），" +
                             "执行法院的纠正申请队列中出现一件注明由本单位转交的申请，按法定审查期限处理；返回跟踪码 trackingCode（可交被执行人在门户查询进度）。" +
                             "法院的结论通过本单位的措施推送（GET /api/v1/measures/events 与 webhook）告知：驳回 → resumed（恢复执行）；纠正或撤销 → lift（解除通知）。");

        api.MapGet("/lifts", Lifts)
            .ForClients(ClientScopes.Measures)
            .WithTags("联合惩戒").WithName("ListMeasureLifts").WithSummary("本单位的惩戒措施解除通知")
            .WithDescription("status=open（默认，尚未确认）或 all。条目被屏蔽、撤销、届满或依法不宜公开（或异议成立）时，本单位在该条目上实施中的每项措施都收到一份解除通知，" +
                             "期限 dueOn 为其后第 N 个工作日（按国家法定节假日安排，默认3个）；status 为 open、lifted（按期）、late（逾期解除）、overdue（逾期未解除）。");

        api.MapPost("/lifts/{id:long}/ack", Acknowledge)
            .ForClients(ClientScopes.Measures)
            .Accepts<AcknowledgeBody>("application/json")
            .WithTags("联合惩戒").WithName("AcknowledgeMeasureLift").WithSummary("确认已解除措施")
            .WithDescription("liftedOn 为实际解除日期（不晚于今天、不早于解除事由发生之日）。每份通知只能确认一次，重复确认返回 409 already_acknowledged 且不改变任何记录。");

        api.MapGet("/events", Events)
            .ForClients(ClientScopes.Measures)
            .WithTags("联合惩戒").WithName("GetMeasureEvents").WithSummary("本单位的措施推送")
            .WithDescription("after 为上次响应的 next（首次为 0），limit 为 1–1000。type=lift：解除通知（lift 中有期限）；type=resumed：异议经法院驳回，措施恢复执行。" +
                             "登记了推送地址的单位同时以签名 webhook 收到每个事件（X-Portal-Event 为 measure.lift 或 measure.resumed，X-Portal-Event-Id 为 measure-{id}）。");
        return app;
    }

    private static ProblemHttpResult Problem(MeasureProblem p)
    {
        var result = Publication.EntriesApi.Problem(p.Status, Title(p.Status), p.Message, p.Code, p.Field);
        if (p.RemovedOn is { } removed) result.ProblemDetails.Extensions["removedOn"] = removed.ToString("yyyy-MM-dd");
        return result;
    }

    private static string Title(int status) => status switch
    {
        404 => "未找到", 409 => "与现有记录冲突", 410 => "条目已移出名单", _ => "请求无效",
    };

    private static (long Id, string Name) Unit(HttpContext http) => (ApiKeyAuthentication.ClientId(http.User), http.User.Identity!.Name!);

    private static async Task<Ok<IReadOnlyList<MeasureKindView>>> Catalogue(MeasureKinds kinds, [FromQuery] bool? all, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<MeasureKindView>>((await kinds.ListAsync(all == true, ct))
            .Select(k => new MeasureKindView(k.Code, k.Name, k.LegalBasis, k.SubjectList, k.RetiredOn)).ToList());

    private static async Task<Results<Created<MeasureView>, ProblemHttpResult>> Record(
        HttpContext http, MeasureLedger ledger, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        MeasureRequest? body;
        try { body = await JsonSerializer.DeserializeAsync<MeasureRequest>(http.Request.Body, json.Value.SerializerOptions, ct); }
        catch (JsonException ex) { return Problem(new MeasureProblem(400, "invalid_json", $"请求体应为 JSON 对象：{{\"publicId\":…,\"measure\":…,\"appliedOn\":…}}（{ex.Path}）")); }
        if (body is null) return Problem(new MeasureProblem(400, "invalid_json", "请求体应为 JSON 对象"));
        var (id, name) = Unit(http);
        var (recorded, problems) = await ledger.RecordAsync(id, name, [body], ct);
        return problems.Count > 0 ? Problem(problems[0]) : TypedResults.Created($"/api/v1/measures/{recorded[0].Id}", recorded[0]);
    }

    private static async Task<Results<Created<MeasuresRecorded>, ProblemHttpResult>> RecordBatch(HttpContext http, MeasureLedger ledger, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        var lines = VerifyBatchFile.Decode(buffer.ToArray()).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var header = VerifyBatchFile.Fields(lines.FirstOrDefault() ?? "").Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name.ToLowerInvariant());
        var (publicId, measure, appliedOn, subject, reference) = (Column("publicId"), Column("measure"), Column("appliedOn"), Column("subject"), Column("reference"));
        if (publicId < 0 || measure < 0 || appliedOn < 0)
            return Problem(new MeasureProblem(400, "invalid_csv", "第一行应为表头 publicId,measure,appliedOn,subject,reference（subject、reference 可省略）"));
        var requests = new List<MeasureRequest>();
        var lineOf = new List<int>();
        for (var i = 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var f = VerifyBatchFile.Fields(lines[i]);
            string? At(int c) => c >= 0 && c < f.Count && f[c].Trim() is { Length: > 0 } v ? v : null;
            requests.Add(new MeasureRequest(At(publicId), At(measure), At(appliedOn), At(subject), At(reference)));
            lineOf.Add(i + 1);
        }
        var (id, name) = Unit(http);
        var (recorded, problems) = await ledger.RecordAsync(id, name, requests, ct);
        if (problems.Count == 0) return TypedResults.Created("/api/v1/measures", new MeasuresRecorded(recorded));
        if (problems is [{ Line: null } only]) return Problem(only); // about the batch as a whole
        var result = Publication.EntriesApi.Problem(400, "批量登记未执行", $"{problems.Count} 行有误，本批一项也未登记；请更正后重新提交全部行", "batch_rejected");
        result.ProblemDetails.Extensions["errors"] = problems.Select(p => new { line = lineOf[p.Line!.Value - 1], code = p.Code, detail = p.Message }).ToList();
        return result;
    }

    private static async Task<Results<Ok<IReadOnlyList<MeasureView>>, ProblemHttpResult>> List(HttpContext http, MeasureLedger ledger, [FromQuery] string? status, CancellationToken ct)
    {
        MeasureStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<MeasureStatus>(status, ignoreCase: true, out var s) || int.TryParse(status, out _))
                return Problem(new MeasureProblem(400, "invalid_status", "status 应为 active、suspended、lifting、lifted 或 withdrawn", "status"));
            filter = s;
        }
        return TypedResults.Ok(await ledger.ListAsync(Unit(http).Id, filter, ct));
    }

    private static async Task<Results<Ok<MeasureView>, ProblemHttpResult>> Withdraw(HttpContext http, MeasureLedger ledger, long id, CancellationToken ct)
    {
        var (client, name) = Unit(http);
        var (view, problem) = await ledger.WithdrawAsync(client, name, id, ct);
        return problem is null ? TypedResults.Ok(view!) : Problem(problem);
    }

    private static async Task<Results<Created<ObjectionForwarded>, ProblemHttpResult>> Object(
        HttpContext http, ApplicationDesk desk, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, long id, CancellationToken ct)
    {
        ObjectionBody? body;
        try { body = await JsonSerializer.DeserializeAsync<ObjectionBody>(http.Request.Body, json.Value.SerializerOptions, ct); }
        catch (JsonException) { return Problem(new MeasureProblem(400, "invalid_json", "请求体应为 JSON 对象：{\"grounds\":\"…\"}")); }
        var (client, name) = Unit(http);
        var (forwarded, problem) = await desk.ForwardObjectionAsync(client, name, id, body?.Grounds, ct);
        return problem is null ? TypedResults.Created($"/api/v1/applications/{forwarded!.TrackingCode}", forwarded) : Problem(problem);
    }

    private static async Task<Results<Ok<IReadOnlyList<LiftView>>, ProblemHttpResult>> Lifts(HttpContext http, MeasureLedger ledger, [FromQuery] string? status, CancellationToken ct)
    {
        if (status is not (null or "open" or "all")) return Problem(new MeasureProblem(400, "invalid_status", "status 应为 open 或 all", "status"));
        return TypedResults.Ok(await ledger.LiftsAsync(Unit(http).Id, status != "all", ct));
    }

    private static async Task<Results<Ok<LiftView>, ProblemHttpResult>> Acknowledge(
        HttpContext http, MeasureLedger ledger, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, long id, CancellationToken ct)
    {
        AcknowledgeBody? body;
        try { body = await JsonSerializer.DeserializeAsync<AcknowledgeBody>(http.Request.Body, json.Value.SerializerOptions, ct); }
        catch (JsonException) { return Problem(new MeasureProblem(400, "invalid_json", "请求体应为 JSON 对象：{\"liftedOn\":\"2026-11-23\"}")); }
        var (client, name) = Unit(http);
        var (view, problem) = await ledger.AcknowledgeAsync(client, name, id, body?.LiftedOn, ct);
        return problem is null ? TypedResults.Ok(view!) : Problem(problem);
    }

    private static async Task<Results<Ok<MeasureFeedPage>, ProblemHttpResult>> Events(HttpContext http, MeasureLedger ledger, [FromQuery] long? after, [FromQuery] int? limit, CancellationToken ct)
    {
        if (after is < 0) return Problem(new MeasureProblem(400, "invalid_cursor", "after 应为不小于 0 的整数（上次响应中的 next）", "after"));
        if (limit is < 1 or > 1000) return Problem(new MeasureProblem(400, "invalid_limit", "limit 应在 1 到 1000 之间", "limit"));
        return TypedResults.Ok(await ledger.FeedAsync(Unit(http).Id, after ?? 0, limit ?? 100, ct));
    }
}
