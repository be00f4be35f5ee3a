using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Web.Publication;

namespace Portal.Web.Clients;

/// <param name="Mode"><c>add</c> (default: a reference already watched is replaced) or <c>replace</c> (these become the whole book).</param>
public sealed record WatchRequest(IReadOnlyList<WatchSubjectInput?>? Subjects, string? Mode = null);

public sealed record WatchRemoved(int Removed);

/// <summary>
/// The watched book by machine (issue #25), for keys with the <c>watch</c> scope: register subjects (JSON or a CSV file of
/// up to a million lines), list and remove them, and read the alerts. Every handler acts on the calling client's own book.
/// </summary>
public static class WatchApi
{
    /// <summary>A million lines of reference, name and number are about 50 MB; twice that leaves room for long references and quoting.</summary>
    public const int MaxBookBytes = 128 * 1024 * 1024;

    /// <summary>
    /// What the /watch page takes (about 300,000 lines): its form is read before the key can be checked, so anyone may send
    /// this much; a larger book goes through the API, which reads nothing before the key is known.
    /// </summary>
    public const int MaxPageBytes = 16 * 1024 * 1024;

    private static readonly string[] ReferenceHeaders = ["reference", "客户编号", "编号", "客户号", "参考编号"];

    public static IEndpointRouteBuilder MapWatchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/watchlist").WithTags("名单监测");

        api.MapPost("", Register)
            .ForClients(ClientScopes.Watch)
            .Accepts<WatchRequest>("application/json")
            .WithName("RegisterWatchedSubjects").WithSummary("登记要监测的对象")
            .WithDescription($"subjects 每项为 reference（本单位的客户编号，最长 {WatchBook.MaxReferenceLength} 字，提醒中以它指明对象）、name，以及 idNumber 或 creditCode 之一；" +
                             $"每次最多 {WatchBook.MaxJsonSubjects} 项，更多请用 CSV（POST /api/v1/watchlist/batch）。mode=add（默认，同编号者替换）或 replace（以本次为全部名单）。" +
                             "号码只以密钥散列保存，不保存号码本身，也不会出现在任何页面和日志中。登记时即与公开名单比对：已在名单中的对象在监测推送中收到 already_listed。" +
                             "任何一项有误则整批不登记（400 book_rejected，errors 中逐项列出 line、code、detail）；超过每个客户的上限（默认 1,000,000）返回 422 book_over_limit。" +
                             "与已列入名单者可见号段相同的号码过多时，超出部分登记为 unverifiable（不比对），以防借此推算他人完整身份证号码。");

        api.MapPost("/batch", RegisterBatch)
            .ForClients(ClientScopes.Watch)
            .WithMetadata(new Hosting.BodyLimitAttribute(MaxBookBytes))
            .Accepts<string>("text/csv")
            .WithName("RegisterWatchedSubjectsCsv").WithSummary("以 CSV 上传监测名单")
            .WithDescription("表头 reference,name,idNumber,creditCode（也可用中文：客户编号,姓名或名称,身份证号码,统一社会信用代码），每行一个对象，UTF-8 或 GB18030，" +
                             $"最大 {MaxBookBytes / 1024 / 1024} MB。?mode=add（默认）或 replace。规则、回答和错误与 JSON 登记相同；行号 line 按文件计（表头为第 1 行）。");

        api.MapGet("", List)
            .ForClients(ClientScopes.Watch)
            .WithName("ListWatchedSubjects").WithSummary("本单位的监测名单")
            .WithDescription("after 为上次响应的 next（首次为 0），limit 为 1–1000（默认 100）。每项为客户编号、类型、规范化后的名称和是否 unverifiable；不含号码。");

        api.MapGet("/events", Events)
            .ForClients(ClientScopes.Watch)
            .WithName("GetWatchEvents").WithSummary("监测提醒")
            .WithDescription("after 为上次响应的 next（首次为 0），limit 为 1–1000。type：already_listed（登记时已在名单中）、listed（新列入或重新公开）、updated、" +
                             "shielded、revoked、expired、withdrawn。matchedOn：identifier（被执行人本人的号码）或 legalRepresentative（法院登记的某单位法定代表人号码）。" +
                             "nameMatches 为 false 时号码相符而姓名或名称不同，不给出条目（请核对客户身份后向执行法院查询）。登记了推送地址的客户同时以签名 webhook 收到每条提醒" +
                             "（X-Portal-Event 为 watch.{type}，X-Portal-Event-Id 为 watch-{id}）。");

