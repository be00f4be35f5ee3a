using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Audit;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Search.Analysis;

namespace Portal.Web.Clients;

/// <summary>The <c>Watch</c> configuration section.</summary>
public sealed class WatchOptions
{
    public const string Section = "Watch";

    /// <summary>Subjects one client may watch.</summary>
    [Range(1, 10_000_000)] public int MaxSubjects { get; set; } = 1_000_000;
}

/// <summary>A subject as a client sends it: its own reference, the name, and the ID number or the credit code.</summary>
public sealed record WatchSubjectInput(string? Reference, string? Name, string? IdNumber, string? CreditCode);

/// <summary>A line (or array item, counted from 1) of a book that cannot be taken, its reference, and why; never the number itself.</summary>
public sealed record WatchLineProblem(int Line, string Code, string Detail, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reference = null);

/// <summary>
/// What a registration did: subjects added, replaced (a reference already watched), removed (by a replacement of the
/// whole book: watched before and not in it), the book's size after it, and its first matching (of this registration's subjects).
/// </summary>
public sealed record WatchRegistered(int Added, int Replaced, int Removed, int Total, int AlreadyListed, int Unverifiable);

/// <summary>A watched subject as its client sees it: reference, kind, the normalized name; never the number.</summary>
public sealed record WatchedView(string Reference, string SubjectType, string Name, bool Unverifiable, DateTime AddedAt);

public sealed record WatchListPage(IReadOnlyList<WatchedView> Subjects, long Next, bool HasMore, int Total);

/// <summary>
/// An alert: which of the client's references an entry concerns and what happened to it. When the entry's name is not the
/// watched one (the number matched, the name did not) the entry is not named: that would tell a number's holder who is
/// listed under it.
/// </summary>
public sealed record WatchEventView(long Id, WatchEventType Type, DateTime At, string Reference, string MatchedOn, bool NameMatches,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PublicId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CaseNumber,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Court);

public sealed record WatchFeedPage(IReadOnlyList<WatchEventView> Events, long Next, bool HasMore);

/// <summary>Why a whole registration was refused (nothing of it stored).</summary>
public sealed record WatchRefusal(int Status, string Code, string Message, IReadOnlyList<WatchLineProblem> Lines);

