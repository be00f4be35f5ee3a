using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Web.Publication;

namespace Portal.Web.Clients;

/// <summary>A receipt as anyone may check it: the stored figures and whether the portal's signature over them holds.</summary>
public sealed record ReceiptCheck(ReceiptView Receipt, bool SignatureValid);

/// <summary>The machine interface for registered clients (X-Api-Key): change feed, takedown notices, bank verification.</summary>
public static class ClientsApi
{
    /// <summary>10,000 subjects of a few dozen bytes each fit easily; anything far larger is a mistake.</summary>
    public const int MaxVerifyBodyBytes = 8 * 1024 * 1024;

    public static IEndpointRouteBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapGet("/changes", Changes)
            .ForClients(ClientScopes.Feed)
            .WithTags("变更推送").WithName("GetChanges").WithSummary("按提交顺序读取名单变更")
            .WithDescription("after 为上次响应的 next（首次为 0），limit 为 1–1000（默认 100）。published/updated/republished 事件带条目的公开字段" +
                             "（若条目已不再公开则为 null，其后必有移除事件）；shielded/revoked/expired/withdrawn 事件只带 publicId、案号、法院、时间" +
                             "和转载方删除期限 takedownDueOn。从 0 开始按 publicId 逐条新增/覆盖/删除，即得当前公开名单。");

        api.MapGet("/export", Export)
            .ForClients(ClientScopes.Feed)
            .Produces<Portal.Data.Publication.PublicEntry>(StatusCodes.Status200OK, "application/x-ndjson", "text/csv")
            .WithTags("变更推送").WithName("ExportList").WithSummary("导出当前公开名单（每行一个条目）")
            .WithDescription("format=jsonl（默认，application/x-ndjson，每行一个条目的公开字段）或 csv（带表头，UTF-8 带 BOM，表格软件可直接读中文）；" +
                             "可按 province、court、from、to（发布日期，北京时间，含当日）筛选。逐批流式输出。响应头 X-Feed-Cursor 为导出开始时的变更游标：" +
                             "此后从该游标读取 /changes 即可保持同步（导出中可能已含其后的变更，重放是幂等的）；Link 与 X-Reprint-Terms 为转载条款。" +
                             "转载方和媒体每次导出都记录收到的条目，条目移除时即收到删除通知（3个工作日内删除）。");

        api.MapGet("/takedowns", Takedowns)
            .ForClients(ClientScopes.Takedown)
            .WithTags("删除通知").WithName("ListTakedowns").WithSummary("本单位的删除通知")
            .WithDescription("status=open（默认，尚未确认）或 all。转载方须在移除后3个工作日内删除转载内容并确认。");

        api.MapPost("/takedowns/{id:long}/ack", Acknowledge)
            .ForClients(ClientScopes.Takedown)
            .WithTags("删除通知").WithName("AcknowledgeTakedown").WithSummary("确认已删除")
            .WithDescription("重复确认保留第一次的时间。只能确认发给本单位的通知。");

        api.MapPost("/verify", Verify)
            .ForClients(ClientScopes.Verify)
            .WithMetadata(new Hosting.BodyLimitAttribute(MaxVerifyBodyBytes))
            .Accepts<VerifyRequest>("application/json")
            .WithTags("批量核查").WithName("Verify").WithSummary("批量核查是否被列入失信名单")
            .WithDescription("最多 10000 个对象，每个对象提供 name 和 idNumber（自然人）或 creditCode（单位）之一。按身份证号码的密钥哈希或统一社会信用代码" +
                             "精确匹配公开条目；号码匹配而名称不同时返回 name_mismatch，不会当作匹配；号码无效的对象单独报告 invalid。响应附核查回执：" +
                             "requestDigest、resultDigest 是门户以自己的密钥对请求体的 SHA-256 和结果的 SHA-256（每个对象一行“序号\\t结果\\t公开标识(逗号分隔)\\n”）" +
                             "计算的 HMAC，回执由门户签名；旁人无法用回执推算号码。核查单位可用 POST /api/v1/verify/receipts/{id}/check 让门户比对。" +
                             "每个对象可附 related（最多 50 名）：[{role, name, idNumber?}]，role 为 legalRepresentative（法定代表人）、controller（实际控制人）、" +
                             "director（董事）、supervisor（监事）、manager（高级管理人员）。每人一个结果（results[].related[]）：listed（以本人身份列入，按身份证号码）、" +
                             "legal_representative（为已列入名单单位的法定代表人：exact 为 true 时按法院登记的身份证号码，false 时仅姓名相同，可能是同名者）、" +
                             "not_found、name_mismatch、invalid（unknown_role、related_name_required、invalid_id_number）、unverifiable。结果摘要中每名关联人员在其对象之后占一行" +
                             "“序号.人员序号\t结果\t公开标识\n”，回执覆盖每一个人。只有名称、没有号码的对象按名称筛查：possible_match 附 candidates" +
                             "（publicId、caseNumber、court、score 0–1、matchedOn 为 name 或 legalRepresentative、reasons：same_name、same_core、same_pinyin、same_sound、similar_characters），" +
                             "从高到低，只给分数不低于 threshold（默认 0.9，可在请求中设置）的；没有则为 no_match。仅凭名称不能确定是否同一人。");

