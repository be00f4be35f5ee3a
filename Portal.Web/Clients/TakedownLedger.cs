using Microsoft.EntityFrameworkCore;
using Portal.Data.Calendar;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;

namespace Portal.Web.Clients;

/// <summary>A takedown notice as a reprinter and the API see it.</summary>
public sealed record TakedownView(
    long Id, string PublicId, string CaseNumber, string Court, string Action, DateTime RemovedAt,
    DateOnly DueOn, bool DueProvisional, DateTime? AcknowledgedAt, TakedownStatus Status)
{
    public static TakedownView Of(TakedownNotice n, DateOnly today) => new(n.Id, n.PublicId, n.CaseNumber, n.Court, n.Action.Code(),
        n.RemovedAt, n.DueOn, n.DueProvisional, n.AcknowledgedAt, n.StatusOn(today));
}

/// <summary>One reprinter's standing: notices by status, and what the page re-check found.</summary>
public sealed record ReprinterCompliance(long ClientId, string Name, int Open, int OnTime, int Late, int Overdue, int StillShown)
{
    public int Total => Open + OnTime + Late + Overdue;
}

/// <summary>
/// Who received which entry, and the takedown notices that follow when it is removed: the one place for the
/// reprinters' 3-working-day duty.
/// </summary>
public sealed class TakedownLedger(IDbContextFactory<PortalDbContext> dbFactory, WorkingDayCalendar calendar, TimeProvider clock)
{
    public static WorkingDayDeadline DueFor(WorkingDayCalendar calendar, DateTime removedAtUtc) =>
        calendar.AddWorkingDays(ChinaTime.DateOf(removedAtUtc), TakedownNotice.WorkingDays);

    /// <summary>
    /// Inside a removal's transaction, after its events are saved: a notice for every reprinter that received the entry.
    /// </summary>
    public async Task AddNoticesAsync(PortalDbContext db, IReadOnlyList<EntryEvent> events, CancellationToken ct)
    {
        var removals = events.Where(e => e.IsRemoval).ToList();
        if (removals.Count == 0) return;
        var entryIds = removals.Select(e => e.EntryId).Distinct().ToList();
        var holders = new List<(long EntryId, long ClientId)>();
        foreach (var chunk in entryIds.Chunk(500))
            holders.AddRange((await db.ClientReceipts.AsNoTracking().Where(r => chunk.Contains(r.EntryId))
                .Select(r => new { r.EntryId, r.ClientId }).ToListAsync(ct)).Select(r => (r.EntryId, r.ClientId)));
        foreach (var removal in removals)
            foreach (var (_, clientId) in holders.Where(h => h.EntryId == removal.EntryId))
                db.TakedownNotices.Add(NoticeFor(removal, clientId));
    }

    /// <summary>
    /// Records that a reprinter received these entries. An entry removed between reading and recording has had its
    /// removal pass this client by, so its notice is given here.
    /// </summary>
    public async Task RecordReceiptsAsync(long clientId, IReadOnlyCollection<long> entryIds, string via, CancellationToken ct = default)
    {
        if (entryIds.Count == 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        foreach (var chunk in entryIds.Chunk(500))
        {
            var known = (await db.ClientReceipts.Where(r => r.ClientId == clientId && chunk.Contains(r.EntryId)).Select(r => r.EntryId).ToListAsync(ct)).ToHashSet();
            var fresh = chunk.Where(id => !known.Contains(id)).ToList();
            db.ClientReceipts.AddRange(fresh.Select(id => new ClientReceipt { ClientId = clientId, EntryId = id, At = now, Via = via }));
            var gone = (await db.Entries.AsNoTracking().Where(e => fresh.Contains(e.Id)).ToListAsync(ct)).Where(e => !e.IsPublic(today)).Select(e => e.Id).ToList();
            foreach (var entryId in gone)
            {
                var removal = await db.EntryEvents.AsNoTracking().Where(e => e.EntryId == entryId && EntryEvent.RemovalActions.Contains(e.Action))
                    .OrderByDescending(e => e.Id).FirstOrDefaultAsync(ct);
                if (removal is not null) db.TakedownNotices.Add(NoticeFor(removal, clientId));
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private TakedownNotice NoticeFor(EntryEvent removal, long clientId)
    {
        var due = DueFor(calendar, removal.At);
        return new TakedownNotice
        {
            ClientId = clientId, EntryId = removal.EntryId, EventId = removal.Id, PublicId = removal.PublicId, CaseNumber = removal.CaseNumber,
            Court = removal.Court, Action = removal.Action, RemovedAt = removal.At, DueOn = due.Due, DueProvisional = due.Provisional,
        };
    }

    public async Task<IReadOnlyList<TakedownView>> ListAsync(long clientId, bool openOnly, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = ChinaTime.Today(clock);
        var query = db.TakedownNotices.AsNoTracking().Where(n => n.ClientId == clientId);
        if (openOnly) query = query.Where(n => n.AcknowledgedAt == null);
        return (await query.OrderBy(n => n.Id).Take(10_000).ToListAsync(ct)).Select(n => TakedownView.Of(n, today)).ToList();
    }

    /// <summary>A reprinter confirms it deleted the entry. Acknowledging twice keeps the first time.</summary>
    public async Task<TakedownView?> AcknowledgeAsync(long clientId, long noticeId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var notice = await db.TakedownNotices.SingleOrDefaultAsync(n => n.Id == noticeId && n.ClientId == clientId, ct);
        if (notice is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        notice.AcknowledgedAt ??= now;
        await db.SaveChangesAsync(ct);
        return TakedownView.Of(notice, ChinaTime.DateOf(now));
    }

    /// <summary>Every reprinter that has notices, with its counts per status.</summary>
    public async Task<IReadOnlyList<ReprinterCompliance>> ComplianceAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = ChinaTime.Today(clock);
        var names = await db.ApiClients.AsNoTracking().Where(c => c.Kind == ClientKind.Reprinter || c.Kind == ClientKind.Media).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        var notices = await db.TakedownNotices.AsNoTracking()
            .Select(n => new TakedownNotice { ClientId = n.ClientId, DueOn = n.DueOn, AcknowledgedAt = n.AcknowledgedAt, StillShown = n.StillShown })
            .ToListAsync(ct);
        return names.Select(c =>
        {
            var mine = notices.Where(n => n.ClientId == c.Key).ToList();
            int Count(TakedownStatus s) => mine.Count(n => n.StatusOn(today) == s);
            return new ReprinterCompliance(c.Key, c.Value, Count(TakedownStatus.Open), Count(TakedownStatus.Acknowledged),
                Count(TakedownStatus.Late), Count(TakedownStatus.Overdue), mine.Count(n => n.StillShown == true));
        }).OrderByDescending(c => c.Overdue).ThenBy(c => c.Name).ToList();
    }
}
