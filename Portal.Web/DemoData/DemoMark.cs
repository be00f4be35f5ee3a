using Microsoft.EntityFrameworkCore;
using Portal.Data.Persistence;

namespace Portal.Web.DemoData;

/// <summary>
/// Whether the database holds generated demo entries: then every page says so and every API answer carries
/// <see cref="Header"/>, so that invented debtors with realistic names never pass for the real list.
/// </summary>
public sealed class DemoMark(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider clock)
{
    public const string Header = "X-Demo-Data";
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(10);
    private (bool Present, DateTimeOffset ReadAt)? _cached;

    public async ValueTask<bool> IsPresentAsync(CancellationToken ct = default)
    {
        if (_cached is { } c && clock.GetUtcNow() - c.ReadAt < Fresh) return c.Present;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var present = await db.Settings.AnyAsync(s => s.Name == PortalSetting.DemoData, ct);
        _cached = (present, clock.GetUtcNow());
        return present;
    }

    /// <summary>
    /// Marks the database before demo entries go in. Refuses a database that already holds entries or history not made
    /// by the demo: demo data never mixes with a real list.
    /// </summary>
    public async Task<string?> MarkAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Settings.AnyAsync(s => s.Name == PortalSetting.DemoData, ct))
        {
            if (await db.Entries.AnyAsync(ct) || await db.AuditRecords.AnyAsync(ct))
                return "该数据库已有非演示的条目或操作记录，不能写入演示数据（演示数据不得与真实名单混在一起）。请使用一个空的数据目录。";
            db.Settings.Add(new PortalSetting { Name = PortalSetting.DemoData, Value = clock.GetUtcNow().UtcDateTime.ToString("O") });
            await db.SaveChangesAsync(ct);
        }
        _cached = (true, clock.GetUtcNow());
        return null;
    }
}
