using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Audit;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Search.Index;
using Portal.Web.Hosting;
using Portal.Web.Search;

namespace Portal.Web.Privacy;

/// <summary>The <c>Privacy</c> configuration section: how many wrong guesses of a listed person's hidden digits are answered.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Different numbers of one family (the digits a masked number shows) one API client may try without a match.</summary>
    [Range(0, 100)] public int ClientMissesPerFamily { get; set; } = 2;

    /// <summary>Misses in families with a listed entry one API client may have in a day.</summary>
    [Range(0, 10_000_000)] public int ClientMissesPerDay { get; set; } = 2_000;

    /// <summary>Days after which a family closed to a caller (an API client, or the online identity check) opens again.</summary>
    [Range(1, 3650)] public int ReopenAfterDays { get; set; } = 30;
}

/// <summary>An exact lookup of a full ID number by a registered API client (anonymous callers are answered by the visible digits only).</summary>
public sealed record IdLookupCaller(string Key, string Label, long ClientId)
{
    public static IdLookupCaller Client(long id, string name) => new($"client:{id}", name, id);

    /// <summary>The API client making the request, or null for anyone else: only identified clients match a full number exactly.</summary>
    public static IdLookupCaller? Of(ClaimsPrincipal user) => Clients.ApiKeyAuthentication.IsClient(user)
        ? Client(Clients.ApiKeyAuthentication.ClientId(user), user.Identity!.Name!)
        : null;
}

/// <summary>One exact ID-number lookup and whether it found a public entry.</summary>
public sealed record ExactIdLookup(IdNumber Id, bool Found);

/// <summary>One guess at a family's hidden digits: the keyed family, a keyed tag of the number, whether it was right.</summary>
public sealed record FamilyGuess(string Family, string Tag, bool Hit, string? Masked = null);

