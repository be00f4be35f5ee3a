using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Web.Clients;
using Portal.Web.DemoData;
using Portal.Web.Search;
using Spectre.Console;

namespace Portal.Web.Cli;

/// <summary>One measured figure, for the table and the JSON.</summary>
public sealed record BenchFigure(string Name, double Value, string Unit, string? Target = null);

/// <summary>
/// The benchmark: builds a corpus of realistic entries in a temporary data directory, then measures the index build and
/// bank verification against it. Prints a table and one line of JSON.
/// </summary>
public sealed class Bench(IServiceProvider services, TimeProvider clock)
{
    private readonly List<BenchFigure> _figures = [];
    private readonly List<(string Name, string Id)> _listed = [];
    private readonly List<Data.Entries.EntryInput> _samples = [];

    public IReadOnlyList<BenchFigure> Figures => _figures;

    public async Task RunAsync(int entries, int verifySubjects, int seed, CancellationToken ct)
    {
        await LoadCorpusAsync(entries, seed, ct);
        // The benchmark serves as a node does once started: public answers check that the index is current, which a node
        // that never said it was ready refuses (the bench failed with "not current" since that check came in).
        services.GetRequiredService<Hosting.PortalReadiness>().MarkReady();
        await BuildIndexAsync(ct);
        Query(queries: 2000, seed);
        await ChangeReachesSearchAsync(ct);
        await ExactLookupTimingAsync(tries: 300, ct);
        CourtPicker();
        await VerifyAsync(verifySubjects, seed, ct);
        await FiguresAsync(ct);
        _figures.Add(new("peak working set", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "MB"));
        await WatchBookAsync(entries, seed, ct);
    }

