using Microsoft.EntityFrameworkCore;
using Portal.Data.Audit;
using Portal.Data.Courts;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;
using Portal.Web.Search;

namespace Portal.Web.Lifecycle;

public enum ItemOutcome { Applied, AlreadyDone, NotFound, Refused }

public sealed record ItemResult(string Target, ItemOutcome Outcome, string? Message = null, long? EntryId = null);

/// <summary>One lifecycle step with what the audit log records about it.</summary>
public sealed record EntryStep(string Action, string? Reason, Func<Entry, DateTime, Transition> Apply, Func<Entry, bool>? AlreadyDone = null);

/// <summary>
/// Carries out lifecycle steps for the web back office, the CLI and the background expiry alike: each batch is one
/// transaction holding the entry changes, their audit records and their public events; the index follows at once,
/// and every public read re-checks visibility in any case.
/// </summary>
public sealed class EntryActions(IDbContextFactory<PortalDbContext> dbFactory, IndexSync indexSync, Clients.TakedownLedger takedowns, Courts.CourtRegistry courts,
    Measures.MeasureLedger measures, TimeProvider clock)
{
    /// <param name="scope">The court a staff member acts within (web and command line alike); null for the portal's own work (expiry, import, demo).</param>
    public async Task<ItemResult> ApplyAsync(long entryId, EntryStep step, string actor, CancellationToken ct = default, CourtScope? scope = null) =>
        (await ApplyAsync(db => db.Entries.Where(e => e.Id == entryId).ToListAsync(ct), [entryId.ToString()], _ => entryId.ToString(), step, actor, ct, scope: scope))[0];

    /// <summary>
    /// The step and what records its cause (an application's decision), in one transaction: <paramref name="alongside"/>
    /// writes to the same context after the step was taken or found done, and nothing of either commits without the other.
    /// </summary>
    public async Task<ItemResult> ApplyWithAsync(long entryId, EntryStep step, string actor, CourtScope? scope,
        Func<PortalDbContext, ItemResult, Task> alongside, CancellationToken ct = default) =>
        (await ApplyAsync(db => db.Entries.Where(e => e.Id == entryId).ToListAsync(ct), [entryId.ToString()], _ => entryId.ToString(), step, actor, ct,
            scope: scope, alongside: (db, results) => alongside(db, results[0])))[0];

    /// <summary>
    /// Applies a step to the entries with these case numbers (any typed form), all in one transaction. A case number
    /// shared by several debtors needs <paramref name="name"/> to say which.
    /// </summary>
    /// <param name="preview">Only say what each case number would come to, changing nothing (a bulk shield's preview).</param>
    public Task<IReadOnlyList<ItemResult>> ApplyByCaseNumbersAsync(IReadOnlyList<string> caseNumbers, string? name, EntryStep step, string actor,
        CancellationToken ct = default, CourtScope? scope = null, bool preview = false)
    {
        var keys = caseNumbers.Select(CaseNumber.Key).Distinct().ToList();
        return ApplyAsync(
            db => db.Entries.Where(e => keys.Contains(e.CaseNumberKey) && (name == null || e.Name == name)).ToListAsync(ct),
            caseNumbers, e => e.CaseNumberKey, step, actor, ct, key: CaseNumber.Key, scope: scope, preview: preview);
    }

    private async Task<IReadOnlyList<ItemResult>> ApplyAsync(
        Func<PortalDbContext, Task<List<Entry>>> load,
        IReadOnlyList<string> targets,
        Func<Entry, string> keyOf,
        EntryStep step,
        string actor,
        CancellationToken ct,
        Func<string, string>? key = null,
        CourtScope? scope = null,
        Func<PortalDbContext, IReadOnlyList<ItemResult>, Task>? alongside = null,
        bool preview = false)
    {
        key ??= t => t;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var entries = (await load(db)).GroupBy(keyOf).ToDictionary(g => g.Key, g => g.ToList());
        var directory = courts.Current;
        var view = scope?.ViewIn(directory);
        var now = clock.GetUtcNow().UtcDateTime;
        var results = new List<ItemResult>();
        var audit = new List<AuditRecord>();
        var changed = new List<Entry>();
        var events = new List<EntryEvent>();
        foreach (var target in targets)
        {
            // An entry outside the person's view is not there for them: the answer never tells another court's records apart from none.
            if (!entries.TryGetValue(key(target), out var matches) || (matches = matches.Where(e => view is null || view.Covers(e.CourtCode)).ToList()).Count == 0)
            {
                results.Add(new(target, ItemOutcome.NotFound, "找不到该案号的条目"));
                continue;
            }
            if (matches.Count > 1)
            {
                results.Add(new(target, ItemOutcome.Refused, $"该案号下有{matches.Count}个被执行人，请指定姓名或名称"));
                continue;
            }
            var entry = matches[0];
            if (scope?.Refusal(directory, entry.CaseNumber, step.Action.StartsWith("reconsideration", StringComparison.Ordinal)) is { } outside)
            {
                results.Add(new(target, ItemOutcome.Refused, outside, entry.Id));
                continue;
            }
            if (step.AlreadyDone?.Invoke(entry) == true)
            {
                results.Add(new(target, ItemOutcome.AlreadyDone, $"已是“{entry.Status.Label()}”状态", entry.Id));
                continue;
            }
            var before = EntrySnapshot.Of(entry);
            var transition = step.Apply(entry, now);
            if (transition.Refused)
            {
                results.Add(new(target, ItemOutcome.Refused, transition.Refusal, entry.Id));
                continue;
            }
            entry.UpdatedAt = now;
            changed.Add(entry);
            audit.Add(new AuditRecord
            {
                At = now, Actor = actor, Action = step.Action, EntryId = entry.Id, CaseNumber = entry.CaseNumber, Reason = step.Reason,
                Changes = AuditRecord.ChangesJson(EntrySnapshot.Diff(before, EntrySnapshot.Of(entry))),
            });
            if (transition.Event is { } action) events.Add(EventFor(entry, action, now));
            results.Add(new(target, ItemOutcome.Applied, null, entry.Id));
        }
        if (preview) return results; // the transaction ends unsaved: nothing of it was written
        await AuditLog.AppendAsync(db, audit, ct);
        if (alongside is not null)
        {
            await db.SaveChangesAsync(ct); // the step's audit records first: the cause's records follow them in the chain
            await alongside(db, results);
        }
        db.EntryEvents.AddRange(events);
        await db.SaveChangesAsync(ct);
        await takedowns.AddNoticesAsync(db, events, ct); // reprinters' deadlines start with the removal, in its transaction
        await measures.AddLiftsAsync(db, events, ct); // and so do the units' lift notices for the measures they applied
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (changed.Count > 0) await indexSync.RefreshAsync(changed, ct);
        return results;
    }

    public static EntryEvent EventFor(Entry e, EntryAction action, DateTime now) => new()
    {
        EntryId = e.Id, PublicId = e.PublicId, CaseNumber = e.CaseNumber, Court = e.Court, Action = action, At = now,
        RevokedAt = action == EntryAction.Revoked ? e.RevokedAt : null,
    };

    // The steps, named as the people who take them say them.
    public static EntryStep RiskNotice(DateOnly servedOn, ServiceMethod method) =>
        new("record-risk-notice", $"{method.Label()}，{servedOn:yyyy-MM-dd}", (e, now) => EntryLifecycle.RecordRiskNotice(e, servedOn, method, now));

    public static EntryStep Publish(Portal.Data.Privacy.IdNumberProtection protection) =>
        new("publish", null, (e, now) => EntryLifecycle.Publish(e, now, protection.BirthDateOf(e)), e => e.Status == EntryStatus.Published);

    public static EntryStep RemovalEvent(RemovalGround ground, DateOnly eventDate) =>
        new("record-removal-event", ground.Label(), (e, now) => EntryLifecycle.RecordRemovalEvent(e, ground, eventDate, now));

    public static EntryStep Shield(RemovalGround ground, DateOnly eventDate) =>
        new("shield", ground.Label(), (e, now) => EntryLifecycle.Shield(e, ground, eventDate, now),
            e => e.Status is EntryStatus.Shielded or EntryStatus.Revoked or EntryStatus.Expired); // already off the list

    public static EntryStep Revoke(string reason, DateOnly? eventDate = null) =>
        new("revoke", reason, (e, now) => EntryLifecycle.Revoke(e, reason, eventDate, now), e => e.Status == EntryStatus.Revoked);

    /// <summary>A superior court's decision on reconsideration (复议): accepted revokes the listing, refused keeps it, reasons recorded.</summary>
    public static EntryStep Reconsideration(bool accepted, string reasons) => accepted
        ? new("reconsideration-accepted", reasons, (e, now) => EntryLifecycle.Revoke(e, "复议撤销：" + reasons, null, now), e => e.Status == EntryStatus.Revoked)
        : new("reconsideration-refused", reasons, (e, _) => string.IsNullOrWhiteSpace(reasons) ? Transition.Refuse("驳回复议须写明理由") : Transition.To(null));

    public static EntryStep Expire() => new("expire", "失信期限届满", EntryLifecycle.Expire, e => e.Status == EntryStatus.Expired);

    public static EntryStep Republish(string reason) => new("republish", reason, (e, now) => EntryLifecycle.Republish(e, reason, now));

    public static EntryStep MarkNonPublic(string employerUnit, string reason) =>
        new("mark-non-public", reason, (e, now) => EntryLifecycle.MarkNonPublic(e, employerUnit, now), e => e.NonPublic);

    /// <summary>Edits the descriptive fields from a form. An empty ID number keeps the stored one (it is never shown), the legal representative's too.</summary>
    /// <param name="courts">The court directory in force (<see cref="Courts.CourtRegistry.Current"/>); the shipped one when not given.</param>
    public static EntryStep Edit(EntryInput input, Portal.Data.Privacy.IdNumberProtection protection, CourtDirectory? courts = null) => new("edit", null, (e, now) =>
    {
        if (string.IsNullOrWhiteSpace(input.IdNumber) && e.IdNumberCipher is { } cipher) input.IdNumber = protection.Decrypt(cipher);
        if (string.IsNullOrWhiteSpace(input.LegalRepresentativeIdNumber) && e.LegalRepresentativeIdCipher is { } representative)
            input.LegalRepresentativeIdNumber = protection.Decrypt(representative);
        input.SubjectType = e.SubjectType.Code();
        input.Status = e.Status.Code();
        input.PublishedAt = e.PublishedAt?.ToString("O");
        input.RevokedAt = null;
        input.NonPublic = e.NonPublic;
        input.EmployerUnit = e.EmployerUnit;
        var result = EntryValidation.Validate(input, protection, now, courts);
        return result.IsValid ? EntryLifecycle.Edit(e, result.Entry!, now) : Transition.Refuse(string.Join("；", result.Errors));
    });

    public static EntryStep EmployerNotified() => new("employer-notified", null, (e, now) =>
    {
        if (!e.NonPublic) return Transition.Refuse("该条目不是依法不宜公开的条目");
        e.EmployerNotifiedAt = now;
        return Transition.To(null);
    }, e => e.EmployerNotifiedAt is not null);
}
