using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Persistence;

public enum DatabaseProviderKind { Sqlite, Postgres }

/// <summary>The only place that knows which database engines exist and how each is configured.</summary>
public static class DatabaseProvider
{
    public static DatabaseProviderKind Parse(string? name) => (name ?? "Sqlite").Trim().ToLowerInvariant() switch
    {
        "" or "sqlite" => DatabaseProviderKind.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProviderKind.Postgres,
        _ => throw new InvalidOperationException($"Database:Provider “{name}” 不受支持，应为 Sqlite 或 Postgres"),
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
        }
    }

    public static DbContextOptions<PortalDbContext> Options(DatabaseProviderKind kind, string connectionString)
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        Configure(builder, kind, connectionString);
        return builder.Options;
    }
}
