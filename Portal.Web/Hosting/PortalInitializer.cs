using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data.Persistence;
using Portal.Web.DemoData;
using Portal.Web.Import;
using Portal.Web.Search;

namespace Portal.Web.Hosting;

/// <summary>
/// Brings storage up to date before anything reads it: the schema (always, synchronously), then the index and,
/// on an empty embedded database, the demo data (in the background for the server, so /health says when).
/// </summary>
public sealed class PortalInitializer(
    IDbContextFactory<PortalDbContext> dbFactory,
    IServiceScopeFactory scopes,
    IndexSync indexSync,
    DemoDataGenerator demo,
    DemoMark demoMark,
    DataDirectoryState directory,
    EntryImporter importer,
    Lifecycle.EntryActions actions,
    TimeProvider clock,
    DatabaseSettings database,
    IOptions<PortalOptions> options,
    PortalReadiness readiness,
    Portal.Data.Privacy.IdNumberProtection protection,
    IdHashKeyBytes hashKey,
    IServiceProvider services,
    ILogger<PortalInitializer> logger)
{
    public async Task UpgradeSchemaAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        int version;
        try { version = await SchemaUpgrader.UpgradeAsync(db, ct); }
        catch (Exception ex) when (ex is not OperationCanceledException && Unreachable(ex) is { } reason)
        {
            // A clear sentence instead of a stack trace; the connection string (and its password) is not repeated.
            throw new StartupRefusedException($"无法连接数据库（{database.Provider}）：{reason}。请检查 ConnectionStrings:Portal 与数据库服务器是否在运行。");
        }
        await DataSafety.VerifyKeysAsync(db, protection, hashKey.Key, ct);
        await Clients.Verification.KeyOlderDigestsAsync(db, services.GetRequiredService<Clients.ReceiptSigner>(), ct);
        var courts = services.GetRequiredService<Courts.CourtRegistry>();
        await courts.LoadAsync(ct);
        if (await courts.AssignCourtCodesAsync(ct) is > 0 and var assigned) logger.LogInformation("{Count} entries now carry their court's code", assigned);
        await services.GetRequiredService<Measures.MeasureKinds>().AddShippedAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var staff = scope.ServiceProvider.GetRequiredService<BackOffice.StaffDbContext>();
        await SchemaUpgrader.EnsureTablesAsync(staff, BackOffice.StaffDbContext.MarkerTable, ct);
        DataSafety.FirstStartCompleted(directory.Path);
        logger.LogInformation("Database ({Provider}) at schema version {Version}", database.Provider, version);
    }

    /// <summary>The reason a database could not be reached at all, or null for any other failure (which stays as it is).</summary>
    private static string? Unreachable(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
            if (e is System.Net.Sockets.SocketException or Npgsql.NpgsqlException { IsTransient: true } or TimeoutException) return e.Message;
        return null;
    }

    /// <summary>Seeds demo data if this is an empty embedded database, builds the search index, then reports ready.</summary>
    public async Task PrepareDataAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        // Only into a data directory this start found empty: never beside keys or history someone may still need.
        if (o.SeedDemoData && database.Provider == DatabaseProviderKind.Sqlite && o.DemoDataCount > 0 && directory.WasFresh)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.Entries.AnyAsync(ct) && await demoMark.MarkAsync(ct) is null)
            {
                logger.LogInformation("Empty embedded database: seeding {Count} demo entries", o.DemoDataCount);
                var shown = 0;
                void Progress(int done)
                {
                    readiness.Report($"正在写入演示数据 {done}/{o.DemoDataCount}");
                    var tenth = done * 10 / Math.Max(1, o.DemoDataCount);
                    if (tenth > shown) { shown = tenth; logger.LogInformation("Demo data {Percent}% ({Done}/{Count})", tenth * 10, done, o.DemoDataCount); }
                }
                var report = await importer.ImportAsync(demo.Generate(o.DemoDataCount, seed: 1), Progress, ct, actor: "demo", history: true);
                await DemoActivityAsync(ct);
                logger.LogInformation("Seeded {Count} demo entries", report.Imported);
            }
        }
        readiness.Report("正在打开查询索引");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var n = await indexSync.OpenAsync(readiness.Report, ct);
        logger.LogInformation("Search index ready with {Count} public entries in {Seconds:0.0} s", n, watch.Elapsed.TotalSeconds);
        readiness.MarkReady();
        var addresses = services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
        logger.LogInformation("门户已就绪 Portal ready: {Urls}", addresses is { Count: > 0 } ? string.Join(" ", addresses) : "(no HTTP server)");
    }

    /// <summary>A few recent removal events and shieldings, some late, so the deadline board has something to show.</summary>
    private async Task DemoActivityAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var today = Portal.Data.Entries.ChinaTime.Today(clock);
        var candidates = await db.Entries.Where(e => e.Status == Portal.Data.Entries.EntryStatus.Published && !e.NonPublic)
            .OrderBy(e => e.Id).Select(e => e.Id).Take(Math.Max(1, options.Value.DemoDataCount / 400)).ToListAsync(ct); // a day's work, not a month's
        var random = new Random(1);
        foreach (var id in candidates)
        {
            var ground = (Portal.Data.Entries.RemovalGround)random.Next(3);
            var eventDate = today.AddDays(-random.Next(0, 7));
            var step = random.Next(2) == 0 ? Lifecycle.EntryActions.RemovalEvent(ground, eventDate) : Lifecycle.EntryActions.Shield(ground, eventDate);
            await actions.ApplyAsync(id, step, "demo", ct);
        }

        // A few applications, so that the office's queue and board have something to show: complaints about listed
        // entries, and credit repair of organizations whose entries were just shielded.
        var desk = services.GetRequiredService<Applications.ApplicationDesk>();
        var listed = await db.Entries.Where(e => e.Status == Portal.Data.Entries.EntryStatus.Published && !e.NonPublic)
            .OrderByDescending(e => e.Id).Select(e => e.CaseNumber).Take(2).ToListAsync(ct);
        foreach (var (caseNumber, i) in listed.Select((c, i) => (c, i)))
            await desk.SubmitAsync(new(Portal.Data.Applications.ApplicationKind.Complaint, caseNumber, null, null, ["wrong-info"],
                "演示数据：法定代表人姓名疑有误，请核实。", $"1380013800{i}"), null, ct);
        var shielded = await db.Entries.Where(e => e.Status == Portal.Data.Entries.EntryStatus.Shielded && !e.NonPublic && e.CreditCode != null)
            .OrderBy(e => e.Id).Select(e => new { e.CaseNumber, e.CreditCode }).Take(2).ToListAsync(ct);
        foreach (var e in shielded)
            await desk.SubmitAsync(new(Portal.Data.Applications.ApplicationKind.CreditRepair, e.CaseNumber, null, e.CreditCode, ["performed"],
                "演示数据：已全部履行，申请信用修复。", "demo@example.com"), null, ct);
    }
}

/// <summary>Runs <see cref="PortalInitializer.PrepareDataAsync"/> after the server starts listening.</summary>
public sealed class DataPreparationService(PortalInitializer initializer, ILogger<DataPreparationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await initializer.PrepareDataAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "Preparing the data failed; /health stays unhealthy");
        }
    }
}

/// <summary>Upgrades the schema before the server accepts requests (hosted services start before Kestrel).</summary>
public sealed class SchemaUpgradeService(PortalInitializer initializer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => initializer.UpgradeSchemaAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
