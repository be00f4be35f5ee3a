using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Portal.Tests.Support;
using Portal.Web.Hosting;

namespace Portal.Tests.Persistence;

/// <summary>
/// Two real portal processes (Kestrel, separate data directories and indexes) on one real PostgreSQL database, and the
/// command-line verbs as a court's operator runs them: what one node commits, the other shows on its next read.
/// </summary>
public sealed class TwoNodeTests : IDisposable
{
    private readonly PostgresDatabase _database = PostgresDatabase.Create();
    private readonly TempDirectory _a = new(), _b = new(), _files = new();
    private readonly string _hashKey = Convert.ToBase64String(TestEntries.HashKey);
    private readonly List<Process> _processes = [];

    public void Dispose()
    {
        foreach (var p in _processes.Where(p => !p.HasExited)) { p.Kill(entireProcessTree: true); p.WaitForExit(); }
        _database.Dispose();
        _a.Dispose();
        _b.Dispose();
        _files.Dispose();
    }

    private string[] Args(string dataDirectory, params string[] args) =>
        [.. args, $"--Portal:DataDirectory={dataDirectory}", "--Database:Provider=Postgres",
         $"--ConnectionStrings:Portal={_database.ConnectionString}", $"--Portal:IdHashKey={_hashKey}", "--Portal:SeedDemoData=false",
         "--Outbound:AllowedNetworks:0=127.0.0.0/8", "--Webhooks:PollSeconds=0.2", "--RateLimits:PublicPerMinute=100000",
         "--RateLimits:ApiPerMinute=100000"];

