using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Data.Entries;
using Portal.Tests.Support;

namespace Portal.Tests.Search;

/// <summary>
/// The index lives in the data directory and survives restarts: a start opens it and catches up from the change
/// events instead of rebuilding; a missing, damaged or foreign index is rebuilt and the log says why; `reindex` rebuilds
/// it (not under a running portal); a kill in the middle of a rebuild, or a disk that fills up, never leads to a wrong
/// answer.
/// </summary>
[Collection(Alone)]
public sealed class IndexOnDiskTests : IDisposable
{
    /// <summary>
    /// These tests start portals one after another on one data directory, kill processes and fill a disk; run without
    /// other test classes beside them (under the full suite's load a restart twice took over 30 s to open its index).
    /// </summary>
    public const string Alone = "index on disk, alone";

    private readonly TempDirectory _data = new(), _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Dispose();
        _files.Dispose();
    }

    private string IndexFolder => Path.Combine(_data.Path, "index");

    private static readonly EntryInput First = TestEntries.Person("欧阳明远", "412702198403151512", "（2019）豫0311执1234号");
    private static readonly EntryInput Second = TestEntries.Person("司马光远", "110101194912310016", "（2020）豫0311执77号");

    private async Task<(int ExitCode, string Output)> Verb(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[PortalProcess.Dll(), .. args, $"--Portal:DataDirectory={_data.Path}"]) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await output + await errors);
    }

    private async Task ImportByCli(params EntryInput[] entries)
    {
        var file = Path.Combine(_files.Path, Guid.NewGuid() + ".jsonl");
        await File.WriteAllLinesAsync(file, entries.Select(e => JsonSerializer.Serialize(e, EntryInput.JsonOptions)));
        var (code, output) = await Verb("import", file);
        Assert.True(code == 0, output);
    }

    private static async Task<long> Total(HttpClient client, string q)
    {
        var response = await client.GetAsync("/api/v1/entries?q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt64();
    }

    /// <summary>A first start with one entry; the portal stops cleanly (committing its index).</summary>
    private async Task FirstStartWithOneEntry()
    {
        using var first = new PortalFactory { DataDirectoryOf = _data.Path };
        await first.WaitUntilReadyAsync();
        Assert.Empty((await first.ImportAsync(First)).Rejected);
        Assert.Equal(1, await Total(first.CreateClient(), "欧阳明远"));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_restart_opens_the_index_and_catches_up_with_what_changed_while_it_was_down()
    {
        await FirstStartWithOneEntry();
        Assert.True(Directory.EnumerateFiles(IndexFolder, "segments_*").Any(), "no index commit in the data directory");

        // While no portal runs: an import and a shielding by the command line (no process has the index open).
        await ImportByCli(Second);
        Assert.Equal(0, (await Verb("create-user", "--role", "reviewer", "--name", "wang", "--court", "豫0311")).ExitCode);
        var today = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");
        var shield = await Verb("shield", "--case-number", "(2019)豫0311执1234号", "--reason", "performed", "--event-date", today, "--user", "wang");
        Assert.True(shield.ExitCode == 0, shield.Output);

        using var again = new PortalFactory { DataDirectoryOf = _data.Path };
        await again.WaitUntilReadyAsync();
        var client = again.CreateClient();
        Assert.Equal(0, await Total(client, "欧阳明远"));
        Assert.Equal(1, await Total(client, "司马光远"));
        var log = string.Join("\n", again.Logs.Lines.Where(l => l.Contains("index", StringComparison.OrdinalIgnoreCase)));
        Assert.True(log.Contains("Search index opened") && log.Contains("2 changed entries caught up") && !log.Contains("Rebuilding the search index"), log);
    }

    [Theory]
    [InlineData("deleted", "没有索引")]
    [InlineData("garbled", "索引无法读取")]
    [InlineData("truncated", "索引无法读取")]
    public async Task A_missing_or_damaged_index_is_rebuilt_and_the_log_says_why(string damage, string reason)
    {
        await FirstStartWithOneEntry();
        await ImportByCli(Second);
        switch (damage)
        {
            case "deleted":
                Directory.Delete(IndexFolder, recursive: true);
                break;
            case "garbled":
                foreach (var file in Directory.EnumerateFiles(IndexFolder).Where(f => !f.EndsWith("write.lock")))
                    await File.WriteAllBytesAsync(file, Enumerable.Range(0, (int)new FileInfo(file).Length).Select(i => (byte)(i * 31)).ToArray());
                break;
            default:
                foreach (var file in Directory.EnumerateFiles(IndexFolder).Where(f => !f.EndsWith("write.lock")))
                {
                    await using var stream = new FileStream(file, FileMode.Open);
                    stream.SetLength(stream.Length / 2);
                }
                break;
        }

        using var again = new PortalFactory { DataDirectoryOf = _data.Path };
        await again.WaitUntilReadyAsync();
        var client = again.CreateClient();
        Assert.Equal(1, await Total(client, "欧阳明远"));
        Assert.Equal(1, await Total(client, "司马光远"));
        Assert.Equal(2, await Total(client, ""));
        Assert.Contains("Rebuilding the search index", again.Logs.All);
        Assert.Contains(reason, again.Logs.All);
        if (damage != "deleted") Assert.Single(Directory.GetDirectories(_data.Path, "index.unreadable-*")); // set aside, not deleted
    }

    [Fact]
    public async Task An_index_from_another_database_is_not_trusted()
    {
        await FirstStartWithOneEntry();
        // Another data directory's index (its own database and events), copied over this one's.
        using var other = new TempDirectory();
        using (var foreign = new PortalFactory { DataDirectoryOf = other.Path })
        {
            await foreign.WaitUntilReadyAsync();
            await foreign.ImportAsync(TestEntries.Person("诸葛亮明", "110105194912310029", "（2018）豫0311执5号"));
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(IndexFolder, recursive: true);
        Directory.Move(Path.Combine(other.Path, "index"), IndexFolder);

        using var again = new PortalFactory { DataDirectoryOf = _data.Path };
        await again.WaitUntilReadyAsync();
        var client = again.CreateClient();
        Assert.Equal(0, await Total(client, "诸葛亮明"));
        Assert.Equal(1, await Total(client, "欧阳明远"));
        Assert.True(again.Logs.All.Contains("索引与数据库不一致"), again.Logs.All);
    }

    [Fact]
    public async Task Reindex_refuses_under_a_running_portal_and_rebuilds_a_stopped_one()
    {
        await FirstStartWithOneEntry();
        using (var running = new PortalFactory { DataDirectoryOf = _data.Path })
        {
            await running.WaitUntilReadyAsync();
            var refused = await Verb("reindex");
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("正被运行中的门户使用", refused.Output);
            Assert.Equal(1, await Total(running.CreateClient(), "欧阳明远")); // untouched
        }
        SqliteConnection.ClearAllPools();
        await ImportByCli(Second);
        var rebuilt = await Verb("reindex");
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Output);
        Assert.Contains("已重建查询索引：2 条公开条目", rebuilt.Output);

        using var again = new PortalFactory { DataDirectoryOf = _data.Path };
        await again.WaitUntilReadyAsync();
        Assert.Equal(1, await Total(again.CreateClient(), "司马光远"));
        Assert.DoesNotContain("Rebuilding the search index", again.Logs.All); // the rebuilt index was committed with its cursor
    }

    [Fact]
    public async Task A_reindex_killed_at_several_points_leaves_an_index_the_next_start_trusts_only_if_whole()
    {
        const int Count = 30_000;
        var (seeded, output) = await Verb("seed", "--count", Count.ToString());
        Assert.True(seeded == 0, output);
        var killedMidway = 0;
        foreach (var after in new[] { 50, 300, 700, 1200 }) // after the rebuild began
        {
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])[PortalProcess.Dll(), "reindex", $"--Portal:DataDirectory={_data.Path}"]) psi.ArgumentList.Add(a);
            using var reindex = Process.Start(psi)!;
            _ = reindex.StandardError.ReadToEndAsync();
            var began = new TaskCompletionSource();
            reindex.OutputDataReceived += (_, e) => { if (e.Data?.Contains("正在从数据库重建查询索引") == true) began.TrySetResult(); };
            reindex.BeginOutputReadLine();
            await Task.WhenAny(began.Task, reindex.WaitForExitAsync());
            await Task.Delay(after);
            if (!reindex.HasExited) { reindex.Kill(entireProcessTree: true); killedMidway++; } // SIGKILL
            await reindex.WaitForExitAsync();
        }
        Assert.True(killedMidway > 0, "no reindex was still running when killed");

        SqliteConnection.ClearAllPools();
        using var portal = new PortalFactory { DataDirectoryOf = _data.Path };
        await portal.WaitUntilReadyAsync();
        var client = portal.CreateClient();
        var listed = await Total(client, "");
        long publicInDatabase;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Portal.Data.Persistence.PortalDbContext>();
            var today = ChinaTime.Today(TimeProvider.System);
            publicInDatabase = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LongCountAsync(
                System.Linq.Queryable.Where(db.Entries, EntryVisibility.IsPublicOn(today)));
        }
        Assert.Equal(publicInDatabase, listed);
        var index = portal.Services.GetRequiredService<Portal.Search.Index.SearchIndex>();
        Assert.Equal(publicInDatabase, index.Count());
    }

    [Fact]
    public async Task A_full_disk_under_the_index_makes_search_say_not_ready_until_space_returns_and_nothing_is_lost()
    {
        // The index folder on a 4 MB file system of its own (tmpfs, mounted as root like the CI machine runs).
        Directory.CreateDirectory(IndexFolder);
        Mount(IndexFolder, "4m");
        try
        {
            using var portal = new PortalFactory { DataDirectoryOf = _data.Path };
            await portal.WaitUntilReadyAsync();
            var client = portal.CreateClient();
            Assert.Empty((await portal.ImportAsync(First)).Rejected);
            Assert.Equal(1, await Total(client, "欧阳明远"));

            // Fill the file system, then change the list: the database takes it, the index cannot.
            var ballast = Path.Combine(IndexFolder, "ballast");
            await using (var fill = new FileStream(ballast, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
                foreach (var size in (int[])[64 * 1024, 4096, 1])
                {
                    var block = new byte[size];
                    try { while (true) await fill.WriteAsync(block); }
                    catch (IOException) { /* full at this block size */ }
                }
            Assert.Empty((await portal.ImportAsync(Second)).Rejected);

            var answer = await client.GetAsync("/api/v1/entries?q=" + Uri.EscapeDataString("司马光远"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
            Assert.Contains("not_ready", await answer.Content.ReadAsStringAsync());
            var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("磁盘空间不足", await health.Content.ReadAsStringAsync());
            Assert.Contains(portal.Logs.Lines, l => l.StartsWith("Error") && l.Contains("cannot be written"));

            // Space again: the follower reopens the index from its last commit and catches up.
            File.Delete(ballast);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await client.GetAsync("/health")).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.Equal(1, await Total(client, "司马光远"));
            Assert.Equal(1, await Total(client, "欧阳明远"));
            Assert.Equal(2, await Total(client, ""));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Unmount(IndexFolder);
        }
    }

    private static void Mount(string path, string size)
    {
        using var mount = Process.Start("mount", ["-t", "tmpfs", "-o", $"size={size},mode=700", "tmpfs", path])!;
        mount.WaitForExit();
        Assert.True(mount.ExitCode == 0, "mounting a small tmpfs failed: this test needs root, as ./test.sh has on CI");
    }

    private static void Unmount(string path)
    {
        for (var i = 0; i < 20; i++)
        {
            using var umount = Process.Start("umount", [path])!;
            umount.WaitForExit();
            if (umount.ExitCode == 0) return;
            Thread.Sleep(250);
        }
    }
}

[CollectionDefinition(IndexOnDiskTests.Alone, DisableParallelization = true)]
public sealed class IndexOnDiskCollection;
