namespace Portal.Data.Lifecycle;

/// <summary>
/// Statutory periods in calendar days (domain.md): a period starts the day after its event and ends at the end of
/// its last day, so an event on the 1st with 3 days is due by the end of the 4th.
/// </summary>
public static class Deadlines
{
    /// <summary>Shield or revoke within 3 days of the triggering event.</summary>
    public const int RemovalDays = 3;

    public static DateOnly Due(DateOnly eventDate, int days) => eventDate.AddDays(days);

    public static DateOnly RemovalDue(DateOnly eventDate) => Due(eventDate, RemovalDays);

    /// <summary>The 3-day removal clock in words for <paramref name="today"/>: "已逾期 3 天", "今日到期" or "2 天后到期".</summary>
    public static string RemovalStateText(DateOnly eventDate, DateOnly today)
    {
        var due = RemovalDue(eventDate);
        var late = DaysLate(due, today);
        return late > 0 ? $"已逾期 {late} 天" : due == today ? "今日到期" : $"{due.DayNumber - today.DayNumber} 天后到期";
    }

    /// <summary>Days past the due date on <paramref name="day"/> (0 when not late).</summary>
    public static int DaysLate(DateOnly due, DateOnly day) => Math.Max(0, day.DayNumber - due.DayNumber);
}
