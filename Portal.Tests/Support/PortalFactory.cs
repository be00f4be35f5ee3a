using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data.Entries;
using Portal.Web.Hosting;
using Portal.Web.Import;

namespace Portal.Tests.Support;

/// <summary>The real portal over HTTP, on a temporary data directory (and a throwaway PostgreSQL database when asked).</summary>
public class PortalFactory : WebApplicationFactory<Portal.Web.Program>
{
    private readonly TempDirectory _dir = new();
    private readonly PostgresDatabase? _postgres;

    public PortalFactory() : this(postgres: false) { }

    protected PortalFactory(bool postgres)
    {
        if (postgres) _postgres = PostgresDatabase.Create();
    }

    /// <summary>Another portal's data directory, to start the same portal again (a restart); this factory leaves it in place.</summary>
    public string? DataDirectoryOf { get; init; }

    public string DataDirectory => DataDirectoryOf ?? _dir.Path;

    /// <summary>The throwaway PostgreSQL database's connection string (null on SQLite), for another node on the same database.</summary>
    public string? PostgresConnectionString => _postgres?.ConnectionString;

    /// <summary>Further configuration, e.g. faster webhook retries.</summary>
    public Dictionary<string, string> Settings { get; init; } = new();

    /// <summary>Tests send far more than a person would from one address; a rate-limit test lowers these.</summary>
    public int PublicPerMinute { get; init; } = 1_000_000;
    public int ApiPerMinute { get; init; } = 1_000_000;

    /// <summary>The address every request seems to come from (the test server has none), e.g. a reverse proxy's.</summary>
    public System.Net.IPAddress? RemoteAddress { get; init; }

    /// <summary>Demo entries to seed on first start, as `dotnet run` does (none by default).</summary>
    public int DemoEntries { get; init; }

    /// <summary>What the portal logged, at every level (the test host's filters still apply).</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Replaces the clock for the whole host.</summary>
    public TimeProvider? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.UseSetting("Portal:SeedDemoData", DemoEntries > 0 ? "true" : "false");
        builder.UseSetting("Portal:DemoDataCount", DemoEntries.ToString());
        builder.UseSetting("RateLimits:PublicPerMinute", PublicPerMinute.ToString());
        builder.UseSetting("RateLimits:ApiPerMinute", ApiPerMinute.ToString());
        if (Clock is { } clock) builder.ConfigureServices(services => services.AddSingleton(clock));
        // Requests wait until the portal has prepared its data (opening or building the index takes a moment on a loaded
        // machine): before that every public answer is 503 "not ready", which these tests do not ask about.
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, WaitForReadiness>());
        if (RemoteAddress is { } address)
            builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new RemoteAddressFilter(address)));
        if (_postgres is not null)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Portal", _postgres.ConnectionString);
            builder.UseSetting("Portal:IdHashKey", Convert.ToBase64String(TestEntries.HashKey));
        }
    }

    public async Task<ImportReport> ImportAsync(params EntryInput[] inputs)
    {
        _ = Server; // start the host
        var importer = Services.GetRequiredService<EntryImporter>();
        return await importer.ImportAsync(inputs.Select((input, i) => new ImportLine(i + 1, input, null)));
    }

    /// <summary>The entry with this case number (any bracket form).</summary>
    public async Task<long> IdOfAsync(string caseNumber)
    {
        await using var scope = Services.CreateAsyncScope();
        var key = CaseNumber.Key(caseNumber);
        return await scope.ServiceProvider.GetRequiredService<Portal.Data.Persistence.PortalDbContext>().Entries
            .Where(e => e.CaseNumberKey == key).Select(e => e.Id).SingleAsync();
    }

    public async Task<EntryStatus> StatusOfAsync(string caseNumber)
    {
        var id = await IdOfAsync(caseNumber);
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Portal.Data.Persistence.PortalDbContext>().Entries
            .Where(e => e.Id == id).Select(e => e.Status).SingleAsync();
    }

    /// <summary>Takes a lifecycle step on the entry with this case number as the back office does, and expects it to apply.</summary>
    public async Task ApplyAsync(string caseNumber, Portal.Web.Lifecycle.EntryStep step)
    {
        var result = await Services.GetRequiredService<Portal.Web.Lifecycle.EntryActions>().ApplyAsync(await IdOfAsync(caseNumber), step, "reviewer");
        Assert.True(result.Outcome == Portal.Web.Lifecycle.ItemOutcome.Applied, result.Message);
    }

    /// <summary>Shields the entry with this case number today (performed), as a reviewer would.</summary>
    public Task ShieldAsync(string caseNumber, TimeProvider? clock = null) =>
        ApplyAsync(caseNumber, Portal.Web.Lifecycle.EntryActions.Shield(RemovalGround.Performed, ChinaTime.Today(clock ?? Clock ?? TimeProvider.System)));

    /// <summary>Every thread's stack, when dotnet-stack is installed: what a portal that never became ready was waiting for.</summary>
    private static string Stacks()
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-stack");
        if (!File.Exists(tool)) return "";
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(tool, $"report -p {Environment.ProcessId}") { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    public async Task WaitUntilReadyAsync()
    {
        var readiness = Services.GetRequiredService<PortalReadiness>();
        for (var i = 0; i < 1200 && !readiness.IsReady; i++) await Task.Delay(50);
        if (!readiness.IsReady)
            Assert.Fail($"the portal did not become ready in 60 s (stage: {readiness.Stage}); it logged:\n{string.Join("\n", Logs.Lines.TakeLast(30))}\n{Stacks()}");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _postgres?.Dispose();
        _dir.Dispose();
    }
}

/// <summary>Makes every request come from one address, before any of the portal's middleware sees it.</summary>
internal sealed class RemoteAddressFilter(System.Net.IPAddress address) : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use(nextMiddleware => context =>
        {
            context.Connection.RemoteIpAddress = address;
            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>The same portal on PostgreSQL.</summary>
public sealed class PostgresPortalFactory() : PortalFactory(postgres: true);

/// <summary>For tests: holds each request (up to 30 s) until the portal is ready, so a test's first request is not answered "not ready".</summary>
internal sealed class WaitForReadiness : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use(nextMiddleware => async context =>
        {
            var readiness = context.RequestServices.GetRequiredService<PortalReadiness>();
            for (var i = 0; i < 1500 && !readiness.IsReady; i++) await Task.Delay(20);
            await nextMiddleware(context);
        });
        next(app);
    };
}
