using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;
using Portal.Web.Publication;

namespace Portal.Web.Removal;

/// <summary>A public removal notice: it names no one (case number, court, action, time).</summary>
public sealed record RemovalNotice(string CaseNumber, string Court, string Action, DateTime At, DateTime? RevokedAt);

public sealed record NoticePage(long Total, int Page, int PageSize, IReadOnlyList<RemovalNotice> Items);

/// <summary>The removal notices, newest first: for reprinters who must delete within 3 working days, and anyone.</summary>
public sealed class RemovalNotices(PortalDbContext db)
{
    public async Task<NoticePage> PageAsync(int page, int pageSize, CancellationToken ct = default)
    {
        var query = db.EntryEvents.AsNoTracking().Where(e => EntryEvent.RemovalActions.Contains(e.Action));
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
                RemovalNotices notices, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct) =>
            {
                var p = page ?? 1;
                var size = pageSize ?? 50;
                if (p < 1) return EntriesApi.Problem(400, "查询参数无效", "页码应为从1开始的整数", "invalid_page", "page");
                if (size is < 1 or > 500) return EntriesApi.Problem(400, "查询参数无效", "每页条数应在1到500之间", "invalid_page_size", "pageSize");
                return TypedResults.Ok(await notices.PageAsync(p, size, ct));
            })
            .WithTags("移除公告")
            .WithName("GetRemovalNotices")
            .WithSummary("移除公告：已屏蔽、撤销、届满或依法不宜公开而移除的条目")
            .WithDescription("只含案号、执行法院、动作和时间（撤销时另含撤销时间），不含任何个人信息。按时间倒序。");
        return app;
    }
}
