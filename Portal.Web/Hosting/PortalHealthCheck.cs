using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Data.Persistence;
using Portal.Search.Index;

namespace Portal.Web.Hosting;

/// <summary>
/// Healthy once data preparation finished and the database answers (the index is in memory). While the data is being
/// prepared the answer is Degraded with the stage in words (503, and no error in the log: nothing is wrong yet); a
/// database that does not answer is Unhealthy. Cheap: one connection check.
/// </summary>
public sealed class PortalHealthCheck(PortalReadiness readiness, IDbContextFactory<PortalDbContext> dbFactory, SearchIndex index) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!readiness.IsServing) return HealthCheckResult.Degraded(readiness.Stage);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy("数据库不可用");
            _ = index.Count();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("存储不可用", ex);
        }
    }
}
