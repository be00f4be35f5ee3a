using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Applications;
using Portal.Data.Audit;
using Portal.Data.Calendar;
using Portal.Data.Courts;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Web.BackOffice;
using Portal.Web.Hosting;
using Portal.Web.Lifecycle;
using Portal.Web.Privacy;

namespace Portal.Web.Applications;

/// <summary>An application as a person (form) or a client (API) sent it.</summary>
public sealed record ApplicationRequest(
    ApplicationKind? Kind, string? CaseNumber, string? IdNumber, string? CreditCode, IReadOnlyList<string> Grounds, string? Text, string? Contact)
{
    public IReadOnlyList<AttachedFile> Files { get; init; } = [];

    /// <summary>The form's one-time field or the API's Idempotency-Key: the same submission sent again finds the first.</summary>
    public string? SubmissionKey { get; init; }
}

public sealed record AttachedFile(string Name, byte[] Content);

/// <summary>Why an application was not taken: an HTTP status, a code for machines and a sentence for people.</summary>
public sealed record ApplicationProblem(int Status, string Code, string Message, DateOnly? PeriodEnded = null);

public sealed record HistoryLine(DateTime At, string Status, string Note);

/// <summary>What the applicant may see of their application (and nothing about anyone else).</summary>
public sealed record ApplicationView(
    string Kind, string KindLabel, string Status, string StatusLabel, string? CaseNumber, string Court, DateTime ReceivedAt,
    DateOnly DueBy, bool DueProvisional, string DuePeriod, IReadOnlyList<string> Grounds, DateTime? DecidedAt, string? Decision, string? DecidingUnit,
    IReadOnlyList<HistoryLine> History, DateOnly? ReconsiderationUntil);

public sealed record ApplicationReceipt(string TrackingCode, ApplicationView Application, bool Replayed);

/// <summary>One item of a court's queue; <see cref="ForwardedBy"/> names the joint-punishment unit that forwarded a subject's objection.</summary>
public sealed record QueueItem(long Id, ApplicationKind Kind, string? CaseNumber, string Court, DateTime ReceivedAt, DateOnly DueBy, int DaysLate, string Grounds,
    string? ForwardedBy = null);

public sealed record QueueCounts(ApplicationKind Kind, int Overdue, int DueToday, int Upcoming);

/// <summary>
/// A court's decision on an application. <see cref="Revoke"/>: an accepted correction or reconsideration revokes the
/// entry; <see cref="Shield"/>: an accepted correction whose ground is that the debtor performed (or settled, or the
/// enforcement ended) shields it instead, with that ground and the day it happened.
/// </summary>
public sealed record ApplicationDecision(bool Accept, string Reasons, bool Revoke = true, string? DecidingUnit = null)
{
    public (RemovalGround Ground, DateOnly EventDate)? Shield { get; init; }
}

