using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portal.Data.Publication;
using Portal.Web.Search;

namespace Portal.Web.Publication;

/// <summary>
/// A page of results. <see cref="Hits"/> says, item by item, how it matched (and where in the name, for highlighting);
/// <see cref="Facets"/> counts all matches by subject type, province, court, publish year and circumstance.
/// </summary>
public sealed record EntryPage(long Total, int Page, int PageSize, IReadOnlyList<PublicEntry> Items)
{
    /// <summary>How the query was understood, when it matters: an ID number asked without a key is answered by its visible digits.</summary>
    public string? Notice { get; init; }

    public IReadOnlyList<ItemMatch> Hits { get; init; } = [];

    /// <summary>The places the query named, each with its browse page: a query that is nothing but a place name matches no name (total 0); a city without its suffix (洛阳) matches names as well.</summary>
    public IReadOnlyList<PlaceLink>? Places { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<Portal.Search.Index.FacetCount>> Facets { get; init; } = Portal.Search.Index.SearchResult.NoFacets;

    /// <summary>On the first page of a name query, organizations whose legal representative bears the name (their own group, not in the total).</summary>
    public RepresentativeGroup? Representatives { get; init; }
}

/// <summary>A place a query named, and the page that lists its courts' entries.</summary>
public sealed record PlaceLink(string Name, string Province, string? City, string? Court, string Browse);

/// <summary>The same query as GET /entries, in a body, so that an ID number never travels in a URL.</summary>
public sealed record EntrySearchBody(string? Q, string? Type, string? Province, int? Page, int? PageSize,
    string? Court = null, int? Year = null, string? Circumstance = null, string? Text = null);

public sealed record SuggestionList(IReadOnlyList<Portal.Search.Index.Suggestion> Suggestions);

/// <summary>The public, anonymous JSON API over the list.</summary>
public static class EntriesApi
{
    public static IEndpointRouteBuilder MapEntriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("公开查询");

        api.MapGet("/entries", SearchEntries)
            .WithName("SearchEntries")
            .WithSummary("查询失信被执行人")
            .WithDescription("q 可为姓名（汉字、繁体或拼音，如 zhangsan、zs、张san）、单位名称或其中有区分度的部分、身份证号码、统一社会信用代码或案号；" +
                             "姓名后可附屏幕上显示的脱敏身份证号码（如“张三 4127021984****1512”）以缩小范围。q 为空时按发布时间倒序浏览。" +
                             "排序：号码完全相符 > 姓名完全相符 > 包含 > 部分相符 > 拼音/读音相近，同级按发布时间从新到旧。" +
                             "hits 逐条说明匹配方式（match）、是否仅读音相近（approximate）及姓名中匹配的位置（highlights）；facets 为全部结果按类型、省份、法院、发布年份、失信情形的计数，" +
                             "可用 court、year、circumstance 参数筛选。text 为义务内容（生效法律文书确定的义务、作出执行依据单位、失信情形）中的词语，" +
                             "按中文分词（SmartCn）查找同时含有全部词语的条目（如 text=借款 利息），不能与 q 同用；hits 的 match 为 full_text，" +
                             "obligationHighlights 为义务内容中词语的位置。hits 的 matchedOn 说明匹配的是条目的名称（name）、号码（identifier）还是义务内容（text）。" +
                             "按姓名查询时，第一页另有 representatives：法定代表人或负责人与该姓名相符的单位被执行人（total、items、hits，matchedOn 为 legalRepresentative，" +
                             "highlights 为法定代表人姓名中的位置），单独成组，不计入 total，也不与被执行人本人的结果混排；type=person 时没有此组。");

        api.MapGet("/suggest", async (EntrySearch search, [FromQuery] string? q, CancellationToken ct) => TypedResults.Ok(new SuggestionList(await search.SuggestAsync(q, ct))))
            .WithName("Suggest")
            .WithSummary("姓名补全")
            .WithDescription("最多 10 个以输入内容（汉字或拼音）开头的公开条目名称，完全相符的在前，其余按发布时间从新到旧。看似号码的输入不补全。");

