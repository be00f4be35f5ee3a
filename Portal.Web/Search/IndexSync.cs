using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Search.Index;
using Portal.Web.Hosting;

namespace Portal.Web.Search;

/// <summary>
/// Keeps the in-memory search index a faithful copy of the public part of the database: built from it at start,
/// updated in the request that commits a change, and following the change events for what other processes (a CLI
/// verb, another node) commit. Only entries that <see cref="EntryVisibility"/> allows are ever put in it.
/// </summary>
public sealed class IndexSync(SearchIndex index, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    private long _cursor;

    /// <summary>The newest change event applied to the index.</summary>
    public long Cursor => Interlocked.Read(ref _cursor);

    /// <summary>
    /// Raised after entries changed, whoever changed them (this process, a CLI verb, another node): the back office's
    /// live views redraw on it.
    /// </summary>
    public event Action? Changed;
    private readonly SemaphoreSlim _catchUp = new(1, 1);

    public static class Keys
    {
        public static string Case(string caseNumberKey) => "case:" + caseNumberKey;
        public static string Code(string creditCode) => "code:" + creditCode;
        public static string IdHash(string hash) => "idh:" + hash;

        /// <summary>The visible digits of a masked ID number (<see cref="IdNumber.Family"/>): public, like the masked number itself.</summary>
        public static string IdFamily(string family) => "idf:" + family;
    }

    public static SearchDocument ToDocument(Entry e)
    {
        var identifiers = new List<string> { Keys.Case(e.CaseNumberKey) };
        if (e.CreditCode is { } code) identifiers.Add(Keys.Code(code));
        if (e.IdNumberHash is { } hash) identifiers.Add(Keys.IdHash(hash));
        if (IdNumber.FamilyOfMasked(e.IdNumberMasked) is { } family) identifiers.Add(Keys.IdFamily(family));
        return new SearchDocument(e.Id, e.Name, e.SubjectType.Code(), e.Province, e.Court, e.PublishedAt ?? e.CreatedAt,
            e.Circumstances.Codes().ToList(), e.IdNumberMasked, identifiers) { ListingEndsAt = e.ListingEndsAt };
    }

    /// <summary>Brings the index in line with these (just committed) entries: public ones in, all others out.</summary>
    public Task RefreshAsync(IReadOnlyCollection<Entry> changed, CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        index.Apply(
            changed.Where(e => e.IsPublic(today)).Select(ToDocument),
            changed.Where(e => !e.IsPublic(today)).Select(e => e.Id));
        if (changed.Count > 0) Changed?.Invoke();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Builds the index from the database, then applies every change committed while it was being built (a change
    /// applied to the old index meanwhile would otherwise be lost with it).
    /// </summary>
    public async Task<long> RebuildAsync(Action<long, long>? progress = null, CancellationToken ct = default)
    {
        long n;
        await _catchUp.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var cursor = await db.EntryEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0; // read first: nothing after it is missed
            var today = ChinaTime.Today(clock);
            var total = progress is null ? 0 : await db.Entries.Where(EntryVisibility.IsPublicOn(today)).LongCountAsync(ct);
            n = index.Rebuild(PublicDocuments(db, today), done => progress?.Invoke(done, total));
            Interlocked.Exchange(ref _cursor, cursor);
        }
        finally { _catchUp.Release(); }
        while (await CatchUpAsync(ct) > 0) { }
        return n;
    }

    /// <summary>The public entries as index documents, reading only the columns the index needs.</summary>
    public static IEnumerable<SearchDocument> PublicDocuments(PortalDbContext db, DateOnly today) =>
        db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today)).OrderBy(e => e.Id).Select(e => new Entry
        {
            Id = e.Id, Name = e.Name, SubjectType = e.SubjectType, Province = e.Province, Court = e.Court, PublishedAt = e.PublishedAt,
            CreatedAt = e.CreatedAt, Circumstances = e.Circumstances, IdNumberMasked = e.IdNumberMasked, CaseNumberKey = e.CaseNumberKey,
            CreditCode = e.CreditCode, IdNumberHash = e.IdNumberHash, ListingEndsAt = e.ListingEndsAt,
        }).AsEnumerable().Select(ToDocument);

    /// <summary>
    /// Before answering from the index: compares one cheap value, the newest committed change event, with the last one
    /// applied, and catches up first when another process or node committed something since. So no node answers from
    /// an index that still holds an entry removed elsewhere (the follower would only catch up within a second).
    /// </summary>
    public async Task EnsureCurrentAsync(CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            if ((await db.EntryEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0) <= Interlocked.Read(ref _cursor)) return;
        while (await CatchUpAsync(ct) > 0) { }
    }

    /// <summary>Applies every change event committed since the last look (by any process). Returns how many entries it refreshed.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct = default)
    {
        await _catchUp.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var from = Interlocked.Read(ref _cursor);
            var events = await db.EntryEvents.AsNoTracking().Where(e => e.Id > from).OrderBy(e => e.Id)
                .Select(e => new { e.Id, e.EntryId }).Take(10_000).ToListAsync(ct);
            if (events.Count == 0) return 0;
            var ids = events.Select(e => e.EntryId).Distinct().ToList();
            var entries = new List<Entry>();
            foreach (var chunk in ids.Chunk(1000))
                entries.AddRange(await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.Id)).ToListAsync(ct));
            await RefreshAsync(entries, ct);
            Interlocked.Exchange(ref _cursor, events[^1].Id);
            return ids.Count;
        }
        finally { _catchUp.Release(); }
    }
}

/// <summary>Follows the change events every second so that changes made by other processes reach search.</summary>
public sealed class IndexFollower(IndexSync sync, PortalReadiness readiness, ILogger<IndexFollower> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (readiness.IsReady) await sync.CatchUpAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) { logger.LogError(ex, "Following changes failed"); }
            await Task.Delay(Interval, stoppingToken);
        }
    }
}
