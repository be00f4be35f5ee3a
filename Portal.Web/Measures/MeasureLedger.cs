using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Audit;
using Portal.Data.Calendar;
using Portal.Data.Clients;
using Portal.Data.Courts;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Measures;
using Portal.Data.Persistence;

namespace Portal.Web.Measures;

/// <summary>The <c>Measures</c> configuration section.</summary>
public sealed class MeasureOptions
{
    public const string Section = "Measures";

    /// <summary>Working days (official calendar) a unit has to lift a measure after its entry's removal, from the next day.</summary>
    [Range(1, 30)] public int LiftWorkingDays { get; set; } = 3;
}

/// <summary>A measure as a unit reports it (the API's body, or one line of a CSV batch).</summary>
public sealed record MeasureRequest(string? PublicId, string? Measure, string? AppliedOn, string? Subject = null, string? Reference = null);

/// <summary>Why a request changed nothing: an HTTP status, a code for machines, a sentence for people.</summary>
public sealed record MeasureProblem(int Status, string Code, string Message, string? Field = null, DateOnly? RemovedOn = null, int? Line = null);

public sealed record MeasureView(long Id, string PublicId, string CaseNumber, string Court, string Measure, string MeasureName, string Subject,
    DateOnly AppliedOn, string? Reference, string Status, DateTime RecordedAt, long? ObjectionId);

public sealed record LiftView(long Id, long MeasureId, string PublicId, string CaseNumber, string Court, string Measure, string Cause, DateTime NoticeAt,
    DateOnly DueOn, bool DueProvisional, DateOnly? LiftedOn, DateTime? AcknowledgedAt, LiftStatus Status);

/// <summary>One event of a unit's measure feed, as the API and the webhook carry it.</summary>
public sealed record MeasureEventView(long Id, string Type, DateTime At, MeasureView Measure, LiftView? Lift, string? Note);

public sealed record MeasureFeedPage(IReadOnlyList<MeasureEventView> Events, long Next, bool HasMore);

/// <summary>Lifts by status for one unit or one court, in the office's compliance view.</summary>
public sealed record LiftCompliance(string Name, int Open, int OnTime, int Late, int Overdue)
{
    public int Total => Open + OnTime + Late + Overdue;
}

public sealed record OverdueLift(long Id, string Unit, string CaseNumber, string Court, string Measure, LiftCause Cause, DateOnly DueOn, int DaysLate);

public sealed record MeasureCompliance(IReadOnlyList<LiftCompliance> ByUnit, IReadOnlyList<LiftCompliance> ByCourt, IReadOnlyList<OverdueLift> Overdue);

