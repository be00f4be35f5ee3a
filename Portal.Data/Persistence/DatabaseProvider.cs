using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Data.Persistence;

public enum DatabaseProviderKind { Sqlite, Postgres, SqlServer }

/// <summary>The only place that knows which database engines exist and how each is configured.</summary>
public static class DatabaseProvider
{
    public static DatabaseProviderKind Parse(string? name) => (name ?? "Sqlite").Trim().ToLowerInvariant() switch
    {
        "" or "sqlite" => DatabaseProviderKind.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProviderKind.Postgres,
        "sqlserver" or "mssql" => DatabaseProviderKind.SqlServer,
        _ => throw new InvalidOperationException($"Database:Provider “{name}” 不受支持，应为 Sqlite、Postgres 或 SqlServer"),
    };

    public static string SqliteConnectionString(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, "portal.db"),
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public static void Configure(DbContextOptionsBuilder options, DatabaseProviderKind kind, string connectionString)
    {
        switch (kind)
        {
            case DatabaseProviderKind.Sqlite:
                options.UseSqlite(connectionString);
                break;
            case DatabaseProviderKind.Postgres:
                options.UseNpgsql(connectionString);
                break;
            case DatabaseProviderKind.SqlServer:
                options.UseSqlServer(connectionString);
                break;
        }
    }

    /// <summary>
    /// A transaction in which writers follow one another, so that the audit chain and the event cursor never fork:
    /// SQLite's transactions here begin IMMEDIATE (one writer); PostgreSQL takes a transaction-scoped advisory lock, SQL
    /// Server a transaction-owned application lock.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginSerializedAsync(DbContext db, CancellationToken ct = default)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73120001)", ct);
        else if (db.Database.IsSqlServer())
            await db.Database.ExecuteSqlRawAsync("EXEC sp_getapplock @Resource = N'portal-writers', @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1", ct);
        return tx;
    }

    public static async Task<bool> TableExistsAsync(DbContext db, string table, CancellationToken ct = default)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = db.Database.IsSqlite() ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name"
            : db.Database.IsSqlServer() ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = SCHEMA_NAME() AND table_name = @name"
            : "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = @name";
        var p = cmd.CreateParameter();
        p.ParameterName = "@name";
        p.Value = table;
        cmd.Parameters.Add(p);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) > 0;
    }

    public static DbContextOptions<PortalDbContext> Options(DatabaseProviderKind kind, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        Configure(builder, kind, connectionString);
        return builder.Options;
    }
}
