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

    /// <summary>Different numbers of one family (the digits a masked number shows) that anonymous callers, all together, may try without a match.</summary>
    [Range(0, 100)] public int PublicMissesPerFamily { get; set; } = 1;

    /// <summary>The same for one API client (a bank may hold two customers of one family).</summary>
    [Range(0, 100)] public int ClientMissesPerFamily { get; set; } = 2;

    /// <summary>Misses in families with a listed entry one API client may have in a day.</summary>
    [Range(0, 10_000_000)] public int ClientMissesPerDay { get; set; } = 2_000;
}

/// <summary>Who asks: all anonymous callers together (an address is cheap to change), or one registered API client.</summary>
public sealed record IdLookupCaller(string Key, string Label, long? ClientId)
{
    public static readonly IdLookupCaller Public = new("public", "匿名查询", null);

    public static IdLookupCaller Client(long id, string name) => new($"client:{id}", name, id);

    public static IdLookupCaller Of(ClaimsPrincipal user) => Clients.ApiKeyAuthentication.IsClient(user)
        ? Client(Clients.ApiKeyAuthentication.ClientId(user), user.Identity!.Name!)
        : Public;
}

/// <summary>One exact ID-number lookup and whether it found a public entry.</summary>
public sealed record ExactIdLookup(IdNumber Id, bool Found);

/// <summary>
/// Keeps exact ID lookups from confirming the hidden digits of a listed person's number. A masked number hides only
/// month and day, so about 33 numbers share what it shows (its family); trying each one until a lookup answers
/// "listed" would give the full number away. So, for a family that holds a listed entry, the different numbers
/// tried without a match are counted per caller (durably, across nodes); past the allowance the family's exact
/// lookups are closed for that caller, hit or miss alike, and the closing is written to the audit log. A family with
/// no listed entry hides nothing and is never counted. A person checking one number (their own, a counterparty's)
/// is answered; a number tried again is not a new miss.
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
        var guarded = Enumerable.Range(0, lookups.Count).Where(i => HoldsListedEntry(lookups[i].Id, today)).ToList();
        if (guarded.Count == 0) return answer;

        var o = options.Value;
        var limit = caller.ClientId is null ? o.PublicMissesPerFamily : o.ClientMissesPerFamily;
        var now = clock.GetUtcNow().UtcDateTime;
        var dayKey = "day:" + today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var families = guarded.Select(i => FamilyKey(lookups[i].Id)).Append(dayKey).Distinct().ToList();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct); // parallel guesses are counted one by one
        var rows = await db.IdLookupMisses.Where(m => m.Caller == caller.Key && families.Contains(m.Family)).ToDictionaryAsync(m => m.Family, ct);
        IdLookupMiss Row(string family) => rows.TryGetValue(family, out var row) ? row
            : rows[family] = db.IdLookupMisses.Add(new IdLookupMiss { Caller = caller.Key, Family = family, FirstAt = now, LastAt = now }).Entity;
        int MissesOf(string family) => rows.TryGetValue(family, out var row) ? row.Misses : 0;

        var audit = new List<AuditRecord>();
        foreach (var i in guarded)
        {
            var family = FamilyKey(lookups[i].Id);
            if (!lookups[i].Found)
            {
                var row = Row(family);
                var tag = Tag(lookups[i].Id);
                var tried = row.Tried.Length == 0 ? [] : row.Tried.Split(',');
                if (!tried.Contains(tag))
                {
                    row.Misses++;
                    row.LastAt = now;
                    if (tried.Length < MaxTags) row.Tried = row.Tried.Length == 0 ? tag : row.Tried + "," + tag;
                    if (caller.ClientId is not null) { var day = Row(dayKey); day.Misses++; day.LastAt = now; }
                    if (row.Misses == limit + 1) audit.Add(Closing(caller, lookups[i].Id, today, now));
                }
            }
            answer[i] = MissesOf(family) <= limit && (caller.ClientId is null || MissesOf(dayKey) <= o.ClientMissesPerDay);
        }
        await AuditLog.AppendAsync(db, audit, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return answer;
    }

    /// <summary>Misses and closed families of each API client, for the administrators' view.</summary>
    public async Task<IReadOnlyDictionary<long, (int Misses, int ClosedFamilies)>> ClientTotalsAsync(CancellationToken ct = default)
    {
        var limit = options.Value.ClientMissesPerFamily;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.IdLookupMisses.AsNoTracking().Where(m => m.Caller.StartsWith("client:") && !m.Family.StartsWith("day:"))
            .Select(m => new { m.Caller, m.Misses }).ToListAsync(ct);
        return rows.GroupBy(r => long.Parse(r.Caller["client:".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (g.Sum(r => r.Misses), g.Count(r => r.Misses > limit)));
    }

    private bool HoldsListedEntry(IdNumber id, DateOnly today) =>
        index.Search(new SearchQuery(null, [IndexSync.Keys.IdFamily(id.Family)], null, 0, 1, WithFacets: false) { VisibleOn = today }).Total > 0;

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
                     "已停止其对该号段的精确查询，以防推算完整号码",
        };
    }
}
