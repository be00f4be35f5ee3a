using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;
using Portal.Web.Publication;

namespace Portal.Web.Removal;

/// <summary>A public removal notice: it names no one (case number, court, action, time).</summary>
public sealed record RemovalNotice(string CaseNumber, string Court, string Action, DateTime At, DateTime? RevokedAt);

public sealed record NoticePage(long Total, int Page, int PageSize, IReadOnlyList<RemovalNotice> Items)
{
    public int PageCount => Total == 0 ? 0 : (int)Math.Ceiling(Total / (double)PageSize);
}

/// <summary>The removal notices, newest first: for reprinters who must delete within 3 working days, and anyone.</summary>
public sealed class RemovalNotices(PortalDbContext db)
{
    /// <param name="caseNumber">A whole case number in any bracket form, or a part of one (豫0311执).</param>
    /// <param name="court">A part of the court's name.</param>
    public async Task<NoticePage> PageAsync(int page, int pageSize, string? caseNumber = null, string? court = null, CancellationToken ct = default)
    {
        var query = db.EntryEvents.AsNoTracking().Where(e => EntryEvent.RemovalActions.Contains(e.Action));
        if (!string.IsNullOrWhiteSpace(caseNumber))
        {
            var text = caseNumber.Trim();
            query = Portal.Data.Entries.CaseNumber.TryParse(text, out var canonical, out _, out _)
                ? query.Where(e => e.CaseNumber == canonical)
                : query.Where(e => e.CaseNumber.Contains(text));
        }
        if (!string.IsNullOrWhiteSpace(court)) query = query.Where(e => e.Court.Contains(court.Trim()));
        var total = await query.LongCountAsync(ct);
        var items = await query.OrderByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new { e.CaseNumber, e.Court, e.Action, e.At, e.RevokedAt }).ToListAsync(ct);
        return new NoticePage(total, page, pageSize, items.Select(e => new RemovalNotice(e.CaseNumber, e.Court, e.Action.Code(), e.At, e.RevokedAt)).ToList());
    }
}

public static class NoticesApi
{
    public static IEndpointRouteBuilder MapNoticesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/notices", async Task<Results<Ok<NoticePage>, ProblemHttpResult>> (
                RemovalNotices notices, [FromQuery] int? page, [FromQuery] int? pageSize, [FromQuery] string? caseNumber, [FromQuery] string? court,
                CancellationToken ct) =>
            {
                var p = page ?? 1;
                var size = pageSize ?? 50;
                if (p < 1) return EntriesApi.Problem(400, "查询参数无效", "页码应为从1开始的整数", "invalid_page", "page");
                if (size is < 1 or > 500) return EntriesApi.Problem(400, "查询参数无效", "每页条数应在1到500之间", "invalid_page_size", "pageSize");
                if ((caseNumber?.Length ?? 0) > 100 || (court?.Length ?? 0) > 100)
                    return EntriesApi.Problem(400, "查询参数无效", "案号或法院名称过长", "query_too_long", caseNumber?.Length > 100 ? "caseNumber" : "court");
                return TypedResults.Ok(await notices.PageAsync(p, size, caseNumber, court, ct));
            })
            .WithTags("移除公告")
            .WithName("GetRemovalNotices")
            .WithSummary("移除公告：已屏蔽、撤销、届满或依法不宜公开而移除的条目")
            .WithDescription("只含案号、执行法院、动作和时间（撤销时另含撤销时间），不含任何个人信息。按时间倒序。" +
                "caseNumber 可为完整案号（任何括号形式）或其一部分，court 为法院名称的一部分。");
        return app;
    }
}
