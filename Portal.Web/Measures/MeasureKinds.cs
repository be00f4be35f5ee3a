using Microsoft.EntityFrameworkCore;
using Portal.Data.Audit;
using Portal.Data.Entries;
using Portal.Data.Measures;
using Portal.Data.Persistence;

namespace Portal.Web.Measures;

/// <summary>
/// The catalogue of measures in force: the shipped kinds (copied into the database at start, never over an
/// administrator's change) and what administrators added, renamed or retired. Read from the database each time, so
/// that every node sees a change at once.
/// </summary>
public sealed class MeasureKinds(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>At start: the shipped kinds the database does not have yet. Returns how many were added.</summary>
    public async Task<int> AddShippedAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var known = (await db.MeasureKinds.Select(k => k.Code).ToListAsync(ct)).ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        var missing = MeasureCatalogue.Shipped.Where(k => !known.Contains(k.Code)).ToList();
        db.MeasureKinds.AddRange(missing.Select(k => new MeasureKind
        {
            Code = k.Code, Name = k.Name, LegalBasis = k.LegalBasis, Subjects = k.Subjects, ChangedAt = now, ChangedBy = "catalogue",
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return missing.Count;
    }

    /// <summary>Every kind by code, retired ones included (recorded measures keep their kind).</summary>
    public async Task<IReadOnlyDictionary<string, MeasureKind>> AllAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.MeasureKinds.AsNoTracking().ToDictionaryAsync(k => k.Code, ct);
    }

    /// <summary>The catalogue as the API and the office list it: shipped order first, then added kinds by code.</summary>
    public async Task<IReadOnlyList<MeasureKind>> ListAsync(bool withRetired, CancellationToken ct = default)
    {
        var all = await AllAsync(ct);
        var today = ChinaTime.Today(clock);
        var order = MeasureCatalogue.Shipped.Select((k, i) => (k.Code, i)).ToDictionary(x => x.Code, x => x.i);
        return all.Values.Where(k => withRetired || k.RetiredOn is null || k.RetiredOn > today)
            .OrderBy(k => order.GetValueOrDefault(k.Code, int.MaxValue)).ThenBy(k => k.Code, StringComparer.Ordinal).ToList();
    }

    /// <summary>Adds a kind or changes one (name, basis, subjects; retired or in force again). Audited. Null when done, else why not.</summary>
    public async Task<string?> SaveAsync(string? code, string? name, string? legalBasis, IReadOnlyCollection<string> subjects, bool retired, string actor,
        CancellationToken ct = default)
    {
        code = code?.Trim() ?? "";
        name = name?.Trim() ?? "";
        legalBasis = legalBasis?.Trim() ?? "";
        if (MeasureCatalogue.Problem(code, name, legalBasis, subjects) is { } problem) return problem;
        var ordered = MeasureSubjects.Labels.Keys.Where(subjects.Contains).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var kind = await db.MeasureKinds.SingleOrDefaultAsync(k => k.Code == code, ct);
        var added = kind is null;
        if (kind is null) db.MeasureKinds.Add(kind = new MeasureKind { Code = code });
        var before = added ? null : $"{kind.Name}｜{kind.LegalBasis}｜{kind.Subjects}｜{kind.RetiredOn:yyyy-MM-dd}";
        (kind.Name, kind.LegalBasis, kind.Subjects, kind.ChangedAt, kind.ChangedBy) = (name, legalBasis, string.Join(',', ordered), now, actor);
        kind.RetiredOn = retired ? kind.RetiredOn ?? ChinaTime.DateOf(now) : null;
        await AuditLog.AppendAsync(db, [new AuditRecord
        {
            At = now, Actor = actor, Action = added ? "measure-kind-added" : "measure-kind-changed",
            Reason = $"惩戒措施目录 {code}：{name}｜{legalBasis}｜{kind.Subjects}｜{(retired ? "停用" : "有效")}" + (before is null ? "" : $"（原为 {before}）"),
        }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
