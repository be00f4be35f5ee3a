using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Data.Persistence;
using Portal.Web.Clients;

namespace Portal.Web.Newsroom;

/// <summary>What browsing narrows to besides the place: the search's subject type and circumstance filters.</summary>
public sealed record ListFilter(string? Type = null, string? Circumstance = null)
{
    public override string ToString() => $"{Type}|{Circumstance}";
}

/// <summary>A count under a label (a province, a court, a month, a circumstance).</summary>
public sealed record Tally(string Key, string Label, long Count);

/// <summary>Listings and removals in one month (China time).</summary>
public sealed record MonthFlow(string Month, long Listed, long Shielded, long Revoked, long Expired, long Withdrawn);

/// <summary>How fast a court shields after the event that obliges it: days from the event to the shielding.</summary>
public sealed record ShieldingSpeed(string Court, int Shielded, double MedianDays, double P90Days, double WithinRuleShare);

/// <summary>A registered reprinter's takedowns: how many notices, and the share acknowledged on time.</summary>
public sealed record ReprinterTakedowns(string Reprinter, int Notices, int OnTime, double OnTimeShare);

/// <summary>
/// The list measured: what journalists and the public count. Numbers only, never a subject; removed entries count in
/// the flows (they were listed and removed) but never appear by name or number.
/// </summary>
public sealed record ListStatistics(
    DateTime? AsOf,
    DateTime ComputedAt,
    long PublicNow,
    IReadOnlyList<MonthFlow> Months,
    IReadOnlyList<Tally> ByProvince,
    IReadOnlyList<Tally> ByCity,
    IReadOnlyList<Tally> ByCourt,
    IReadOnlyList<Tally> ByCircumstance,
    IReadOnlyList<Tally> BySubjectType,
    IReadOnlyList<Tally> ByPerformance,
    IReadOnlyList<ShieldingSpeed> Shielding,
    IReadOnlyList<ReprinterTakedowns> Takedowns);

