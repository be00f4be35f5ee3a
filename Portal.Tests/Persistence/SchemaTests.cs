using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Persistence;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>A fresh database, created the way the portal creates it at start-up, has exactly the model's shape.</summary>
public class SchemaTests
{
    public sealed record Column(string Table, string Name, bool Nullable);

    public static IReadOnlySet<Column> ModelColumns(DbContext db) => db.Model.GetEntityTypes()
        .SelectMany(t =>
        {
            var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(t.GetTableName()!, t.GetSchema());
            return t.GetProperties().Select(p => new Column(t.GetTableName()!, p.GetColumnName(table)!, p.IsColumnNullable(table)));
        })
        .ToHashSet();

    public static IReadOnlySet<string> ModelIndexes(DbContext db) => db.Model.GetEntityTypes()
        .SelectMany(t => t.GetIndexes().Select(i => i.GetDatabaseName()!)).ToHashSet();

    public static async Task<IReadOnlySet<Column>> DatabaseColumns(PortalDbContext db, IEnumerable<string> tables)
    {
        var columns = new HashSet<Column>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        foreach (var table in tables)
        {
            await using var cmd = connection.CreateCommand();
            if (db.Database.IsSqlite())
            {
                cmd.CommandText = $"SELECT name, \"notnull\", pk FROM pragma_table_info('{table}')";
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) columns.Add(new Column(table, r.GetString(0), r.GetInt64(1) == 0 && r.GetInt64(2) == 0));
            }
            else
            {
                cmd.CommandText = $"SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = '{table}' AND table_schema = current_schema()";
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync()) columns.Add(new Column(table, r.GetString(0), r.GetString(1) == "YES"));
            }
        }
        return columns;
    }

    public static async Task<IReadOnlySet<string>> DatabaseIndexes(PortalDbContext db)
    {
        var names = new HashSet<string>();
        await db.Database.OpenConnectionAsync();
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = db.Database.IsSqlite()
            ? "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            : "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE 'PK_%'";
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) names.Add(r.GetString(0));
        return names;
    }

    /// <summary>The tables schema step 7 adds (due process online); declared first, the lists below include them.</summary>
    public static readonly string[] Version7Tables = ["applications", "application_attachments", "application_steps", "notifications"];

    /// <summary>The tables schema step 2 adds: dropping them (and its version row) gives a version-1 database.</summary>
    public static readonly string[] Version2Tables = ["api_clients", "client_receipts", "takedown_notices", "webhook_deliveries", "verification_receipts"];

    /// <summary>The tables schema step 10 adds (joint punishment); declared before the list that includes them.</summary>
    public static readonly string[] Version10Tables = ["measure_kinds", "measures", "measure_lifts", "measure_events"];

    /// <summary>The tables schema step 3 adds (it also drops entries.BirthDate, which a version-1 or -2 database has), and later steps.</summary>
    public static readonly string[] TablesAfterVersion2 = ["portal_settings", "id_lookup_misses", "staff_courts", .. Version7Tables, "courts", .. Version10Tables,
        "query_certificates", "key_applications", "watched_subjects", "watch_events"];

    /// <summary>The columns schema step 10 adds to tables of step 2: (table, column).</summary>
    public static readonly (string Table, string Column)[] Version10Columns = [("api_clients", "Category"), ("webhook_deliveries", "Feed")];

    /// <summary>The column schema step 12 adds to a table of step 2.</summary>
    public static readonly (string Table, string Column)[] Version12Columns = [("takedown_notices", "DueAt")];


    /// <summary>The entries columns schema step 4 adds.</summary>
    public static readonly string[] Version4Columns = ["RiskNoticeServedOn", "RiskNoticeMethod"];

    /// <summary>What schema step 14 adds to entries (a table every version has): its index, then its columns.</summary>
    private static async Task DropStep14Async(PortalDbContext db)
    {
        await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_entries_LegalRepresentativeIdHash\"");
        foreach (var column in new[] { "LegalRepresentativeIdCipher", "LegalRepresentativeIdHash", "LegalRepresentativeIdFamily" })
            await db.Database.ExecuteSqlRawAsync(Sql($"ALTER TABLE entries DROP COLUMN \"{column}\""));
    }

    /// <summary>Creates the database as start-up does (portal model, then staff accounts) and compares it with both models.</summary>
    /// <summary>SQL built from this test's own table and column names (constants), never from input.</summary>
    private static string Sql(string text) => text;

    internal static async Task AssertMatchesModel(DatabaseProviderKind provider, string connectionString, bool upgradeFromVersion1 = false)
    {
        await using var db = new PortalDbContext(DatabaseProvider.Options(provider, connectionString));
        var staffOptions = new DbContextOptionsBuilder<Portal.Web.BackOffice.StaffDbContext>();
        DatabaseProvider.Configure(staffOptions, provider, connectionString);
        await using var staff = new Portal.Web.BackOffice.StaffDbContext(staffOptions.Options);

        if (upgradeFromVersion1)
        {
            await SchemaUpgrader.UpgradeAsync(db);
            foreach (var table in Version2Tables.Concat(TablesAfterVersion2)) await db.Database.ExecuteSqlRawAsync(Sql($"DROP TABLE {table}"));
            await db.Database.ExecuteSqlRawAsync(Sql($"ALTER TABLE entries ADD COLUMN \"BirthDate\" {(db.Database.IsSqlite() ? "TEXT" : "date")} NULL"));
            foreach (var column in Version4Columns) await db.Database.ExecuteSqlRawAsync(Sql($"ALTER TABLE entries DROP COLUMN \"{column}\""));
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_entries_CourtCode_PublishedAt\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE entries DROP COLUMN \"CourtCode\""); // step 9
            await DropStep14Async(db);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM schema_versions; INSERT INTO schema_versions (\"Version\", \"Description\", \"AppliedAt\") VALUES (1, 'v1', '2026-01-01')");
            Assert.False(await DatabaseProvider.TableExistsAsync(db, "api_clients"));
            db.ChangeTracker.Clear();
        }
        Assert.Equal(SchemaUpgrader.LatestVersion, await SchemaUpgrader.UpgradeAsync(db));
        await SchemaUpgrader.EnsureTablesAsync(staff, Portal.Web.BackOffice.StaffDbContext.MarkerTable);

        var model = ModelColumns(db).Concat(ModelColumns(staff)).ToHashSet();
        var actual = await DatabaseColumns(db, model.Select(c => c.Table).Distinct());
        Assert.Equal(model.OrderBy(c => c.Table).ThenBy(c => c.Name), actual.OrderBy(c => c.Table).ThenBy(c => c.Name));
        Assert.Equal(ModelIndexes(db).Concat(ModelIndexes(staff)).Order(), (await DatabaseIndexes(db)).Order());
        Assert.Equal(SchemaUpgrader.LatestVersion, await db.SchemaVersions.MaxAsync(v => v.Version));
    }

    [Fact]
    public async Task A_fresh_sqlite_database_matches_the_model()
    {
        using var dir = new TempDirectory();
        await AssertMatchesModel(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(dir.Path));
    }

    [Fact]
    public async Task A_version_1_sqlite_database_upgrades_to_the_model()
    {
        using var dir = new TempDirectory();
        await AssertMatchesModel(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(dir.Path), upgradeFromVersion1: true);
    }

    [Fact]
    public async Task Upgrading_a_database_with_birth_dates_leaves_no_trace_of_them_in_the_file()
    {
        using var dir = new TempDirectory();
        var cs = DatabaseProvider.SqliteConnectionString(dir.Path);
        var options = DatabaseProvider.Options(DatabaseProviderKind.Sqlite, cs);
        await using (var db = new PortalDbContext(options))
        {
            await SchemaUpgrader.UpgradeAsync(db);
            db.Entries.Add(Portal.Data.Entries.EntryValidation.Validate(TestEntries.Person(), TestEntries.Protection(), DateTime.UtcNow).Entry!);
            await db.SaveChangesAsync();
            // As a version-2 database had it: the birth date in clear beside the masked number.
            foreach (var table in TablesAfterVersion2) await db.Database.ExecuteSqlRawAsync(Sql($"DROP TABLE {table}"));
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE entries ADD COLUMN \"BirthDate\" TEXT NULL");
            foreach (var column in Version4Columns) await db.Database.ExecuteSqlRawAsync(Sql($"ALTER TABLE entries DROP COLUMN \"{column}\""));
            await db.Database.ExecuteSqlRawAsync("DROP INDEX \"IX_entries_CourtCode_PublishedAt\"");
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE entries DROP COLUMN \"CourtCode\""); // step 9
            await DropStep14Async(db);
            foreach (var (table, column) in Version10Columns.Concat(Version12Columns)) await db.Database.ExecuteSqlRawAsync(Sql($"ALTER TABLE {table} DROP COLUMN \"{column}\""));
            await db.Database.ExecuteSqlRawAsync("UPDATE entries SET \"BirthDate\" = '1984-03-15'");
            await db.Database.ExecuteSqlRawAsync("UPDATE schema_versions SET \"Version\" = 2");
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var file = Path.Combine(dir.Path, "portal.db");
        Assert.Contains("1984-03-15", System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(file))); // the test can fail

        await using (var db = new PortalDbContext(options))
        {
            Assert.Equal(SchemaUpgrader.LatestVersion, await SchemaUpgrader.UpgradeAsync(db));
            Assert.Equal(1, await db.Entries.CountAsync());
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(file))
            + (File.Exists(file + "-wal") ? System.Text.Encoding.ASCII.GetString(await File.ReadAllBytesAsync(file + "-wal")) : "");
        Assert.DoesNotContain("1984-03-15", bytes);
        Assert.DoesNotContain("19840315", bytes);
    }

    [Fact]
    public async Task Upgrading_twice_keeps_the_data()
    {
        using var dir = new TempDirectory();
        var options = DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(dir.Path));
        await using (var db = new PortalDbContext(options))
        {
            await SchemaUpgrader.UpgradeAsync(db);
            var entry = Portal.Data.Entries.EntryValidation.Validate(TestEntries.Person(), TestEntries.Protection(), DateTime.UtcNow).Entry!;
            db.Entries.Add(entry);
            await db.SaveChangesAsync();
        }
        await using (var db = new PortalDbContext(options))
        {
            await SchemaUpgrader.UpgradeAsync(db);
            Assert.Equal(1, await db.Entries.CountAsync());
            Assert.Equal(SchemaUpgrader.LatestVersion, await db.SchemaVersions.MaxAsync(v => v.Version));
            Assert.Equal(1, await db.SchemaVersions.CountAsync());
        }
    }

    [Fact]
    public async Task A_foreign_database_is_refused_not_altered()
    {
        using var dir = new TempDirectory();
        var cs = DatabaseProvider.SqliteConnectionString(dir.Path);
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection(cs))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE other(x INTEGER)";
            await cmd.ExecuteNonQueryAsync();
        }
        await using var db = new PortalDbContext(DatabaseProvider.Options(DatabaseProviderKind.Sqlite, cs));
        var error = await Assert.ThrowsAnyAsync<Exception>(() => SchemaUpgrader.UpgradeAsync(db));
        Assert.True(error.Message.Contains("schema_versions") || error.InnerException?.Message.Contains("schema_versions") == true, error.Message);
    }
}
