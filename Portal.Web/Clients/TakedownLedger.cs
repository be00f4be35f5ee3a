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
    /// <summary>A display operator's deadline to the minute; absent for a working-day deadline.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? DueAt { get; init; }

    public static TakedownView Of(TakedownNotice n, DateTime nowUtc) => new(n.Id, n.PublicId, n.CaseNumber, n.Court, n.Action.Code(),
        n.RemovedAt, n.DueOn, n.DueProvisional, n.AcknowledgedAt, n.StatusAt(nowUtc)) { DueAt = n.DueAt };
}

/// <summary>
/// One reprinter's (or display operator's) standing: notices by status, and what the page re-check found.
/// <see cref="DeadlineMinutes"/> is set for a display operator, whose deadline runs in minutes.
/// </summary>
public sealed record ReprinterCompliance(long ClientId, string Name, int Open, int OnTime, int Late, int Overdue, int StillShown)
{
    public int Total => Open + OnTime + Late + Overdue;

    public ClientKind Kind { get; init; } = ClientKind.Reprinter;
    public int? DeadlineMinutes { get; init; }
}

/// <summary>
/// Who received which entry, and the takedown notices that follow when it is removed: the one place for the
/// reprinters' 3-working-day duty.
/// </summary>
public sealed class TakedownLedger(IDbContextFactory<PortalDbContext> dbFactory, WorkingDayCalendar calendar, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Screens.DisplayOptions> display)
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
        var holders = new List<(long EntryId, long ClientId, ClientKind Kind)>();
        foreach (var chunk in entryIds.Chunk(500))
            holders.AddRange((await db.ClientReceipts.AsNoTracking().Where(r => chunk.Contains(r.EntryId))
                .Join(db.ApiClients, r => r.ClientId, c => c.Id, (r, c) => new { r.EntryId, r.ClientId, c.Kind })
                .ToListAsync(ct)).Select(r => (r.EntryId, r.ClientId, r.Kind)));
        foreach (var removal in removals)
            foreach (var (_, clientId, kind) in holders.Where(h => h.EntryId == removal.EntryId))
                db.TakedownNotices.Add(NoticeFor(removal, clientId, kind));
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
        var kind = await db.ApiClients.AsNoTracking().Where(c => c.Id == clientId).Select(c => c.Kind).SingleAsync(ct);
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
                if (removal is not null) db.TakedownNotices.Add(NoticeFor(removal, clientId, kind));
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private TakedownNotice NoticeFor(EntryEvent removal, long clientId, ClientKind kind)
    {
        var notice = new TakedownNotice
        {
            ClientId = clientId, EntryId = removal.EntryId, EventId = removal.Id, PublicId = removal.PublicId, CaseNumber = removal.CaseNumber,
            Court = removal.Court, Action = removal.Action, RemovedAt = removal.At,
        };
        if (kind.TakesDownInMinutes())
        {
            // A screen's deadline runs from the removal itself (or from now, for an entry received after it was removed).
            var dueAt = Max(removal.At, clock.GetUtcNow().UtcDateTime).AddMinutes(display.Value.TakedownMinutes);
            (notice.DueAt, notice.DueOn) = (dueAt, ChinaTime.DateOf(dueAt));
        }
        else
        {
            var due = DueFor(calendar, removal.At);
            (notice.DueOn, notice.DueProvisional) = (due.Due, due.Provisional);
        }
        return notice;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    public async Task<IReadOnlyList<TakedownView>> ListAsync(long clientId, bool openOnly, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.TakedownNotices.AsNoTracking().Where(n => n.ClientId == clientId);
        if (openOnly) query = query.Where(n => n.AcknowledgedAt == null);
        return (await query.OrderBy(n => n.Id).Take(10_000).ToListAsync(ct)).Select(n => TakedownView.Of(n, now)).ToList();
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
        return TakedownView.Of(notice, now);
    }

    /// <summary>Every client that keeps copies (reprinters, media, display operators), with its counts per status.</summary>
    public async Task<IReadOnlyList<ReprinterCompliance>> ComplianceAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var clients = await db.ApiClients.AsNoTracking()
            .Where(c => c.Kind == ClientKind.Reprinter || c.Kind == ClientKind.Media || c.Kind == ClientKind.Display)
            .Select(c => new { c.Id, c.Name, c.Kind }).ToListAsync(ct);
        var notices = await db.TakedownNotices.AsNoTracking()
            .Select(n => new TakedownNotice { ClientId = n.ClientId, DueOn = n.DueOn, DueAt = n.DueAt, AcknowledgedAt = n.AcknowledgedAt, StillShown = n.StillShown })
            .ToListAsync(ct);
        return clients.Select(c =>
        {
            var mine = notices.Where(n => n.ClientId == c.Id).ToList();
            int Count(TakedownStatus s) => mine.Count(n => n.StatusAt(now) == s);
            return new ReprinterCompliance(c.Id, c.Name, Count(TakedownStatus.Open), Count(TakedownStatus.Acknowledged),
                Count(TakedownStatus.Late), Count(TakedownStatus.Overdue), mine.Count(n => n.StillShown == true))
            {
                Kind = c.Kind, DeadlineMinutes = c.Kind.TakesDownInMinutes() ? display.Value.TakedownMinutes : null,
            };
        }).OrderByDescending(c => c.Overdue).ThenBy(c => c.Name).ToList();
    }
}
