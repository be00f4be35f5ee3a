using Portal.Data.Calendar;
using Portal.Tests.Support;

namespace Portal.Tests.Calendar;

/// <summary>Working days per the official calendar; expected dates counted by hand from the State Council notices.</summary>
public class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Shipped = WorkingDayCalendar.Load(null);

    [Theory]
    [InlineData("2025-09-30", 3, "2025-10-11")] // National Day 10-01..10-08 off; Saturday 10-11 is a working day
    [InlineData("2025-01-24", 3, "2025-02-05")] // Sunday 01-26 works, 01-27 works, Spring Festival off until 02-04
    [InlineData("2024-12-31", 3, "2025-01-06")] // New Year's Day off, then a plain weekend
    [InlineData("2024-04-30", 1, "2024-05-06")] // Labour Day 05-01..05-05
    [InlineData("2026-11-20", 3, "2026-11-25")] // an ordinary Friday
    [InlineData("2026-02-13", 1, "2026-02-14")] // Saturday 02-14 is a working day before Spring Festival
    public void Counts_working_days_after_the_event(string from, int days, string due)
    {
        var result = Shipped.AddWorkingDays(DateOnly.Parse(from), days);
        Assert.Equal(DateOnly.Parse(due), result.Due);
        Assert.False(result.Provisional);
    }

    [Fact]
    public void A_period_past_the_last_year_on_file_counts_weekends_only_and_says_so()
    {
        var result = Shipped.AddWorkingDays(new DateOnly(2027, 12, 30), 3); // Thu → Fri, Mon, Tue
        Assert.Equal(new DateOnly(2028, 1, 4), result.Due);
        Assert.True(result.Provisional);
    }

    [Fact]
    public void An_administrators_file_replaces_the_shipped_year()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("2027.json"), """{"year": 2027, "holidays": ["2027-01-01"], "workdays": []}""");
        File.WriteAllText(dir.File("2025.json"), """{"year": 2025, "holidays": [], "workdays": []}""");
        var calendar = WorkingDayCalendar.Load(dir.Path);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2027, 1, 1)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2025, 10, 8))); // the override knows no National Day
        Assert.False(calendar.AddWorkingDays(new DateOnly(2027, 5, 1), 2).Provisional);
    }

    [Fact]
    public void A_malformed_or_contradictory_file_is_refused_with_its_name()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("2027.json"), """{"year": 2027, "holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}""");
        Assert.Contains("既是假日又是调休工作日", Assert.Throws<InvalidOperationException>(() => WorkingDayCalendar.Load(dir.Path)).Message);
        File.WriteAllText(dir.File("2027.json"), """{"year": 2027, "holidays": ["2028-01-01"]}""");
        Assert.Contains("其他年份", Assert.Throws<InvalidOperationException>(() => WorkingDayCalendar.Load(dir.Path)).Message);
        File.WriteAllText(dir.File("2027.json"), """{"year": 2027, "holidays": ["1 Jan"]}""");
        Assert.Contains("2027.json", Assert.Throws<InvalidOperationException>(() => WorkingDayCalendar.Load(dir.Path)).Message);
    }

    /// <summary>The verb as a person runs it: a separate process, its standard output read whole.</summary>
    private static (int Exit, string Out, string Err) RunVerb(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Portal.Web.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, error);
    }

    [Fact]
    public void The_deadline_verb_prints_the_date_alone()
    {
        using var dir = new TempDirectory();
        var (exit, output, _) = RunVerb("deadline", "--from", "2025-09-30", "--working-days", "3", $"--Portal:DataDirectory={dir.Path}");
        Assert.Equal(0, exit);
        Assert.Equal("2025-10-11\n", output.Replace("\r", ""));

        var (provisionalExit, provisional, warning) = RunVerb("deadline", "--from", "2027-12-30", "--working-days", "3", $"--Portal:DataDirectory={dir.Path}");
        Assert.Equal(0, provisionalExit);
        Assert.Equal("2028-01-04", provisional.Trim());
        Assert.Contains("暂定", warning);

        Assert.Equal(2, RunVerb("deadline", "--from", "30.09.2025", "--working-days", "3").Exit);
    }
}