/// <summary>
/// The joint-punishment loop (issue #26): the measures units report on listed entries, the lift notices their entries'
/// removals give (in the removal's transaction), suspension while an objection is verified and the outcome, and each
/// unit's measure feed. A unit sees and changes only its own measures: another unit's answers as one that does not exist.
/// </summary>
public sealed class MeasureLedger(IDbContextFactory<PortalDbContext> dbFactory, MeasureKinds kinds, WorkingDayCalendar calendar,
    IOptions<MeasureOptions> options, TimeProvider clock)
{
    public const int MaxBatch = 5000;
    public const int MaxReference = 100;

    /// <summary>The one rule for a lift's deadline: the configured working days after the day of the removal (or decision), China time.</summary>
    public WorkingDayDeadline DueFor(DateTime noticeAtUtc) => calendar.AddWorkingDays(ChinaTime.DateOf(noticeAtUtc), options.Value.LiftWorkingDays);

    private static MeasureProblem Problem(int status, string code, string message, string? field = null) => new(status, code, message, field);

    private static bool TryDate(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    // ---- Reporting ----

    /// <summary>
    /// Records measures for a unit, all or nothing: every request is checked first, and if any is refused nothing is
    /// stored and the refusals come back (with their line, for a batch). Only public entries take new measures.
    /// </summary>
    public async Task<(IReadOnlyList<MeasureView> Recorded, IReadOnlyList<MeasureProblem> Problems)> RecordAsync(
        long clientId, string unit, IReadOnlyList<MeasureRequest> requests, CancellationToken ct = default)
    {
        if (requests.Count == 0) return ([], [Problem(400, "no_measures", "没有要登记的惩戒措施")]);
        if (requests.Count > MaxBatch) return ([], [Problem(400, "too_many_measures", $"每次最多登记 {MaxBatch} 项措施，本次为 {requests.Count} 项；请分批")]);
        var catalogue = await kinds.AllAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct); // a removal cannot slip between the check and the write
        var publicIds = requests.Select(r => r.PublicId?.Trim() ?? "").Distinct().ToList();
        var entries = new Dictionary<string, Entry>();
        foreach (var chunk in publicIds.Chunk(500))
            foreach (var e in await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.PublicId)).ToListAsync(ct)) entries[e.PublicId] = e;
        var entryIds = entries.Values.Select(e => e.Id).ToList();
        var inForce = new List<Measure>();
        foreach (var chunk in entryIds.Chunk(500))
            inForce.AddRange(await db.Measures.AsNoTracking().Where(m => m.ClientId == clientId && chunk.Contains(m.EntryId)
                && (m.Status == MeasureStatus.Active || m.Status == MeasureStatus.Suspended)).ToListAsync(ct));

        var problems = new List<MeasureProblem>();
        var fresh = new List<Measure>();
        for (var i = 0; i < requests.Count; i++)
        {
            var (measure, problem) = await CheckAsync(db, requests[i], catalogue, entries, inForce.Concat(fresh), today, ct);
            if (problem is not null) { problems.Add(problem with { Line = requests.Count > 1 ? i + 1 : null }); continue; }
            measure!.ClientId = clientId;
            measure.RecordedAt = now;
            fresh.Add(measure);
        }
        if (problems.Count > 0) return ([], problems); // the transaction ends unsaved

        db.Measures.AddRange(fresh);
        await db.SaveChangesAsync(ct);
        await AuditLog.AppendAsync(db, fresh.Select(m => new AuditRecord
        {
            At = now, Actor = unit, Action = "measure-recorded", EntryId = m.EntryId, CaseNumber = m.CaseNumber,
            Reason = $"惩戒措施 #{m.Id}：{catalogue[m.MeasureCode].Name}（{MeasureSubjects.Labels[m.Subject]}），实施日期 {m.AppliedOn:yyyy-MM-dd}",
        }).ToList(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (fresh.Select(m => View(m, catalogue)).ToList(), []);
    }

    private async Task<(Measure?, MeasureProblem?)> CheckAsync(PortalDbContext db, MeasureRequest r, IReadOnlyDictionary<string, MeasureKind> catalogue,
        IReadOnlyDictionary<string, Entry> entries, IEnumerable<Measure> inForce, DateOnly today, CancellationToken ct)
    {
        var code = r.Measure?.Trim() ?? "";
        if (code.Length == 0) return (null, Problem(400, "measure_required", "请填写惩戒措施代码（见 GET /api/v1/measures/catalogue）", "measure"));
        if (!catalogue.TryGetValue(code, out var kind))
            return (null, Problem(400, "unknown_measure", $"未知的惩戒措施“{Short(code)}”：请使用 GET /api/v1/measures/catalogue 中的代码，如 flight（限制乘坐飞机）", "measure"));
        if (kind.RetiredOn is { } retired && retired <= today)
            return (null, Problem(400, "measure_retired", $"惩戒措施“{kind.Name}”已于{retired:yyyy年M月d日}停用，不再登记", "measure"));
        if (string.IsNullOrWhiteSpace(r.AppliedOn)) return (null, Problem(400, "applied_on_required", "请填写实施日期，如 2026-11-20", "appliedOn"));
        if (!TryDate(r.AppliedOn, out var appliedOn)) return (null, Problem(400, "invalid_date", $"实施日期“{Short(r.AppliedOn!)}”应为如 2026-11-20 的日期", "appliedOn"));
        if (appliedOn > today) return (null, Problem(400, "date_in_future", $"实施日期 {appliedOn:yyyy-MM-dd} 晚于今天（北京时间 {today:yyyy-MM-dd}）", "appliedOn"));
        var reference = string.IsNullOrWhiteSpace(r.Reference) ? null : r.Reference.Trim();
        if (reference?.Length > MaxReference) return (null, Problem(400, "reference_too_long", $"本单位的文号或编号最多 {MaxReference} 个字符", "reference"));

        var publicId = r.PublicId?.Trim() ?? "";
        if (publicId.Length == 0) return (null, Problem(400, "public_id_required", "请填写条目的公开标识 publicId", "publicId"));
        // A non-public entry (依法不宜公开, a draft) answers exactly like none: units see what the public sees.
        if (!entries.TryGetValue(publicId, out var entry) || entry.NonPublic || entry.PublishedAt is null)
            return (null, Problem(404, "entry_not_found", "没有这个公开标识的公开条目", "publicId"));
        if (!entry.IsPublic(today))
        {
            var removedAt = await db.EntryEvents.AsNoTracking().Where(e => e.EntryId == entry.Id && EntryEvent.RemovalActions.Contains(e.Action))
                .OrderByDescending(e => e.Id).Select(e => (DateTime?)e.At).FirstOrDefaultAsync(ct);
            var removedOn = removedAt is { } at ? ChinaTime.DateOf(at) : entry.ListingEndsAt ?? today;
            return (null, new MeasureProblem(410, "entry_removed",
                $"该条目已于{removedOn:yyyy年M月d日}移出名单（{entry.Status.Label()}），不能再登记新的惩戒措施", "publicId", removedOn));
        }
        if (appliedOn < ChinaTime.DateOf(entry.PublishedAt.Value))
            return (null, Problem(400, "date_before_listing", $"实施日期 {appliedOn:yyyy-MM-dd} 早于该条目的发布日期 {ChinaTime.DateOf(entry.PublishedAt.Value):yyyy-MM-dd}", "appliedOn"));

        var subject = string.IsNullOrWhiteSpace(r.Subject) ? MeasureSubjects.DebtorOf(entry.SubjectType) : r.Subject.Trim();
        if (!MeasureSubjects.Labels.TryGetValue(subject, out var subjectLabel))
            return (null, Problem(400, "unknown_subject", $"未知的适用对象“{Short(subject)}”，应为 {string.Join("、", MeasureSubjects.Labels.Keys)} 之一", "subject"));
        if (!MeasureSubjects.FitsEntry(subject, entry.SubjectType))
            return (null, Problem(400, "subject_not_applicable", entry.SubjectType == SubjectType.Person
                ? "该条目的被执行人是自然人，适用对象只能是其本人（debtor-person）"
                : $"该条目的被执行人是单位，适用对象不能是 {MeasureSubjects.Person}", "subject"));
        if (!kind.SubjectList.Contains(subject))
            return (null, Problem(400, "subject_not_applicable", $"“{kind.Name}”不适用于{subjectLabel}，适用于：{string.Join("、", kind.SubjectList.Select(s => MeasureSubjects.Labels[s]))}", "subject"));
        if (inForce.FirstOrDefault(m => m.EntryId == entry.Id && m.MeasureCode == code && m.Subject == subject) is { } same)
            return (null, Problem(409, "already_recorded", same.Id == 0 ? "同一批中重复登记了这项措施" : $"本单位已登记这项措施（编号 {same.Id}，{same.Status.Label()}）", "measure"));
        return (new Measure
        {
            EntryId = entry.Id, PublicId = entry.PublicId, CaseNumber = entry.CaseNumber, CourtCode = entry.CourtCode, Court = entry.Court,
            MeasureCode = code, Subject = subject, AppliedOn = appliedOn, Reference = reference, Status = MeasureStatus.Active,
        }, null);
    }

    private static string Short(string s) => s.Length > 40 ? s[..40] + "…" : s;

    public async Task<IReadOnlyList<MeasureView>> ListAsync(long clientId, MeasureStatus? status, CancellationToken ct = default)
    {
        var catalogue = await kinds.AllAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Measures.AsNoTracking().Where(m => m.ClientId == clientId);
        if (status is { } s) q = q.Where(m => m.Status == s);
        return (await q.OrderBy(m => m.Id).Take(10_000).ToListAsync(ct)).Select(m => View(m, catalogue)).ToList();
    }

    /// <summary>One of the unit's measures, or null (another unit's too).</summary>
    public async Task<MeasureView?> FindAsync(long clientId, long id, CancellationToken ct = default)
    {
        var catalogue = await kinds.AllAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Measures.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id && m.ClientId == clientId, ct) is { } m ? View(m, catalogue) : null;
    }

    /// <summary>The unit takes back a measure it reported (recorded in error, or ended on its own). Only one in force.</summary>
    public async Task<(MeasureView?, MeasureProblem?)> WithdrawAsync(long clientId, string unit, long id, CancellationToken ct = default)
    {
        var catalogue = await kinds.AllAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var m = await db.Measures.SingleOrDefaultAsync(x => x.Id == id && x.ClientId == clientId, ct);
        if (m is null) return (null, NotFound);
        if (!m.InForce) return (null, Problem(409, "measure_not_in_force", $"该措施已是“{m.Status.Label()}”，不能撤回" +
                                                                     (m.Status == MeasureStatus.Lifting ? "；请通过解除通知确认已解除" : "")));
        var now = clock.GetUtcNow().UtcDateTime;
        (m.Status, m.WithdrawnAt) = (MeasureStatus.Withdrawn, now);
        await AuditLog.AppendAsync(db, [new AuditRecord
        {
            At = now, Actor = unit, Action = "measure-withdrawn", EntryId = m.EntryId, CaseNumber = m.CaseNumber,
            Reason = $"惩戒措施 #{m.Id}：{catalogue[m.MeasureCode].Name}，单位撤回",
        }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (View(m, catalogue), null);
    }

    public static readonly MeasureProblem NotFound = new(404, "measure_not_found", "没有本单位登记的这个编号的惩戒措施");

    // ---- Lifting ----

    /// <summary>
    /// Inside a removal's transaction, after its events are saved: every measure in force on a removed entry gets a lift
    /// notice, an event in its unit's feed and, for a unit with a webhook, a signed delivery.
    /// </summary>
    public async Task AddLiftsAsync(PortalDbContext db, IReadOnlyList<EntryEvent> events, CancellationToken ct)
    {
        var removals = events.Where(e => e.IsRemoval).ToList();
        if (removals.Count == 0) return;
        var entryIds = removals.Select(e => e.EntryId).Distinct().ToList();
        var measures = new List<Measure>();
        foreach (var chunk in entryIds.Chunk(500))
            measures.AddRange(await db.Measures.Where(m => chunk.Contains(m.EntryId)
                && (m.Status == MeasureStatus.Active || m.Status == MeasureStatus.Suspended)).ToListAsync(ct));
        if (measures.Count == 0) return;
        foreach (var removal in removals)
            foreach (var m in measures.Where(m => m.EntryId == removal.EntryId && m.InForce))
                await LiftAsync(db, m, MeasureLabels.CauseOf(removal.Action)!.Value, removal.At, null, ct);
        await AuditLog.AppendAsync(db, measures.GroupBy(m => m.EntryId).Select(g => new AuditRecord
        {
            At = removals[0].At, Actor = "portal", Action = "measure-lift-notices", EntryId = g.Key, CaseNumber = g.First().CaseNumber,
            Reason = $"向 {g.Select(m => m.ClientId).Distinct().Count()} 个单位发出 {g.Count()} 项惩戒措施解除通知，期限 {DueFor(removals[0].At).Due:yyyy-MM-dd}",
        }).ToList(), ct);
    }

    /// <summary>A lift notice for one measure, with its feed event and webhook delivery, in the caller's transaction.</summary>
    private async Task LiftAsync(PortalDbContext db, Measure m, LiftCause cause, DateTime at, string? note, CancellationToken ct)
    {
        var due = DueFor(at);
        m.Status = MeasureStatus.Lifting;
        m.ObjectionId = null;
        var lift = new MeasureLift
        {
            MeasureId = m.Id, ClientId = m.ClientId, EntryId = m.EntryId, PublicId = m.PublicId, CaseNumber = m.CaseNumber, CourtCode = m.CourtCode,
            Court = m.Court, MeasureCode = m.MeasureCode, Cause = cause, NoticeAt = at, DueOn = due.Due, DueProvisional = due.Provisional,
        };
        db.MeasureLifts.Add(lift);
        await db.SaveChangesAsync(ct);
        await TellAsync(db, m, MeasureEventType.Lift, at, lift.Id, note, ct);
    }

    /// <summary>An event in the unit's feed and, when it has a webhook, its delivery: committed with its cause or not at all.</summary>
    private static async Task TellAsync(PortalDbContext db, Measure m, MeasureEventType type, DateTime at, long? liftId, string? note, CancellationToken ct)
    {
        var e = new MeasureEvent { ClientId = m.ClientId, MeasureId = m.Id, LiftId = liftId, Type = type, At = at, Note = note };
        db.MeasureEvents.Add(e);
        await db.SaveChangesAsync(ct);
        var client = await db.ApiClients.AsNoTracking().Where(c => c.Id == m.ClientId).Select(c => new { c.WebhookUrl, c.RevokedAt }).SingleAsync(ct);
        if (client.WebhookUrl is not null && client.RevokedAt is null)
            db.WebhookDeliveries.Add(new WebhookDelivery
            {
                ClientId = m.ClientId, EventId = e.Id, Feed = DeliveryFeed.Measures, Status = DeliveryStatus.Pending, CreatedAt = at, NextAttemptAt = at,
            });
    }

    public async Task<IReadOnlyList<LiftView>> LiftsAsync(long clientId, bool openOnly, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = ChinaTime.Today(clock);
        var q = db.MeasureLifts.AsNoTracking().Where(l => l.ClientId == clientId);
        if (openOnly) q = q.Where(l => l.LiftedOn == null);
        return (await q.OrderBy(l => l.Id).Take(10_000).ToListAsync(ct)).Select(l => LiftOf(l, today)).ToList();
    }

    /// <summary>The unit confirms it lifted the measure on <paramref name="liftedOn"/>. Once: a second confirmation is refused and changes nothing.</summary>
    public async Task<(LiftView?, MeasureProblem?)> AcknowledgeAsync(long clientId, string unit, long liftId, string? liftedOn, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        if (string.IsNullOrWhiteSpace(liftedOn)) return (null, Problem(400, "lifted_on_required", "请填写解除日期 liftedOn，如 2026-11-23", "liftedOn"));
        if (!TryDate(liftedOn, out var day)) return (null, Problem(400, "invalid_date", $"解除日期“{Short(liftedOn)}”应为如 2026-11-23 的日期", "liftedOn"));
        if (day > today) return (null, Problem(400, "date_in_future", $"解除日期 {day:yyyy-MM-dd} 晚于今天（北京时间 {today:yyyy-MM-dd}）", "liftedOn"));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var lift = await db.MeasureLifts.SingleOrDefaultAsync(l => l.Id == liftId && l.ClientId == clientId, ct);
        if (lift is null) return (null, Problem(404, "lift_not_found", "没有发给本单位的这个编号的解除通知"));
        if (lift.LiftedOn is { } earlier)
            return (null, Problem(409, "already_acknowledged", $"该解除通知已于{ChinaTime.DateOf(lift.AcknowledgedAt!.Value):yyyy年M月d日}确认（解除日期 {earlier:yyyy-MM-dd}），不能重复确认"));
        if (day < ChinaTime.DateOf(lift.NoticeAt))
            return (null, Problem(400, "date_before_notice", $"解除日期 {day:yyyy-MM-dd} 早于解除事由发生之日 {ChinaTime.DateOf(lift.NoticeAt):yyyy-MM-dd}", "liftedOn"));
        (lift.LiftedOn, lift.AcknowledgedAt) = (day, now);
        var measure = await db.Measures.SingleAsync(m => m.Id == lift.MeasureId, ct);
        if (measure.Status == MeasureStatus.Lifting) measure.Status = MeasureStatus.Lifted;
        await AuditLog.AppendAsync(db, [new AuditRecord
        {
            At = now, Actor = unit, Action = "measure-lifted", EntryId = lift.EntryId, CaseNumber = lift.CaseNumber,
            Reason = $"解除通知 #{lift.Id}（惩戒措施 #{lift.MeasureId}）：{day:yyyy-MM-dd} 解除，期限 {lift.DueOn:yyyy-MM-dd}，{lift.StatusOn(today).Label()}",
        }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (LiftOf(lift, today), null);
    }

    // ---- Objections (seed 004) ----

    /// <summary>The subject objected: the measure is not applied while the court verifies, in the transaction that forwards the objection.</summary>
    public static void Suspend(Measure m, long applicationId, DateTime now) => (m.Status, m.ObjectionId, m.SuspendedAt) = (MeasureStatus.Suspended, applicationId, now);

    /// <summary>
    /// In the transaction of the court's decision on a forwarded objection: refused (the listing upheld), the measure
    /// resumes; accepted without removing the entry (corrected), it is lifted. An accepted objection that removes the
    /// entry lifts it with every other measure on it, through the removal.
    /// </summary>
    public async Task ObjectionDecidedAsync(PortalDbContext db, Data.Applications.Application a, bool removesEntry, DateTime now, CancellationToken ct)
    {
        if (a.MeasureId is not { } id) return;
        var m = await db.Measures.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (m is null || m.Status != MeasureStatus.Suspended || m.ObjectionId != a.Id) return; // withdrawn or lifted meanwhile
        if (a.Status == Data.Applications.ApplicationStatus.Refused)
        {
            (m.Status, m.ObjectionId, m.SuspendedAt) = (MeasureStatus.Active, null, null);
            await TellAsync(db, m, MeasureEventType.Resumed, now, null, "法院驳回纠正申请，名单信息无误，恢复执行该措施", ct);
        }
        else if (a.Status == Data.Applications.ApplicationStatus.Accepted && !removesEntry)
            await LiftAsync(db, m, LiftCause.ObjectionAccepted, now, "法院认定异议成立并更正名单信息，解除该措施", ct);
    }

    // ---- The unit's feed ----

    public async Task<MeasureFeedPage> FeedAsync(long clientId, long after, int limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = await db.MeasureEvents.AsNoTracking().Where(e => e.ClientId == clientId && e.Id > after).OrderBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = events.Count > limit;
        if (hasMore) events.RemoveAt(events.Count - 1);
        return new MeasureFeedPage(await DescribeAsync(db, events, ct), events.Count > 0 ? events[^1].Id : after, hasMore);
    }

    /// <summary>One event as its webhook carries it (the dispatcher's side of <see cref="TellAsync"/>).</summary>
    public async Task<(MeasureEventView View, string Type)> DescribeAsync(PortalDbContext db, long eventId, CancellationToken ct)
    {
        var e = await db.MeasureEvents.AsNoTracking().SingleAsync(x => x.Id == eventId, ct);
        var view = (await DescribeAsync(db, [e], ct))[0];
        return (view, "measure." + view.Type);
    }

    private async Task<IReadOnlyList<MeasureEventView>> DescribeAsync(PortalDbContext db, IReadOnlyList<MeasureEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return [];
        var catalogue = await kinds.AllAsync(ct);
        var today = ChinaTime.Today(clock);
        var measureIds = events.Select(e => e.MeasureId).Distinct().ToList();
        var liftIds = events.Where(e => e.LiftId != null).Select(e => e.LiftId!.Value).Distinct().ToList();
        var measures = await db.Measures.AsNoTracking().Where(m => measureIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var lifts = await db.MeasureLifts.AsNoTracking().Where(l => liftIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        return events.Select(e => new MeasureEventView(e.Id, e.Type == MeasureEventType.Lift ? "lift" : "resumed", e.At, View(measures[e.MeasureId], catalogue),
            e.LiftId is { } l ? LiftOf(lifts[l], today) : null, e.Note)).ToList();
    }

    // ---- The office ----

    /// <summary>Lift notices by unit and by court, and the overdue ones, for the courts in <paramref name="view"/>.</summary>
    public async Task<MeasureCompliance> ComplianceAsync(CourtView view, CancellationToken ct = default)
    {
        var catalogue = await kinds.AllAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = ChinaTime.Today(clock);
        var q = db.MeasureLifts.AsNoTracking();
        if (view.Codes is { } codes) { var list = codes.ToList(); q = q.Where(l => list.Contains(l.CourtCode)); }
        var lifts = await q.ToListAsync(ct);
        var names = await db.ApiClients.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        LiftCompliance Tally(string name, IEnumerable<MeasureLift> group)
        {
            var statuses = group.Select(l => l.StatusOn(today)).ToList();
            return new(name, statuses.Count(s => s == LiftStatus.Open), statuses.Count(s => s == LiftStatus.Lifted),
                statuses.Count(s => s == LiftStatus.Late), statuses.Count(s => s == LiftStatus.Overdue));
        }
        return new MeasureCompliance(
            lifts.GroupBy(l => l.ClientId).Select(g => Tally(names.GetValueOrDefault(g.Key, $"客户端 {g.Key}"), g)).OrderByDescending(c => c.Overdue).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(),
            lifts.GroupBy(l => l.Court).Select(g => Tally(g.Key, g)).OrderByDescending(c => c.Overdue).ThenBy(c => c.Name, StringComparer.Ordinal).ToList(),
            lifts.Where(l => l.StatusOn(today) == LiftStatus.Overdue).OrderBy(l => l.DueOn).ThenBy(l => l.Id).Take(500)
                .Select(l => new OverdueLift(l.Id, names.GetValueOrDefault(l.ClientId, ""), l.CaseNumber, l.Court, NameOf(catalogue, l.MeasureCode), l.Cause, l.DueOn,
                    Deadlines.DaysLate(l.DueOn, today))).ToList());
    }

    // ---- Views ----

    private static string NameOf(IReadOnlyDictionary<string, MeasureKind> catalogue, string code) => catalogue.TryGetValue(code, out var k) ? k.Name : code;

    private static MeasureView View(Measure m, IReadOnlyDictionary<string, MeasureKind> catalogue) => new(m.Id, m.PublicId, m.CaseNumber, m.Court, m.MeasureCode,
        NameOf(catalogue, m.MeasureCode), m.Subject, m.AppliedOn, m.Reference, m.Status.Code(), m.RecordedAt, m.ObjectionId);

    public static MeasureView ViewOf(Measure m, IReadOnlyDictionary<string, MeasureKind> catalogue) => View(m, catalogue);

    private static LiftView LiftOf(MeasureLift l, DateOnly today) => new(l.Id, l.MeasureId, l.PublicId, l.CaseNumber, l.Court, l.MeasureCode,
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(l.Cause.ToString()), l.NoticeAt, l.DueOn, l.DueProvisional, l.LiftedOn, l.AcknowledgedAt, l.StatusOn(today));
}
