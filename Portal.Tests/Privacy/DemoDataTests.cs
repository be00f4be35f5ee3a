using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Cli;

namespace Portal.Tests.Privacy;

/// <summary>Invented debtors with realistic names never pass for the real list.</summary>
public class DemoDataTests
{
    private static async Task<long> EntryCount(PortalFactory portal)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.LongCountAsync();
    }

    [Fact]
    public void Demo_people_are_as_in_life_name_gender_and_number_agree_and_published_entries_carry_their_risk_notice()
    {
        // Characters that, as the last of a given name, name a woman or a man in the demo's name lists (written here by hand).
        const string women = "芳娜英静丽艳娟兰霞燕婷雪梅琳凤玲慧颖倩洁珍", men = "强磊军勇杰涛超刚斌鹏辉浩俊峰波飞亮国";
        var protection = TestEntries.Protection();
        var lines = new Portal.Web.DemoData.DemoDataGenerator(TimeProvider.System).Generate(3000, seed: 5).Select(l => l.Input!).ToList();
        var checkedPeople = 0;
        foreach (var input in lines.Where(i => i.SubjectType == "person"))
        {
            Assert.True(Portal.Data.Entries.IdNumber.TryParse(input.IdNumber, out var id, out _), input.IdNumber);
            var last = input.Name![^1];
            if (women.Contains(last)) { Assert.Equal(Portal.Data.Entries.Gender.Female, id.Gender); checkedPeople++; }
            if (men.Contains(last)) { Assert.Equal(Portal.Data.Entries.Gender.Male, id.Gender); checkedPeople++; }
        }
        Assert.True(checkedPeople > 500, $"only {checkedPeople} names told a gender");
        foreach (var input in lines.Where(i => i.Status != "draft"))
        {
            var entry = Portal.Data.Entries.EntryValidation.Validate(input, protection, DateTime.UtcNow).Entry!;
            Assert.True(entry.RiskNoticeServedOn is { } served && served <= Portal.Data.Entries.ChinaTime.DateOf(entry.PublishedAt!.Value), input.CaseNumber);
        }
    }

    [Fact]
    public async Task While_demo_data_is_present_every_page_says_so_and_every_api_answer_is_flagged()
    {
        using var portal = new PortalFactory { DemoEntries = 60 };
        await portal.WaitUntilReadyAsync();
        Assert.True(await EntryCount(portal) >= 60);
        await using (var scope = portal.Services.CreateAsyncScope()) // and a few applications for the office's queue
            Assert.Equal(2, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Applications
                .CountAsync(a => a.Kind == Portal.Data.Applications.ApplicationKind.Complaint && a.Status == Portal.Data.Applications.ApplicationStatus.Received));
        var client = portal.CreateClient();
        foreach (var url in new[] { "/", "/?q=%E5%BC%A0", "/notices", "/terms", "/office/login" })
        {
            var html = await (await client.GetAsync(url)).Content.ReadAsStringAsync();
            var banner = (await Office.Parse(html)).QuerySelector(".demo-banner");
            Assert.True(banner is not null, url);
            Assert.Contains("演示数据，非真实名单", banner!.TextContent);
        }
        foreach (var url in new[] { "/api/v1/entries?q=%E5%BC%A0", "/api/v1/notices", "/api/v1/entries/nonexistent00000", "/api/v1/nothing" })
        {
            var response = await client.GetAsync(url);
            Assert.True(response.Headers.TryGetValues("X-Demo-Data", out var values) && values.Single() == "true", url);
        }
    }

    [Fact]
    public async Task A_real_list_carries_no_demo_mark()
    {
        using var portal = new PortalFactory();
        await portal.ImportAsync(TestEntries.Person());
        var client = portal.CreateClient();
        Assert.Null((await Office.Parse(await client.GetStringAsync("/"))).QuerySelector(".demo-banner"));
        Assert.False((await client.GetAsync("/api/v1/notices")).Headers.Contains("X-Demo-Data"));
    }

    [Fact]
    public async Task Demo_data_is_never_seeded_into_a_directory_that_already_holds_keys()
    {
        using var dir = new TempDirectory();
        using (var first = new PortalFactory { DataDirectoryOf = dir.Path }) await first.WaitUntilReadyAsync(); // keys and an empty list
        using var second = new PortalFactory { DataDirectoryOf = dir.Path, DemoEntries = 60 };
        await second.WaitUntilReadyAsync();
        Assert.Equal(0, await EntryCount(second));
    }

    [Fact]
    public async Task The_seed_verb_refuses_a_database_with_a_real_list()
    {
        using var dir = new TempDirectory();
        using (var portal = new PortalFactory { DataDirectoryOf = dir.Path }) await portal.ImportAsync(TestEntries.Person());
        Assert.Equal(2, await PortalCommands.RunAsync(["seed", "--count", "10", $"--Portal:DataDirectory={dir.Path}"]));
        await using var db = new PortalDbContext(DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(dir.Path)));
        Assert.Equal(1, await db.Entries.CountAsync());
        Assert.False(await db.Settings.AnyAsync(s => s.Name == PortalSetting.DemoData));
    }
}
