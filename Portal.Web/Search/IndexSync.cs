using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Publication;
using Portal.Search.Index;
using Portal.Web.Hosting;

namespace Portal.Web.Search;

/// <summary>
/// Keeps the search index (on disk, in the data directory) a faithful copy of the public part of the database: opened at
/// start and caught up from the change events its last commit did not contain (or rebuilt when it is missing, unreadable
/// or from another database), updated in the request that commits a change, and following the change events for what
/// other processes (a CLI verb, another node) commit. Only entries that <see cref="EntryVisibility"/> allows are ever put
/// in it. Each commit of the index records the newest change event it contains.
/// </summary>
public sealed class IndexSync(SearchIndex index, IDbContextFactory<PortalDbContext> dbFactory, PortalReadiness readiness, TimeProvider clock, ILogger<IndexSync> logger)
{
    /// <summary>The newest change event applied, and what identifies it in this database (its id and time).</summary>
    private sealed record Position(long Cursor, string Stamp);

    private Position _position = new(0, "");
    private string _database = "";
    private long _committed = -1;

    /// <summary>The newest change event applied to the index.</summary>
    public long Cursor => Volatile.Read(ref _position).Cursor;

    /// <summary>
    /// Raised after entries changed, whoever changed them (this process, a CLI verb, another node): the back office's
    /// live views redraw on it.
    /// </summary>
    public event Action? Changed;
    private readonly SemaphoreSlim _catchUp = new(1, 1);

    /// <summary>
    /// What identifies a change event of this database: the database (a digest of the sentence encrypted once into it,
    /// different for every database, the same for every node of one), the event's id and its time.
    /// </summary>
    private string Stamp(long cursor, DateTime? at) => $"{_database}:{cursor}@{at?.Ticks ?? 0}";