/// <summary>
/// A bank's or unit's watched book (issue #25): up to <see cref="WatchOptions.MaxSubjects"/> subjects per client, kept as
/// keyed hashes of their numbers and normalized names. Registration is all or nothing and matches the book against the
/// public list at once (<c>already_listed</c>); afterwards every change-feed event is matched by
/// <see cref="MatchChangesAsync"/> and becomes an alert in the client's watch feed and, with a webhook, a signed delivery.
/// Person numbers pass the exact-lookup guard like a verification's: a book cannot be used to try a listed person's hidden digits.
/// </summary>
public sealed class WatchBook(
    IDbContextFactory<PortalDbContext> dbFactory, IdNumberProtection protection, ChineseAnalyzer analyzer, Privacy.ExactIdGuard guard,
    IOptions<WatchOptions> options, IOptions<Privacy.PrivacyOptions> privacy, TimeProvider clock)
{
    public const int MaxReferenceLength = 64;
    public const int MaxJsonSubjects = 1000;
    public const int MaxLinesReported = 100;
    private const string CursorSetting = "watch-cursor";
    private const string OnIdentifier = "identifier", OnRepresentative = "legalRepresentative";

    private sealed record Checked(int Line, string Reference, SubjectType Type, string NameKey, string Hash, IdNumber? Id, string? Code, string? Family);

    /// <summary>
    /// Adds the subjects (a reference already in the book is replaced), or with <paramref name="replace"/> makes them the
    /// whole book. Any bad line, or a book over its limit, refuses all of it.
    /// </summary>
    public async Task<(WatchRegistered? Done, WatchRefusal? Refused)> RegisterAsync(long clientId, string clientName,
        IReadOnlyList<(int Line, WatchSubjectInput Input)> lines, bool replace, CancellationToken ct = default)
    {
        var (subjects, problems) = Check(lines);
        if (problems.Count > 0)
            return (null, new WatchRefusal(400, "book_rejected",
                $"监测名单有 {problems.Count} 行有误，整批未登记；请改正后重新提交" + (problems.Count > MaxLinesReported ? $"（只列出前 {MaxLinesReported} 行）" : ""),
                problems.Take(MaxLinesReported).ToList()));

        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var existing = await db.WatchedSubjects.CountAsync(w => w.ClientId == clientId, ct);
        var replaced = 0;
        foreach (var chunk in subjects.Select(s => s.Reference).Chunk(1000))
            replaced += await db.WatchedSubjects.CountAsync(w => w.ClientId == clientId && chunk.Contains(w.Reference), ct);
        var total = replace ? subjects.Count : existing - replaced + subjects.Count;
        var removed = replace ? existing - replaced : 0;
        if (total > options.Value.MaxSubjects)
            return (null, new WatchRefusal(422, "book_over_limit",
                $"每个客户最多监测 {options.Value.MaxSubjects:N0} 个对象；本次登记后将有 {total:N0} 个，整批未登记。请先移除不再需要监测的对象，或以替换方式（mode=replace）上传完整名单", []));

        if (replace) await db.WatchedSubjects.Where(w => w.ClientId == clientId).ExecuteDeleteAsync(ct);
        else
            foreach (var chunk in subjects.Select(s => s.Reference).Chunk(1000))
                await db.WatchedSubjects.Where(w => w.ClientId == clientId && chunk.Contains(w.Reference)).ExecuteDeleteAsync(ct);

        // The first matching: the public entries under these numbers now, as debtors or as recorded legal representatives.
        var debtors = new Dictionary<string, List<Entry>>();
        var represented = new Dictionary<string, List<Entry>>();
        // By the number's index alone, the public rule applied to the rows found: with the rule in the query SQLite walks
        // every published entry instead (Status is the first index it sees), a second per thousand numbers at a million.
        var entries = db.Entries.AsNoTracking();
        foreach (var chunk in subjects.Where(s => s.Id is not null).Select(s => s.Hash).Distinct().Chunk(1000))
        {
            foreach (var e in await entries.Where(e => chunk.Contains(e.IdNumberHash!)).ToListAsync(ct)) if (e.IsPublic(today)) Add(debtors, e.IdNumberHash!, e);
            foreach (var e in await entries.Where(e => chunk.Contains(e.LegalRepresentativeIdHash!)).ToListAsync(ct))
                if (e.IsPublic(today)) Add(represented, e.LegalRepresentativeIdHash!, e);
        }
        foreach (var chunk in subjects.Where(s => s.Code is not null).Select(s => s.Code!).Distinct().Chunk(1000))
            foreach (var e in await entries.Where(e => chunk.Contains(e.CreditCode!)).ToListAsync(ct)) if (e.IsPublic(today)) Add(debtors, protection.HashCreditCode(e.CreditCode!), e);

        var people = subjects.Where(s => s.Id is not null).ToList();
        var allowed = await guard.MayWatchAsync(db, Privacy.IdLookupCaller.Client(clientId, clientName),
            people.Select(s => (new Privacy.ExactIdLookup(s.Id!.Value, debtors.ContainsKey(s.Hash) || represented.ContainsKey(s.Hash)), s.NameKey)).ToList(), now, ct);
        var unverifiable = people.Where((_, i) => !allowed[i]).Select(s => s.Line).ToHashSet();
        await db.SaveChangesAsync(ct); // the guard's counts and any closing in the audit chain, before this registration's record

        var since = await db.EntryEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        await BulkInsert.WriteAsync(db, subjects.Select(s => new WatchedSubject
        {
            ClientId = clientId, Reference = s.Reference, SubjectType = s.Type, NameKey = s.NameKey, NumberHash = s.Hash, FamilyKey = s.Family,
            Unverifiable = unverifiable.Contains(s.Line), AddedAt = now, SinceEvent = since,
        }), ct);

        // A book holding more numbers of one family under one name than the guard answers could wait, with every candidate,
        // for a listing to name the right one: all of them are kept unmatched, now and later.
        var crowded = new HashSet<string>();
        var allowance = privacy.Value.ClientMissesPerFamily + 1;
        foreach (var chunk in subjects.Where(s => s.Family is not null).Select(s => s.Family!).Distinct().Chunk(1000))
            crowded.UnionWith(await db.WatchedSubjects.Where(w => w.ClientId == clientId && chunk.Contains(w.FamilyKey!))
                .GroupBy(w => w.FamilyKey!).Where(g => g.Count() > allowance).Select(g => g.Key).ToListAsync(ct));
        foreach (var chunk in crowded.Chunk(1000))
            await db.WatchedSubjects.Where(w => w.ClientId == clientId && chunk.Contains(w.FamilyKey!)).ExecuteUpdateAsync(u => u.SetProperty(w => w.Unverifiable, true), ct);
        unverifiable.UnionWith(subjects.Where(s => s.Family is not null && crowded.Contains(s.Family)).Select(s => s.Line));

        var alerts = new List<WatchEvent>();
        foreach (var s in subjects.Where(s => !unverifiable.Contains(s.Line)))
        {
            foreach (var e in debtors.GetValueOrDefault(s.Hash) ?? [])
                if (Tells(s.Type, analyzer.Key(e.Name) == s.NameKey) is { } agrees)
                    alerts.Add(Alert(clientId, s.Reference, WatchEventType.AlreadyListed, OnIdentifier, agrees, e, now, null));
            foreach (var e in represented.GetValueOrDefault(s.Hash) ?? [])
                if (analyzer.Key(e.LegalRepresentative) == s.NameKey)
                    alerts.Add(Alert(clientId, s.Reference, WatchEventType.AlreadyListed, OnRepresentative, true, e, now, null));
        }
        await TellAsync(db, alerts, now, ct);
        await AuditLog.AppendAsync(db, [new AuditRecord
        {
            At = now, Actor = clientName, Action = "watch-book",
            Reason = $"{(replace ? "替换" : "登记")}监测名单：{subjects.Count} 个对象（更新同编号 {replaced} 个，移除 {removed} 个），现共 {total} 个；" +
                     $"登记时已在名单中 {alerts.Select(a => a.Reference).Distinct().Count()} 个，暂无法监测 {unverifiable.Count} 个",
        }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (new WatchRegistered(subjects.Count - replaced, replaced, removed, total, alerts.Select(a => a.Reference).Distinct().Count(), unverifiable.Count), null);
    }

    /// <summary>Each line checked on its own: reference, name, exactly one valid number, no reference twice.</summary>
    private (List<Checked> Subjects, List<WatchLineProblem> Problems) Check(IReadOnlyList<(int Line, WatchSubjectInput Input)> lines)
    {
        var subjects = new List<Checked>(lines.Count);
        var problems = new List<WatchLineProblem>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, s) in lines)
        {
            var reference = s.Reference?.Trim() ?? "";
            void Bad(string code, string detail) =>
                problems.Add(new WatchLineProblem(line, code, detail,
                    reference.Length is > 0 and <= MaxReferenceLength && !reference.Any(char.IsControl) && !IdNumber.HoldsIdNumber(reference) ? reference : null));
            var hasId = !string.IsNullOrWhiteSpace(s.IdNumber);
            var hasCode = !string.IsNullOrWhiteSpace(s.CreditCode);
            if (reference.Length == 0) Bad("reference_required", "请填写本单位的客户编号（reference），提醒中以它指明是哪一个对象");
            else if (reference.Length > MaxReferenceLength || reference.Any(char.IsControl)) Bad("invalid_reference", $"客户编号最长 {MaxReferenceLength} 个字符，且不能含控制字符");
            else if (IdNumber.HoldsIdNumber(reference)) Bad("invalid_reference", "客户编号中不能含身份证号码：号码只填在身份证号码一栏（它只以核对码保存，客户编号则原样保存和显示）");
            else if (seen.TryGetValue(reference, out var first)) Bad("duplicate_reference", $"客户编号与第 {first} 行重复");
            else if (string.IsNullOrWhiteSpace(s.Name)) Bad("name_required", "请填写姓名或名称，用于核对是否同名");
            else if (s.Name.Trim().Length > 100) Bad("invalid_name", "姓名或名称最长 100 个字");
            else if (IdNumber.HoldsIdNumber(s.Name)) Bad("invalid_name", "姓名或名称中不能含身份证号码：号码只填在身份证号码一栏");
            else if (hasId && hasCode) Bad("identifier_required", "身份证号码和统一社会信用代码只能填写其一");
            else if (!hasId && !hasCode) Bad("identifier_required", "请填写身份证号码或统一社会信用代码：监测名单按号码精确比对，只有姓名的对象请用批量核查的名称筛查");
            else if (hasId && ExcelMangled(s.IdNumber!)) Bad("invalid_id_number", "号码被 Excel 变成了科学计数法（如 4.12702E+17），末几位已丢失：请把该列设为“文本”，重新填入号码后另存为 CSV");
            else if (hasId && !IdNumber.TryParse(s.IdNumber, out _, out var error)) Bad("invalid_id_number", Unquoted(error!));
            else if (hasCode && !CreditCode.TryParse(s.CreditCode, out _, out var codeError)) Bad("invalid_credit_code", Unquoted(codeError!));
            if (reference.Length > 0) seen.TryAdd(reference, line);
            if (problems.Count > 0) continue; // once a line is bad nothing is stored: the rest are only checked
            if (hasId && IdNumber.TryParse(s.IdNumber, out var id, out _))
                subjects.Add(new Checked(line, reference, SubjectType.Person, analyzer.Key(s.Name), protection.Hash(id), id, null, guard.WatchKey(id, analyzer.Key(s.Name))));
            else if (CreditCode.TryParse(s.CreditCode, out var code, out _))
                subjects.Add(new Checked(line, reference, SubjectType.Organization, analyzer.Key(s.Name), protection.HashCreditCode(code), null, code, null));
        }
        if (problems.Count == 0 && subjects.Count == 0) problems.Add(new WatchLineProblem(0, "book_empty", "没有要监测的对象"));
        return (subjects, problems);
    }

    /// <summary>A long number Excel showed in scientific notation and saved so (4.12702E+17): its last digits are gone.</summary>
    private static bool ExcelMangled(string number) => number.Contains("E+", StringComparison.OrdinalIgnoreCase) && number.Any(char.IsAsciiDigit);

    /// <summary>A number's error without the digits it quotes (a region code, a birth date, a check digit): a book's numbers appear nowhere.</summary>
    private static string Unquoted(string error) => error.Split('：')[0];

    public async Task<WatchListPage> ListAsync(long clientId, long after, int limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.WatchedSubjects.AsNoTracking().Where(w => w.ClientId == clientId && w.Id > after).OrderBy(w => w.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        var total = await db.WatchedSubjects.CountAsync(w => w.ClientId == clientId, ct);
        return new WatchListPage(rows.Select(View).ToList(), rows.Count > 0 ? rows[^1].Id : after, hasMore, total);
    }

    public async Task<WatchedView?> FindAsync(long clientId, string reference, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WatchedSubjects.AsNoTracking().Where(w => w.ClientId == clientId && w.Reference == reference).ToListAsync(ct) is [var w] ? View(w) : null;
    }

    /// <summary>Removes one subject (true) or, with no reference, the whole book; returns how many were removed.</summary>
    public async Task<int> RemoveAsync(long clientId, string clientName, string? reference, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var removed = await db.WatchedSubjects.Where(w => w.ClientId == clientId && (reference == null || w.Reference == reference)).ExecuteDeleteAsync(ct);
        if (removed > 0 && reference is null)
            await AuditLog.AppendAsync(db, [new AuditRecord { At = clock.GetUtcNow().UtcDateTime, Actor = clientName, Action = "watch-book", Reason = $"清空监测名单：移除 {removed} 个对象" }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return removed;
    }

    public async Task<WatchFeedPage> FeedAsync(long clientId, long after, int limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = await db.WatchEvents.AsNoTracking().Where(e => e.ClientId == clientId && e.Id > after).OrderBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = events.Count > limit;
        if (hasMore) events.RemoveAt(events.Count - 1);
        return new WatchFeedPage(events.Select(View).ToList(), events.Count > 0 ? events[^1].Id : after, hasMore);
    }

    /// <summary>The client's newest alerts, newest first (the page shows them).</summary>
    public async Task<IReadOnlyList<WatchEventView>> LatestAsync(long clientId, int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.WatchEvents.AsNoTracking().Where(e => e.ClientId == clientId).OrderByDescending(e => e.Id).Take(count).ToListAsync(ct)).Select(View).ToList();
    }

    /// <summary>One alert, for its webhook delivery.</summary>
    public static async Task<WatchEventView> DescribeAsync(PortalDbContext db, long id, CancellationToken ct) =>
        View(await db.WatchEvents.AsNoTracking().SingleAsync(e => e.Id == id, ct));

    /// <summary>
    /// Matches the change-feed events since the last run against every watched book, in order and once (a setting keeps
    /// the cursor; two nodes take turns through the serialized transaction). Returns the alerts written.
    /// </summary>
    public async Task<int> MatchChangesAsync(CancellationToken ct = default)
    {
        var written = 0;
        for (var round = 0; round < 20; round++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
            var setting = await db.Settings.SingleOrDefaultAsync(s => s.Name == CursorSetting, ct)
                          ?? db.Settings.Add(new PortalSetting { Name = CursorSetting, Value = "0" }).Entity;
            var cursor = long.Parse(setting.Value, System.Globalization.CultureInfo.InvariantCulture);
            if (!await db.WatchedSubjects.AnyAsync(ct))
            {
                // No book anywhere: nothing before now can concern a subject added later (its first matching covers it).
                setting.Value = ((await db.EntryEvents.MaxAsync(e => (long?)e.Id, ct)) ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return written;
            }
            var events = await db.EntryEvents.AsNoTracking().Where(e => e.Id > cursor).OrderBy(e => e.Id).Take(1000).ToListAsync(ct);
            if (events.Count == 0) { await db.SaveChangesAsync(ct); await tx.CommitAsync(ct); return written; }
            var now = clock.GetUtcNow().UtcDateTime;
            var alerts = await AlertsForAsync(db, events, now, ct);
            await TellAsync(db, alerts, now, ct);
            setting.Value = events[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            written += alerts.Count;
            if (events.Count < 1000) return written;
        }
        return written;
    }

    private async Task<List<WatchEvent>> AlertsForAsync(PortalDbContext db, IReadOnlyList<EntryEvent> events, DateTime now, CancellationToken ct)
    {
        var entries = new Dictionary<long, Entry>();
        foreach (var chunk in events.Select(e => e.EntryId).Distinct().Chunk(500))
            foreach (var e in await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.Id)).ToListAsync(ct)) entries[e.Id] = e;
        string? DebtorHash(Entry e) => e.IdNumberHash ?? (e.CreditCode is { } code ? protection.HashCreditCode(code) : null);
        var hashes = entries.Values.SelectMany(e => new[] { DebtorHash(e), e.LegalRepresentativeIdHash }).OfType<string>().Distinct().ToList();
        var watched = new List<WatchedSubject>();
        foreach (var chunk in hashes.Chunk(1000))
            watched.AddRange(await db.WatchedSubjects.AsNoTracking().Where(w => chunk.Contains(w.NumberHash) && !w.Unverifiable).ToListAsync(ct));
        if (watched.Count == 0) return [];
        // A revoked client, or one whose watch scope was taken away, is told nothing more (its book stays until removed).
        var clientIds = watched.Select(w => w.ClientId).Distinct().ToList();
        var watching = (await db.ApiClients.AsNoTracking().Where(c => clientIds.Contains(c.Id) && c.RevokedAt == null).ToListAsync(ct))
            .Where(c => c.Has(ClientScopes.Watch)).Select(c => c.Id).ToHashSet();
        var byHash = watched.Where(w => watching.Contains(w.ClientId)).ToLookup(w => w.NumberHash);
        var alerts = new List<WatchEvent>();
        foreach (var change in events)
        {
            if (!entries.TryGetValue(change.EntryId, out var e)) continue;
            var type = TypeOf(change.Action);
            foreach (var w in DebtorHash(e) is { } debtor ? byHash[debtor] : [])
                if (w.SinceEvent < change.Id && Tells(w.SubjectType, analyzer.Key(e.Name) == w.NameKey) is { } agrees)
                    alerts.Add(Alert(w.ClientId, w.Reference, type, OnIdentifier, agrees, e, change.At, change.Id));
            foreach (var w in e.LegalRepresentativeIdHash is { } representative ? byHash[representative] : [])
                if (w.SinceEvent < change.Id && analyzer.Key(e.LegalRepresentative) == w.NameKey)
                    alerts.Add(Alert(w.ClientId, w.Reference, type, OnRepresentative, true, e, change.At, change.Id));
        }
        return alerts;
    }

    /// <summary>
    /// Whether a match is told, and with nameMatches what: a person's number is secret, so a match under another name is
    /// not told at all (else a book of one masked number's candidates under invented names would find the real one); a
    /// credit code is public, so an organization's is told, without naming the entry.
    /// </summary>
    private static bool? Tells(SubjectType type, bool nameAgrees) => nameAgrees ? true : type == SubjectType.Organization ? false : null;

    private static WatchEventType TypeOf(EntryAction action) => action switch
    {
        EntryAction.Published or EntryAction.Republished => WatchEventType.Listed,
        EntryAction.Updated => WatchEventType.Updated,
        EntryAction.Shielded => WatchEventType.Shielded,
        EntryAction.Revoked => WatchEventType.Revoked,
        EntryAction.Expired => WatchEventType.Expired,
        _ => WatchEventType.Withdrawn,
    };

    private static WatchEvent Alert(long clientId, string reference, WatchEventType type, string on, bool nameMatches, Entry e, DateTime at, long? eventId) => new()
    {
        ClientId = clientId, Reference = reference, Type = type, MatchedOn = on, NameMatches = nameMatches,
        PublicId = e.PublicId, CaseNumber = e.CaseNumber, Court = e.Court, At = at, EntryEventId = eventId,
    };

    /// <summary>The alerts, and a webhook delivery for each whose client has a webhook and the watch scope: in the caller's transaction.</summary>
    private static async Task TellAsync(PortalDbContext db, List<WatchEvent> alerts, DateTime now, CancellationToken ct)
    {
        if (alerts.Count == 0) return;
        db.WatchEvents.AddRange(alerts);
        await db.SaveChangesAsync(ct); // assigns the ids the deliveries carry
        var clientIds = alerts.Select(a => a.ClientId).Distinct().ToList();
        var hooked = (await db.ApiClients.AsNoTracking().Where(c => clientIds.Contains(c.Id) && c.RevokedAt == null && c.WebhookUrl != null).ToListAsync(ct))
            .Where(c => c.Has(ClientScopes.Watch)).Select(c => c.Id).ToHashSet();
        db.WebhookDeliveries.AddRange(alerts.Where(a => hooked.Contains(a.ClientId)).Select(a => new WebhookDelivery
        {
            ClientId = a.ClientId, EventId = a.Id, Feed = DeliveryFeed.Watch, Status = DeliveryStatus.Pending, CreatedAt = now, NextAttemptAt = now,
        }));
    }

    private static WatchedView View(WatchedSubject w) => new(w.Reference, w.SubjectType.Code(), w.NameKey, w.Unverifiable, w.AddedAt);

    private static WatchEventView View(WatchEvent e) => e.NameMatches
        ? new(e.Id, e.Type, e.At, e.Reference, e.MatchedOn, true, e.PublicId, e.CaseNumber, e.Court)
        : new(e.Id, e.Type, e.At, e.Reference, e.MatchedOn, false, null, null, null);

    private static void Add(Dictionary<string, List<Entry>> map, string key, Entry e)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(e);
    }
}
