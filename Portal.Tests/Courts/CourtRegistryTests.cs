using System.Diagnostics;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Courts;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.BackOffice;
using Portal.Web.Cli;
using Portal.Web.Components.Office;
using Portal.Web.Courts;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Courts;

/// <summary>Every court of the country in use: staff for any court, the hierarchy in views and reconsiderations, changes by administrators.</summary>
public sealed class CourtRegistryTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private CourtRegistry Registry => _portal.Services.GetRequiredService<CourtRegistry>();

    public async Task InitializeAsync()
    {
        static string Id(string first17) => first17 + IdNumber.CheckCharacter(first17);
        Assert.Empty((await _portal.ImportAsync(
            TestEntries.Person("召陵人", Id("41110419800101123"), "（2024）豫1104执1号"),
            TestEntries.Person("朝阳人", Id("11010519800101123"), "（2024）京0105执2号"),
            TestEntries.Person("海淀人", Id("11010819800101123"), "（2024）京0108执3号"))).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private async Task<T> Accounts<T>(Func<StaffAccounts, Task<T>> action)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffAccounts>());
    }

    [Theory]
    [InlineData("zl-clerk", StaffRoles.Clerk, "漯河市召陵区人民法院", "豫1104")]
    [InlineData("zl-rev", StaffRoles.Reviewer, "豫1104", "豫1104")]
    [InlineData("lh-sup", StaffRoles.Superior, "漯河市中级人民法院", "豫11")]
    [InlineData("hn-sup", StaffRoles.Superior, "河南省高级人民法院", "豫")]
    [InlineData("lz-clerk", StaffRoles.Clerk, "柳州市城中区人民法院", "桂0202")]
    [InlineData("lc-rev", StaffRoles.Reviewer, "洛阳市老城区人民法院", "豫0302")]
    [InlineData("net-rev", StaffRoles.Reviewer, "北京互联网法院", "京0491")]
    public async Task Staff_of_any_court_get_an_account(string name, string role, string court, string code)
    {
        var (password, errors) = await Accounts(a => a.CreateAsync(name, role, court));
        Assert.True(password is not null, string.Join("；", errors));
        Assert.Equal(code, (await Accounts(a => a.ScopeOfAsync(name))).CourtCode);
    }

    [Fact]
    public async Task A_reconsideration_goes_to_the_explicit_superior_only()
    {
        var actions = _portal.Services.GetRequiredService<EntryActions>();
        var id = await _portal.IdOfAsync("（2024）京0105执2号");
        var step = EntryActions.Reconsideration(false, "理由不成立");
        // 朝阳 (京0105) is under 京03: the first intermediate court, though its code is a prefix of nothing here, may not decide.
        var refused = await actions.ApplyAsync(id, step, "sup1", scope: new CourtScope("京01"));
        Assert.Equal(ItemOutcome.NotFound, refused.Outcome); // outside 京01's view: not even found
        var high = await actions.ApplyAsync(id, step, "sup-high", scope: new CourtScope("京"));
        Assert.Equal(ItemOutcome.Refused, high.Outcome); // the high court sees it, but it is not one level up
        Assert.Contains("北京市第三中级人民法院", high.Message);
        Assert.Equal(ItemOutcome.Applied, (await actions.ApplyAsync(id, step, "sup3", scope: new CourtScope("京03"))).Outcome);
    }

    [Fact]
    public async Task An_administrator_adds_renames_and_retires_a_court_audited_and_staff_follow_at_once()
    {
        var added = await Registry.SaveAsync(new Court("豫1191", "漯河经济技术开发区人民法院", CourtLevel.Basic, "zone", "豫11", "河南", "漯河市", null, [], []), "admin1");
        Assert.Null(added);
        Assert.NotNull((await Accounts(a => a.CreateAsync("kf-clerk", StaffRoles.Clerk, "漯河经济技术开发区人民法院"))).Password);
        Assert.Contains(CourtView.Under(Registry.Current, "豫11").Codes!, c => c == "豫1191");

        var renamed = Registry.Current.ByCode("豫1191")! with { Name = "漯河经济开发区人民法院" };
        Assert.Null(await Registry.SaveAsync(renamed, "admin1"));
        Assert.Equal("豫1191", Registry.Current.Find("漯河经济技术开发区人民法院")!.Code); // the old name still finds it
        Assert.Null(await Registry.RetireAsync("豫1191", new DateOnly(2026, 12, 1), "区划调整", "admin1"));
        Assert.Contains("已于", (await Accounts(a => a.CreateAsync("kf-clerk2", StaffRoles.Clerk, "豫1191"))).Errors.Single());

        await using var scope = _portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(["court-added", "court-renamed", "court-retired"],
            await db.AuditRecords.Where(r => r.Action.StartsWith("court-")).OrderBy(r => r.Sequence).Select(r => r.Action).ToListAsync());
        Assert.Equal(0, await Portal.Web.Cli.PortalCommands.RunAsync(["audit", "verify", $"--Portal:DataDirectory={_portal.DataDirectory}"]));
    }

    [Theory]
    [InlineData("豫1104", "漯河市召陵区新法院", "基层人民法院的代字", CourtLevel.Intermediate)] // a basic court's code for an intermediate court
    [InlineData("豫1199", "漯河市召陵区人民法院", "已是", CourtLevel.Basic)]                  // another court's name
    [InlineData("豫11999", "某法院", "法院代字应为", CourtLevel.Basic)]
    [InlineData("豫1199", "某某", "正式名称", CourtLevel.Basic)]
    public async Task A_court_that_does_not_fit_the_directory_is_refused_in_chinese_and_nothing_is_stored(string code, string name, string why, CourtLevel level)
    {
        var error = await Registry.SaveAsync(new Court(code, name, level, "general", "豫11", "河南", "漯河市", null, [], []), "admin1");
        Assert.Contains(why, error);
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().CourtRecords.CountAsync());
    }

    [Fact]
    public async Task Another_node_sees_a_change_at_its_next_refresh()
    {
        Assert.Null(await Registry.SaveAsync(new Court("豫1192", "漯河市西城区人民法院", CourtLevel.Basic, "general", "豫11", "河南", "漯河市", null, [], []), "admin1"));
        var other = new CourtRegistry(_portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), Portal.Search.Analysis.ChineseAnalyzer.Instance,
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<CourtRegistry>.Instance);
        Assert.Null(other.Current.ByCode("豫1192"));
        await other.RefreshAsync();
        Assert.Equal("漯河市西城区人民法院", other.Current.NameOf("豫1192"));
    }

    [Fact]
    public async Task Entries_written_before_courts_had_codes_get_theirs_at_start()
    {
        await using (var scope = _portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.ExecuteUpdateAsync(s => s.SetProperty(e => e.CourtCode, ""));
        Assert.Equal(3, await Registry.AssignCourtCodesAsync());
        await using (var scope = _portal.Services.CreateAsyncScope())
            Assert.Equal(["京0105", "京0108", "豫1104"], (await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.Select(e => e.CourtCode).ToListAsync()).Order());
    }

    [Theory]
    [InlineData("召陵", "豫1104")]
    [InlineData("lhszl", "豫1104")]
    [InlineData("豫1104", "豫1104")]
    [InlineData("cs", "湘01")]     // 长沙: the place-name reading
    [InlineData("xm", "闽02")]     // 厦门
    [InlineData("北京互联网", "京0491")]
    public void The_court_picker_finds_a_court_by_name_initials_or_code(string typed, string first) =>
        Assert.Equal(first, Registry.Search(typed).First().Code);

    [Fact]
    public async Task Courts_find_prints_one_line_per_court_with_its_superior()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try { Assert.Equal(0, await PortalCommands.RunAsync(["courts", "find", "召陵", $"--Portal:DataDirectory={_portal.DataDirectory}"])); }
        finally { Console.SetOut(original); }
        Assert.Equal("豫1104\t漯河市召陵区人民法院\t基层人民法院\t豫11\t漯河市中级人民法院", output.ToString().Trim());
    }

    [Fact]
    public async Task The_office_page_finds_a_court_and_renames_it()
    {
        await using var circuit = await OfficeCircuit.SignInAsync(_portal, "admin-courts", StaffRoles.Admin);
        var page = circuit.Render<CourtsOffice>();
        page.Find("#court-query").Input("召陵");
        page.WaitForAssertion(() => Assert.Contains("漯河市召陵区人民法院", page.Find(".courts-table").TextContent));
        page.FindAll(".courts-table button").First().Click();
        page.WaitForAssertion(() => Assert.Contains("修改 漯河市召陵区人民法院（豫1104）", page.Markup));
        page.Find("#court-name").Change("漯河市召陵区第一人民法院");
        page.FindAll("button").Single(b => b.TextContent.Trim() == "保存修改").Click();
        page.WaitForAssertion(() => Assert.Equal("漯河市召陵区第一人民法院", Registry.Current.NameOf("豫1104")), TimeSpan.FromSeconds(10));
        Assert.Equal("豫1104", Registry.Current.Find("漯河市召陵区人民法院")!.Code);
    }
}