        api.MapGet("/verify/closures", Closures)
            .ForClients(ClientScopes.Verify)
            .WithTags("批量核查").WithName("ListIdFamilyClosures").WithSummary("本单位被暂停精确核查的号段")
            .WithDescription("同一号段（脱敏号码显示相同的各身份证号码）多次以不同号码核查未命中时，门户暂停本单位对该号段的精确核查，以防推算他人完整号码；" +
                             "到期（reopensAt）自动恢复。返回每个号段的脱敏形式 masked、暂停时间 closedAt、恢复时间 reopensAt 和未命中次数 misses，最新的在前。");

        api.MapPost("/verify/receipts/{id}/check", CheckReceipt)
            .ForClients(ClientScopes.Verify)
            .Accepts<ReceiptDigestCheck>("application/json")
            .WithTags("批量核查").WithName("CheckVerificationReceipt").WithSummary("核对回执的摘要（仅限作出该次核查的单位）")
            .WithDescription("requestSha256 为当时发送的请求体的 SHA-256，resultSha256 为收到的结果（每个对象一行“序号\\t结果\\t公开标识(逗号分隔)\\n”）的 SHA-256，" +
                             "均为64位十六进制。门户以其密钥计算后与回执上的摘要比对，返回 requestMatches、resultMatches。只有作出该次核查的单位可以比对，" +
                             "其他单位和匿名请求得到与回执不存在相同的 404。");

        app.MapGet("/api/v1/verify/receipts/{id}", Receipt)
            .WithTags("批量核查").WithName("GetVerificationReceipt").WithSummary("查验核查回执（无需密钥）")
            .WithDescription("任何人可凭回执编号确认某次核查确实发生及其结果统计；回执不含姓名和身份证号码。");

        // The /verify/batch page's template, as a file to fill in (UTF-8 with a byte-order mark, so Excel reads the Chinese).
        app.MapGet("/verify/batch/template.csv", () => Results.File([.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(VerifyBatchFile.Template)],
                "text/csv; charset=utf-8", "核查名单模板.csv"))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Requires a key with <paramref name="scope"/>, and documents the answers when it is missing, wrong or over its limit.</summary>
    internal static RouteHandlerBuilder ForClients(this RouteHandlerBuilder endpoint, string scope) => endpoint
        .RequireAuthorization(ApiKeyAuthentication.PolicyFor(scope))
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<Results<Ok<FeedPage>, ProblemHttpResult>> Changes(
        HttpContext http, ChangeFeed feed, [FromQuery] long? after, [FromQuery] int? limit, CancellationToken ct)
    {
        if (after is < 0) return EntriesApi.Problem(400, "游标无效", "after 应为不小于 0 的整数（上次响应中的 next）。", "invalid_cursor", "after");
        if (limit is < 1 or > ChangeFeed.MaxLimit) return EntriesApi.Problem(400, "数量无效", $"limit 应在 1 到 {ChangeFeed.MaxLimit} 之间。", "invalid_limit", "limit");
        var kind = Enum.Parse<ClientKind>(http.User.FindFirst(ApiKeyAuthentication.KindClaim)!.Value, ignoreCase: true);
        return TypedResults.Ok(await feed.ReadForAsync(ApiKeyAuthentication.ClientId(http.User), kind, after ?? 0, limit ?? 100, "feed", ct));
    }

