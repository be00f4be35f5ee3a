using Microsoft.AspNetCore.Http.HttpResults;

namespace Portal.Web.Newsroom;

/// <summary>The statistics as JSON, and each statistics table as a CSV download.</summary>
public static class NewsroomApi
{
    public static IEndpointRouteBuilder MapNewsroomApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/statistics", async (ListFigures figures, CancellationToken ct) => TypedResults.Ok(await figures.StatisticsAsync(ct)))
            .WithTags("统计").WithName("GetStatistics").WithSummary("名单统计")
            .WithDescription("每月发布与移除（屏蔽、撤销、届满、不宜公开分列，北京时间月份）；公开条目按省份、法院、失信情形、被执行人类型、履行情况的计数；" +
                             "各法院从屏蔽事由发生到屏蔽的天数（中位数、90%分位）及3日内屏蔽的比例；登记转载方按期删除的比例。只含数字，不含任何被执行人。" +
                             "asOf 为最近一次名单变更的时间；名单变更后的下一次请求即重新统计。");

        app.MapGet("/statistics/{name}.csv", async Task<Results<FileContentHttpResult, NotFound>> (string name, ListFigures figures, Measures.MeasureFigures measures,
                CancellationToken ct) =>
                (name.StartsWith("measures-", StringComparison.Ordinal) ? Measures.MeasureFigures.Tables(await measures.StatisticsAsync(ct))
                    : StatisticsTables.Of(await figures.StatisticsAsync(ct))).TryGetValue(name, out var table)
                    ? TypedResults.File(table.Csv(), "text/csv; charset=utf-8", $"{name}.csv")
                    : TypedResults.NotFound())
            .ExcludeFromDescription();
        return app;
    }
}