        api.MapPost("/entries/search", (HttpContext http, EntrySearch search, EntrySearchBody body, CancellationToken ct) =>
                SearchEntries(http, search, body.Q, body.Type, body.Province, body.Page, body.PageSize, body.Court, body.Year, body.Circumstance, body.Text, ct))
            .WithName("SearchEntriesByPost")
            .WithSummary("查询失信被执行人（请求体）")
            .WithDescription("与 GET /entries 相同，但查询内容在 JSON 请求体中：按身份证号码查询时请用此接口，号码不会出现在URL和日志中。");

        api.MapGet("/entries/{publicId}", GetEntry)
            .WithName("GetEntry")
            .WithSummary("按公开标识读取一个条目")
            .WithDescription("已屏蔽、撤销或届满的条目返回 410。");

        api.MapGet("/entries/{publicId}/related", GetRelated)
            .WithName("GetRelatedEntries")
            .WithSummary("同一被执行人的其他公开条目")
            .WithDescription("按身份证号码（以密钥散列比对，号码本身不出现）或统一社会信用代码相同认定为同一被执行人，不按姓名（同名者是不同的人）。" +
                             "只含今日仍公开的条目，按发布时间从新到旧，最多 200 条；firstListedOn 为其中最早的发布日期。该条目已移除时返回 410。");
        return app;
    }

    private static async Task<Results<Ok<EntryPage>, ProblemHttpResult>> SearchEntries(
        HttpContext http,
        EntrySearch search,
        [FromQuery] string? q,
        [FromQuery] string? type,
        [FromQuery] string? province,
        [FromQuery] int? page,
        [FromQuery] int? pageSize,
        [FromQuery] string? court,
        [FromQuery] int? year,
        [FromQuery] string? circumstance,
        [FromQuery] string? text,
        CancellationToken ct)
    {
        var request = new EntrySearchRequest(q, type, province, page ?? 1, pageSize ?? 20, court, year, circumstance) { Text = text };
        if (EntrySearch.Check(request) is { } error)
            return Problem(StatusCodes.Status400BadRequest, "查询参数无效", error.Message, error.Code, error.Field);
        var result = await search.SearchAsync(request, Privacy.IdLookupCaller.Of(http.User), ct);
        if (result.IdLookupClosed)
            return Problem(StatusCodes.Status403Forbidden, "暂停精确查询", result.Notice!, "id_lookup_closed", "q");
        return TypedResults.Ok(new EntryPage(result.Total, result.Page, result.PageSize, result.Items) {
            Hits = result.Matches, Facets = result.Facets, Notice = result.Notice, Representatives = result.Representatives,
            Places = result.Places.Count > 0 ? result.Places.Select(p => new PlaceLink(p.Label, p.Province, p.City, p.CourtCode, EntrySearch.BrowseLink(p))).ToList() : null,
        });
    }

    private static async Task<Results<Ok<PublicEntry>, ProblemHttpResult>> GetEntry(EntrySearch search, string publicId, CancellationToken ct)
    {
        var (entry, removed) = await search.FindAsync(publicId, ct);
        if (entry is not null) return TypedResults.Ok(entry);
        return removed
            ? Problem(StatusCodes.Status410Gone, "条目已移除", "该条目已依法屏蔽、撤销或届满，不再公开。", "entry_removed")
            : Problem(StatusCodes.Status404NotFound, "未找到条目", "没有这个公开标识的条目。", "entry_not_found");
    }

    private static async Task<Results<Ok<RelatedEntries>, ProblemHttpResult>> GetRelated(EntrySearch search, string publicId, CancellationToken ct)
    {
        if (await search.RelatedAsync(publicId, ct) is { } related) return TypedResults.Ok(related);
        var (_, removed) = await search.FindAsync(publicId, ct);
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
