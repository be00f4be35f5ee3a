using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.DemoData;

namespace Portal.Tests.Cli;

/// <summary>kill -9 in the middle of an import, several times at different points: nothing half-written, and the portal starts on it.</summary>
public sealed class FaultTests : IDisposable
{
    private readonly TempDirectory _data = new(), _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Dispose();
        _files.Dispose();
    }

    private ProcessStartInfo Verb(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[PortalProcess.Dll(), .. args, $"--Portal:DataDirectory={_data.Path}"]) psi.ArgumentList.Add(a);
        return psi;
    }

    /// <summary>EntryVisibility's rule in SQL, for counting behind the portal's back.</summary>
    private static string PublicToday =>
        $"e.\"Status\" = 'Published' AND e.\"NonPublic\" = 0 AND (e.\"ListingEndsAt\" IS NULL OR e.\"ListingEndsAt\" >= '{ChinaTime.Today(TimeProvider.System):yyyy-MM-dd}')";

    private long Scalar(string sql)
    {
        // Read-only, and never creating the file: the test must not leave a database the portal did not write.
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder(DatabaseProvider.SqliteConnectionString(_data.Path)) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }

    [Fact]
    public async Task An_import_killed_at_several_points_leaves_whole_entries_only_and_a_verifiable_audit_chain()
    {
        const int Count = 20_000;
        var file = Path.Combine(_files.Path, "entries.jsonl");
        await File.WriteAllLinesAsync(file, new DemoDataGenerator(TimeProvider.System).Generate(Count, seed: 7)
            .Select(l => JsonSerializer.Serialize(l.Input, EntryInput.JsonOptions)));

        var killedMidway = 0;
        foreach (var after in new[] { 1000, 3000, 4500, 6000 }) // the first before or during the schema's creation
        {
            using var import = Process.Start(Verb("import", file))!;
            _ = import.StandardOutput.ReadToEndAsync();
            _ = import.StandardError.ReadToEndAsync();
            await Task.Delay(after);
            if (!import.HasExited) { import.Kill(entireProcessTree: true); killedMidway++; } // SIGKILL: no clean-up runs
            await import.WaitForExitAsync();

            // Nothing half-written: every entry has its creation in the audit log and, if public, its publication event.
            if (!File.Exists(Path.Combine(_data.Path, "portal.db")) || Scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'entries'") == 0) continue; // killed before the schema
            var entries = Scalar("SELECT COUNT(*) FROM entries");
            Assert.Equal(entries, Scalar("SELECT COUNT(*) FROM audit_records WHERE \"Action\" = 'create'"));
            Assert.Equal(0, Scalar($"SELECT COUNT(*) FROM entries e WHERE {PublicToday} AND NOT EXISTS (SELECT 1 FROM entry_events v WHERE v.\"EntryId\" = e.\"Id\")"));
            using var verify = Process.Start(Verb("audit", "verify"))!;
            await verify.WaitForExitAsync();
            Assert.Equal(0, verify.ExitCode); // the hash chain holds
        }
        Assert.True(killedMidway > 0, "no import was still running when killed");

        // Running the import again completes the list: the entries already in are recognised, none is written twice.
        using (var again = Process.Start(Verb("import", file))!)
        {
            var output = again.StandardOutput.ReadToEndAsync();
            var errors = again.StandardError.ReadToEndAsync();
            await again.WaitForExitAsync();
            Assert.True(again.ExitCode is 0 or 2, $"the import after the kills failed: {await errors}{await output}");
        }
        var total = Scalar("SELECT COUNT(*) FROM entries");
        Assert.InRange(total, Count - 100, Count); // the generator may produce a few lines the validation refuses
        Assert.Equal(total, Scalar("SELECT COUNT(DISTINCT \"CaseNumberKey\" || '|' || COALESCE(\"IdNumberHash\", \"CreditCode\", \"Name\")) FROM entries"));

        // The portal starts on it, and its index agrees with the database.
        SqliteConnection.ClearAllPools();
        using var portal = new PortalFactory { DataDirectoryOf = _data.Path };
        await portal.WaitUntilReadyAsync();
        var listed = Scalar($"SELECT COUNT(*) FROM entries e WHERE {PublicToday}");
        var browse = await portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries");
        Assert.Equal(listed, browse.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_bulk_shield_killed_midway_is_all_or_nothing()
    {
        const int Count = 3000;
        static string Id(int n)
        {
            var first17 = $"4127021980{n / 1000 + 1:D2}{n % 28 + 1:D2}{n % 1000:D3}";
            return first17 + IdNumber.CheckCharacter(first17);
        }
        var entries = Path.Combine(_files.Path, "entries.jsonl");
        await File.WriteAllLinesAsync(entries, Enumerable.Range(0, Count).Select(n =>
            JsonSerializer.Serialize(TestEntries.Person($"批量{n}", Id(n), $"（2021）豫0311执{n + 1}号"), EntryInput.JsonOptions)));
        var cases = Path.Combine(_files.Path, "cases.txt");
        await File.WriteAllLinesAsync(cases, Enumerable.Range(0, Count).Select(n => $"(2021)豫0311执{n + 1}号"));
        foreach (var args in new[] { new[] { "import", entries }, ["create-user", "--role", "reviewer", "--name", "wang", "--court", "豫0311"] })
        {
            using var p = Process.Start(Verb(args))!;
            _ = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.Equal(0, p.ExitCode);
        }
        Assert.Equal(Count, Scalar("SELECT COUNT(*) FROM entries WHERE \"Status\" = 'Published'"));

        var today = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");
        var killedMidway = 0;
        foreach (var after in new[] { 1500, 2200, 3000, 4000 })
        {
            using var shield = Process.Start(Verb("shield", "--file", cases, "--reason", "performed", "--event-date", today, "--user", "wang"))!;
            _ = shield.StandardOutput.ReadToEndAsync();
            _ = shield.StandardError.ReadToEndAsync();
            await Task.Delay(after);
            if (!shield.HasExited) { shield.Kill(entireProcessTree: true); killedMidway++; }
            await shield.WaitForExitAsync();
            var shielded = Scalar("SELECT COUNT(*) FROM entries WHERE \"Status\" = 'Shielded'");
            Assert.Contains(shielded, new long[] { 0, Count }); // one transaction: never a part
            Assert.Equal(shielded, Scalar("SELECT COUNT(*) FROM entry_events WHERE \"Action\" = 'Shielded'"));
            Assert.Equal(shielded, Scalar("SELECT COUNT(*) FROM audit_records WHERE \"Action\" = 'shield'"));
            if (shielded == Count) break;
        }
        Assert.True(killedMidway > 0, "no bulk shield was still running when killed");
        using var verify = Process.Start(Verb("audit", "verify"))!;
        await verify.WaitForExitAsync();
        Assert.Equal(0, verify.ExitCode);

        SqliteConnection.ClearAllPools();
        using var portal = new PortalFactory { DataDirectoryOf = _data.Path };
        await portal.WaitUntilReadyAsync();
        var browse = await portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries");
        Assert.Equal(Scalar($"SELECT COUNT(*) FROM entries e WHERE {PublicToday}"), browse.GetProperty("total").GetInt64());
    }
}
