using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Cli;

namespace Portal.Tests.Cli;

/// <summary>publish / shield / revoke / create-user / audit verify as scripts use them.</summary>
public class LifecycleCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private string Config => $"--Portal:DataDirectory={_dir.Path}";

    private Task<int> Run(params string[] args) => PortalCommands.RunAsync([.. args, Config]);

    private PortalDbContext Db() =>
        new(DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(_dir.Path)));

    public async Task InitializeAsync()
    {
        var draft = TestEntries.Person("王五", "440304199001011233", "（2021）粤0305执10号");
        draft.Status = "draft";
        draft.PublishedAt = null;
        var file = _dir.File("seed.jsonl");
        await File.WriteAllLinesAsync(file, [TestEntries.Json(TestEntries.Person()), TestEntries.Json(TestEntries.Organization()), TestEntries.Json(draft)]);
        Assert.Equal(0, await Run("import", file));
        Assert.Equal(0, await Run("create-user", "--role", "reviewer", "--name", "rev1", "--court", "洛阳市洛龙区人民法院"));
        Assert.Equal(0, await Run("create-user", "--role", "clerk", "--name", "clerk1", "--court", "豫0311"));
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private async Task<EntryStatus> StatusOf(string caseNumber)
    {
        await using var db = Db();
        var key = CaseNumber.Key(caseNumber);
        return await db.Entries.Where(e => e.CaseNumberKey == key).Select(e => e.Status).SingleAsync();
    }

    [Fact]
    public async Task Shield_by_case_number_exits_0_and_again_is_a_no_op()
    {
        string[] args = ["shield", "--case-number", "(2019)豫0311执1234号", "--reason", "performed", "--event-date", "2026-11-20", "--user", "rev1"];
        Assert.Equal(0, await Run(args));
        Assert.Equal(EntryStatus.Shielded, await StatusOf("（2019）豫0311执1234号"));
        Assert.Equal(0, await Run(args));
    }

    [Fact]
    public async Task A_clerk_may_not_shield_and_nothing_changes()
    {
        Assert.Equal(2, await Run("shield", "--case-number", "（2019）豫0311执1234号", "--reason", "performed", "--event-date", "2026-11-20", "--user", "clerk1"));
        Assert.Equal(2, await Run("shield", "--case-number", "（2019）豫0311执1234号", "--reason", "performed", "--event-date", "2026-11-20", "--user", "nobody"));
        Assert.Equal(EntryStatus.Published, await StatusOf("（2019）豫0311执1234号"));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_exit_2()
    {
        Assert.Equal(2, await Run("shield", "--case-number", "（2019）豫0311执1234号", "--reason", "bored", "--event-date", "2026-11-20", "--user", "rev1"));
        Assert.Equal(2, await Run("shield", "--case-number", "（2019）豫0311执1234号", "--reason", "performed", "--event-date", "20.11.2026", "--user", "rev1"));
        Assert.Equal(2, await Run("revoke", "--case-number", "（2099）豫0311执1号", "--reason", "有误", "--user", "rev1"));
        Assert.Equal(2, await Run("publish", "--case-number", "（2021）粤0305执10号", "--user", "rev1")); // no risk notice yet
        Assert.Equal(EntryStatus.Draft, await StatusOf("（2021）粤0305执10号"));
    }

    [Fact]
    public async Task Revoke_from_a_file_handles_every_line()
    {
        var file = _dir.File("cases.txt");
        await File.WriteAllLinesAsync(file, ["（2019）豫0311执1234号", "", "2020豫0311执2001"]);
        Assert.Equal(0, await Run("revoke", "--file", file, "--reason", "复议认定纳入有误", "--user", "rev1"));
        Assert.Equal(EntryStatus.Revoked, await StatusOf("（2019）豫0311执1234号"));
        Assert.Equal(EntryStatus.Revoked, await StatusOf("（2020）豫0311执2001号"));
    }

    [Fact]
    public async Task Create_user_refuses_a_duplicate_and_an_unknown_role()
    {
        Assert.Equal(2, await Run("create-user", "--role", "reviewer", "--name", "rev1"));
        Assert.Equal(2, await Run("create-user", "--role", "boss", "--name", "x"));
        Assert.Equal(2, await Run("create-user", "--role", "reviewer", "--name", "no-court"));                 // court staff need a court
        Assert.Equal(2, await Run("create-user", "--role", "reviewer", "--name", "bad-court", "--court", "某某法院"));
    }

    [Fact]
    public async Task Audit_verify_passes_then_names_a_tampered_record()
    {
        Assert.Equal(0, await Run("audit", "verify"));
        await using (var db = Db())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE audit_records SET Actor = 'mallory' WHERE Sequence = 2");
        }
        Assert.Equal(2, await Run("audit", "verify"));
    }

    [Fact]
    public async Task A_reviewer_acts_on_their_own_courts_entries_only_also_from_the_command_line()
    {
        Assert.Equal(0, await Run("create-user", "--role", "reviewer", "--name", "rev-gz", "--court", "粤0305"));
        // 王五's draft is 粤0305's; 张三's entry is 豫0311's.
        Assert.Equal(2, await Run("shield", "--case-number", "（2019）豫0311执1234号", "--reason", "performed", "--event-date", "2026-11-20", "--user", "rev-gz"));
        Assert.Equal(EntryStatus.Published, await StatusOf("（2019）豫0311执1234号"));
        await using var db = Db();
        var refusal = await db.AuditRecords.CountAsync(r => r.Actor == "rev-gz");
        Assert.Equal(0, refusal); // nothing was done, so nothing was recorded
    }
}
