using Portal.Data.Applications;
using Portal.Data.Calendar;

namespace Portal.Tests.Applications;

/// <summary>The periods of due process, the tracking code, contacts and attachments: the rules by themselves.</summary>
public class ApplicationRulesTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Load(null);
    private static readonly DateOnly Friday = new(2026, 11, 20);

    [Fact]
    public void A_correction_is_reviewed_within_3_calendar_days_that_count_the_weekend()
    {
        var periods = new ApplicationOptions().Periods();
        var due = periods.CorrectionReview.EndAfter(Friday, Calendar);
        Assert.Equal(new DateOnly(2026, 11, 23), due.Due); // Saturday, Sunday and Monday
        Assert.False(due.Provisional);
        Assert.Equal(new DateOnly(2026, 11, 30), periods.CorrectionApply.EndAfter(Friday, Calendar).Due);
        Assert.Equal(new DateOnly(2026, 12, 5), periods.ReconsiderationDecide.EndAfter(Friday, Calendar).Due);
    }

    [Fact]
    public void Credit_repair_is_decided_within_15_working_days_around_the_national_day_holiday()
    {
        // Received Wednesday 30 September 2026: 1–7 October are holidays, Saturday 10 October is a working day.
        var due = new ApplicationOptions().Periods().CreditRepairDecide.EndAfter(new DateOnly(2026, 9, 30), Calendar);
        Assert.Equal(new DateOnly(2026, 10, 27), due.Due);
        Assert.False(due.Provisional);
    }

    [Fact]
    public void A_working_day_period_into_a_year_not_on_file_is_provisional()
    {
        var due = new ApplicationOptions().Periods().CreditRepairDecide.EndAfter(new DateOnly(2026, 12, 28), Calendar);
        Assert.True(due.Provisional);
        Assert.Equal(new DateOnly(2027, 1, 18), due.Due); // weekends alone: 29–31 December, then 12 working days of January
    }

    [Fact]
    public void The_spc_2017_rules_review_in_15_days_set_no_period_for_applying_and_correct_within_3_working_days()
    {
        var periods = new ApplicationOptions { Rules = "spc2017" }.Periods();
        Assert.Equal(new DateOnly(2026, 12, 5), periods.CorrectionReview.EndAfter(Friday, Calendar).Due);
        Assert.False(periods.CorrectionApply.IsLimited);
        Assert.Equal(DateOnly.MaxValue, periods.CorrectionApply.EndAfter(new DateOnly(2019, 6, 1), Calendar).Due);
        Assert.Equal(new DateOnly(2026, 11, 25), periods.CorrectAfterAccept.EndAfter(Friday, Calendar).Due); // Mon, Tue, Wed
    }

    [Fact]
    public void One_period_set_on_its_own_wins_over_the_rules_and_unknown_rules_are_refused()
    {
        var periods = new ApplicationOptions { Rules = "spc2017", CorrectionReview = Period.Working(3) }.Periods();
        Assert.Equal(new DateOnly(2026, 11, 25), periods.CorrectionReview.EndAfter(Friday, Calendar).Due);
        Assert.Equal("3个工作日", periods.CorrectionReview.Text);
        Assert.Throws<InvalidOperationException>(() => new ApplicationOptions { Rules = "2017" }.Periods());
    }

    [Fact]
    public void A_tracking_code_is_16_characters_read_back_however_it_is_typed_and_differs_per_submission()
    {
        var secret = new byte[32];
        var code = TrackingCode.For(secret, "a");
        Assert.Equal(16, code.Length);
        Assert.Equal(code, TrackingCode.For(secret, "a"));
        Assert.NotEqual(code, TrackingCode.For(secret, "b"));
        Assert.NotEqual(code, TrackingCode.For(new byte[] { 1 }, "a"));
        var shown = TrackingCode.Display(code);
        Assert.Equal(19, shown.Length);
        Assert.Equal(code, TrackingCode.Normalize(shown.ToLowerInvariant()));
        Assert.Equal(code, TrackingCode.Normalize(" " + shown.Replace('0', 'O').Replace('1', 'l') + " "));
        Assert.Null(TrackingCode.Normalize(code[..15]));
        Assert.Null(TrackingCode.Normalize(code[..15] + "U")); // not in the alphabet
    }

    [Theory]
    [InlineData("13812345678", "13812345678", ContactChannel.Phone, "138****5678")]
    [InlineData("+86 138-1234-5678", "13812345678", ContactChannel.Phone, "138****5678")]
    [InlineData("010-12345678", "01012345678", ContactChannel.Phone, "010****5678")]
    [InlineData("ＺＨＡＮＧ@example.com", "ZHANG@example.com", ContactChannel.Email, "Z***@example.com")]
    public void Contacts_are_read_in_their_usual_forms_and_masked_for_staff(string typed, string stored, ContactChannel channel, string masked)
    {
        var (contact, ch, error) = ApplicationContact.Parse(typed);
        Assert.Null(error);
        Assert.Equal(stored, contact);
        Assert.Equal(channel, ch);
        Assert.Equal(masked, ApplicationContact.Mask(contact!, ch));
    }

    [Theory]
    [InlineData("", "请填写联系方式")]
    [InlineData("1381234567", "联系电话格式不正确")]
    [InlineData("zhang@", "电子邮箱格式不正确")]
    public void A_wrong_contact_says_what_is_wrong_in_chinese(string typed, string message) =>
        Assert.StartsWith(message, ApplicationContact.Parse(typed).Error);

    [Fact]
    public void Attachments_are_recognised_by_their_content_not_their_name()
    {
        Assert.Null(ApplicationFiles.Check("判决书.pdf", "%PDF-1.7\n..."u8));
        Assert.Null(ApplicationFiles.Check("x.png", (byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]));
        Assert.Null(ApplicationFiles.Check("x.jpg", (byte[])[0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Contains("不是 PDF、JPEG 或 PNG", ApplicationFiles.Check("证明.pdf", "MZ\x90\0 an executable"u8));
        Assert.Contains("不是 PDF、JPEG 或 PNG", ApplicationFiles.Check("页面.pdf", "<html><script>"u8));
        Assert.Contains("空文件", ApplicationFiles.Check("a.pdf", ReadOnlySpan<byte>.Empty));
        Assert.Contains("超过 5 MB", ApplicationFiles.Check("a.pdf", new byte[ApplicationFiles.MaxBytes + 1]));
        Assert.Equal("evil.pdf", ApplicationFiles.SafeName("../../etc/evil.pdf"));
        Assert.Equal("a.pdf", ApplicationFiles.SafeName("C:\\Users\\a.pdf"));
    }
}
