using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Search.Analysis;
using Portal.Search.Index;
using Portal.Tests.Support;
using Portal.Web.Cli;

namespace Portal.Tests.Cli;

/// <summary>The command-line verbs, run in process against a temporary data directory.</summary>
public class CommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private Task<int> Run(params string[] args) =>
        PortalCommands.RunAsync([.. args, $"--Portal:DataDirectory={_dir.Path}"]);

    private PortalDbContext Db() =>
        new(DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(_dir.Path)));

    private string WriteLines(params string[] lines)
    {
        var path = _dir.File($"input-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Import_of_good_lines_exits_0_and_makes_them_searchable()
    {
        var file = WriteLines(TestEntries.Json(TestEntries.Person()), "", TestEntries.Json(TestEntries.Organization()));
        Assert.Equal(0, await Run("import", file));
        await using var db = Db();
        Assert.Equal(2, await db.Entries.CountAsync());
        using var index = new SearchIndex(ChineseAnalyzer.Instance);
        index.Rebuild(Portal.Web.Search.IndexSync.PublicDocuments(db, ChinaTime.Today(TimeProvider.System)));
        Assert.Single(index.Search(new SearchQuery("张三", [])).Ids);
    }

    [Fact]
    public async Task Import_with_bad_lines_exits_2_and_keeps_the_good_ones()
    {
        var badId = TestEntries.Person("李四", "412702198403151516", "（2019）豫0311执5555号");
        var file = WriteLines(
            TestEntries.Json(TestEntries.Person()),
            "{ this is not json",
            TestEntries.Json(badId),
            TestEntries.Json(TestEntries.Organization()),
            TestEntries.Json(TestEntries.Person()));
        Assert.Equal(2, await Run("import", file));
        await using var db = Db();
        Assert.Equal(["张三", "洛阳市恒达建筑工程有限公司"], await db.Entries.OrderBy(e => e.Id).Select(e => e.Name).ToListAsync());
    }

    [Fact]
    public async Task Import_of_a_missing_file_exits_1()
    {
        Assert.Equal(1, await Run("import", _dir.File("nope.jsonl")));
    }

    [Fact]
    public async Task Reimporting_the_same_entry_is_refused_as_a_duplicate()
    {
        var file = WriteLines(TestEntries.Json(TestEntries.Person()));
        Assert.Equal(0, await Run("import", file));
        Assert.Equal(2, await Run("import", file));
        await using var db = Db();
        Assert.Equal(1, await db.Entries.CountAsync());
    }

    [Fact]
    public async Task Seed_writes_valid_entries_of_every_status_and_reindex_rebuilds_only_public_ones()
    {
        Assert.Equal(0, await Run("seed", "--count", "600", "--seed", "7"));
        await using var db = Db();
        Assert.Equal(600, await db.Entries.CountAsync());
        var statuses = await db.Entries.Select(e => e.Status).Distinct().ToListAsync();
        foreach (var s in Enum.GetValues<EntryStatus>()) Assert.Contains(s, statuses);
        Assert.True(await db.Entries.AnyAsync(e => e.SubjectType == SubjectType.Organization));
        Assert.True(await db.Entries.AnyAsync(e => e.NonPublic));

        var today = ChinaTime.Today(TimeProvider.System);
        var publicCount = await db.Entries.CountAsync(EntryVisibility.IsPublicOn(today));
        using var index = new SearchIndex(ChineseAnalyzer.Instance);
        Assert.Equal(publicCount, index.Rebuild(Portal.Web.Search.IndexSync.PublicDocuments(db, today)));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_names()
    {
        Assert.Equal(0, await Run("seed", "--count", "50", "--seed", "3"));
        await using var db = Db();
        var first = await db.Entries.OrderBy(e => e.Id).Select(e => e.Name + e.CaseNumber).ToListAsync();
        db.Entries.RemoveRange(db.Entries);
        await db.SaveChangesAsync();
        Assert.Equal(0, await Run("seed", "--count", "50", "--seed", "3"));
        Assert.Equal(first, await db.Entries.OrderBy(e => e.Id).Select(e => e.Name + e.CaseNumber).ToListAsync());
    }

    [Theory]
    [InlineData(new[] { "seed", "--count", "1" }, true)]
    [InlineData(new[] { "--Portal:DataDirectory=/tmp/x", "seed", "--count", "1" }, true)]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5000" }, false)]
    [InlineData(new string[0], false)]
    public void Settings_may_come_before_the_verb(string[] args, bool isVerb)
    {
        Assert.Equal(isVerb, PortalCommands.IsVerb(args));
    }

    [Fact]
    public async Task An_unknown_option_is_refused()
    {
        Assert.NotEqual(0, await Run("seed", "--count", "5", "--colour", "red"));
    }


    public void Dispose() => _dir.Dispose();
}
