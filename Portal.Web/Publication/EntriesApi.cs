using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portal.Data.Publication;
using Portal.Web.Search;

namespace Portal.Web.Publication;

public sealed record EntryPage(long Total, int Page, int PageSize, IReadOnlyList<PublicEntry> Items);

/// <summary>The same query as GET /entries, in a body, so that an ID number never travels in a URL.</summary>
public sealed record EntrySearchBody(string? Q, string? Type, string? Province, int? Page, int? PageSize);

/// <summary>The public, anonymous JSON API over the list.</summary>
public static class EntriesApi
{
    public static IEndpointRouteBuilder MapEntriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("公开查询");

        api.MapGet("/entries", SearchEntries)
            .WithName("SearchEntries")
            .WithSummary("查询失信被执行人")
            .WithDescription("q 可为姓名、单位名称、身份证号码、统一社会信用代码或案号；q 为空时按发布时间倒序浏览。");

        api.MapPost("/entries/search", (EntrySearch search, EntrySearchBody body, CancellationToken ct) =>
                SearchEntries(search, body.Q, body.Type, body.Province, body.Page, body.PageSize, ct))
            .WithName("SearchEntriesByPost")
            .WithSummary("查询失信被执行人（请求体）")
            .WithDescription("与 GET /entries 相同，但查询内容在 JSON 请求体中：按身份证号码查询时请用此接口，号码不会出现在URL和日志中。");

        api.MapGet("/entries/{publicId}", GetEntry)
            .WithName("GetEntry")
            .WithSummary("按公开标识读取一个条目")
            .WithDescription("已屏蔽、撤销或届满的条目返回 410。");
        return app;
    }

    private static async Task<Results<Ok<EntryPage>, ProblemHttpResult>> SearchEntries(
        EntrySearch search,
        [FromQuery] string? q,
        [FromQuery] string? type,
        [FromQuery] string? province,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        CancellationToken ct)
    {
        var request = new EntrySearchRequest(q, type, province, page ?? 1, pageSize ?? 20);
        if (EntrySearch.Check(request) is { } error)
            return Problem(StatusCodes.Status400BadRequest, "查询参数无效", error.Message, error.Code, error.Field);
        var result = await search.SearchAsync(request, ct);
        return TypedResults.Ok(new EntryPage(result.Total, result.Page, result.PageSize, result.Items));
    }

    private static async Task<Results<Ok<PublicEntry>, ProblemHttpResult>> GetEntry(EntrySearch search, string publicId, CancellationToken ct)
    {
        var (entry, removed) = await search.FindAsync(publicId, ct);
        if (entry is not null) return TypedResults.Ok(entry);
        return removed
            ? Problem(StatusCodes.Status410Gone, "条目已移除", "该条目已依法屏蔽、撤销或届满，不再公开。", "entry_removed")
            : Problem(StatusCodes.Status404NotFound, "未找到条目", "没有这个公开标识的条目。", "entry_not_found");
    }

    internal static ProblemHttpResult Problem(int status, string title, string detail, string code, string? field = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (field is not null) extensions["field"] = field;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }
}
