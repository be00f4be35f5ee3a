using Microsoft.EntityFrameworkCore;
using Portal.Data.Persistence;

namespace Portal.Data.Audit;

/// <summary>Appends to the hash chain. Call inside a transaction opened with <see cref="DatabaseProvider.BeginSerializedAsync"/>.</summary>
public static class AuditLog
{
    public static async Task AppendAsync(PortalDbContext db, IReadOnlyList<AuditRecord> records, CancellationToken ct = default)
    {
        if (records.Count == 0) return;
        var last = await db.AuditRecords.AsNoTracking().OrderByDescending(r => r.Sequence)
            .Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync(ct);
        var sequence = last?.Sequence ?? 0;
        var previous = last?.Hash ?? AuditRecord.GenesisHash;
        foreach (var r in records)
        {
            r.Sequence = ++sequence;
            r.At = DateTime.SpecifyKind(new DateTime(r.At.Ticks - r.At.Ticks % TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc); // what every provider stores exactly
            r.PreviousHash = previous;
            r.Hash = r.ComputeHash();
            previous = r.Hash;
            db.AuditRecords.Add(r);
        }
    }

    /// <summary>Records an administrative action that changes nothing else in this database, in its own transaction.</summary>
    public static async Task RecordAsync(PortalDbContext db, string actor, string action, string reason, DateTime at, CancellationToken ct = default)
    {
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        await AppendAsync(db, [new AuditRecord { At = at, Actor = actor, Action = action, Reason = reason }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public static async Task<AuditBreak?> VerifyAsync(PortalDbContext db, CancellationToken ct = default) =>
        AuditChain.Verify(await db.AuditRecords.AsNoTracking().OrderBy(r => r.Sequence).ToListAsync(ct));
}
