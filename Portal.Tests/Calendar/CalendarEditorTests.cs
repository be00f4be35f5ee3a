using System.Net;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Calendar;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.BackOffice;

namespace Portal.Tests.Calendar;

/// <summary>An administrator enters next year's official arrangement; deadlines follow at once and after a restart.</summary>
public class CalendarEditorTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public void Dispose() => _portal.Dispose();

    /// <summary>Fills the editor in the interactive page as an administrator and saves; returns the page's answer.</summary>
    private async Task<string> Save(string year, string source, string holidays, string workdays)
    {
        await using var admin = await OfficeCircuit.SignInAsync(_portal, "admin1", StaffRoles.Admin);
        var page = admin.Render<Portal.Web.Components.Office.Calendar>();
        page.Find("#cal-year").Input(year);
        page.Find("#cal-source").Input(source);
        page.Find("#cal-holidays").Input(holidays);
        page.Find("#cal-workdays").Input(workdays);
        page.FindAll("button").Single(b => b.TextContent.Trim() == "保存").Click();
        page.WaitForAssertion(() => page.Find(".mud-alert"));
        return page.Find(".mud-alert").TextContent;
    }

    [Fact]
    public async Task An_administrator_enters_a_year_and_deadlines_use_it()
    {
        await _portal.WaitUntilReadyAsync();
        var calendar = _portal.Services.GetRequiredService<WorkingDayCalendar>();
        // Thursday 30 September 2027 without the arrangement on file: weekends only, provisional.
        Assert.Equal(new WorkingDayDeadline(new DateOnly(2027, 10, 5), true), calendar.AddWorkingDays(new DateOnly(2027, 9, 30), 3));

        var saved = await Save("2027", "测试用安排", "2027-01-01\n2027-10-01, 2027-10-02\n2027-10-03\n2027-10-04\n2027-10-05\n2027-10-06\n2027-10-07", "2027-09-26 2027-10-09");
        Assert.Contains("已保存 2027 年", saved);
        // 1 October to 7 October off, Saturday 9 October worked: Friday the 8th, Saturday the 9th, Monday the 11th.
        Assert.Equal(new WorkingDayDeadline(new DateOnly(2027, 10, 11), false), calendar.AddWorkingDays(new DateOnly(2027, 9, 30), 3));

        // What was saved is what the next start loads.
        var reloaded = WorkingDayCalendar.Load(Path.Combine(_portal.DataDirectory, "calendar"));
        Assert.Equal(new DateOnly(2027, 10, 11), reloaded.AddWorkingDays(new DateOnly(2027, 9, 30), 3).Due);
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Contains(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.Select(r => r.Action).ToListAsync(), a => a == "edit-calendar");
    }

    [Theory]
    [InlineData("2027-13-01", "", "不是 YYYY-MM-DD")]
    [InlineData("2028-01-01", "", "其他年份")]
    [InlineData("2027-10-01", "2027-10-01", "既是假日又是调休工作日")]
    [InlineData("2027-10-01", "2027-10-08", "本就是工作日")]
    public async Task A_wrong_year_is_refused_in_chinese_and_nothing_changes(string holidays, string workdays, string message)
    {
        await _portal.WaitUntilReadyAsync();
        Assert.Contains(message, await Save("2027", "测试", holidays, workdays));
        Assert.False(File.Exists(Path.Combine(_portal.DataDirectory, "calendar", "2027.json")));
        Assert.False(_portal.Services.GetRequiredService<WorkingDayCalendar>().IsOnFile(2027));
    }

    [Fact]
    public async Task Only_administrators_edit_the_calendar()
    {
        await _portal.WaitUntilReadyAsync();
        var reviewer = await Office.SignedIn(_portal, "reviewer1", StaffRoles.Reviewer);
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.GetAsync("/office/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.GetAsync("/office/clients")).StatusCode);
    }
}
