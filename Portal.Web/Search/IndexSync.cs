using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Search.Index;

namespace Portal.Web.Search;

/// <summary>
/// Keeps the search index a faithful copy of the public part of the database: only entries that
/// <see cref="EntryVisibility"/> allows are ever written to it.
/// </summary>
public sealed class IndexSync(SearchIndex index, IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    private const string StampKey = "db-stamp";

    public static class Keys
    {
        public static string Case(string caseNumberKey) => "case:" + caseNumberKey;
        public static string Code(string creditCode) => "code:" + creditCode;
        public static string IdHash(string hash) => "idh:" + hash;
    }

    public static SearchDocument ToDocument(Entry e)
    {
        var identifiers = new List<string> { Keys.Case(e.CaseNumberKey) };
        if (e.CreditCode is { } code) identifiers.Add(Keys.Code(code));
        if (e.IdNumberHash is { } hash) identifiers.Add(Keys.IdHash(hash));
        return new SearchDocument(e.Id, e.Name, e.SubjectType.Code(), e.Province, e.PublishedAt ?? e.CreatedAt, identifiers);
    }

    /// <summary>Brings the index in line with these (just committed) entries: public ones in, all others out.</summary>
    public async Task RefreshAsync(IReadOnlyCollection<Entry> changed, CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        index.Apply(
            changed.Where(e => e.IsPublic(today)).Select(ToDocument),
            changed.Where(e => !e.IsPublic(today)).Select(e => e.Id));
        index.SetMeta(StampKey, await StampAsync(ct));
    }

    public async Task<long> RebuildAsync(Action<long, long>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = ChinaTime.Today(clock);
        var publicEntries = db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today));
        var total = await publicEntries.LongCountAsync(ct);
        var stamp = await StampAsync(ct);
        var n = index.Rebuild(publicEntries.OrderBy(e => e.Id).AsEnumerable().Select(ToDocument), done => progress?.Invoke(done, total));
        index.SetMeta(StampKey, stamp);
        return n;
    }

    /// <summary>True when the index was last written for the database as it is now (another process may have changed it).</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken ct = default) =>
        index.GetMeta(StampKey) == await StampAsync(ct);

    /// <summary>
    /// What the index was last written for: the newest entry id and change time (both read from indexes, so cheap at
    /// any size) and the day, since the passing of a day can end listing periods.
    /// </summary>
    private async Task<string> StampAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lastId = await db.Entries.MaxAsync(e => (long?)e.Id, ct);
        var lastChange = await db.Entries.MaxAsync(e => (DateTime?)e.UpdatedAt, ct);
        return $"{lastId ?? 0}:{lastChange?.Ticks ?? 0}:{ChinaTime.Today(clock):yyyyMMdd}";
    }
}
