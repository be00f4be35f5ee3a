using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Data.Persistence;
using Portal.Search.Analysis;
using Portal.Search.Index;
using Portal.Tests.Support;
using Portal.Web.Hosting;
using Portal.Web.Search;

namespace Portal.Tests.Search;

/// <summary>
/// The check every public answer makes ("is the index current?") on a real SQLite file: requests that come while a look
/// at the database runs share the next look, and none is answered by a look that began before it.
/// </summary>
public sealed class IndexFreshnessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    /// <summary>Creates contexts on the real database; counts them, and holds the first one back until <see cref="Release"/>.</summary>
    private sealed class HeldFactory(DbContextOptions<PortalDbContext> options) : IDbContextFactory<PortalDbContext>
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _created;
        public int Created => Volatile.Read(ref _created);
        public void Release() => _gate.TrySetResult();
        public PortalDbContext CreateDbContext() => new(options);

        public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken ct = default)
        {
            if (Interlocked.Increment(ref _created) == 1) await _gate.Task.WaitAsync(ct);
            return new PortalDbContext(options);
        }
    }

    private async Task<(IndexSync Sync, HeldFactory Factory)> StartAsync()
    {
        var options = DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(_dir.Path));
        await using (var db = new PortalDbContext(options)) await SchemaUpgrader.UpgradeAsync(db);
        var readiness = new PortalReadiness();
        readiness.MarkReady();
        var factory = new HeldFactory(options);
        return (new IndexSync(new SearchIndex(ChineseAnalyzer.Instance), factory, readiness, TimeProvider.System, NullLogger<IndexSync>.Instance), factory);
    }

    [Fact]
    public async Task Requests_that_come_while_a_look_runs_share_the_next_look()
    {
        var (sync, factory) = await StartAsync();
        var first = sync.EnsureCurrentAsync(); // its look waits for the database
        var during = Enumerable.Range(0, 50).Select(_ => Task.Run(() => sync.EnsureCurrentAsync())).ToList();
        await Task.Delay(300); // the fifty have all asked (none can finish: the look they share waits for the first)
        Assert.All(during, t => Assert.False(t.IsCompleted));
        factory.Release();
        await first;
        await Task.WhenAll(during);
        // One more look for all fifty, not fifty more; and not none: the first look began before they asked, so it may have
        // read before a removal they must see.
        Assert.Equal(2, factory.Created);
    }

    public void Dispose() => _dir.Dispose();
}