/// <summary>
/// Due process online (issue #13): takes applications (correction, reconsideration, credit repair, complaints), checks
/// the applicant's identity against the entry without storing it, computes each deadline, keeps each court's queue and
/// records its decisions; an accepted correction or reconsideration revokes the entry through the lifecycle in the same
/// transaction. Every step is audited and queued as a notification to the applicant.
/// </summary>
public sealed class ApplicationDesk(
    IDbContextFactory<PortalDbContext> dbFactory,
    IdNumberProtection protection,
    IIdNumberCipher cipher,
    IdHashKeyBytes key,
    WorkingDayCalendar calendar,
    EntryActions actions,
    StaffGate gate,
    ExactIdGuard guard,
    Courts.CourtRegistry courts,
    Measures.MeasureLedger measures,
    IOptions<ApplicationOptions> options,
    TimeProvider clock)
{
    public const int MaxText = 2000;

    public ApplicationPeriods Periods => options.Value.Periods();

    private static ApplicationProblem Problem(int status, string code, string message, DateOnly? ended = null) => new(status, code, message, ended);

    // A wrong identity answers alike whether the case exists, is hidden, or belongs to someone else.
    private static readonly ApplicationProblem IdentityMismatch = Problem(422, "identity_mismatch",
        "案号与证件号码不相符：未找到该案号下与此证件号码相符、可以办理此项申请的条目。请核对案号和证件号码。");

    public async Task<(ApplicationReceipt? Receipt, ApplicationProblem? Problem)> SubmitAsync(ApplicationRequest r, IPAddress? address, CancellationToken ct = default)
    {
        if (r.Kind is not { } kind) return (null, Problem(400, "invalid_kind", "申请类型应为 correction（纠正）、reconsideration（复议）、credit_repair（信用修复）或 complaint（投诉举报）"));
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);

        // Everything that needs no database first: bad input never reaches the data.
        string? caseKey = null;
        if (!string.IsNullOrWhiteSpace(r.CaseNumber) || kind != ApplicationKind.Complaint)
        {
            if (string.IsNullOrWhiteSpace(r.CaseNumber)) return (null, Problem(400, "case_number_required", "请填写案号，例如（2019）豫0311执1234号"));
            if (!CaseNumber.TryParse(r.CaseNumber, out _, out var k, out var caseError)) return (null, Problem(400, "invalid_case_number", caseError ?? "案号格式不正确"));
            caseKey = k;
        }
        string? identityHash = null;
        IdNumber? idNumber = null;
        string? creditCode = null;
        if (kind != ApplicationKind.Complaint)
        {
            if (!string.IsNullOrWhiteSpace(r.IdNumber))
            {
                if (!IdNumber.TryParse(r.IdNumber, out var id, out var idError)) return (null, Problem(400, "invalid_id_number", idError ?? "身份证号码无效"));
                idNumber = id;
                identityHash = protection.Hash(id);
            }
            else if (!string.IsNullOrWhiteSpace(r.CreditCode))
            {
                if (!CreditCode.TryParse(r.CreditCode, out var parsedCode, out var codeError)) return (null, Problem(400, "invalid_credit_code", codeError ?? "统一社会信用代码无效"));
                creditCode = parsedCode;
                identityHash = Keyed("credit-code:" + parsedCode);
            }
            else return (null, Problem(400, "identity_required", "请填写被执行人的身份证号码（自然人）或统一社会信用代码（单位），用于核验您是被执行人本人"));
        }
        var grounds = r.Grounds.Select(g => g.Trim()).Where(g => g.Length > 0).Distinct().ToList();
        var known = ApplicationGrounds.For(kind).Select(g => g.Code).ToHashSet();
        if (grounds.FirstOrDefault(g => !known.Contains(g)) is { } unknown)
            return (null, Problem(400, "invalid_grounds", $"理由“{unknown}”不是{kind.Label()}可选的理由，可选：{string.Join("、", ApplicationGrounds.For(kind).Select(g => $"{g.Code}（{g.Label}）"))}"));
        var text = (r.Text ?? "").Trim();
        if (grounds.Count == 0 && text.Length == 0) return (null, Problem(400, "grounds_required", "请至少选择一项理由，或写明事实和理由"));
        if (text.Length > MaxText) return (null, Problem(400, "text_too_long", $"事实和理由最多 {MaxText} 字，您写了 {text.Length} 字"));
        var (contact, channel, contactError) = ApplicationContact.Parse(r.Contact);
        if (contactError is not null) return (null, Problem(400, "invalid_contact", contactError));
        if (r.Files.Count > ApplicationFiles.MaxFiles) return (null, Problem(400, "too_many_files", $"最多上传 {ApplicationFiles.MaxFiles} 个附件"));
        foreach (var f in r.Files)
            if (ApplicationFiles.Check(ApplicationFiles.SafeName(f.Name), f.Content) is { } fileError) return (null, Problem(400, "invalid_attachment", fileError));

        var submission = Sha256Hex($"{kind}|{caseKey}|{identityHash}|{contact}|{(string.IsNullOrWhiteSpace(r.SubmissionKey) ? Guid.NewGuid().ToString("N") : r.SubmissionKey.Trim())}");
        var code = TrackingCode.For(key.Key, submission);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.SubmissionHash == submission, ct) is { } earlier)
            return (new ApplicationReceipt(TrackingCode.Display(code), await ViewAsync(db, earlier, ct), Replayed: true), null);

        var o = options.Value;
        var addressHash = Keyed("address:" + (address?.ToString() ?? "unknown"));
        var dayAgo = now.AddDays(-1);
        if (await db.Applications.CountAsync(a => a.AddressHash == addressHash && a.ReceivedAt > dayAgo, ct) >= o.PerAddressPerDay)
            return (null, Problem(429, "rate_limited", $"同一网络地址一天内最多提交 {o.PerAddressPerDay} 件申请，请明天再试或到执行法院办理"));

        // The entry, found by case number and (except for complaints) the identity number. Every check that does not
        // depend on the number comes first, so that its answer is the same whether the number is right or wrong; only
        // then the number, whose wrong guesses are counted per subject across its entries and every form.
        Entry? entry = null;
        Application? parent = null;
        var periods = Periods;
        if (caseKey is not null)
        {
            var candidates = await Eligible(db, kind, caseKey, today).ToListAsync(ct);
            if (kind == ApplicationKind.Complaint)
            {
                if (candidates.Count == 0) return (null, Problem(404, "unknown_case", "找不到该案号：投诉举报所涉案号应为正在公示或已公告屏蔽、撤销的条目。不涉及具体条目的，可不填案号。"));
                entry = candidates[0];
                if (await db.Applications.CountAsync(a => a.EntryId == entry.Id && a.Kind == ApplicationKind.Complaint && a.ReceivedAt > dayAgo, ct) >= o.PerEntryPerDay)
                    return (null, Problem(429, "too_many_for_entry", $"该条目今天已收到 {o.PerEntryPerDay} 件投诉举报，请明天再试或到执行法院办理"));
            }
            else
            {
                var ids = candidates.Select(e => e.Id).ToList();
                var refused = kind != ApplicationKind.Reconsideration ? []
                    : await db.Applications.AsNoTracking().Where(a => a.EntryId != null && ids.Contains(a.EntryId.Value) && a.Kind == ApplicationKind.Correction
                        && a.Status == ApplicationStatus.Refused).ToListAsync(ct);
                if (kind == ApplicationKind.Reconsideration) candidates = candidates.Where(e => refused.Any(a => a.EntryId == e.Id)).ToList();
                if (candidates.Count == 0) return (null, IdentityMismatch);
                if (OutOfTime(kind, candidates, refused, periods, today) is { } late) return (null, late);
                ids = candidates.Select(e => e.Id).ToList();
                var counts = await db.Applications.Where(a => a.EntryId != null && ids.Contains(a.EntryId.Value) && a.Kind != ApplicationKind.Complaint && a.ReceivedAt > dayAgo)
                    .GroupBy(a => a.EntryId).Select(g => g.Count()).ToListAsync(ct);
                if (counts.Any(c => c >= o.PerEntryPerDay))
                    return (null, Problem(429, "too_many_for_entry", $"该条目今天已收到 {o.PerEntryPerDay} 件申请，请明天再试或到执行法院办理"));

                var match = candidates.FirstOrDefault(e => idNumber is not null ? e.SubjectType == SubjectType.Person && e.IdNumberHash == identityHash
                                                                                 : e.SubjectType == SubjectType.Organization && e.CreditCode == creditCode);
                var closed = await CountIdentityGuessAsync(db, match is not null ? [match] : candidates, identityHash!, match is not null, now, ct);
                if (closed) return (null, Problem(429, "identity_check_closed", "该案号的在线身份核验因多次证件号码不符已暂停，请持身份证件到执行法院当面办理。"));
                if (match is null) return (null, IdentityMismatch);
                entry = match;
                if (kind == ApplicationKind.Reconsideration)
                {
                    parent = refused.Where(a => a.EntryId == entry.Id && a.IdentityHash == identityHash).OrderByDescending(a => a.DecidedAt).FirstOrDefault();
                    if (parent is null) return (null, IdentityMismatch);
                }
            }
        }

        var due = periods.Decide(kind).EndAfter(today, calendar);
        var application = new Application
        {
            Kind = kind, Status = ApplicationStatus.Received, TrackingHash = TrackingCode.Hash(code), SubmissionHash = submission,
            EntryId = entry?.Id, CaseNumber = entry?.CaseNumber, CourtCode = entry?.CourtCode ?? "",
            Court = entry?.Court ?? "门户管理部门", ParentId = parent?.Id, Grounds = string.Join(',', grounds), Text = text, IdentityHash = identityHash,
            ContactChannel = channel, ContactCipher = cipher.Encrypt(contact!), ContactMasked = ApplicationContact.Mask(contact!, channel),
            AddressHash = addressHash, ReceivedAt = now, DueBy = due.Due, DueProvisional = due.Provisional,
        };
        await using (var tx = await DatabaseProvider.BeginSerializedAsync(db, ct))
        {
            // Sent twice at once: the second waits for the first's lock and then finds it.
            if (await db.Applications.AsNoTracking().FirstOrDefaultAsync(a => a.SubmissionHash == submission, ct) is { } racing)
                return (new ApplicationReceipt(TrackingCode.Display(code), await ViewAsync(db, racing, ct), Replayed: true), null);
            if (entry is not null)
            {
                // Again under the lock: applications sent at the same moment were all under the limit before it.
                if (await db.Applications.CountAsync(a => a.EntryId == entry.Id && (a.Kind == ApplicationKind.Complaint) == (kind == ApplicationKind.Complaint)
                                                          && a.ReceivedAt > dayAgo, ct) >= o.PerEntryPerDay)
                    return (null, Problem(429, "too_many_for_entry", $"该条目今天已收到 {o.PerEntryPerDay} 件{(kind == ApplicationKind.Complaint ? "投诉举报" : "申请")}，请明天再试或到执行法院办理"));
                var parentId = parent?.Id; // a reconsideration: one per refused correction, whatever became of it
                var open = await db.Applications.AsNoTracking().Where(a => a.EntryId == entry.Id && a.Kind == kind && identityHash != null && a.IdentityHash == identityHash
                        && (a.Status == ApplicationStatus.Received || (parentId != null && a.ParentId == parentId)))
                    .OrderByDescending(a => a.ReceivedAt).FirstOrDefaultAsync(ct);
                // No date or status: only the applicant, with the tracking code, learns more about their application.
                if (open is not null) return (null, Problem(409, "already_applied",
                    $"该条目已有以此证件号码提交的{kind.Label()}正在处理，请凭当时的跟踪码查询进度，勿重复提交。"));
            }
            db.Applications.Add(application);
            await db.SaveChangesAsync(ct);
            foreach (var f in r.Files)
                db.ApplicationAttachments.Add(new ApplicationAttachment
                {
                    ApplicationId = application.Id, FileName = ApplicationFiles.SafeName(f.Name), ContentType = ApplicationFiles.ContentTypeOf(f.Content)!,
                    Size = f.Content.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(f.Content)), Content = f.Content,
                });
            var note = $"已收到{kind.Label()}，{(kind == ApplicationKind.Complaint ? "将" : "法院将")}于{due.Due:yyyy年M月d日}前{(kind == ApplicationKind.Complaint ? "答复" : "作出决定")}" +
                       (r.Files.Count > 0 ? $"；附件 {r.Files.Count} 个" : "");
            Record(db, application, note, now, code[^4..]);
            await AuditLog.AppendAsync(db, [new AuditRecord
            {
                At = now, Actor = "申请人", Action = "application-received", EntryId = entry?.Id, CaseNumber = entry?.CaseNumber,
                Reason = $"{kind.Label()} #{application.Id}，期限 {due.Due:yyyy-MM-dd}",
            }], ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct); // durable before anyone is told it was received
        }
        return (new ApplicationReceipt(TrackingCode.Display(code), await ViewAsync(db, application, ct), Replayed: false), null);
    }

    /// <summary>The entries of this case number an application of this kind may concern (never a non-public one).</summary>
    private static IQueryable<Entry> Eligible(PortalDbContext db, ApplicationKind kind, string caseKey, DateOnly today)
    {
        var q = db.Entries.AsNoTracking().Where(e => e.CaseNumberKey == caseKey && !e.NonPublic);
        var removed = new[] { EntryStatus.Shielded, EntryStatus.Revoked, EntryStatus.Expired };
        return kind switch
        {
            ApplicationKind.Correction or ApplicationKind.Reconsideration => q.Where(EntryVisibility.IsPublicOn(today)),
            ApplicationKind.CreditRepair => q.Where(e => removed.Contains(e.Status)),
            _ => q.Where(e => e.Status == EntryStatus.Published || removed.Contains(e.Status)).OrderBy(e => e.Id),
        };
    }

    /// <summary>
    /// Out of time whatever number is given: a correction when every entry of the case number is past its period for
    /// applying, a reconsideration when every refused correction of it is. Null when one is still in time.
    /// </summary>
    private ApplicationProblem? OutOfTime(ApplicationKind kind, IReadOnlyList<Entry> candidates, IReadOnlyList<Application> refused, ApplicationPeriods periods, DateOnly today)
    {
        if (kind == ApplicationKind.Correction && periods.CorrectionApply.IsLimited)
        {
            var ends = candidates.Max(e => periods.CorrectionApply.EndAfter(ChinaTime.DateOf(e.PublishedAt ?? e.CreatedAt), calendar).Due);
            if (today > ends) return Problem(422, "out_of_time",
                $"申请纠正的期限（自名单公布之日起{periods.CorrectionApply.Text}）已于{ends:yyyy年M月d日}届满。对名单仍有异议的，可向执行法院书面提出或提起投诉举报。", ends);
        }
        if (kind == ApplicationKind.Reconsideration && periods.ReconsiderationApply.IsLimited)
        {
            var ends = refused.Max(a => periods.ReconsiderationApply.EndAfter(ChinaTime.DateOf(a.DecidedAt!.Value), calendar).Due);
            if (today > ends) return Problem(422, "out_of_time", $"申请复议的期限（自驳回决定之日起{periods.ReconsiderationApply.Text}）已于{ends:yyyy年M月d日}届满。", ends);
        }
        return null;
    }

    /// <summary>
    /// Counts one identity check against the subjects it concerns: the matching entry's as a hit, or every candidate's as
    /// a miss. A subject is its family of visible ID digits (all its entries share it) or its credit code, so that
    /// several entries, or several forms, give no more tries than one. True when the check is closed for a subject
    /// (<see cref="ApplicationOptions.IdentityMissesPerFamily"/> different wrong numbers; it reopens after
    /// <c>Privacy:ReopenAfterDays</c>). A hit and a miss read and write the same rows (<see cref="ExactIdGuard.CountAsync"/>).
    /// </summary>
    private async Task<bool> CountIdentityGuessAsync(PortalDbContext db, IReadOnlyList<Entry> entries, string identityHash, bool hit, DateTime now, CancellationToken ct)
    {
        var tag = Keyed("tried:" + identityHash)[..8];
        var guesses = entries.Select(e => new FamilyGuess(IdentityFamily(e), tag, hit)).DistinctBy(g => g.Family).ToList();
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        // Closed before this check: closed whatever the number. A miss that closes it now is still answered as a miss.
        var closedBefore = await guard.ClosedAsync(db, "apply", guesses.Select(g => g.Family).ToList(), now, ct);
        await guard.CountAsync(db, "apply", guesses, closeAfter: options.Value.IdentityMissesPerFamily, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return closedBefore;
    }

    /// <summary>The subject an identity check is counted against: the family of digits its masked number shows (all its entries share it), or its credit code.</summary>
    private string IdentityFamily(Entry e) => Keyed(e.CreditCode is { } code ? "apply-org:" + code : "apply-family:" + IdNumber.FamilyOfMasked(e.IdNumberMasked));

    /// <summary>Whether the online identity check is closed now for the subject of this entry (for its court's staff to see).</summary>
    public async Task<bool> IdentityCheckClosedAsync(Entry entry, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await guard.ClosedAsync(db, "apply", [IdentityFamily(entry)], clock.GetUtcNow().UtcDateTime, ct);
    }

    /// <summary>
    /// Opens the online identity check again for the subject of an entry, when the person asked the court in person
    /// (three wrong numbers, maybe someone else's, closed it). The listing court's reviewers only; audited. Null when done.
    /// </summary>
    public async Task<string?> ReopenIdentityCheckAsync(ClaimsPrincipal user, long entryId, CancellationToken ct = default)
    {
        if (await gate.RefuseAsync(user, StaffRoles.Reviewer) is { } refused) return refused;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entry = await db.Entries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, ct);
        if (entry is null || StaffRoles.ScopeOf(user).Refusal(courts.Current, entry.CaseNumber, reconsideration: false) is not null) return "找不到该条目，或它不属于您所在法院";
        var family = IdentityFamily(entry);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        await db.IdLookupMisses.Where(m => m.Caller == "apply" && m.Family == family).ExecuteDeleteAsync(ct);
        await AuditLog.AppendAsync(db, [new AuditRecord
        {
            At = now, Actor = user.Identity!.Name!, Action = "identity-check-reopened", EntryId = entry.Id, CaseNumber = entry.CaseNumber,
            Reason = "被执行人到庭核验身份后，恢复其在线身份核验",
        }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>The application with this tracking code as its applicant sees it, or null.</summary>
    public async Task<(string Code, ApplicationView View)?> TrackAsync(string? typed, CancellationToken ct = default)
    {
        if (TrackingCode.Normalize(typed) is not { } code) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var hash = TrackingCode.Hash(code);
        var a = await db.Applications.AsNoTracking().FirstOrDefaultAsync(x => x.TrackingHash == hash, ct);
        return a is null ? null : (TrackingCode.Display(code), await ViewAsync(db, a, ct));
    }

    private async Task<ApplicationView> ViewAsync(PortalDbContext db, Application a, CancellationToken ct)
    {
        var history = await db.ApplicationSteps.AsNoTracking().Where(s => s.ApplicationId == a.Id).OrderBy(s => s.Id)
            .Select(s => new { s.At, s.Status, s.Note }).ToListAsync(ct);
        return new ApplicationView(a.Kind.Code(), a.Kind.Label(), a.Status.Code(), a.Status.Label(a.Kind), a.CaseNumber, a.Court, a.ReceivedAt, a.DueBy,
            a.DueProvisional, Periods.Decide(a.Kind).Text, a.GroundList.Select(g => ApplicationGrounds.Label(a.Kind, g)).ToList(), a.DecidedAt, a.Decision,
            a.DecidingUnit, history.Select(h => new HistoryLine(h.At, h.Status.Label(a.Kind), h.Note)).ToList(), ReconsiderationUntil(a));
    }

    /// <summary>A refused correction may be taken to the court above until this day (null: not, or no longer).</summary>
    public DateOnly? ReconsiderationUntil(Application a)
    {
        if (a.Kind != ApplicationKind.Correction || a.Status != ApplicationStatus.Refused || a.DecidedAt is null) return null;
        var period = Periods.ReconsiderationApply;
        var ends = period.EndAfter(ChinaTime.DateOf(a.DecidedAt.Value), calendar).Due;
        return ChinaTime.Today(clock) <= ends ? ends : null;
    }

    private static string StatusText(Application a) => a.Status == ApplicationStatus.Received ? $"{a.DueBy:yyyy年M月d日}前处理" : a.Status.Label(a.Kind);

    /// <summary>A line of history and the message that tells the applicant about it, in the caller's transaction.</summary>
    /// <param name="codeEnd">The tracking code's last characters, for the applicant to recognise it (the code itself is stored nowhere).</param>
    private void Record(PortalDbContext db, Application a, string note, DateTime now, string? codeEnd = null)
    {
        db.ApplicationSteps.Add(new ApplicationStep { ApplicationId = a.Id, At = now, Status = a.Status, Note = note });
        if (a.ContactCipher.Length == 0) return; // forwarded by a unit: the outcome reaches it through its measure feed
        var reference = codeEnd is not null ? $"跟踪码尾号 {codeEnd}" : $"编号 {a.Id}";
        db.Notifications.Add(new Notification
        {
            ApplicationId = a.Id, Channel = a.ContactChannel, ContactCipher = a.ContactCipher, CreatedAt = now, NextAttemptAt = now,
            Subject = $"【失信被执行人名单公示】{a.Kind.Label()}：{a.Status.Label(a.Kind)}",
            Body = $"您{ChinaTime.DateOf(a.ReceivedAt):yyyy年M月d日}提交的{a.Kind.Label()}（{(a.CaseNumber is null ? "" : "案号 " + a.CaseNumber + "，")}{reference}）：{note}。" +
                   "请凭跟踪码在门户的“申请进度查询”页面查看详情。",
        });
    }

    // ---- The court's side ----

    /// <summary>Who may decide an application of this kind: the listing court's reviewers; a reconsideration, the court above it.</summary>
    public static string RoleFor(ApplicationKind kind) => kind == ApplicationKind.Reconsideration ? StaffRoles.Superior : StaffRoles.Reviewer;

    /// <summary>Open applications the signed-in person's court must decide, overdue first.</summary>
    public async Task<IReadOnlyList<QueueItem>> QueueAsync(ClaimsPrincipal user, ApplicationKind? kind = null, CancellationToken ct = default)
    {
        if (await gate.RefuseAsync(user) is not null) return []; // an open page of an account locked or changed since: nothing
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = ChinaTime.Today(clock);
        var rows = await Visible(db, user).Where(a => a.Status == ApplicationStatus.Received && (kind == null || a.Kind == kind))
            .OrderBy(a => a.DueBy).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.Kind, a.CaseNumber, a.Court, a.ReceivedAt, a.DueBy, a.Grounds, a.MeasureId }).ToListAsync(ct);
        var forwarded = await ForwardersAsync(db, rows.Where(a => a.MeasureId != null).Select(a => a.MeasureId!.Value).ToList(), ct);
        return rows.Select(a => new QueueItem(a.Id, a.Kind, a.CaseNumber, a.Court, a.ReceivedAt, a.DueBy, Data.Lifecycle.Deadlines.DaysLate(a.DueBy, today),
            string.Join("、", (a.Grounds.Length == 0 ? [] : a.Grounds.Split(',')).Select(g => ApplicationGrounds.Label(a.Kind, g))),
            a.MeasureId is { } m ? forwarded.GetValueOrDefault(m) : null)).ToList();
    }

    /// <summary>The deadline board's figures: per kind, open applications overdue, due today and not yet due.</summary>
    public async Task<IReadOnlyList<QueueCounts>> CountsAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var items = await QueueAsync(user, null, ct);
        var today = ChinaTime.Today(clock);
        return Enum.GetValues<ApplicationKind>().Select(k => items.Where(i => i.Kind == k).ToList())
            .Select((list, i) => new QueueCounts((ApplicationKind)i, list.Count(x => x.DueBy < today), list.Count(x => x.DueBy == today), list.Count(x => x.DueBy > today)))
            .ToList();
    }

    /// <summary>The applications this person may see: their court's (a superior court: reconsiderations from the courts below); administrators all.</summary>
    private IQueryable<Application> Visible(PortalDbContext db, ClaimsPrincipal user)
    {
        var q = db.Applications.AsNoTracking();
        var directory = courts.Current;
        if (StaffRoles.ViewOf(user, directory).SeesEverything) return q; // administrators
        var court = StaffRoles.ScopeOf(user).CourtCode;
        if (court.Length == 0) return q.Where(_ => false); // an API client, anyone else, or staff without a court
        court = directory.ByCode(court)?.Code ?? court;
        var superior = user.IsInRole(StaffRoles.Superior);
        var basic = user.IsInRole(StaffRoles.Clerk) || user.IsInRole(StaffRoles.Reviewer);
        // A reconsideration goes to the court one level up: the listing court's explicit superior in the directory.
        var below = superior ? directory.Below(court).Select(c => c.Code).ToList() : [];
        return q.Where(a => (basic && a.CourtCode == court && a.Kind != ApplicationKind.Reconsideration)
                            || (superior && a.Kind == ApplicationKind.Reconsideration && below.Contains(a.CourtCode)));
    }

    /// <summary>Who forwarded each of these measures' objections: "unit name（measure name）".</summary>
    private static async Task<Dictionary<long, string>> ForwardersAsync(PortalDbContext db, IReadOnlyList<long> measureIds, CancellationToken ct)
    {
        if (measureIds.Count == 0) return [];
        var rows = await (from m in db.Measures.AsNoTracking()
                          join c in db.ApiClients.AsNoTracking() on m.ClientId equals c.Id
                          join k in db.MeasureKinds.AsNoTracking() on m.MeasureCode equals k.Code
                          where measureIds.Contains(m.Id)
                          select new { m.Id, Unit = c.Name, Measure = k.Name }).ToListAsync(ct);
        return rows.ToDictionary(r => r.Id, r => $"{r.Unit}（{r.Measure}）");
    }

    public sealed record OfficeView(Application Application, ApplicationView View, string? EntryPublicId, IReadOnlyList<(long Id, string Name, string Type, long Size)> Files,
        string? ForwardedBy = null);

    public async Task<OfficeView?> OpenAsync(ClaimsPrincipal user, long id, CancellationToken ct = default)
    {
        if (await gate.RefuseAsync(user) is not null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var a = await Visible(db, user).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return null;
        var files = (await db.ApplicationAttachments.AsNoTracking().Where(f => f.ApplicationId == id).OrderBy(f => f.Id)
            .Select(f => new { f.Id, f.FileName, f.ContentType, f.Size }).ToListAsync(ct)).Select(f => (f.Id, f.FileName, f.ContentType, f.Size)).ToList();
        var publicId = a.EntryId is { } e ? await db.Entries.Where(x => x.Id == e).Select(x => x.PublicId).FirstOrDefaultAsync(ct) : null;
        var forwardedBy = a.MeasureId is { } m ? (await ForwardersAsync(db, [m], ct)).GetValueOrDefault(m) : null;
        return new OfficeView(a, await ViewAsync(db, a, ct), publicId, files, forwardedBy);
    }

    /// <summary>An attachment for a person who may see its application, or null.</summary>
    public async Task<ApplicationAttachment?> AttachmentAsync(ClaimsPrincipal user, long applicationId, long fileId, CancellationToken ct = default)
    {
        if (await gate.RefuseAsync(user) is not null) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await Visible(db, user).AnyAsync(a => a.Id == applicationId, ct)) return null;
        return await db.ApplicationAttachments.AsNoTracking().FirstOrDefaultAsync(f => f.Id == fileId && f.ApplicationId == applicationId, ct);
    }

    /// <summary>
    /// Records the court's decision, checking the person's role and court again first. Null when done, else why not.
    /// Accepting a correction or reconsideration with <see cref="ApplicationDecision.Revoke"/> revokes the entry through
    /// the lifecycle (audit, change event, takedown notices) in the same transaction as the decision.
    /// </summary>
    public async Task<string?> DecideAsync(ClaimsPrincipal user, long id, ApplicationDecision d, CancellationToken ct = default)
    {
        await using (var look = await dbFactory.CreateDbContextAsync(ct))
        {
            var a = await Visible(look, user).FirstOrDefaultAsync(x => x.Id == id, ct);
            if (a is null) return "找不到该申请，或它不属于您所在法院";
            if (await gate.RefuseAsync(user, a.Kind == ApplicationKind.Complaint && a.CourtCode.Length == 0 ? StaffRoles.Admin : RoleFor(a.Kind)) is { } refused) return refused;
            if (a.Status != ApplicationStatus.Received) return $"该申请已处理（{a.Status.Label(a.Kind)}）";
            var reasons = d.Reasons.Trim();
            if (reasons.Length == 0) return a.Kind == ApplicationKind.Complaint ? "请写明答复内容" : d.Accept ? "请写明决定的理由" : "驳回须写明理由";
            if (reasons.Length > MaxText) return $"理由最多 {MaxText} 字";
            if (a.Kind == ApplicationKind.CreditRepair && string.IsNullOrWhiteSpace(d.DecidingUnit)) return "请填写作出信用修复决定的单位";
            var actor = user.Identity!.Name!;
            var now = clock.GetUtcNow().UtcDateTime;
            var status = a.Kind == ApplicationKind.Complaint ? ApplicationStatus.Answered : d.Accept ? ApplicationStatus.Accepted : ApplicationStatus.Refused;
            var shields = d.Accept && d.Shield is not null && a.Kind == ApplicationKind.Correction && a.EntryId is not null;
            var revokes = !shields && d.Accept && d.Revoke && a.Kind is ApplicationKind.Correction or ApplicationKind.Reconsideration && a.EntryId is not null;
            if (d.Shield is { EventDate: var happened } && happened > ChinaTime.Today(clock)) return "事由发生日期不能晚于今天";

            async Task Write(PortalDbContext db)
            {
                var row = await db.Applications.SingleAsync(x => x.Id == id, ct);
                if (row.Status != ApplicationStatus.Received) throw new DecidedMeanwhileException();
                row.Status = status;
                row.DecidedAt = now;
                row.DecidedBy = actor;
                row.Decision = reasons;
                row.DecidingUnit = a.Kind == ApplicationKind.CreditRepair ? d.DecidingUnit!.Trim() : null;
                var note = (revokes ? "已撤销该条目的失信信息。" : shields ? "已屏蔽该条目的失信信息。" : "") + (a.Kind == ApplicationKind.CreditRepair ? $"决定单位：{row.DecidingUnit}。" : "") + reasons;
                if (status == ApplicationStatus.Refused && a.Kind == ApplicationKind.Correction)
                    note += $"。不服的，可自决定之日起{Periods.ReconsiderationApply.Text}内向上一级人民法院申请复议";
                Record(db, row, note, now);
                await measures.ObjectionDecidedAsync(db, row, revokes || shields, now, ct); // a unit's forwarded objection: resume or lift
            }

            var audit = new AuditRecord
            {
                At = now, Actor = actor, Action = $"application-{status.Code()}", EntryId = a.EntryId, CaseNumber = a.CaseNumber,
                Reason = $"{a.Kind.Label()} #{a.Id}：{status.Label(a.Kind)}。{reasons}",
            };
            try
            {
                if (revokes || shields)
                {
                    var step = shields ? EntryActions.Shield(d.Shield!.Value.Ground, d.Shield.Value.EventDate)
                        : a.Kind == ApplicationKind.Reconsideration ? EntryActions.Reconsideration(true, $"复议申请 #{a.Id}：{reasons}")
                        : EntryActions.Revoke($"纠正申请 #{a.Id} 成立：{reasons}");
                    var result = await actions.ApplyWithAsync(a.EntryId!.Value, step, actor, StaffRoles.ScopeOf(user), async (db, r) =>
                    {
                        if (r.Outcome is not (ItemOutcome.Applied or ItemOutcome.AlreadyDone)) return;
                        await Write(db);
                        await AuditLog.AppendAsync(db, [audit], ct);
                    }, ct);
                    return result.Outcome is ItemOutcome.Applied or ItemOutcome.AlreadyDone ? null : result.Message ?? "无法撤销该条目";
                }
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
                await Write(db);
                await AuditLog.AppendAsync(db, [audit], ct);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return null;
            }
            catch (DecidedMeanwhileException) { return "该申请刚刚已由他人处理，请刷新"; }
        }
    }

    private sealed class DecidedMeanwhileException : Exception;

    // ---- Objections forwarded by joint-punishment units (seed 004) ----

    /// <summary>
    /// A subject objected to a unit's measure: the unit forwards the objection as a correction to the listing court (its
    /// queue, marked as forwarded by the unit, due within the review period) and the measure is suspended, in one
    /// transaction with its audit records. The subject can follow it with the tracking code the unit is given.
    /// </summary>
    public async Task<(Measures.ObjectionForwarded? Forwarded, Measures.MeasureProblem? Problem)> ForwardObjectionAsync(
        long clientId, string unit, long measureId, string? grounds, CancellationToken ct = default)
    {
        var text = (grounds ?? "").Trim();
        if (text.Length == 0) return (null, new(400, "grounds_required", "请写明被执行人提出异议的事实和理由（grounds）", "grounds"));
        if (text.Length > MaxText) return (null, new(400, "text_too_long", $"异议的事实和理由最多 {MaxText} 字，本次为 {text.Length} 字", "grounds"));
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var measure = await db.Measures.SingleOrDefaultAsync(m => m.Id == measureId && m.ClientId == clientId, ct);
        if (measure is null) return (null, Measures.MeasureLedger.NotFound);
        if (measure.Status != Data.Measures.MeasureStatus.Active)
            return (null, new(409, "measure_not_active", $"该措施当前为“{Data.Measures.MeasureLabels.Label(measure.Status)}”，只能对实施中的措施转交异议"));
        var submission = Sha256Hex($"measure-objection|{measureId}|{Guid.NewGuid():N}");
        var code = TrackingCode.For(key.Key, submission);
        var due = Periods.Decide(ApplicationKind.Correction).EndAfter(today, calendar);
        var application = new Application
        {
            Kind = ApplicationKind.Correction, Status = ApplicationStatus.Received, TrackingHash = TrackingCode.Hash(code), SubmissionHash = submission,
            EntryId = measure.EntryId, CaseNumber = measure.CaseNumber, CourtCode = measure.CourtCode, Court = measure.Court, Text = text,
            ContactChannel = ContactChannel.Phone, ContactCipher = "", ContactMasked = $"由{unit}转交", AddressHash = Keyed($"unit:{clientId}"),
            ReceivedAt = now, DueBy = due.Due, DueProvisional = due.Provisional, MeasureId = measure.Id,
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync(ct);
        Measures.MeasureLedger.Suspend(measure, application.Id, now);
        Record(db, application, $"联合惩戒单位“{unit}”转交被执行人对惩戒措施的异议，该措施在核实期间暂不执行；法院将于{due.Due:yyyy年M月d日}前作出决定", now);
        await AuditLog.AppendAsync(db, [
            new AuditRecord
            {
                At = now, Actor = unit, Action = "application-received", EntryId = measure.EntryId, CaseNumber = measure.CaseNumber,
                Reason = $"{ApplicationKind.Correction.Label()} #{application.Id}（由联合惩戒单位转交，惩戒措施 #{measure.Id}），期限 {due.Due:yyyy-MM-dd}",
            },
            new AuditRecord
            {
                At = now, Actor = unit, Action = "measure-suspended", EntryId = measure.EntryId, CaseNumber = measure.CaseNumber,
                Reason = $"惩戒措施 #{measure.Id}：被执行人提出异议，核实期间暂不执行（申请 #{application.Id}）",
            }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var view = await measures.FindAsync(clientId, measureId, ct);
        return (new Measures.ObjectionForwarded(view!, TrackingCode.Display(code), application.Court, due.Due, due.Provisional), null);
    }

    private string Keyed(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, Encoding.UTF8.GetBytes(text)));

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