    private async Task IdentifyDatabaseAsync(PortalDbContext db, CancellationToken ct)
    {
        var check = await db.Settings.Where(s => s.Name == PortalSetting.CipherKeyCheck).Select(s => s.Value).SingleOrDefaultAsync(ct) ?? "";
        _database = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(check)))[..16];
    }

    /// <summary>
    /// Opens the index and brings it up to date: from its last commit by the change events since, or by a rebuild when
    /// there is no usable index or it does not belong to this database (its last event is not this database's). Says in
    /// <paramref name="report"/> (the /health stage) and the log which it was.
    /// </summary>
    public async Task<long> OpenAsync(Action<string> report, CancellationToken ct = default)
    {
        var opening = index.Open();
        string? rebuildBecause = opening.Problem is { } problem ? "索引无法读取（" + problem + "）"
            : opening.Cursor is null ? "没有索引"
            : null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct)) await IdentifyDatabaseAsync(db, ct);
        if (rebuildBecause is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var cursor = opening.Cursor!.Value;
            var at = cursor == 0 ? null : await db.EntryEvents.Where(e => e.Id == cursor).Select(e => (DateTime?)e.At).SingleOrDefaultAsync(ct);
            if ((cursor != 0 && at is null) || Stamp(cursor, at) != opening.Stamp) rebuildBecause = "索引与数据库不一致（其最后一条变更不在本数据库中）";
        }
        if (rebuildBecause is not null)
        {
            logger.LogWarning("Rebuilding the search index in {Folder}: {Reason}", index.Folder, rebuildBecause);
            report("正在重建查询索引：" + rebuildBecause);
            return await RebuildAsync((done, total) => report($"正在重建查询索引 {done}/{total}（{rebuildBecause}）"), ct);
        }
        Volatile.Write(ref _position, new Position(opening.Cursor!.Value, opening.Stamp!));
        Interlocked.Exchange(ref _committed, opening.Cursor!.Value);
        report("正在追上索引之后的变更");
        var caughtUp = 0;
        int n;
        while ((n = await CatchUpAsync(ct)) > 0)
        {
            caughtUp += n;
            report($"正在追上索引之后的变更（已处理 {caughtUp} 条）");
        }
        Commit();
        logger.LogInformation("Search index opened with {Count} entries; {CaughtUp} changed entries caught up", index.Count(), caughtUp);
        return index.Count();
    }

    private static bool IsStorageFailure(Exception ex) => ex is IOException or ObjectDisposedException or UnauthorizedAccessException;

    private volatile bool _faulted;

    private void Fault(Exception ex)
    {
        _faulted = true;
        logger.LogError(ex, "The search index in {Folder} cannot be written; public search answers 503 until it recovers", index.Folder);
        var full = (ex.HResult & 0xFFFF) == 28 || ex.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase)
                   || ex.InnerException?.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase) == true;
        readiness.Fault($"查询索引无法写入（{(full ? "磁盘空间不足" : ex.Message)}），索引目录：{index.Folder}；恢复后将自动追上变更");
    }

    /// <summary>
    /// After a write to the index failed: reopens it from its last commit and catches up from the change events. True
    /// when the index is current again (public surfaces answer again).
    /// </summary>
    public async Task<bool> RecoverAsync(CancellationToken ct = default)
    {
        _faulted = false;
        await _catchUp.WaitAsync(ct);
        try { index.Close(); }
        finally { _catchUp.Release(); }
        try { await OpenAsync(_ => { }, ct); }
        catch (Exception ex) when (IsStorageFailure(ex)) { Fault(ex); }
        if (_faulted) return false;
        readiness.ClearFault();
        logger.LogInformation("The search index recovered and is current (change event {Cursor})", Cursor);
        return true;
    }

    // Compiled once for this database's model (a compiled query is bound to the first model it runs with: one static for
    // every instance failed where two databases' models live in one process, as in the tests).
    private readonly Func<PortalDbContext, CancellationToken, Task<long?>> _newestEvent =
        EF.CompileAsyncQuery((PortalDbContext c, CancellationToken t) => c.EntryEvents.Max(e => (long?)e.Id));

    private async Task<long> ReadNewestEventAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await _newestEvent(db, CancellationToken.None) ?? 0;
    }

    private readonly Lock _looking = new();
    private bool _reading;
    private TaskCompletionSource<long>? _nextLook;

    /// <summary>
    /// The newest committed change event, as read by a look that began after this call: the one a request waits for is
    /// never a look already under way (it might have read before a removal the request must see), but every request
    /// that comes while one look runs shares the next. Under load the database is asked once per look's time, not once
    /// per request (it was a sixth of a node's work), and no answer is older than its request.
    /// </summary>
    private Task<long> NewestEventAsync()
    {
        lock (_looking)
        {
            if (_reading) return (_nextLook ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            _reading = true;
        }
        var first = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = LookAsync(first);
        return first.Task;
    }

    private async Task LookAsync(TaskCompletionSource<long> waiting)
    {
        while (true)
        {
            try { waiting.SetResult(await ReadNewestEventAsync()); }
            catch (Exception ex) { waiting.SetException(ex); }
            lock (_looking)
            {
                if (_nextLook is null)
                {
                    _reading = false;
                    return;
                }
                (waiting, _nextLook) = (_nextLook, null);
            }
        }
    }

    private async Task<bool> BehindAsync(CancellationToken ct) => await NewestEventAsync().WaitAsync(ct) > Cursor;

    /// <summary>Makes the index durable up to the newest change applied, when anything was applied since the last commit.</summary>
    public void Commit()
    {
        if (!index.IsOpen) return;
        var position = Volatile.Read(ref _position);
        if (Interlocked.Read(ref _committed) == position.Cursor) return;
        try { index.Commit(position.Cursor, position.Stamp); }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            Fault(ex);
            return;
        }
        Interlocked.Exchange(ref _committed, position.Cursor);
    }

    public static class Keys
    {
        public static string Case(string caseNumberKey) => "case:" + caseNumberKey;
        public static string Code(string creditCode) => "code:" + creditCode;
        public static string IdHash(string hash) => "idh:" + hash;

        /// <summary>The visible digits of a masked ID number (<see cref="IdNumber.Family"/>): public, like the masked number itself.</summary>
        public static string IdFamily(string family) => "idf:" + family;

        /// <summary>The visible digits of a legal representative's recorded number: never public, on the representative's document only.</summary>
        public static string RepresentativeFamily(string family) => "lrf:" + family;

        /// <summary>
        /// Everything a masked number shows: the family and the check character (4127021984****1512 → 41270219841512);
        /// a 15-digit number shows no check character ("-" in its place).
        /// </summary>
        public static string IdVisible(string family, char? check) => "idv:" + family + (check ?? '-');

        /// <summary>The visible-digit key of a masked number as printed (18 or 15 characters), or null.</summary>
        public static string? IdVisibleOfMasked(string? masked) => IdNumber.FamilyOfMasked(masked) is { } family
            ? IdVisible(family, masked!.Length == 18 ? char.ToUpperInvariant(masked[^1]) : null) : null;

        /// <summary>
        /// What answers a number by its visible digits: the entries whose masked number shows the same digits (an entry
        /// written with the 15-digit number shows no check character, so it agrees with any). A 15-digit number asked
        /// for shows none either: every entry of its family.
        /// </summary>
        public static IReadOnlyList<string> VisibleDigitsOf(IdNumber id) => id.IsLegacy
            ? [IdFamily(id.Family)]
            : [IdVisible(id.Family, id.Canonical[^1]), IdVisible(id.Family, null)];
    }

    public static SearchDocument ToDocument(Entry e)
    {
        var identifiers = new List<string> { Keys.Case(e.CaseNumberKey) };
        if (e.CreditCode is { } code) identifiers.Add(Keys.Code(code));
        if (e.IdNumberHash is { } hash) identifiers.Add(Keys.IdHash(hash));
        if (IdNumber.FamilyOfMasked(e.IdNumberMasked) is { } family) identifiers.Add(Keys.IdFamily(family));
        if (Keys.IdVisibleOfMasked(e.IdNumberMasked) is { } visible) identifiers.Add(visible);
        return new SearchDocument(e.Id, e.Name, e.SubjectType.Code(), e.Province, e.Court, e.PublishedAt ?? e.CreatedAt,
            e.Circumstances.Codes().ToList(), e.IdNumberMasked, identifiers)
        {
            ListingEndsAt = e.ListingEndsAt,
            // The public projection, so that a page of results is read from the index, not the database; the age shown
            // depends on the day it is shown and is filled in then.
            Content = JsonSerializer.SerializeToUtf8Bytes(PublicEntry.From(e, default) with { Age = null }, JsonSerializerOptions.Web),
            FullText = string.Join('\n', [e.Obligation, e.BasisIssuer, .. e.Circumstances.Labels()]),
            LegalRepresentative = e.SubjectType == SubjectType.Organization ? e.LegalRepresentative : null,
            RepresentativeIdentifiers = e.LegalRepresentativeIdFamily is { } representativeFamily ? [Keys.RepresentativeFamily(representativeFamily)] : [],
        };
    }

    /// <summary>Brings the index in line with these (just committed) entries: public ones in, all others out.</summary>
    public Task RefreshAsync(IReadOnlyCollection<Entry> changed, CancellationToken ct = default)
    {
        TryApply(changed);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Puts public entries in and takes the others out. False when the index could not be written: the change is
    /// committed in the database, and the index is behind until it can be written again (the follower reopens it and
    /// catches up from its last commit); until then public surfaces say "not ready".
    /// </summary>
    private bool TryApply(IReadOnlyCollection<Entry> changed)
    {
        if (!index.IsOpen) return true; // a CLI verb: the serving processes follow the change events
        var today = ChinaTime.Today(clock);
        try
        {
            index.Apply(
                changed.Where(e => e.IsPublic(today)).Select(ToDocument),
                changed.Where(e => !e.IsPublic(today)).Select(e => e.Id));
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            Fault(ex);
            return false;
        }
        if (changed.Count > 0) Changed?.Invoke();
        return true;
    }

    /// <summary>
    /// Builds the index from the database and commits it, then applies every change committed while it was being built
    /// (a change applied to the old index meanwhile would otherwise be lost with it).
    /// </summary>
    public async Task<long> RebuildAsync(Action<long, long>? progress = null, CancellationToken ct = default)
    {
        long n;
        await _catchUp.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await IdentifyDatabaseAsync(db, ct);
            // Read first: nothing after it is missed.
            var last = await db.EntryEvents.OrderByDescending(e => e.Id).Select(e => new { e.Id, e.At }).FirstOrDefaultAsync(ct);
            var today = ChinaTime.Today(clock);
            var total = progress is null ? 0 : await db.Entries.Where(EntryVisibility.IsPublicOn(today)).LongCountAsync(ct);
            n = index.Rebuild(PublicDocuments(db, today), done => progress?.Invoke(done, total));
            Volatile.Write(ref _position, new Position(last?.Id ?? 0, Stamp(last?.Id ?? 0, last?.At)));
            Interlocked.Exchange(ref _committed, -1);
        }
        finally { _catchUp.Release(); }
        while (await CatchUpAsync(ct) > 0) { }
        Commit();
        return n;
    }

    /// <summary>The public entries as index documents.</summary>
    public static IEnumerable<SearchDocument> PublicDocuments(PortalDbContext db, DateOnly today) =>
        db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today)).OrderBy(e => e.Id).AsEnumerable().Select(ToDocument);

    /// <summary>
    /// Before answering from the index: compares one cheap value, the newest committed change event, with the last one
    /// applied, and catches up first when another process or node committed something since. So no node answers from
    /// an index that still holds an entry removed elsewhere (the follower would only catch up within a second).
    /// </summary>
    public async Task EnsureCurrentAsync(CancellationToken ct = default)
    {
        if (!readiness.IsServing) throw new IndexNotCurrentException();
        if (!await BehindAsync(ct)) return;
        while (await CatchUpAsync(ct) > 0) { }
        if (!readiness.IsServing) throw new IndexNotCurrentException();
    }

    /// <summary>Applies every change event committed since the last look (by any process). Returns how many entries it refreshed.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct = default)
    {
        await _catchUp.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var from = Cursor;
            var events = await db.EntryEvents.AsNoTracking().Where(e => e.Id > from).OrderBy(e => e.Id)
                .Select(e => new { e.Id, e.EntryId, e.At }).Take(10_000).ToListAsync(ct);
            if (events.Count == 0) return 0;
            var ids = events.Select(e => e.EntryId).Distinct().ToList();
            var entries = new List<Entry>();
            foreach (var chunk in ids.Chunk(1000))
                entries.AddRange(await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.Id)).ToListAsync(ct));
            if (!TryApply(entries)) return 0; // the cursor stays where the index is
            Volatile.Write(ref _position, new Position(events[^1].Id, Stamp(events[^1].Id, events[^1].At)));
            return ids.Count;
        }
        finally { _catchUp.Release(); }
    }
}

/// <summary>
/// Follows the change events every second so that changes made by other processes reach search, and commits the index
/// when something changed (so a restart catches up from there); commits once more when the portal stops.
/// </summary>
public sealed class IndexFollower(IndexSync sync, PortalReadiness readiness, ILogger<IndexFollower> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady && !readiness.IsServing) await sync.RecoverAsync(stoppingToken);
                else if (readiness.IsReady)
                {
                    await sync.CatchUpAsync(stoppingToken);
                    sync.Commit();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Following changes failed"); }
            await Task.Delay(Interval, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try { if (readiness.IsReady) sync.Commit(); }
        catch (Exception ex) { logger.LogWarning(ex, "Committing the search index at stop failed; the next start catches up from the previous commit"); }
    }
}

/// <summary>The index is behind the database and cannot catch up now: answer "not ready", never from it.</summary>
public sealed class IndexNotCurrentException() : Exception("The search index is not current");
