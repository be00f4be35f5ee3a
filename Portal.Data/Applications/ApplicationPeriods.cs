using Portal.Data.Calendar;

namespace Portal.Data.Applications;

/// <summary>A statutory period: calendar days, or working days on the official calendar. Zero days: no limit.</summary>
public sealed class Period
{
    public int Days { get; set; }
    public bool WorkingDays { get; set; }

    public static Period Calendar(int days) => new() { Days = days };
    public static Period Working(int days) => new() { Days = days, WorkingDays = true };
    public static readonly Period None = new();

    public bool IsLimited => Days > 0;

    /// <summary>
    /// The last day of the period after <paramref name="eventDay"/> (it starts the next day and ends at the end of its
    /// last day), counted on the calendar or in working days. Provisional when it runs into a year not on file.
    /// </summary>
    public WorkingDayDeadline EndAfter(DateOnly eventDay, WorkingDayCalendar calendar) =>
        !IsLimited ? new(DateOnly.MaxValue, false)
        : WorkingDays ? calendar.AddWorkingDays(eventDay, Days)
        : new(Lifecycle.Deadlines.Due(eventDay, Days), false);

    public string Text => !IsLimited ? "不限期" : WorkingDays ? $"{Days}个工作日" : $"{Days}日";
}

/// <summary>
/// The <c>Applications</c> configuration: the periods of due process. <see cref="Rules"/> picks a set, <c>seed</c> (the
/// domain reference: correction within 10 days of the decision, reviewed in 3 days; reconsideration within 10 days of
/// the refusal, decided in 15) or <c>spc2017</c> (the Supreme People's Court's 2017 provisions: no period for applying,
/// review in 15 days, correction within 3 working days of accepting); each period can also be set on its own
/// (<c>Applications:CorrectionReview:Days=15</c>, <c>…:WorkingDays=true</c>).
/// </summary>
public sealed class ApplicationOptions
{
    public const string Section = "Applications";

    public string Rules { get; set; } = "seed";

    public Period? CorrectionApply { get; set; }
    public Period? CorrectionReview { get; set; }
    public Period? CorrectAfterAccept { get; set; }
    public Period? ReconsiderationApply { get; set; }
    public Period? ReconsiderationDecide { get; set; }
    public Period? CreditRepairDecide { get; set; }
    public Period? ComplaintAnswer { get; set; }

    /// <summary>Applications accepted from one address in a day (counted across nodes).</summary>
    public int PerAddressPerDay { get; set; } = 10;

    /// <summary>
    /// Applications about one entry in a day that carry the subject's identity (correction, reconsideration, credit
    /// repair); complaints, which need none, are counted apart with the same limit, so that they never use up the subject's.
    /// </summary>
    public int PerEntryPerDay { get; set; } = 5;

    /// <summary>
    /// Different wrong identity numbers tried against one subject (the family of digits its masked number shows, or its
    /// credit code), across all its entries and every form, before the online identity check closes for it.
    /// </summary>
    public int IdentityMissesPerFamily { get; set; } = 3;

    public ApplicationPeriods Periods()
    {
        var spc = Rules.Equals("spc2017", StringComparison.OrdinalIgnoreCase);
        if (!spc && !Rules.Equals("seed", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Applications:Rules 应为 seed 或 spc2017，而不是 {Rules}");
        return new ApplicationPeriods(
            CorrectionApply ?? (spc ? Period.None : Period.Calendar(10)),
            CorrectionReview ?? Period.Calendar(spc ? 15 : 3),
            CorrectAfterAccept ?? (spc ? Period.Working(3) : Period.None),
            ReconsiderationApply ?? Period.Calendar(10),
            ReconsiderationDecide ?? Period.Calendar(15),
            CreditRepairDecide ?? Period.Working(15),
            ComplaintAnswer ?? Period.Calendar(15));
    }
}

/// <summary>The periods in force, one place for each deadline of due process.</summary>
public sealed record ApplicationPeriods(
    Period CorrectionApply, Period CorrectionReview, Period CorrectAfterAccept, Period ReconsiderationApply,
    Period ReconsiderationDecide, Period CreditRepairDecide, Period ComplaintAnswer)
{
    /// <summary>The court's period for deciding an application of this kind, from the day it was received.</summary>
    public Period Decide(ApplicationKind kind) => kind switch
    {
        ApplicationKind.Correction => CorrectionReview,
        ApplicationKind.Reconsideration => ReconsiderationDecide,
        ApplicationKind.CreditRepair => CreditRepairDecide,
        _ => ComplaintAnswer,
    };
}