    /// <summary>
    /// A bank's watched book as large as the corpus (up to a million): one in twenty a listed person under the listed name,
    /// the rest valid numbers not on the list, each under its own name, crowded into few families as a county bank's are
    /// (one region, fifty birth years, a hundred sequence numbers: about 190 customers a family). Registration (check, hash, guard, insert, first matching) timed as a whole;
    /// then a thousand changes to watched entries matched by the background matcher, timed per change.
    /// </summary>
    private async Task WatchBookAsync(int entries, int seed, CancellationToken ct)
    {
        var book = services.GetRequiredService<WatchBook>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await book.MatchChangesAsync(ct); // no book yet: the matcher's cursor moves to now
        var random = new Random(seed + 25);
        var size = Math.Min(entries, 1_000_000);
        var lines = new List<(int, WatchSubjectInput)>(size);
        var watched = new List<string>();
        for (var i = 0; i < size; i++)
        {
            if (i % 20 == 0 && _listed.Count > 0)
            {
                var (name, id) = _listed[random.Next(_listed.Count)];
                lines.Add((i + 2, new WatchSubjectInput($"C{i:0000000}", name, id, null)));
                watched.Add(id);
            }
            else lines.Add((i + 2, new WatchSubjectInput($"C{i:0000000}", $"客户{i}", RandomId(random), null)));
        }
        var (bank, _) = await services.GetRequiredService<ApiClients>().CreateAsync(
            new ClientRegistration { Name = "基准测试银行", Kind = "bank", Scopes = "watch" }, "bench", ct);
        var watch = Stopwatch.StartNew();
        var (done, refused) = await book.RegisterAsync(bank!.Client.Id, bank.Client.Name, lines, replace: true, ct);
        var elapsed = watch.Elapsed.TotalSeconds;
        if (done is null) throw new InvalidOperationException(refused!.Message);
        lines.Clear();
        _figures.Add(new($"watch book of {size:N0}: registration with first matching", elapsed, "s", "<= 120"));
        _figures.Add(new("watch book: registration rate", size / elapsed, "subjects/s"));
        _figures.Add(new("watch book: already listed at registration", done.AlreadyListed, $"unverifiable {done.Unverifiable}"));

        // A thousand changes to watched people's entries, as the lifecycle writes them (one event each), then matched.
        var protection = services.GetRequiredService<IdNumberProtection>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var hashes = watched.Take(1000).Select(id => IdNumber.TryParse(id, out var parsed, out _) ? protection.Hash(parsed) : "").ToList();
            var changed = await db.Entries.AsNoTracking().Where(e => hashes.Contains(e.IdNumberHash!)).Take(1000).ToListAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            db.EntryEvents.AddRange(changed.Select(e => Lifecycle.EntryActions.EventFor(e, Data.Lifecycle.EntryAction.Updated, now)));
            await db.SaveChangesAsync(ct);
            watch.Restart();
            var alerts = await book.MatchChangesAsync(ct);
            var ms = watch.Elapsed.TotalMilliseconds;
            _figures.Add(new($"watch book: per-change matching ({changed.Count} changes, {alerts} alerts)", ms / Math.Max(1, changed.Count), "ms/change", "<= 5"));
        }
        _figures.Add(new("peak working set with the watch book", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "MB"));
    }

    /// <summary>Generated entries, checked and protected as an import does (encryption, keyed hash), written in large batches.</summary>
    private async Task LoadCorpusAsync(int count, int seed, CancellationToken ct)
    {
        var generator = services.GetRequiredService<DemoDataGenerator>();
        var protection = services.GetRequiredService<IdNumberProtection>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        var watch = Stopwatch.StartNew();
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask("生成并写入条目", maxValue: count);
            var batch = new List<Entry>(10_000);
            foreach (var line in generator.Generate(count, seed))
            {
                var result = EntryValidation.Validate(line.Input!, protection, now, services.GetRequiredService<Courts.CourtRegistry>().Current);
                if (!result.IsValid) continue;
                var entry = result.Entry!;
                batch.Add(entry);
                if (entry.IsPublic(today) && entry.SubjectType == SubjectType.Person && _listed.Count < 200_000) _listed.Add((entry.Name, line.Input!.IdNumber!));
                if (entry.IsPublic(today) && line.Line % 97 == 0 && _samples.Count < 5000) _samples.Add(line.Input!);
                if (batch.Count == batch.Capacity)
                {
                    await WriteAsync(dbFactory, batch, ct);
                    task.Increment(batch.Count);
                    batch.Clear();
                }
            }
            await WriteAsync(dbFactory, batch, ct);
            task.Value = count;
        });
        _figures.Add(new("corpus entries", count, "entries"));
        _figures.Add(new("corpus load (validate, encrypt, insert)", count / watch.Elapsed.TotalSeconds, "entries/s"));
    }

    private static async Task WriteAsync(IDbContextFactory<PortalDbContext> dbFactory, List<Entry> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await BulkInsert.WriteAsync(db, batch, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The index from the database: the public entries' indexed columns read alone (timed), then the whole rebuild as the
    /// portal does it (read, analyse on every core, write, commit); analysis and indexing is the difference. Then its
    /// size on disk and the heap; reopening it as a restart does and answering the first query; catching up with 1,000
    /// changes made while it was closed; and the incremental path: one entry in and out.
    /// </summary>
    private async Task BuildIndexAsync(CancellationToken ct)
    {
        var index = services.GetRequiredService<Portal.Search.Index.SearchIndex>();
        var sync = services.GetRequiredService<IndexSync>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var watch = Stopwatch.StartNew();
        Portal.Search.Index.SearchDocument sample = null!;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            foreach (var document in IndexSync.PublicDocuments(db, ChinaTime.Today(clock))) sample = document; // read, not kept
        var readSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        long built = 0;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask("建立索引", maxValue: 1);
            built = await sync.RebuildAsync((done, total) => { task.MaxValue = Math.Max(1, total); task.Value = done; }, ct);
        });
        var rebuildSeconds = watch.Elapsed.TotalSeconds;
        _figures.Add(new("index build: analysis + indexing", built / Math.Max(0.001, rebuildSeconds - readSeconds), "entries/s", ">= 50000"));
        _figures.Add(new("index build: database read", built / readSeconds, "entries/s"));
        _figures.Add(new("index build: end to end (read, analyse, write, commit)", built / rebuildSeconds, "entries/s"));
        _figures.Add(new("index size on disk", Directory.EnumerateFiles(index.Folder).Sum(f => new FileInfo(f).Length) / 1048576.0, "MB"));
        _figures.Add(new("index build: peak working set so far", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "MB"));
        GC.Collect();
        _figures.Add(new("managed heap after the build", GC.GetTotalMemory(forceFullCollection: true) / 1048576.0, "MB"));

        // A restart: a new index object on the same folder opens the last commit, reads its facts, answers a query.
        index.Close();
        watch.Restart();
        using (var reopened = new Portal.Search.Index.SearchIndex(index.Analyzer, index.Folder))
        {
            reopened.Open();
            if (reopened.Search(new Portal.Search.Index.SearchQuery(sample.Name, [])).Total == 0) throw new InvalidOperationException("the reopened index does not find a name it holds");
            _figures.Add(new("open the existing index and answer the first query", watch.Elapsed.TotalMilliseconds, "ms", "<= 2000"));
        }

        // 1,000 changes committed while the index is closed (as by another node or while this one was down), then a start.
        var actions = services.GetRequiredService<Lifecycle.EntryActions>();
        List<long> changed;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            changed = await db.Entries.Where(e => e.Status == EntryStatus.Published && !e.NonPublic).OrderByDescending(e => e.Id).Select(e => e.Id).Take(1000).ToListAsync(ct);
        foreach (var id in changed) await actions.ApplyAsync(id, Lifecycle.EntryActions.Shield(RemovalGround.Performed, ChinaTime.Today(clock)), "bench", ct);
        watch.Restart();
        await sync.OpenAsync(_ => { }, ct);
        _figures.Add(new($"open and catch up after {changed.Count} changes", watch.Elapsed.TotalMilliseconds, "ms", "<= 1000"));
        if (index.Count() != built - changed.Count) throw new InvalidOperationException($"after catching up the index holds {index.Count()}, expected {built - changed.Count}");

        var times = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            var moved = sample with { Id = long.MaxValue - i, Name = sample.Name + "测" };
            watch.Restart();
            index.Apply([moved], []);
            index.Apply([], [moved.Id]);
            times.Add(watch.Elapsed.TotalMilliseconds / 2);
        }
        times.Sort();
        _figures.Add(new("one entry in or out: median", times[50], $"ms, max {times[^1]:0.###}", "< 100"));
    }

    /// <summary>
    /// A fixed mix of queries as people type them, each planned as the site plans it (ID numbers hashed, case numbers
    /// keyed) and answered by the index: the first page of ids and the total. Latency percentiles over the whole mix.
    /// </summary>
    private void Query(int queries, int seed)
    {
        var analyzer = services.GetRequiredService<Portal.Search.Analysis.ChineseAnalyzer>();
        QueryMix.Pinyin = name => string.Concat(analyzer.Syllables(analyzer.Key(name), person: true));
        var mix = QueryMix.Build(_samples, queries, seed);
        var plan = services.GetRequiredService<IdNumberProtection>();
        var index = services.GetRequiredService<Portal.Search.Index.SearchIndex>();
        var today = ChinaTime.Today(clock);
        Portal.Search.Index.SearchQuery Planned(string text) => EntrySearch.Plan(text, plan, null, 0, 20, withFacets: false).Query with { VisibleOn = today };
        foreach (var (_, text) in mix.Take(200)) index.Search(Planned(text)); // warm-up
        var times = new List<(string Kind, double Ms, long Total)>(mix.Count);
        var gen2 = GC.CollectionCount(2);
        foreach (var (kind, text) in mix)
        {
            var watch = Stopwatch.StartNew();
            var result = index.Search(Planned(text));
            times.Add((kind, watch.Elapsed.TotalMilliseconds, result.Total));
        }
        double P(IEnumerable<double> xs, double p)
        {
            var sorted = xs.Order().ToList();
            return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        }
        _figures.Add(new("full GCs during the queries", GC.CollectionCount(2) - gen2, "collections"));
        _figures.Add(new("working set after the queries", Process.GetCurrentProcess().WorkingSet64 / 1048576.0, "MB", "<= 600"));
        var all = times.Select(t => t.Ms).ToList();
        _figures.Add(new($"query p50 ({times.Count} mixed)", P(all, 0.50), "ms", "<= 0.3"));
        _figures.Add(new("query p95", P(all, 0.95), "ms"));
        _figures.Add(new("query p99", P(all, 0.99), "ms", "<= 2"));
        foreach (var group in times.GroupBy(t => t.Kind))
            _figures.Add(new($"  {group.Key} p50", P(group.Select(g => g.Ms), 0.5), $"ms, p99 {P(group.Select(g => g.Ms), 0.99):0.###}, {group.Count(g => g.Total > 0)}/{group.Count()} found"));

        // Words of the obligations, as the site's 义务内容 search asks them: first page with content and facets.
        string[] words = ["借款 利息", "工程款", "房屋 腾退", "抚养费", "货款", "劳动报酬", "交通事故 赔偿", "租金", "连带责任", "医疗费"];
        Portal.Search.Index.SearchQuery Words(string text) => new(text, [], Portal.Search.Index.SearchFilters.None, 0, 20, WithFacets: true)
            { InFullText = true, VisibleOn = today, WithContent = true };
        foreach (var w in words) index.Search(Words(w)); // warm-up
        var fullText = new List<double>();
        long found = 0;
        for (var round = 0; round < 20; round++)
            foreach (var w in words)
            {
                var watch = Stopwatch.StartNew();
                found += index.Search(Words(w)).Total;
                fullText.Add(watch.Elapsed.TotalMilliseconds);
            }
        _figures.Add(new($"full-text query p50 ({fullText.Count}, obligation words, facets)", P(fullText, 0.5),
            $"ms, p95 {P(fullText, 0.95):0.###}, p99 {P(fullText, 0.99):0.###}, {found / 20 / words.Length:N0} matches per query on average"));

        // The same mix from several threads at once, as a web node serves it (NIOFSDirectory under parallel readers).
        var threads = Environment.ProcessorCount * 4;
        var parallel = new System.Collections.Concurrent.ConcurrentBag<double>();
        var wall = Stopwatch.StartNew();
        Parallel.ForEach(mix.Concat(mix), new ParallelOptions { MaxDegreeOfParallelism = threads }, q =>
        {
            var watch = Stopwatch.StartNew();
            index.Search(Planned(q.Text));
            parallel.Add(watch.Elapsed.TotalMilliseconds);
        });
        _figures.Add(new($"parallel queries ({threads} threads): throughput", parallel.Count / wall.Elapsed.TotalSeconds, $"queries/s, p50 {P(parallel, 0.5):0.###} ms, p99 {P(parallel, 0.99):0.###} ms"));
    }

    /// <summary>
    /// Removing an entry and publishing it again as the back office does (one transaction with audit and event, then the
    /// index), each timed until a search by its case number shows the change. Median and worst of 20 each.
    /// </summary>
    private async Task ChangeReachesSearchAsync(CancellationToken ct)
    {
        var actions = services.GetRequiredService<Lifecycle.EntryActions>();
        var index = services.GetRequiredService<Portal.Search.Index.SearchIndex>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var sample = _samples.First(s => s.SubjectType == "person");
        var key = CaseNumber.Key(sample.CaseNumber);
        long id;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            id = await db.Entries.Where(e => e.CaseNumberKey == key).Select(e => e.Id).FirstAsync(ct);
        var query = new Portal.Search.Index.SearchQuery(null, [IndexSync.Keys.Case(key)]);
        var removal = new List<double>();
        var publication = new List<double>();
        for (var i = -1; i < 20; i++) // the first round warms up (JIT, first queries): not counted
        {
            if (i == 0) (removal, publication) = ([], []);
            var watch = Stopwatch.StartNew();
            await actions.ApplyAsync(id, Lifecycle.EntryActions.Shield(RemovalGround.Performed, ChinaTime.Today(clock)), "bench", ct);
            if (index.Search(query).Total != 0) throw new InvalidOperationException("the removed entry is still found");
            removal.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            await actions.ApplyAsync(id, Lifecycle.EntryActions.Republish("基准测试"), "bench", ct);
            if (index.Search(query).Total != 1) throw new InvalidOperationException("the re-published entry is not found");
            publication.Add(watch.Elapsed.TotalMilliseconds);
        }
        removal.Sort();
        publication.Sort();
        _figures.Add(new("removal reaches search: median", removal[10], $"ms, max {removal[^1]:0.###}", "< 100"));
        _figures.Add(new("publication reaches search: median", publication[10], $"ms, max {publication[^1]:0.###}", "< 100"));
    }

    /// <summary>
    /// The editor's court picker over the whole directory: what people type (a name's part, pinyin initials, a code and
    /// its start), each answered from the directory in memory. Median and 99th percentile over 2,000 queries.
    /// </summary>
    private void CourtPicker()
    {
        var registry = services.GetRequiredService<Courts.CourtRegistry>();
        var courts = registry.Current.Courts;
        var random = new Random(7);
        var typed = Enumerable.Range(0, 2000).Select(i =>
        {
            var c = courts[random.Next(courts.Count)];
            return (i % 4) switch
            {
                0 => c.Name.Substring(Math.Min(2, c.Name.Length - 2), 2),
                1 => c.Code[..Math.Min(3, c.Code.Length)],
                2 => c.Code,
                _ => "lh",
            };
        }).ToList();
        registry.Search("召陵"); // the first search computes the names' initials
        var times = new List<double>();
        foreach (var t in typed)
        {
            var watch = Stopwatch.StartNew();
            registry.Search(t);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        _figures.Add(new($"court picker over {courts.Count} courts: p50", times[times.Count / 2], $"ms, p99 {times[times.Count * 99 / 100]:0.###} ms"));
    }

    /// <summary>
    /// The timing attack on a key's exact ID lookups: a client closes a listed person's family with wrong numbers, then keeps
    /// asking the true number and the other numbers of the family in turn. The answers are alike (closed); the time of
    /// each, through the same search a request takes, must not tell the true number apart either. Median and spread
    /// (10th–90th percentile) of each, interleaved.
    /// </summary>
    private async Task ExactLookupTimingAsync(int tries, CancellationToken ct)
    {
        var (_, trueId) = _listed[0];
        if (!IdNumber.TryParse(trueId, out var id, out _)) return;
        var others = new List<string>();
        for (var day = new DateOnly(id.BirthDate.Year, 1, 1); day.Year == id.BirthDate.Year; day = day.AddDays(1))
        {
            var first17 = string.Concat(id.Canonical.AsSpan(0, 6), day.ToString("yyyyMMdd", CultureInfo.InvariantCulture), id.Canonical.AsSpan(14, 3));
            var candidate = first17 + IdNumber.CheckCharacter(first17);
            if (candidate[^1] == id.Canonical[^1] && candidate != id.Canonical) others.Add(candidate);
        }
        var caller = Privacy.IdLookupCaller.Client(long.MaxValue, "基准测试");
        async Task<double> Ask(string q)
        {
            await using var scope = services.CreateAsyncScope();
            var search = scope.ServiceProvider.GetRequiredService<EntrySearch>();
            var watch = Stopwatch.StartNew();
            var result = await search.SearchAsync(new EntrySearchRequest(q, null, null), caller, ct);
            var ms = watch.Elapsed.TotalMilliseconds;
            if (!result.IdLookupClosed) throw new InvalidOperationException("the family should be closed for this client");
            return ms;
        }
        foreach (var wrong in others.Take(3)) { await using var scope = services.CreateAsyncScope(); await scope.ServiceProvider.GetRequiredService<EntrySearch>().SearchAsync(new EntrySearchRequest(wrong, null, null), caller, ct); }
        var (hits, misses) = (new List<double>(), new List<double>());
        for (var i = -20; i < tries; i++) // 20 rounds of warm-up, not counted
        {
            var hit = await Ask(trueId);
            var miss = await Ask(others[(i + 40) % others.Count]);
            if (i < 0) continue;
            hits.Add(hit);
            misses.Add(miss);
        }
        hits.Sort();
        misses.Sort();
        string Spread(List<double> xs) => $"ms, p10 {xs[xs.Count / 10]:0.###}, p90 {xs[xs.Count * 9 / 10]:0.###}";
        _figures.Add(new($"closed family, key's exact lookup of the true number: median ({tries})", hits[tries / 2], Spread(hits)));
        _figures.Add(new($"closed family, key's exact lookup of another number: median ({tries})", misses[tries / 2], Spread(misses)));
    }

    /// <summary>
    /// A bank's batch as the endpoint handles it (JSON in, verification, JSON out): half listed people (some under another
    /// name), the rest valid numbers not on the list and a few invalid ones. Best and median of 5 runs.
    /// </summary>
    private async Task VerifyAsync(int subjects, int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var list = new List<VerifySubject>(subjects);
        for (var i = 0; i < subjects; i++)
        {
            if (i % 2 == 0 && _listed.Count > 0)
            {
                var (name, id) = _listed[random.Next(_listed.Count)];
                list.Add(new VerifySubject(i % 20 == 0 ? "另一人" : name, id, null));
            }
            else if (i % 50 == 1) list.Add(new VerifySubject("某人", "11010519491231002" + (i % 9), null));
            else list.Add(new VerifySubject("某人", RandomId(random), null));
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(new VerifyRequest(list), JsonSerializerOptions.Web);
        var verification = services.GetRequiredService<Verification>();
        var times = new List<double>();
        VerifyResponse? last = null;
        for (var run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            var request = JsonSerializer.Deserialize<VerifyRequest>(json, JsonSerializerOptions.Web)!;
            last = await verification.VerifyAsync(0, "bench", request.Subjects!, json, id => "/verify/" + id, ct);
            _ = JsonSerializer.SerializeToUtf8Bytes(last, JsonSerializerOptions.Web);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        _figures.Add(new($"verify {subjects}: best of 5", times[0], "ms", "<= 2000"));
        _figures.Add(new($"verify {subjects}: median", times[2], "ms", "<= 2000"));
        _figures.Add(new("verify: listed", last!.Receipt.Listed, $"mismatch {last.Receipt.NameMismatches}, invalid {last.Receipt.Invalid}"));
    }

    /// <summary>
    /// The newsroom's answers: the statistics computed once for the list (cold) and then answered from the cache until the
    /// list changes (warm, median of 50, the version check included); browse's levels; a month's page deep in the keyset.
    /// </summary>
    private async Task FiguresAsync(CancellationToken ct)
    {
        var figures = services.GetRequiredService<Newsroom.ListFigures>();
        async Task<(double Cold, double Warm)> Time(Func<Task> answer)
        {
            var watch = Stopwatch.StartNew();
            await answer();
            var cold = watch.Elapsed.TotalMilliseconds;
            var warm = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                watch.Restart();
                await answer();
                warm.Add(watch.Elapsed.TotalMilliseconds);
            }
            warm.Sort();
            return (cold, warm[25]);
        }
        var (statsCold, statsWarm) = await Time(() => figures.StatisticsAsync(ct));
        _figures.Add(new("statistics: first computation", statsCold, "ms"));
        _figures.Add(new("statistics: cached answer, median", statsWarm, "ms", "< 100"));
        // After a change the next reader still gets an answer at once (the previous figures) while the refresh runs.
        var sample = CaseNumber.Key(_samples.First().CaseNumber);
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            var id = await db.Entries.Where(e => e.CaseNumberKey == sample).Select(e => e.Id).FirstAsync(ct);
            await services.GetRequiredService<Lifecycle.EntryActions>().ApplyAsync(id, Lifecycle.EntryActions.Revoke("基准测试"), "bench", ct);
        }
        var changed = Stopwatch.StartNew();
        await figures.StatisticsAsync(ct);
        _figures.Add(new("statistics: answer right after a removal", changed.Elapsed.TotalMilliseconds, "ms (computed again: no figure counts a removed entry)"));
        changed.Restart();
        await figures.SettleAsync();
        _figures.Add(new("statistics: refresh after a change", changed.Elapsed.TotalMilliseconds, "ms (background)"));
        var none = new Newsroom.ListFilter();
        var (provincesCold, provincesWarm) = await Time(() => figures.ProvincesAsync(none, ct));
        _figures.Add(new("browse provinces: first / cached", provincesCold, $"ms / {provincesWarm:0.###} ms"));
        var province = (await figures.ProvincesAsync(none, ct))[0].Key;
        var (citiesCold, citiesWarm) = await Time(() => figures.CitiesAsync(province, none, ct));
        _figures.Add(new("browse cities: first / cached", citiesCold, $"ms / {citiesWarm:0.###} ms"));
        var city = (await figures.CitiesAsync(province, none, ct))[0].Key;
        var (courtsCold, courtsWarm) = await Time(() => figures.CourtsAsync(province, city, none, ct));
        _figures.Add(new("browse courts: first / cached", courtsCold, $"ms / {courtsWarm:0.###} ms"));
        var court = (await figures.CourtsAsync(province, city, none, ct))[0].Key;
        var (monthsCold, monthsWarm) = await Time(() => figures.MonthsAsync(court, none, ct));
        _figures.Add(new("browse months: first / cached", monthsCold, $"ms / {monthsWarm:0.###} ms"));
        var month = (await figures.MonthsAsync(court, none, ct)).MaxBy(m => m.Count)!;
        string? after = null;
        var pages = new List<double>();
        for (var page = 0; page < 50; page++)
        {
            var watch = Stopwatch.StartNew();
            (_, after) = await figures.MonthPageAsync(court, month.Key, none, after, 20, ct);
            pages.Add(watch.Elapsed.TotalMilliseconds);
            if (after is null) break;
        }
        _figures.Add(new($"browse month page ({month.Count} entries): first / last of {pages.Count}", pages[0], $"ms / {pages[^1]:0.###} ms"));
    }

    /// <summary>A valid 18-digit ID number (real region code, birth date, check digit) that the generator is unlikely to have made.</summary>
    private static string RandomId(Random r)
    {
        var birth = new DateOnly(1950, 1, 1).AddDays(r.Next(0, 365 * 50));
        var first17 = $"110101{birth:yyyyMMdd}{r.Next(900, 1000):000}";
        return first17 + IdNumber.CheckCharacter(first17);
    }

    public void Print()
    {
        var table = new Table().AddColumns("measure", "value", "unit", "target");
        foreach (var f in _figures)
            table.AddRow(Markup.Escape(f.Name), f.Value.ToString(f.Value >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture), Markup.Escape(f.Unit), Markup.Escape(f.Target ?? ""));
        AnsiConsole.Write(table);
        Console.WriteLine(JsonSerializer.Serialize(_figures.ToDictionary(f => f.Name, f => Math.Round(f.Value, 3))));
    }
}
