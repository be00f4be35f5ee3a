using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Data.Persistence;

/// <summary>
/// Creates a fresh database from the model, or brings an existing one up to <see cref="Steps"/>' latest version.
/// Steps are plain SQL per provider (no design-time tooling is available here), appended, never edited.
/// </summary>
public static class SchemaUpgrader
{
    /// <summary>
    /// Version 1 is the model as first created. Later steps: (version, description, sqlite SQL, postgres SQL), the SQL
    /// in <c>Persistence/Steps/NNNN-name.{sqlite,postgres}.sql</c>.
    /// </summary>
    public static readonly IReadOnlyList<(int Version, string Description, string Sqlite, string Postgres)> Steps =
    [
        (2, "machine interface: API clients, receipts, takedown notices, webhook deliveries, verification receipts",
            StepSql("0002-machine-interface.sqlite.sql"), StepSql("0002-machine-interface.postgres.sql")),
        (3, "privacy: no birth date in clear, key checks and the demo mark, exact-ID lookup misses",
            StepSql("0003-privacy.sqlite.sql"), StepSql("0003-privacy.postgres.sql")),
        (4, "risk notice: the day and the method of service",
            StepSql("0004-risk-notice-service.sqlite.sql"), StepSql("0004-risk-notice-service.postgres.sql")),
        (5, "staff belong to a court", StepSql("0005-staff-courts.sqlite.sql"), StepSql("0005-staff-courts.postgres.sql")),
        (6, "browse a court's entries by month", StepSql("0006-browse.sqlite.sql"), StepSql("0006-browse.postgres.sql")),
        (7, "due process online: applications, their files and history, the notification outbox",
            StepSql("0007-applications.sqlite.sql"), StepSql("0007-applications.postgres.sql")),
        (8, "privacy and access: closed ID families reopen, clients see their closures",
            StepSql("0008-access.sqlite.sql"), StepSql("0008-access.postgres.sql")),
        (9, "every court in the country: entries keep their court's code, administrators' changes to the court directory",
            StepSql("0009-courts.sqlite.sql"), StepSql("0009-courts.postgres.sql")),
        (10, "joint punishment: the catalogue of measures, measures reported by units, lift notices, the units' measure feed",
            StepSql("0010-measures.sqlite.sql"), StepSql("0010-measures.postgres.sql")),
        (11, "query certificates: a signed record of one public search and what it found",
            StepSql("0011-certificates.sqlite.sql"), StepSql("0011-certificates.postgres.sql")),
        (12, "outdoor screens: a display operator's takedown deadline to the minute",
            StepSql("0012-display.sqlite.sql"), StepSql("0012-display.postgres.sql")),
        (13, "API keys applied for online: institutions' applications, their review and the one-time collection",
            StepSql("0013-key-applications.sqlite.sql"), StepSql("0013-key-applications.postgres.sql")),
        (14, "banks' duty to check officers: an organization's legal representative's ID number, encrypted and keyed",
            StepSql("0014-representative-id.sqlite.sql"), StepSql("0014-representative-id.postgres.sql")),
        (15, "a watched book: the subjects a bank or unit watches, as keyed hashes and normalized names, and their alerts",
            StepSql("0015-watch.sqlite.sql"), StepSql("0015-watch.postgres.sql")),
    ];

    private static string StepSql(string file)
    {
        var assembly = typeof(SchemaUpgrader).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Portal.Data.Persistence.Steps.{file}")
            ?? throw new InvalidOperationException($"missing schema step {file}");
        return new StreamReader(stream).ReadToEnd();
    }

    public const int InitialVersion = 1;

    public static int LatestVersion => Steps.Count == 0 ? InitialVersion : Steps[^1].Version;

    /// <summary>
    /// SQL Server came as a provider at version 6: a SQL Server database is always created from the model at 6 or later,
    /// so the earlier steps have no SQL Server form; a later step must bring one.
    /// </summary>
    public const int SqlServerFirstVersion = 6;

    /// <summary>
    /// Creates the tables of another model sharing this database (the staff accounts) when its marker table is missing.
    /// </summary>
    public static async Task EnsureTablesAsync(DbContext db, string markerTable, CancellationToken ct = default)
    {
        if (await DatabaseProvider.TableExistsAsync(db, markerTable, ct)) return;
        var script = db.Database.GenerateCreateScript();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = script;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<int> UpgradeAsync(PortalDbContext db, CancellationToken ct = default)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            // WAL lets readers (the web process) and a writer (a CLI verb) work at once.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        if (!await creator.ExistsAsync(ct)) await creator.CreateAsync(ct);
        if (!await creator.HasTablesAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await creator.CreateTablesAsync(ct);
            db.SchemaVersions.Add(new SchemaVersion { Version = LatestVersion, Description = "created from the model", AppliedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return LatestVersion;
        }

        var current = await db.SchemaVersions.MaxAsync(v => (int?)v.Version, ct) ?? 0;
        if (current == 0)
            throw new InvalidOperationException("数据库中已有表，但不是本门户的数据库（缺少 schema_versions）。请使用空数据库。");
        if (current > LatestVersion)
            throw new InvalidOperationException($"数据库版本 {current} 比本程序支持的版本 {LatestVersion} 新，请升级程序。");
        if (db.Database.IsSqlServer() && current < SqlServerFirstVersion)
            throw new InvalidOperationException($"SQL Server 数据库的版本 {current} 早于该数据库类型可用的版本 {SqlServerFirstVersion}：它不是本门户创建的。");
        var pending = Steps.Where(s => s.Version > current).ToList();
        if (db.Database.IsSqlServer() && pending.Count > 0)
            throw new InvalidOperationException($"升级步骤 {pending[0].Version} 尚无 SQL Server 版本。");
        foreach (var step in pending)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlite() ? step.Sqlite : step.Postgres, ct);
            db.SchemaVersions.Add(new SchemaVersion { Version = step.Version, Description = step.Description, AppliedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        // A step may drop what must not survive (step 3: birth dates); SQLite keeps dropped bytes in free pages and the WAL.
        if (pending.Count > 0 && db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);", ct);
        return LatestVersion;
    }
}
