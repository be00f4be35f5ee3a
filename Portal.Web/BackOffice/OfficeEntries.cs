using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;

namespace Portal.Web.BackOffice;

/// <summary>One line of the back office's entry list.</summary>
public sealed record EntryRow(long Id, string CaseNumber, string Name, string Court, EntryStatus Status, bool NonPublic,
    DateOnly FiledAt, DateOnly? TriggerEventDate, bool RiskNoticeRecorded, bool EmployerNotified, int Recipients);

/// <summary>What the list is narrowed to: text (case number or name), status, court, and the 3-day removal clock.</summary>
public sealed record EntryFilter(string? Text = null, EntryStatus? Status = null, string? Court = null, string? Due = null);

/// <summary>The back office's entry list, paged and sorted in the database (it holds the whole national list).</summary>
public sealed class OfficeEntries(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const string DuePending = "pending", DueOverdue = "overdue";

    /// <param name="view">The courts the person may see (<see cref="StaffRoles.ViewOf"/>): nothing else is counted or listed.</param>
    public async Task<(IReadOnlyList<EntryRow> Rows, int Total)> PageAsync(Portal.Data.Courts.CourtView view, EntryFilter filter, string? sortBy, bool descending, int page, int pageSize,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = view.Filter(db.Entries.AsNoTracking());
        if (!string.IsNullOrWhiteSpace(filter.Text))
        {
            var text = filter.Text.Trim();
            var key = CaseNumber.Key(text);
            query = query.Where(e => e.CaseNumberKey == key || e.Name.Contains(text));
        }
        if (filter.Status is { } status) query = query.Where(e => e.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Court)) query = query.Where(e => e.Court.Contains(filter.Court.Trim()));
        if (filter.Due is DuePending or DueOverdue) query = query.Where(e => e.Status == EntryStatus.Published && e.TriggerEventDate != null);
        if (filter.Due == DueOverdue)
        {
            var lastOnTimeEvent = ChinaTime.Today(clock).AddDays(-Deadlines.RemovalDays - 1);
            query = query.Where(e => e.TriggerEventDate <= lastOnTimeEvent);
        }
        var total = await query.CountAsync(ct);
        query = (sortBy, descending) switch
        {
            (nameof(EntryRow.CaseNumber), false) => query.OrderBy(e => e.CaseNumberKey),
            (nameof(EntryRow.CaseNumber), true) => query.OrderByDescending(e => e.CaseNumberKey),
            (nameof(EntryRow.FiledAt), false) => query.OrderBy(e => e.FiledAt).ThenBy(e => e.Id),
            (nameof(EntryRow.FiledAt), true) => query.OrderByDescending(e => e.FiledAt).ThenByDescending(e => e.Id),
            (nameof(EntryRow.TriggerEventDate), false) => query.OrderBy(e => e.TriggerEventDate).ThenBy(e => e.Id),
            (nameof(EntryRow.TriggerEventDate), true) => query.OrderByDescending(e => e.TriggerEventDate).ThenByDescending(e => e.Id),
            _ => query.OrderByDescending(e => e.Id),
        };
        var rows = await Rows(db, query.Skip(page * pageSize).Take(pageSize)).ToListAsync(ct);
        return (rows, total);
    }

    /// <summary>One entry as the list shows it (null when there is none).</summary>
    public async Task<EntryRow?> RowAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Rows(db, db.Entries.AsNoTracking().Where(e => e.Id == id)).SingleOrDefaultAsync(ct);
    }

    private static IQueryable<EntryRow> Rows(PortalDbContext db, IQueryable<Entry> entries) =>
        entries.Select(e => new EntryRow(e.Id, e.CaseNumber, e.Name, e.Court, e.Status, e.NonPublic, e.FiledAt, e.TriggerEventDate,
            e.RiskNoticeAt != null, e.EmployerNotifiedAt != null, db.ClientReceipts.Count(r => r.EntryId == e.Id)));

    /// <summary>The 3-day clock in words: "已逾期 3 天", "今日到期", "2 天后到期", or null when it does not run.</summary>
    public string? DueText(EntryRow row)
    {
        return row.Status == EntryStatus.Published && row.TriggerEventDate is { } eventDate
            ? Deadlines.RemovalStateText(eventDate, ChinaTime.Today(clock))
            : null;
    }
}
