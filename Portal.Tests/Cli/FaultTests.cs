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

    [Fact]
    public async Task A_portal_killed_while_sending_a_webhook_sends_it_again_after_restart()
    {
        await using var receiver = await LoopbackServer.StartAsync();
        receiver.DelayMs = 5_000; // the receiver holds the first request: the portal is killed in the middle of it
        string[] settings = ["--Outbound:AllowedNetworks:0=127.0.0.0/8", "--Webhooks:PollSeconds=0.2", "--Webhooks:LeaseSeconds=3",
            "--Webhooks:TimeoutSeconds=2", "--Webhooks:RetryBaseSeconds=0.2", "--Portal:SeedDemoData=false"];
        var entries = Path.Combine(_files.Path, "one.jsonl");
        await File.WriteAllLinesAsync(entries, [JsonSerializer.Serialize(TestEntries.Person(), EntryInput.JsonOptions)]);
        foreach (var args in new[] { new[] { "import", entries }, ["create-user", "--role", "reviewer", "--name", "wang", "--court", "豫0311"],
                     ["client", "create", "--kind", "unit", "--name", "联合惩戒单位甲", "--scopes", "feed", "--webhook", receiver.BaseUrl + "/hook", .. settings] })
        {
            using var p = Process.Start(Verb(args))!;
            var output = p.StandardOutput.ReadToEndAsync();
            var errors = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.True(p.ExitCode == 0, await errors + await output);
        }

        async Task<Process> Portal()
        {
            using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)l.LocalEndpoint).Port}";
            l.Stop();
            var process = Process.Start(Verb(["--urls", url, .. settings]))!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        var first = await Portal();
        try
        {
            var today = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");
            using (var shield = Process.Start(Verb("shield", "--case-number", "(2019)豫0311执1234号", "--reason", "performed", "--event-date", today, "--user", "wang"))!)
            {
                _ = shield.StandardOutput.ReadToEndAsync();
                _ = shield.StandardError.ReadToEndAsync();
                await shield.WaitForExitAsync();
                Assert.Equal(0, shield.ExitCode);
            }
            // The shielding's event is on its way: the receiver has the request and is still answering it.
            await receiver.WaitForAsync(r => r.Any(x => Encoding(x).Contains("\"shielded\"")), timeoutMs: 30_000);
            first.Kill(entireProcessTree: true); // kill -9 in the middle of the delivery
            await first.WaitForExitAsync();
            Assert.Equal("Pending", ScalarText("SELECT \"Status\" FROM webhook_deliveries WHERE \"EventId\" = (SELECT MAX(\"Id\") FROM entry_events)"));
        }
        finally { if (!first.HasExited) first.Kill(entireProcessTree: true); }

        receiver.DelayMs = 0;
        var second = await Portal();
        try
        {
            // After the lease, the restarted portal sends it again, with the same event id for the receiver to de-duplicate.
            var received = await receiver.WaitForAsync(r => r.Count(x => Encoding(x).Contains("\"shielded\"")) >= 2, timeoutMs: 30_000);
            var shieldings = received.Where(x => Encoding(x).Contains("\"shielded\"")).ToList();
            Assert.Single(shieldings.Select(x => x.Headers["X-Portal-Event-Id"]).Distinct());
            for (var i = 0; i < 100 && ScalarText("SELECT \"Status\" FROM webhook_deliveries WHERE \"EventId\" = (SELECT MAX(\"Id\") FROM entry_events)") != "Delivered"; i++)
                await Task.Delay(100);
            Assert.Equal("Delivered", ScalarText("SELECT \"Status\" FROM webhook_deliveries WHERE \"EventId\" = (SELECT MAX(\"Id\") FROM entry_events)"));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
    }

    private static string Encoding(LoopbackServer.Received r) => System.Text.Encoding.UTF8.GetString(r.Body);

    private string? ScalarText(string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder(DatabaseProvider.SqliteConnectionString(_data.Path)) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar() as string;
    }
}