    private ProcessStartInfo Start(string dataDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[PortalProcess.Dll(), .. Args(dataDirectory, args)]) psi.ArgumentList.Add(a);
        return psi;
    }

    private async Task<string> Verb(string dataDirectory, params string[] args)
    {
        using var p = Process.Start(Start(dataDirectory, args))!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{string.Join(' ', args)} failed: {await error}{await output}");
        return await output;
    }

    private async Task<(Process Process, HttpClient Http)> Node(string dataDirectory)
    {
        var node = await PortalProcess.StartNodeAsync(Args(dataDirectory));
        _processes.Add(node.Process);
        return node;
    }

    private static async Task<long> Total(HttpClient node, string q) =>
        (await node.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString(q))).GetProperty("total").GetInt64();

    private static async Task<int> Suggested(HttpClient node, string q) =>
        (await node.GetFromJsonAsync<JsonElement>("/api/v1/suggest?q=" + Uri.EscapeDataString(q))).GetProperty("suggestions").GetArrayLength();

    private async Task<long> Count(string sql)
    {
        await using var c = new NpgsqlConnection(_database.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task What_one_node_commits_the_other_shows_on_its_next_read_and_background_work_runs_once()
    {
        await using var receiver = await LoopbackServer.StartAsync();
        // The list is imported on node A's machine before the nodes start (the import creates the schema and the keys);
        // one entry's listing period ended yesterday, so both nodes' expiry runs find it at start, at the same time.
        var yesterday = DateTime.UtcNow.AddHours(8).AddDays(-1).ToString("yyyy-MM-dd");
        var lapsed = TestEntries.Person("期满人", "440304199001011233", "（2018）豫0311执66号");
        lapsed.ListingEndsAt = yesterday;
        var file = Path.Combine(_files.Path, "entries.jsonl");
        await File.WriteAllLinesAsync(file, new[] { TestEntries.Person(), lapsed }.Select(e => JsonSerializer.Serialize(e, Portal.Data.Entries.EntryInput.JsonOptions)));
        await Verb(_a.Path, "import", file);
        // Every node shares the ID hash key and the Data Protection keys (docs/operators.md: a shared keys directory), with the
        // password of the certificate that encrypts them.
        CopyDirectory(Path.Combine(_a.Path, "keys"), Path.Combine(_b.Path, "keys"));
        File.Copy(Path.Combine(_a.Path, DataSafety.KeyCertificatePasswordFile), Path.Combine(_b.Path, DataSafety.KeyCertificatePasswordFile));
        var nodes = await Task.WhenAll(Node(_a.Path), Node(_b.Path));
        var (a, (b, bHttp)) = (nodes[0].Http, nodes[1]);

        // An import on node A's machine while both run appears on node B.
        var later = Path.Combine(_files.Path, "later.jsonl");
        await File.WriteAllLinesAsync(later, [JsonSerializer.Serialize(TestEntries.Organization(), Portal.Data.Entries.EntryInput.JsonOptions)]);
        await Verb(_a.Path, "import", later);
        Assert.Equal(1, await Total(bHttp, "恒达建筑"));
        Assert.Equal(1, await Total(bHttp, "张三"));
        Assert.Equal(1, await Suggested(bHttp, "张三"));

        var client = (await Verb(_a.Path, "client", "create", "--kind", "unit", "--name", "联合惩戒单位甲", "--scopes", "feed",
            "--webhook", receiver.BaseUrl + "/hook")).Trim().Split('\n')[^1].Trim();
        Assert.StartsWith("pk_", client);
        await Verb(_a.Path, "create-user", "--role", "reviewer", "--name", "wang", "--court", "豫0311");
        var publicId = (await bHttp.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("张三"))).GetProperty("items")[0].GetProperty("publicId").GetString();

        // A reviewer shields on A's side; B's very next reads: search, suggestions, detail page, API.
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");
        await Verb(_a.Path, "shield", "--case-number", "(2019)豫0311执1234号", "--reason", "performed", "--event-date", today, "--user", "wang");
        Assert.Equal(0, await Total(bHttp, "张三"));
        Assert.Equal(0, await Suggested(bHttp, "张三"));
        Assert.Equal(HttpStatusCode.Gone, (await bHttp.GetAsync($"/entries/{publicId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await bHttp.GetAsync($"/api/v1/entries/{publicId}")).StatusCode);
        Assert.Equal(0, await Total(a, "张三"));

        // Both nodes run the webhook dispatcher and the expiry run: each happens once.
        var received = await receiver.WaitForAsync(r => r.Count >= 1);
        await Task.Delay(TimeSpan.FromSeconds(2)); // time for a second delivery, if there were going to be one
        Assert.Single(receiver.Requests, r => r.Path == "/hook" && System.Text.Encoding.UTF8.GetString(r.Body).Contains("\"shielded\""));
        Assert.Equal(1, await Count("SELECT COUNT(*) FROM entry_events WHERE \"Action\" = 'Expired'"));

        // B killed outright; a revocation while it is down; B restarted catches up.
        b.Kill(entireProcessTree: true);
        await b.WaitForExitAsync();
        await Verb(_a.Path, "revoke", "--case-number", "(2020)豫0311执2001号", "--reason", "纳入有误", "--user", "wang");
        var (_, bAgain) = await Node(_b.Path);
        Assert.Equal(0, await Total(bAgain, "恒达建筑"));
        Assert.Equal(0, await Total(a, "恒达建筑"));
        Assert.NotNull(received);
    }

    [Fact]
    public async Task A_measure_recorded_through_one_node_is_lifted_by_a_removal_on_the_other_side_and_its_notice_delivered_once()
    {
        await using var receiver = await LoopbackServer.StartAsync();
        var file = Path.Combine(_files.Path, "entries.jsonl");
        await File.WriteAllLinesAsync(file, [JsonSerializer.Serialize(TestEntries.Person(), Portal.Data.Entries.EntryInput.JsonOptions)]);
        await Verb(_a.Path, "import", file);
        CopyDirectory(Path.Combine(_a.Path, "keys"), Path.Combine(_b.Path, "keys"));
        File.Copy(Path.Combine(_a.Path, DataSafety.KeyCertificatePasswordFile), Path.Combine(_b.Path, DataSafety.KeyCertificatePasswordFile));
        var nodes = await Task.WhenAll(Node(_a.Path), Node(_b.Path));
        var (a, b) = (nodes[0].Http, nodes[1].Http);
        var key = (await Verb(_a.Path, "client", "create", "--kind", "unit", "--name", "某民航管理局", "--category", "transport", "--scopes", "measures",
            "--webhook", receiver.BaseUrl + "/measures")).Trim().Split('\n')[^1].Trim();

        // Node A takes the unit's report.
        var publicId = (await a.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("张三"))).GetProperty("items")[0].GetProperty("publicId").GetString();
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");
        using var onA = new HttpRequestMessage(HttpMethod.Post, "/api/v1/measures") { Content = JsonContent.Create(new { publicId, measure = "flight", appliedOn = today }) };
        onA.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(onA)).StatusCode);

        // The removal is committed on B's side; B answers the unit's next read with the lift notice.
        await Verb(_b.Path, "create-user", "--role", "reviewer", "--name", "wang", "--court", "豫0311");
        await Verb(_b.Path, "shield", "--case-number", "(2019)豫0311执1234号", "--reason", "performed", "--event-date", today, "--user", "wang");
        using var onB = new HttpRequestMessage(HttpMethod.Get, "/api/v1/measures/lifts");
        onB.Headers.Add("X-Api-Key", key);
        var lift = Assert.Single((await (await b.SendAsync(onB)).Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        Assert.Equal(("shielded", "open"), (lift.GetProperty("cause").GetString(), lift.GetProperty("status").GetString()));

        // Both nodes run the webhook dispatcher: the notice arrives once.
        await receiver.WaitForAsync(r => r.Count >= 1);
        await Task.Delay(TimeSpan.FromSeconds(2)); // time for a second delivery, if there were going to be one
        Assert.Single(receiver.Requests, r => r.Path == "/measures" && r.Headers["X-Portal-Event"] == "measure.lift");
        Assert.Equal(1, await Count("SELECT COUNT(*) FROM measure_lifts"));
        Assert.Equal(1, await Count("SELECT COUNT(*) FROM webhook_deliveries WHERE \"Feed\" = 'Measures' AND \"Status\" = 'Delivered'"));
    }

    [Fact]
    public async Task A_book_registered_through_one_node_is_told_of_a_removal_on_the_other_side_once()
    {
        await using var receiver = await LoopbackServer.StartAsync();
        var file = Path.Combine(_files.Path, "entries.jsonl");
        await File.WriteAllLinesAsync(file, [JsonSerializer.Serialize(TestEntries.Person(), Portal.Data.Entries.EntryInput.JsonOptions)]);
        await Verb(_a.Path, "import", file);
        CopyDirectory(Path.Combine(_a.Path, "keys"), Path.Combine(_b.Path, "keys"));
        File.Copy(Path.Combine(_a.Path, DataSafety.KeyCertificatePasswordFile), Path.Combine(_b.Path, DataSafety.KeyCertificatePasswordFile));
        var nodes = await Task.WhenAll(Node(_a.Path), Node(_b.Path));
        var (a, b) = (nodes[0].Http, nodes[1].Http);
        var key = (await Verb(_a.Path, "client", "create", "--kind", "bank", "--name", "某商业银行", "--scopes", "watch",
            "--webhook", receiver.BaseUrl + "/watch")).Trim().Split('\n')[^1].Trim();

        // Node A takes the bank's book: its one subject is already listed.
        using var onA = new HttpRequestMessage(HttpMethod.Post, "/api/v1/watchlist")
        {
            Content = JsonContent.Create(new { subjects = new[] { new { reference = "C-1", name = "张三", idNumber = "412702198403151512" } } }),
        };
        onA.Headers.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(onA)).StatusCode);

        // The removal is committed through B's command line; both nodes run the matcher and the dispatcher.
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd");
        await Verb(_b.Path, "create-user", "--role", "reviewer", "--name", "wang", "--court", "豫0311");
        await Verb(_b.Path, "shield", "--case-number", "(2019)豫0311执1234号", "--reason", "performed", "--event-date", today, "--user", "wang");
        await receiver.WaitForAsync(r => r.Count >= 2);
        await Task.Delay(TimeSpan.FromSeconds(2)); // time for a second alert or delivery, if there were going to be one
        Assert.Equal(["watch.already_listed", "watch.shielded"], receiver.Requests.Select(r => r.Headers["X-Portal-Event"]).Order());
        using var onB = new HttpRequestMessage(HttpMethod.Get, "/api/v1/watchlist/events");
        onB.Headers.Add("X-Api-Key", key);
        var events = (await (await b.SendAsync(onB)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events").EnumerateArray().ToList();
        Assert.Equal([("already_listed", "C-1"), ("shielded", "C-1")], events.Select(e => (e.GetProperty("type").GetString()!, e.GetProperty("reference").GetString()!)));
        Assert.Equal(2, await Count("SELECT COUNT(*) FROM webhook_deliveries WHERE \"Feed\" = 'Watch' AND \"Status\" = 'Delivered'"));
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
    }
}