/// <summary>
/// Keeps exact ID lookups from confirming the hidden digits of a listed person's number. A masked number hides only
/// month and day, so about 33 numbers share what it shows (its family); trying each one until a lookup answers
/// "listed" would give the full number away. Anonymous callers are never matched exactly (they are answered by the
/// visible digits, <see cref="Search.EntrySearch"/>); an API client's different numbers tried without a match are counted
/// per family that holds a listed entry (durably, across nodes); past the allowance the family's exact lookups are
/// closed for that client, hit or miss alike, until <see cref="PrivacyOptions.ReopenAfterDays"/> have passed, and the
/// closing is written to the audit log. A hit and a miss do the same work (the same rows read and written), so the time
/// an answer takes does not tell them apart. A family with no listed entry hides nothing and is never counted.
/// </summary>
public sealed class ExactIdGuard(
    IDbContextFactory<PortalDbContext> dbFactory, SearchIndex index, IdHashKeyBytes key, IOptions<PrivacyOptions> options, TimeProvider clock)
{
    private const int MaxTags = 100;

    /// <summary>For each lookup, in order, whether its answer may be given.</summary>
    public async Task<bool[]> MayAnswerAsync(IdLookupCaller caller, IReadOnlyList<ExactIdLookup> lookups, CancellationToken ct = default)
    {
        var answer = Enumerable.Repeat(true, lookups.Count).ToArray();
        var today = ChinaTime.Today(clock);
        var listed = ListedFamilies(lookups.Select(l => l.Id));
        var guarded = Enumerable.Range(0, lookups.Count).Where(i => listed.Contains(lookups[i].Id.Family)).ToList();
        if (guarded.Count == 0) return answer;

        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct); // parallel guesses are counted one by one
        var guesses = guarded.Select(i => new FamilyGuess(FamilyKey(lookups[i].Id), Tag(lookups[i].Id), lookups[i].Found, lookups[i].Id.Mask())).ToList();
        var (closed, closings) = await CountAsync(db, caller.Key, guesses, closeAfter: o.ClientMissesPerFamily + 1, now, ct);

        // The client's misses of the day, across families: the same row written for a hit as for a miss.
        var dayKey = "day:" + today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var day = await db.IdLookupMisses.SingleOrDefaultAsync(m => m.Caller == caller.Key && m.Family == dayKey, ct)
                  ?? db.IdLookupMisses.Add(new IdLookupMiss { Caller = caller.Key, Family = dayKey, FirstAt = now }).Entity;
        day.Misses += closings.NewMisses;
        day.LastAt = now;
        if (db.Entry(day).State != EntityState.Added) db.Entry(day).Property(m => m.Misses).IsModified = true;
        for (var n = 0; n < guarded.Count; n++) answer[guarded[n]] = !closed[n] && day.Misses <= o.ClientMissesPerDay;

        await AuditLog.AppendAsync(db, closings.Closed.Select(i => Closing(caller, lookups[guarded[i]].Id, today, now)).ToList(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return answer;
    }

    /// <summary>What <see cref="CountAsync"/> did: the guesses that newly closed their family, and how many new misses it counted.</summary>
    public sealed record Counted(IReadOnlyList<int> Closed, int NewMisses);

    /// <summary>
    /// Counts guesses at families' hidden digits for one caller, in the caller's (serialized) transaction, and says for
    /// each whether its family is closed. A hit and a miss read and write the same rows: a new row for a family first
    /// guessed, the time of the last guess always; only a miss with a number not tried before adds to the count, and the
    /// <paramref name="closeAfter"/>th such miss closes the family. A family closed for
    /// <see cref="PrivacyOptions.ReopenAfterDays"/> opens again with a clean count.
    /// </summary>
    public async Task<(bool[] Closed, Counted Counted)> CountAsync(PortalDbContext db, string caller, IReadOnlyList<FamilyGuess> guesses, int closeAfter,
        DateTime now, CancellationToken ct)
    {
        var families = guesses.Select(g => g.Family).Distinct().ToList();
        var rows = new Dictionary<string, IdLookupMiss>();
        foreach (var chunk in families.Chunk(1000)) // a book's tens of thousands of families: each one a parameter
            foreach (var m in await db.IdLookupMisses.Where(m => m.Caller == caller && chunk.Contains(m.Family)).ToListAsync(ct)) rows[m.Family] = m;
        var reopenBefore = now.AddDays(-options.Value.ReopenAfterDays);
        var closed = new bool[guesses.Count];
        var newlyClosed = new List<int>();
        var newMisses = 0;
        for (var i = 0; i < guesses.Count; i++)
        {
            var g = guesses[i];
            if (!rows.TryGetValue(g.Family, out var row))
                rows[g.Family] = row = db.IdLookupMisses.Add(new IdLookupMiss { Caller = caller, Family = g.Family, FirstAt = now, Masked = g.Masked }).Entity;
            if (row.ClosedAt is { } at && at < reopenBefore) (row.Misses, row.Tried, row.ClosedAt) = (0, "", null);
            var tried = row.Tried.Length == 0 ? [] : row.Tried.Split(',');
            if (!g.Hit && !tried.Contains(g.Tag))
            {
                row.Misses++;
                newMisses++;
                if (tried.Length < MaxTags) row.Tried = row.Tried.Length == 0 ? g.Tag : row.Tried + "," + g.Tag;
                if (row.Misses >= closeAfter && row.ClosedAt is null) { row.ClosedAt = now; newlyClosed.Add(i); }
            }
            row.LastAt = now;
            var entry = db.Entry(row);
            if (entry.State != EntityState.Added)
                foreach (var p in new[] { nameof(IdLookupMiss.Misses), nameof(IdLookupMiss.Tried), nameof(IdLookupMiss.LastAt) }) entry.Property(p).IsModified = true;
            closed[i] = row.ClosedAt is not null;
        }
        return (closed, new Counted(newlyClosed, newMisses));
    }

    /// <summary>Whether any of these families is closed to the caller now (closed, and not yet reopened).</summary>
    public async Task<bool> ClosedAsync(PortalDbContext db, string caller, IReadOnlyList<string> families, DateTime now, CancellationToken ct)
    {
        var reopenBefore = now.AddDays(-options.Value.ReopenAfterDays);
        return await db.IdLookupMisses.AnyAsync(m => m.Caller == caller && families.Contains(m.Family) && m.ClosedAt != null && m.ClosedAt >= reopenBefore, ct);
    }

    /// <summary>A client's closed families, newest first: what its administrator sees (the masked form, when it closed and reopens).</summary>
    public async Task<IReadOnlyList<FamilyClosure>> ClosuresAsync(long clientId, CancellationToken ct = default)
    {
        var caller = IdLookupCaller.Client(clientId, "").Key;
        var reopenAfter = options.Value.ReopenAfterDays;
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-reopenAfter);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.IdLookupMisses.AsNoTracking().Where(m => m.Caller == caller && m.ClosedAt != null && m.ClosedAt >= since)
            .OrderByDescending(m => m.ClosedAt).Take(1000).Select(m => new { m.Masked, m.ClosedAt, m.Misses }).ToListAsync(ct);
        return rows.Select(r => new FamilyClosure(r.Masked ?? "", r.ClosedAt!.Value, r.ClosedAt.Value.AddDays(reopenAfter), r.Misses)).ToList();
    }

    /// <summary>Misses and families closed now, of each API client, for the administrators' view.</summary>
    public async Task<IReadOnlyDictionary<long, (int Misses, int ClosedFamilies)>> ClientTotalsAsync(CancellationToken ct = default)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.ReopenAfterDays);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.IdLookupMisses.AsNoTracking().Where(m => m.Caller.StartsWith("client:") && !m.Family.StartsWith("day:"))
            .Select(m => new { m.Caller, m.Misses, m.ClosedAt }).ToListAsync(ct);
        return rows.GroupBy(r => long.Parse(r.Caller["client:".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.Misses), g.Count(r => r.ClosedAt >= since)));
    }

    /// <summary>
    /// Numbers put in a client's watched book, each with the name it is watched under, counted in the book's transaction
    /// as exact lookups: a book of candidates for one listed person's hidden digits (under that person's name, since a
    /// book is told only when name and number agree) is the same guessing as trying them one by one. Counted per family
    /// and name (<see cref="WatchKey"/>), with the same allowance, across registrations; for each, whether it may be
    /// matched. Not per family alone: a county bank's customers share families by the hundred (one per birthday for each
    /// sequence number) under different names. The daily allowance is not applied: a bank's book of a million customers
    /// holds tens of thousands of numbers in families that hold a listed entry, each tried once.
    /// </summary>
    public async Task<bool[]> MayWatchAsync(PortalDbContext db, IdLookupCaller caller, IReadOnlyList<(ExactIdLookup Lookup, string NameKey)> lookups,
        DateTime now, CancellationToken ct)
    {
        var answer = Enumerable.Repeat(true, lookups.Count).ToArray();
        var listed = ListedFamilies(lookups.Select(l => l.Lookup.Id));
        var guarded = Enumerable.Range(0, lookups.Count).Where(i => listed.Contains(lookups[i].Lookup.Id.Family)).ToList();
        if (guarded.Count == 0) return answer;
        var guesses = guarded.Select(i => new FamilyGuess(WatchKey(lookups[i].Lookup.Id, lookups[i].NameKey), Tag(lookups[i].Lookup.Id),
            lookups[i].Lookup.Found, lookups[i].Lookup.Id.Mask())).ToList();
        var (closed, counted) = await CountAsync(db, caller.Key, guesses, closeAfter: options.Value.ClientMissesPerFamily + 1, now, ct);
        for (var n = 0; n < guarded.Count; n++) answer[guarded[n]] = !closed[n];
        await AuditLog.AppendAsync(db, counted.Closed.Select(i => Closing(caller, lookups[guarded[i]].Lookup.Id, ChinaTime.DateOf(now), now)).ToList(), ct);
        return answer;
    }

    /// <summary>A number's family and a name, keyed: what a watched book may hold only a few numbers of (<see cref="MayWatchAsync"/>).</summary>
    public string WatchKey(IdNumber id, string nameKey) => Keyed("watch:" + id.Family + "|" + nameKey);

    /// <summary>
    /// The families among these numbers that hold a public entry's debtor or a public organization's recorded legal
    /// representative: one index term lookup per family (an over-estimate by the entries removed moments ago, which only
    /// counts a few more guesses).
    /// </summary>
    private IReadOnlySet<string> ListedFamilies(IEnumerable<IdNumber> ids)
    {
        var families = ids.Select(id => id.Family).ToHashSet();
        var present = index.IdentifiersPresent(families.SelectMany(f => new[] { IndexSync.Keys.IdFamily(f), IndexSync.Keys.RepresentativeFamily(f) }));
        return families.Where(f => present.Contains(IndexSync.Keys.IdFamily(f)) || present.Contains(IndexSync.Keys.RepresentativeFamily(f))).ToHashSet();
    }

    private string FamilyKey(IdNumber id) => Keyed("family:" + id.Family);

    private string Tag(IdNumber id) => Keyed("tried:" + id.Canonical)[..8];

    private string Keyed(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes(text)));

    private AuditRecord Closing(IdLookupCaller caller, IdNumber id, DateOnly today, DateTime now)
    {
        var listed = index.Search(new SearchQuery(null, [IndexSync.Keys.IdFamily(id.Family)], null, 0, 20, WithFacets: false) { VisibleOn = today });
        return new AuditRecord
        {
            At = now, Actor = caller.Label, Action = "id-lookup-closed",
            Reason = $"{caller.Label}对与名单中{listed.Total}个条目（号码可见部分为 {id.Mask()}）同号段的多个不同身份证号码精确查询均未命中，" +
                     $"已停止其对该号段的精确查询{options.Value.ReopenAfterDays}天，以防推算完整号码",
        };
    }
}

/// <summary>A family closed to a client: the masked form its numbers show, when it closed, when it reopens, the misses counted.</summary>
public sealed record FamilyClosure(string Masked, DateTime ClosedAt, DateTime ReopensAt, int Misses);