    /// <summary>
    /// Streams today's public list (or the part the filters keep) as JSON lines or CSV, batch by batch without holding the
    /// list in memory; for clients that keep copies (reprinters, media) the receipts are recorded as it goes out.
    /// </summary>
    private static async Task Export(HttpContext http, ChangeFeed feed, TakedownLedger ledger, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
        [FromQuery] string? format, [FromQuery] string? province, [FromQuery] string? court, [FromQuery] string? from, [FromQuery] string? to, CancellationToken ct)
    {
        static DateOnly? Day(string? s, out bool ok)
        {
            ok = string.IsNullOrEmpty(s) || DateOnly.TryParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);
            return string.IsNullOrEmpty(s) || !ok ? null : DateOnly.ParseExact(s, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }
        var (fromDay, toDay) = (Day(from, out var fromOk), Day(to, out var toOk));
        province = Portal.Data.Courts.CourtDirectory.ProvinceOf(province) ?? province; // 河南省 is 河南
        var problem = format is not (null or "" or "jsonl" or "csv") ? EntriesApi.Problem(400, "格式无效", "format 应为 jsonl（默认）或 csv。", "invalid_format", "format")
            : !string.IsNullOrEmpty(province) && !Portal.Data.Courts.CourtDirectory.IsProvince(province) ? EntriesApi.Problem(400, "省份无效", $"省份“{province}”无效，应为如“河南”的省级行政区名称。", "invalid_province", "province")
            : (court?.Length ?? 0) > 100 ? EntriesApi.Problem(400, "法院名称过长", "court 最多 100 个字符。", "invalid_court", "court")
            : !fromOk || !toOk ? EntriesApi.Problem(400, "日期无效", "from 和 to 应为如 2024-05-01 的日期（北京时间，含当日）。", "invalid_date", fromOk ? "to" : "from")
            : fromDay > toDay ? EntriesApi.Problem(400, "日期无效", "from 不应晚于 to。", "invalid_date", "from")
            : null;
        if (problem is not null) { await problem.ExecuteAsync(http); return; }

        var csv = format == "csv";
        var clientId = ApiKeyAuthentication.ClientId(http.User);
        var keepsCopies = ClientKinds.TryParse(http.User.FindFirst(ApiKeyAuthentication.KindClaim)?.Value, out var kind) && kind.KeepsCopies();
        http.Response.ContentType = csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        if (csv) http.Response.Headers.ContentDisposition = "attachment; filename=\"list.csv\"";
        http.Response.Headers["X-Feed-Cursor"] = (await feed.CursorAsync(ct)).ToString();
        // The reprint terms travel with every copy: delete within 3 working days of a removal notice.
        http.Response.Headers.Link = "</terms>; rel=\"terms-of-service\"";
        http.Response.Headers["X-Reprint-Terms"] = "delete-within-3-working-days-of-removal-notice; see /terms and /api/v1/notices";
        if (csv) await http.Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes("\uFEFF" + Newsroom.EntryCsv.Header + "\r\n"), ct);
        var filter = new ExportFilter(string.IsNullOrEmpty(province) ? null : province, string.IsNullOrEmpty(court) ? null : court.Trim(), fromDay, toDay);
        await foreach (var batch in feed.SnapshotAsync(filter, ct))
        {
            foreach (var (_, entry) in batch)
            {
                if (csv) await http.Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(Newsroom.EntryCsv.Line(entry) + "\r\n"), ct);
                else
                {
                    await JsonSerializer.SerializeAsync(http.Response.Body, entry, json.Value.SerializerOptions, ct);
                    await http.Response.Body.WriteAsync("\n"u8.ToArray(), ct);
                }
            }
            if (keepsCopies) await ledger.RecordReceiptsAsync(clientId, batch.Select(b => b.EntryId).ToList(), "export", ct);
            await http.Response.Body.FlushAsync(ct);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<TakedownView>>, ProblemHttpResult>> Takedowns(
        HttpContext http, TakedownLedger ledger, [FromQuery] string? status, CancellationToken ct)
    {
        if (status is not (null or "open" or "all")) return EntriesApi.Problem(400, "状态无效", "status 应为 open 或 all。", "invalid_status", "status");
        return TypedResults.Ok(await ledger.ListAsync(ApiKeyAuthentication.ClientId(http.User), status != "all", ct));
    }

