using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;

namespace Portal.Web.BackOffice;

public sealed record DueItem(long Id, string CaseNumber, string Name, string Court, string Ground, DateOnly EventDate, DateOnly Due, int DaysLate);

public sealed record CourtRecord(string Court, int OnTime, int Total)
{
    public double Rate => Total == 0 ? 0 : (double)OnTime / Total;
}

public sealed record Board(IReadOnlyList<DueItem> Overdue, IReadOnlyList<DueItem> DueToday, IReadOnlyList<DueItem> Upcoming, IReadOnlyList<CourtRecord> Courts);

/// <summary>The 3-day removal rule as the courts see it: what is due, what is late, and who removes on time.</summary>
public sealed class DeadlineBoard(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <param name="view">The courts whose entries count (<see cref="StaffRoles.ViewOf"/>).</param>
    public async Task<Board> BuildAsync(Portal.Data.Courts.CourtView view, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = ChinaTime.Today(clock);
        var pendingQuery = view.Filter(db.Entries.AsNoTracking()).Where(e => e.Status == EntryStatus.Published && e.TriggerEventDate != null);
        var pending = (await pendingQuery.Select(e => new { e.Id, e.CaseNumber, e.Name, e.Court, e.RemovalGround, e.TriggerEventDate }).ToListAsync(ct))
            .Select(e =>
            {
                var due = Deadlines.RemovalDue(e.TriggerEventDate!.Value);
                return new DueItem(e.Id, e.CaseNumber, e.Name, e.Court, e.RemovalGround?.Label() ?? "", e.TriggerEventDate.Value, due, Deadlines.DaysLate(due, today));
            })
            .OrderBy(i => i.Due).ToList();

        var removed = await view.Filter(db.Entries.AsNoTracking())
            .Where(e => (e.Status == EntryStatus.Shielded || e.Status == EntryStatus.Revoked) && e.TriggerEventDate != null && e.RemovedAt != null)
            .Select(e => new { e.Court, e.TriggerEventDate, e.RemovedAt }).ToListAsync(ct);
        var courts = removed
            .GroupBy(e => e.Court)
            .Select(g => new CourtRecord(g.Key, g.Count(e => ChinaTime.DateOf(e.RemovedAt!.Value) <= Deadlines.RemovalDue(e.TriggerEventDate!.Value)), g.Count()))
            .OrderBy(c => c.Rate).ThenBy(c => c.Court, StringComparer.Ordinal).ToList();

        return new Board(
            pending.Where(i => i.Due < today).ToList(),
            pending.Where(i => i.Due == today).ToList(),
            pending.Where(i => i.Due > today).ToList(),
            courts);
    }
}
