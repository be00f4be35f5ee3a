using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;

namespace Portal.Web.Lifecycle;

/// <summary>Expires entries whose listing period is over, at start-up and then every few minutes.</summary>
public sealed class ExpiryService(
    IDbContextFactory<PortalDbContext> dbFactory,
    EntryActions actions,
    TimeProvider clock,
    ILogger<ExpiryService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public async Task<int> ExpireDueAsync(CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var due = await db.Entries.Where(e => e.Status == EntryStatus.Published && e.ListingEndsAt != null && e.ListingEndsAt < today)
            .Select(e => e.Id).ToListAsync(ct);
        var expired = 0;
        foreach (var id in due)
            if ((await actions.ApplyAsync(id, EntryActions.Expire(), "system", ct)).Outcome == ItemOutcome.Applied) expired++;
        if (expired > 0) logger.LogInformation("Expired {Count} entries whose listing period ended", expired);
        return expired;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try { await ExpireDueAsync(stoppingToken); }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Expiry run failed"); }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