    private static async Task<Results<Ok<TakedownView>, ProblemHttpResult>> Acknowledge(HttpContext http, TakedownLedger ledger, long id, CancellationToken ct) =>
        await ledger.AcknowledgeAsync(ApiKeyAuthentication.ClientId(http.User), id, ct) is { } view
            ? TypedResults.Ok(view)
            : EntriesApi.Problem(404, "未找到删除通知", "没有发给本单位的这个编号的删除通知。", "takedown_not_found");

    private static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(
        HttpContext http, Verification verification, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct); // at most MaxVerifyBodyBytes: the server stops reading beyond it
        var body = buffer.ToArray();
        VerifyRequest? request;
        try { request = JsonSerializer.Deserialize<VerifyRequest>(body, json.Value.SerializerOptions); }
        catch (JsonException ex)
        {
            return EntriesApi.Problem(400, "请求格式错误", $"请求体应为 JSON：{{\"subjects\":[{{\"name\":...,\"idNumber\":...}}]}}（{ex.Path}）。", "invalid_json");
        }
        if (request?.Subjects is not { Count: > 0 } subjects)
            return EntriesApi.Problem(400, "没有核查对象", "subjects 至少包含一个对象。", "no_subjects", "subjects");
        if (subjects.Count > Verification.MaxSubjects)
            return EntriesApi.Problem(400, "核查对象过多", $"每次最多核查 {Verification.MaxSubjects} 个对象，本次为 {subjects.Count} 个；请分批。", "too_many_subjects", "subjects");
        if (subjects.Any(s => s is null || s.Related?.Any(p => p is null) == true))
            return EntriesApi.Problem(400, "请求格式错误", "subjects 和 related 中不能有 null。", "invalid_json", "subjects");
        if (subjects.FirstOrDefault(s => s.Related?.Count > RelatedRoles.MaxPerSubject) is { } crowded)
            return EntriesApi.Problem(400, "关联人员过多", $"每个核查对象最多附 {RelatedRoles.MaxPerSubject} 名关联人员（第 {subjects.ToList().IndexOf(crowded) + 1} 个对象附了 {crowded.Related!.Count} 名）。",
                "too_many_related", "subjects");
        if (request.Threshold is { } t && !(t is > 0 and <= 1))
            return EntriesApi.Problem(400, "阈值无效", "threshold 应为大于 0、不大于 1 的数，如 0.9。", "invalid_threshold", "threshold");
        var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
        return TypedResults.Ok(await verification.VerifyAsync(ApiKeyAuthentication.ClientId(http.User), http.User.Identity!.Name!, subjects, body,
            id => $"{baseUrl}/verify/{id}", ct, request.Threshold ?? NameScreening.DefaultThreshold));
    }

    private static async Task<Ok<IReadOnlyList<Privacy.FamilyClosure>>> Closures(HttpContext http, Privacy.ExactIdGuard guard, CancellationToken ct) =>
        TypedResults.Ok(await guard.ClosuresAsync(ApiKeyAuthentication.ClientId(http.User), ct));

    private static async Task<Results<Ok<ReceiptDigestAnswer>, ProblemHttpResult>> CheckReceipt(
        HttpContext http, Verification verification, string id, ReceiptDigestCheck check, CancellationToken ct) =>
        await verification.CheckDigestsAsync(ApiKeyAuthentication.ClientId(http.User), id, check, ct) is { } answer
            ? TypedResults.Ok(answer)
            : EntriesApi.Problem(404, "未找到回执", "没有本单位作出的这个编号的核查回执。", "receipt_not_found");

    private static async Task<Results<Ok<ReceiptCheck>, ProblemHttpResult>> Receipt(HttpContext http, Verification verification, string id, CancellationToken ct) =>
        await verification.FindReceiptAsync(id, ct) is { } found
            ? TypedResults.Ok(new ReceiptCheck(Verification.View(found.Receipt, $"{http.Request.Scheme}://{http.Request.Host}/verify/{id}"), found.Genuine))
            : EntriesApi.Problem(404, "未找到回执", "没有这个编号的核查回执。", "receipt_not_found");
}