        api.MapGet("/{*reference}", Find)
            .ForClients(ClientScopes.Watch)
            .WithName("GetWatchedSubject").WithSummary("查看一个监测对象");

        api.MapDelete("/{*reference}", Remove)
            .ForClients(ClientScopes.Watch)
            .WithName("RemoveWatchedSubject").WithSummary("移除一个监测对象")
            .WithDescription("按客户编号移除（编号中可含 /，按原样写在路径中，其他特殊字符按 URL 编码）；不存在时返回 404 watched_not_found。移除后不再收到它的提醒。");

        api.MapDelete("", Clear)
            .ForClients(ClientScopes.Watch)
            .WithName("ClearWatchedSubjects").WithSummary("清空本单位的监测名单");
        return app;
    }

    private static ProblemHttpResult Refused(WatchRefusal r)
    {
        var problem = EntriesApi.Problem(r.Status, r.Status == 422 ? "超过监测上限" : "监测名单有误", r.Message, r.Code);
        if (r.Lines.Count > 0) problem.ProblemDetails.Extensions["errors"] = r.Lines;
        return problem;
    }

    private static (long Id, string Name) Client(HttpContext http) => (ApiKeyAuthentication.ClientId(http.User), http.User.Identity!.Name!);

    private static ProblemHttpResult? BadMode(string? mode) => mode is null or "add" or "replace" ? null
        : EntriesApi.Problem(400, "方式无效", "mode 应为 add（默认，追加，同编号者替换）或 replace（以本次为全部名单）。", "invalid_mode", "mode");

    private static async Task<Results<Ok<WatchRegistered>, ProblemHttpResult>> Register(
        HttpContext http, WatchBook book, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        WatchRequest? request;
        try { request = await JsonSerializer.DeserializeAsync<WatchRequest>(http.Request.Body, json.Value.SerializerOptions, ct); }
        catch (JsonException ex) { return EntriesApi.Problem(400, "请求格式错误", $"请求体应为 JSON：{{\"subjects\":[{{\"reference\":…,\"name\":…,\"idNumber\":…}}]}}（{ex.Path}）。", "invalid_json"); }
        if (request?.Subjects is not { Count: > 0 } subjects) return EntriesApi.Problem(400, "没有监测对象", "subjects 至少包含一个对象。", "no_subjects", "subjects");
        if (subjects.Count > WatchBook.MaxJsonSubjects)
            return EntriesApi.Problem(400, "对象过多", $"JSON 每次最多登记 {WatchBook.MaxJsonSubjects} 个对象，本次为 {subjects.Count} 个；更多请用 CSV 上传（POST /api/v1/watchlist/batch）。", "too_many_subjects", "subjects");
        if (subjects.Any(s => s is null)) return EntriesApi.Problem(400, "请求格式错误", "subjects 中不能有 null。", "invalid_json", "subjects");
        if (BadMode(request.Mode) is { } bad) return bad;
        var (id, name) = Client(http);
        var (done, refused) = await book.RegisterAsync(id, name, subjects.Select((s, i) => (i + 1, s!)).ToList(), request.Mode == "replace", ct);
        return refused is not null ? Refused(refused) : TypedResults.Ok(done!);
    }

    private static async Task<Results<Ok<WatchRegistered>, ProblemHttpResult>> RegisterBatch(HttpContext http, WatchBook book, [FromQuery] string? mode, CancellationToken ct)
    {
        if (BadMode(mode) is { } bad) return bad;
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct); // at most MaxBookBytes: the server stops reading beyond it
        var (lines, error) = ReadCsv(buffer.GetBuffer().AsSpan(0, (int)buffer.Length).ToArray());
        if (error is not null) return EntriesApi.Problem(400, "文件格式错误", error, "invalid_csv");
        var (id, name) = Client(http);
        var (done, refused) = await book.RegisterAsync(id, name, lines, mode == "replace", ct);
        return refused is not null ? Refused(refused) : TypedResults.Ok(done!);
    }

    /// <summary>A book as CSV: a header naming the columns (English or Chinese), then one subject per line, numbered as in the file.</summary>
    public static (IReadOnlyList<(int Line, WatchSubjectInput Input)> Lines, string? Error) ReadCsv(byte[] file)
    {
        if (file.Length == 0) return ([], "文件是空的：第一行为表头 客户编号,姓名或名称,身份证号码,统一社会信用代码，其后每行一个对象");
        if (VerifyBatchFile.NotCsv(file) is { } workbook) return ([], workbook);
        var text = VerifyBatchFile.Decode(file);
        var lines = new List<(int, WatchSubjectInput)>();
        List<string>? header = null;
        int reference = -1, name = -1, id = -1, code = -1, number = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            number++;
            var line = raw.ToString();
            if (header is null)
            {
                header = VerifyBatchFile.Fields(line).Select(h => h.Trim().ToLowerInvariant()).ToList();
                (reference, name, id, code) = (header.FindIndex(ReferenceHeaders.Contains), header.FindIndex(VerifyBatchFile.NameHeaders.Contains),
                    header.FindIndex(VerifyBatchFile.IdHeaders.Contains), header.FindIndex(VerifyBatchFile.CodeHeaders.Contains));
                if (reference < 0 || name < 0 || (id < 0 && code < 0))
                    return ([], "第一行应为表头：客户编号,姓名或名称,身份证号码,统一社会信用代码（号码两列至少有一列；也可用英文表头 reference,name,idNumber,creditCode）。请下载模板对照");
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            var f = VerifyBatchFile.Fields(line);
            string? At(int column) => column >= 0 && column < f.Count && f[column].Trim() is { Length: > 0 } v ? v : null;
            lines.Add((number, new WatchSubjectInput(At(reference), At(name), At(id), At(code))));
        }
        return (lines, null);
    }

    private static async Task<Results<Ok<WatchListPage>, ProblemHttpResult>> List(HttpContext http, WatchBook book, [FromQuery] long? after, [FromQuery] int? limit, CancellationToken ct)
    {
        if (after is < 0) return EntriesApi.Problem(400, "游标无效", "after 应为不小于 0 的整数（上次响应中的 next）。", "invalid_cursor", "after");
        if (limit is < 1 or > 1000) return EntriesApi.Problem(400, "数量无效", "limit 应在 1 到 1000 之间。", "invalid_limit", "limit");
        return TypedResults.Ok(await book.ListAsync(Client(http).Id, after ?? 0, limit ?? 100, ct));
    }

    private static async Task<Results<Ok<WatchFeedPage>, ProblemHttpResult>> Events(HttpContext http, WatchBook book, [FromQuery] long? after, [FromQuery] int? limit, CancellationToken ct)
    {
        if (after is < 0) return EntriesApi.Problem(400, "游标无效", "after 应为不小于 0 的整数（上次响应中的 next）。", "invalid_cursor", "after");
        if (limit is < 1 or > 1000) return EntriesApi.Problem(400, "数量无效", "limit 应在 1 到 1000 之间。", "invalid_limit", "limit");
        return TypedResults.Ok(await book.FeedAsync(Client(http).Id, after ?? 0, limit ?? 100, ct));
    }

    private static ProblemHttpResult NotWatched() => EntriesApi.Problem(404, "未找到", "本单位的监测名单中没有这个客户编号。", "watched_not_found");

    private static async Task<Results<Ok<WatchedView>, ProblemHttpResult>> Find(HttpContext http, WatchBook book, string? reference, CancellationToken ct) =>
        !string.IsNullOrEmpty(reference) && await book.FindAsync(Client(http).Id, reference, ct) is { } found ? TypedResults.Ok(found) : NotWatched();

    private static async Task<Results<Ok<WatchRemoved>, ProblemHttpResult>> Remove(HttpContext http, WatchBook book, string? reference, CancellationToken ct)
    {
        var (id, name) = Client(http);
        return !string.IsNullOrEmpty(reference) && await book.RemoveAsync(id, name, reference, ct) is > 0 and var removed ? TypedResults.Ok(new WatchRemoved(removed)) : NotWatched();
    }

    private static async Task<Ok<WatchRemoved>> Clear(HttpContext http, WatchBook book, CancellationToken ct)
    {
        var (id, name) = Client(http);
        return TypedResults.Ok(new WatchRemoved(await book.RemoveAsync(id, name, null, ct)));
    }
}
