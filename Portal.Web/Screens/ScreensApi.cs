using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portal.Data.Clients;
using Portal.Web.Clients;
using Portal.Web.Publication;

namespace Portal.Web.Screens;

/// <summary>A court's screen for an LED controller: what <c>/display/{courtCode}</c> shows, as JSON.</summary>
public sealed record ScreenAnswer(ScreenCourt Court, IReadOnlyList<ScreenItem> Items, int Page, int PageCount, int NextPage, int Total,
    int RefreshSeconds, DateTime AsOf)
{
    public static ScreenAnswer Of(CourtScreen s) => new(s.Court, s.Items, s.Page, s.PageCount, s.NextPage, s.Total, s.RefreshSeconds, s.AsOf);
}

public static class ScreensApi
{
    public static IEndpointRouteBuilder MapScreensApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("户外显示屏").MapGet("/display/{courtCode}", Show)
            .WithName("GetCourtScreen")
            .WithSummary("法院户外显示屏、查询机的一屏")
            .WithDescription("该法院及其下级法院当前公开的条目，按发布时间从新到旧，每屏 per 条（默认按配置，最多 20 条），page 超过最后一屏时从第一屏重新开始；" +
                             "下一屏为 nextPage。身份证号码只以脱敏形式出现。控制器应每 refreshSeconds 秒（不超过 60 秒）重新获取，不得缓存：" +
                             "已屏蔽、撤销、届满的条目从下一次获取起不再出现。无需密钥；户外显示屏运营方（display）带密钥获取时，所显示的条目被移除后会收到删除通知，" +
                             "须在规定的分钟数内撤下并确认（/api/v1/takedowns）。法院代字不在法院名录中时返回 404（court_not_found）。");
        return app;
    }

    private static async Task<Results<Ok<ScreenAnswer>, ProblemHttpResult>> Show(HttpContext http, CourtScreens screens, TakedownLedger ledger,
        string courtCode, [FromQuery] int? page, [FromQuery] int? per, CancellationToken ct)
    {
        if (await screens.ShowAsync(courtCode, page, per, ct) is not var (screen, entryIds))
            return EntriesApi.Problem(StatusCodes.Status404NotFound, "未找到法院", $"法院名录中没有代字为“{courtCode}”的法院，请核对法院代字（如 豫0311）。", "court_not_found", "courtCode");
        if (ClientKinds.TryParse(http.User.FindFirst(ApiKeyAuthentication.KindClaim)?.Value, out var kind) && kind.KeepsCopies())
            await ledger.RecordReceiptsAsync(ApiKeyAuthentication.ClientId(http.User), entryIds, "display", ct);
        return TypedResults.Ok(ScreenAnswer.Of(screen));
    }
}
