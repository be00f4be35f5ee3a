using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>Further configuration, e.g. faster webhook retries.</summary>
    public Dictionary<string, string> Settings { get; init; } = new();

    /// <summary>Tests send far more than a person would from one address; a rate-limit test lowers these.</summary>
    public int PublicPerMinute { get; init; } = 1_000_000;
    public int ApiPerMinute { get; init; } = 1_000_000;

    /// <summary>Replaces the clock for the whole host.</summary>
    public TimeProvider? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.UseSetting("Portal:SeedDemoData", "false");
        builder.UseSetting("RateLimits:PublicPerMinute", PublicPerMinute.ToString());
        builder.UseSetting("RateLimits:ApiPerMinute", ApiPerMinute.ToString());
        if (Clock is { } clock) builder.ConfigureServices(services => services.AddSingleton(clock));
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

    public async Task WaitUntilReadyAsync()
    {
        var readiness = Services.GetRequiredService<PortalReadiness>();
        for (var i = 0; i < 200 && !readiness.IsReady; i++) await Task.Delay(50);
        Assert.True(readiness.IsReady, "the portal did not become ready");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _postgres?.Dispose();
        _dir.Dispose();
    }
}

/// <summary>The same portal on PostgreSQL.</summary>
public sealed class PostgresPortalFactory() : PortalFactory(postgres: true);