/// <summary>
/// Counts for browsing and the statistics, from the database with grouped queries, kept per version of the list: the
/// newest committed change event (one indexed read) and the day. When the list changed since a cached answer only by
/// additions or updates, that answer is served (it carries its own as-of time) while one refresh per key runs in the
/// background; when an entry was removed since (or the day changed, which ends listing periods), the answer is computed
/// before anyone is answered, so that no figure ever counts an entry removed before the request. Counts only, and of
/// the public list only: entries themselves (a month's page) are always read from the database.
/// </summary>
public sealed class ListFigures(IDbContextFactory<PortalDbContext> dbFactory, TakedownLedger takedowns, Courts.CourtRegistry courts, TimeProvider clock,
    ILogger<ListFigures> logger)
{
    private readonly ConcurrentDictionary<string, Cached> _cache = new();
    private readonly SemaphoreSlim _computing = new(1, 1);

    /// <summary>An answer and the version of the list it was computed for.</summary>
    private sealed record Cached(ListVersion Version, object Value);

    /// <summary>A version of the list: its newest change event and the day (an entry's listing period ends at midnight).</summary>
    public sealed record ListVersion(long NewestEvent, DateOnly Day);

    public async Task<ListVersion> VersionAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return new ListVersion(await db.EntryEvents.AsNoTracking().MaxAsync(e => (long?)e.Id, ct) ?? 0, ChinaTime.Today(clock));
    }

    /// <summary>At most this many cached answers: the keys carry court names people type, so the cache must not grow without end.</summary>
    private const int MaxCached = 10_000;

    private readonly ConcurrentDictionary<string, Task> _refreshing = new();

    /// <summary>
    /// The answer for the list as it is now. A cached answer is served as it is when the list has not changed; while it
    /// is refreshed in the background when entries were only added or updated since; and never once an entry counted in
    /// it may have left the public list (a removal event since, or a new day): then the reader waits for the new figures.
    /// </summary>
    private async Task<T> CachedAsync<T>(string key, Func<PortalDbContext, DateOnly, CancellationToken, Task<T>> compute, CancellationToken ct, bool alone = false) where T : class
    {
        var version = await VersionAsync(ct);
        if (_cache.TryGetValue(key, out var hit))
        {
            if (hit.Version == version) return (T)hit.Value;
            if (hit.Version.Day == version.Day && !await RemovedSinceAsync(hit.Version.NewestEvent, ct))
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_refreshing.TryAdd(key, done.Task))
                    _ = Task.Run(async () =>
                    {
                        // A failed refresh keeps the previous figures; the next request tries again.
                        try { await ComputeAndStoreAsync(key, version, compute, alone, CancellationToken.None); }
                        catch (Exception ex) { logger.LogWarning(ex, "Refreshing the figures {Key} failed; the previous ones stay", key.Split('|')[0]); }
                        finally { _refreshing.TryRemove(key, out var _); done.SetResult(); }
                    }, CancellationToken.None);
                return (T)hit.Value;
            }
        }
        return await ComputeAndStoreAsync(key, version, compute, alone, ct);
    }

    /// <summary>Whether an entry left the public list after this change event (any node's removal is in the shared database).</summary>
    private async Task<bool> RemovedSinceAsync(long newestEvent, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.EntryEvents.AsNoTracking().AnyAsync(e => e.Id > newestEvent && EntryEvent.RemovalActions.Contains(e.Action), ct);
    }

    /// <summary>Waits for any refresh under way, so that a test or the benchmark can read the list as it is now.</summary>
    public async Task SettleAsync()
    {
        while (!_refreshing.IsEmpty) await Task.WhenAll(_refreshing.Values);
    }

    private async Task<T> ComputeAndStoreAsync<T>(string key, ListVersion version, Func<PortalDbContext, DateOnly, CancellationToken, Task<T>> compute, bool alone, CancellationToken ct) where T : class
    {
        if (alone) await _computing.WaitAsync(ct); // the statistics read the whole list: one computation at a time
        try
        {
            // Readers that waited together share the one computation: the first stored an answer for this version.
            if (_cache.TryGetValue(key, out var meanwhile) && meanwhile.Version.Day == version.Day && meanwhile.Version.NewestEvent >= version.NewestEvent)
                return (T)meanwhile.Value;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var value = await compute(db, ChinaTime.Today(clock), ct);
            if (_cache.Count >= MaxCached) _cache.Clear();
            // The version was read before the computation began: what changed meanwhile makes the next request look again.
            _cache.AddOrUpdate(key, new Cached(version, value), (_, old) => old.Version.Day == version.Day && old.Version.NewestEvent > version.NewestEvent ? old : new Cached(version, value));
            return value;
        }
        finally { if (alone) _computing.Release(); }
    }

    private static IQueryable<Entry> Public(PortalDbContext db, DateOnly today, ListFilter filter)
    {
        var query = db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today));
        if (filter.Type is { } type)
        {
            var subject = type == "organization" ? SubjectType.Organization : SubjectType.Person;
            query = query.Where(e => e.SubjectType == subject);
        }
        // Circumstances are stored as their codes, comma-separated ("refuses,asset-report"): match the code between commas.
        if (filter.Circumstance is { } code && DomainLabels.CircumstanceTable.Any(c => c.Code == code))
        {
            var pattern = "%," + code + ",%";
            query = query.Where(e => EF.Functions.Like("," + (string)(object)e.Circumstances + ",", pattern));
        }
        return query;
    }

    /// <summary>Public entries per province (browse's first level).</summary>
    public Task<IReadOnlyList<Tally>> ProvincesAsync(ListFilter filter, CancellationToken ct = default) =>
        CachedAsync<IReadOnlyList<Tally>>($"provinces|{filter}", async (db, today, c) =>
            (await Public(db, today, filter).GroupBy(e => e.Province).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(c))
                .Select(g => new Tally(g.Key, g.Key, g.Count)).OrderByDescending(t => t.Count).ThenBy(t => t.Key, StringComparer.Ordinal).ToList(), ct);

    /// <summary>Public entries per city (prefecture-level unit) of a province, from the courts' places in the directory.</summary>
    public Task<IReadOnlyList<Tally>> CitiesAsync(string province, ListFilter filter, CancellationToken ct = default) =>
        CachedAsync<IReadOnlyList<Tally>>($"cities|{province}|{filter}", async (db, today, c) => Ranked((await CourtCountsAsync(db, today, province, filter, c))
            .GroupBy(t => CityOf(t.Code)).Select(g => new Tally(g.Key, g.Key, g.Sum(t => t.Count)))), ct);

    /// <summary>Public entries per court of a city (or of a whole province when <paramref name="city"/> is null), by court code, named as the directory names them now.</summary>
    public Task<IReadOnlyList<Tally>> CourtsAsync(string province, string? city, ListFilter filter, CancellationToken ct = default) =>
        CachedAsync<IReadOnlyList<Tally>>($"courts|{province}|{city}|{filter}", async (db, today, c) => Ranked((await CourtCountsAsync(db, today, province, filter, c))
            .Where(t => city is null || CityOf(t.Code) == city).Select(t => new Tally(t.Code, courts.Current.NameOf(t.Code), t.Count))), ct);

    private static async Task<List<(string Code, long Count)>> CourtCountsAsync(PortalDbContext db, DateOnly today, string province, ListFilter filter, CancellationToken ct) =>
        (await Public(db, today, filter).Where(e => e.Province == province).GroupBy(e => e.CourtCode).Select(g => new { g.Key, Count = g.LongCount() }).ToListAsync(ct))
            .Select(g => (g.Key, g.Count)).ToList();

    /// <summary>The city a court sits in, for browsing and counting; a court the directory places in no city counts under its province's courts.</summary>
    public string CityOf(string courtCode) => courts.Current.ByCode(courtCode) is { City.Length: > 0 } court ? court.City : "省直属及专门法院";

    private static List<Tally> Ranked(IEnumerable<Tally> tallies) =>
        tallies.OrderByDescending(t => t.Count).ThenBy(t => t.Key, StringComparer.Ordinal).ToList();

    /// <summary>Public entries of a court (by code) per month of publication (China time), newest month first.</summary>
    public Task<IReadOnlyList<Tally>> MonthsAsync(string court, ListFilter filter, CancellationToken ct = default) =>
        CachedAsync<IReadOnlyList<Tally>>($"months|{court}|{filter}", async (db, today, c) =>
        {
            var months = new Dictionary<string, long>();
            await foreach (var at in Public(db, today, filter).Where(e => e.CourtCode == court && e.PublishedAt != null).Select(e => e.PublishedAt!.Value).AsAsyncEnumerable().WithCancellation(c))
            {
                var m = MonthOf(at);
                months[m] = months.GetValueOrDefault(m) + 1;
            }
            return months.OrderByDescending(m => m.Key, StringComparer.Ordinal).Select(m => new Tally(m.Key, MonthLabel(m.Key), m.Value)).ToList();
        }, ct);

    /// <summary>
    /// A court's public entries published in one month, newest first, a page at a time by keyset (the last entry's
    /// publication time and id), so the thousandth page costs what the first does.
    /// </summary>
    public async Task<(IReadOnlyList<Portal.Data.Publication.PublicEntry> Items, string? Next)> MonthPageAsync(
        string court, string month, ListFilter filter, string? after, int pageSize, CancellationToken ct = default)
    {
        if (!TryMonthRange(month, out var from, out var to)) return ([], null);
        var today = ChinaTime.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = Public(db, today, filter).Where(e => e.CourtCode == court && e.PublishedAt >= from && e.PublishedAt < to);
        if (Cursor.TryParse(after, out var at, out var id))
            query = query.Where(e => e.PublishedAt < at || (e.PublishedAt == at && e.Id < id));
        var rows = await query.OrderByDescending(e => e.PublishedAt).ThenByDescending(e => e.Id).Take(pageSize + 1).ToListAsync(ct);
        var next = rows.Count > pageSize ? Cursor.Of(rows[pageSize - 1].PublishedAt!.Value, rows[pageSize - 1].Id) : null;
        return (rows.Take(pageSize).Select(e => Portal.Data.Publication.PublicEntry.From(e, today)).ToList(), next);
    }

    /// <summary>The statistics, computed once per version of the list.</summary>
    public Task<ListStatistics> StatisticsAsync(CancellationToken ct = default) => CachedAsync("statistics", ComputeAsync, ct, alone: true);

    private async Task<ListStatistics> ComputeAsync(PortalDbContext db, DateOnly today, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var asOf = await db.EntryEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => (DateTime?)e.At).FirstOrDefaultAsync(ct);

        // Flows by China-time month: listings by their publication date (an imported list keeps its dates), removals by
        // the change event that removed them (a re-published entry keeps the record of its earlier shielding).
        var months = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        void Count(DateTime at, int slot)
        {
            var m = MonthOf(at);
            if (!months.TryGetValue(m, out var row)) months[m] = row = new long[5];
            row[slot]++;
        }
        // Only entries that reached the public list: one entered as not to be made public by law (依法不宜公开) never did,
        // one withdrawn later did (its withdrawal is counted below).
        await foreach (var at in db.Entries.AsNoTracking()
                           .Where(e => e.PublishedAt != null && (!e.NonPublic || db.EntryEvents.Any(ev => ev.EntryId == e.Id && ev.Action == EntryAction.Published)))
                           .Select(e => e.PublishedAt!.Value).AsAsyncEnumerable().WithCancellation(ct))
            Count(at, 0);
        EntryAction[] removals = [EntryAction.Shielded, EntryAction.Revoked, EntryAction.Expired, EntryAction.Withdrawn];
        await foreach (var e in db.EntryEvents.AsNoTracking().Where(e => removals.Contains(e.Action)).Select(e => new { e.Action, e.At }).AsAsyncEnumerable().WithCancellation(ct))
            Count(e.At, 1 + Array.IndexOf(removals, e.Action));

        // The list as it stands: per province, court, circumstance, subject type and performance.
        var provinces = new Dictionary<string, long>();
        var courtCodes = new Dictionary<string, long>();
        var circumstances = new long[DomainLabels.CircumstanceTable.Count];
        var types = new long[2];
        var performance = new Dictionary<PerformanceStatus, long>();
        long publicNow = 0;
        await foreach (var e in db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today))
                           .Select(e => new { e.Province, e.CourtCode, e.Circumstances, e.SubjectType, e.PerformanceStatus }).AsAsyncEnumerable().WithCancellation(ct))
        {
            publicNow++;
            provinces[e.Province] = provinces.GetValueOrDefault(e.Province) + 1;
            courtCodes[e.CourtCode] = courtCodes.GetValueOrDefault(e.CourtCode) + 1;
            for (var i = 0; i < circumstances.Length; i++)
                if (e.Circumstances.HasFlag(DomainLabels.CircumstanceTable[i].Flag)) circumstances[i]++;
            types[e.SubjectType == SubjectType.Organization ? 1 : 0]++;
            performance[e.PerformanceStatus] = performance.GetValueOrDefault(e.PerformanceStatus) + 1;
        }

        // Shielding speed: from the event that obliges shielding to the shielding, per court.
        var days = new Dictionary<string, List<int>>();
        await foreach (var e in db.Entries.AsNoTracking().Where(e => e.Status == EntryStatus.Shielded && !e.NonPublic && e.TriggerEventDate != null && e.RemovedAt != null)
                           .Select(e => new { e.Court, Event = e.TriggerEventDate!.Value, Removed = e.RemovedAt!.Value }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!days.TryGetValue(e.Court, out var list)) days[e.Court] = list = [];
            list.Add(Math.Max(0, ChinaTime.DateOf(e.Removed).DayNumber - e.Event.DayNumber));
        }

        var reprinters = (await takedowns.ComplianceAsync(ct))
            .Select(r => new ReprinterTakedowns(r.Name, r.Total, r.OnTime, Share(r.OnTime, r.OnTime + r.Late + r.Overdue))).ToList();

        static List<Tally> Ranked(IEnumerable<KeyValuePair<string, long>> counts) =>
            counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new Tally(c.Key, c.Key, c.Value)).ToList();

        // Province → city → court: a court's city and its name today come from the directory.
        var directory = courts.Current;
        var byCity = Ranked(courtCodes.GroupBy(c => (directory.ByCode(c.Key)?.Province ?? "") + " " + CityOf(c.Key))
            .Select(g => new KeyValuePair<string, long>(g.Key.Trim(), g.Sum(c => c.Value))));
        var byCourt = courtCodes.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new Tally(c.Key, directory.NameOf(c.Key), c.Value)).ToList();

        return new ListStatistics(asOf, now, publicNow,
            months.Select(m => new MonthFlow(m.Key, m.Value[0], m.Value[1], m.Value[2], m.Value[3], m.Value[4])).ToList(),
            Ranked(provinces), byCity, byCourt,
            DomainLabels.CircumstanceTable.Select((c, i) => new Tally(c.Code, c.Label, circumstances[i])).ToList(),
            [new Tally("person", "自然人", types[0]), new Tally("organization", "法人或其他组织", types[1])],
            Enum.GetValues<PerformanceStatus>().Select(p => new Tally(p.Code(), p.Label(), performance.GetValueOrDefault(p))).ToList(),
            days.Select(d => Speed(d.Key, d.Value)).OrderBy(s => s.WithinRuleShare).ThenBy(s => s.Court, StringComparer.Ordinal).ToList(),
            reprinters);
    }

    private static ShieldingSpeed Speed(string court, List<int> days)
    {
        days.Sort();
        return new ShieldingSpeed(court, days.Count, Percentile(days, 0.5), Percentile(days, 0.9),
            Share(days.Count(d => d <= Deadlines.RemovalDays), days.Count));
    }

    /// <summary>The nearest-rank percentile of sorted values (the median of 1, 2, 3, 10 is 2).</summary>
    public static double Percentile(IReadOnlyList<int> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static double Share(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);

    public static string MonthOf(DateTime utc) => ChinaTime.DateOf(utc).ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string MonthLabel(string month) =>
        DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? $"{d.Year}年{d.Month}月" : month;

    /// <summary>The UTC instants a China-time month spans.</summary>
    public static bool TryMonthRange(string? month, out DateTime from, out DateTime to)
    {
        (from, to) = (default, default);
        if (!DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)) return false;
        (from, to) = (ChinaTime.StartOf(first), ChinaTime.StartOf(first.AddMonths(1)));
        return true;
    }

    /// <summary>The keyset of a month's page: the last entry's publication instant (ticks) and id.</summary>
    private static class Cursor
    {
        public static string Of(DateTime at, long id) => $"{at.Ticks.ToString(CultureInfo.InvariantCulture)}-{id.ToString(CultureInfo.InvariantCulture)}";

        public static bool TryParse(string? text, out DateTime at, out long id)
        {
            (at, id) = (default, 0);
            var parts = (text ?? "").Split('-');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out id) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
            at = new DateTime(ticks, DateTimeKind.Utc);
            return true;
        }
    }
}
