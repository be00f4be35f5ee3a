using Portal.Data.Entries;
using Portal.Data.Lifecycle;
using Portal.Tests.Support;

namespace Portal.Tests.Lifecycle;

public class EntryLifecycleTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 2, 0, 0, DateTimeKind.Utc); // 10:00 in China
    private static readonly DateOnly Today = new(2026, 11, 22);

    private static readonly Portal.Data.Privacy.IdNumberProtection Protection = TestEntries.Protection();

    private static Transition Publish(Entry e) => EntryLifecycle.Publish(e, Now, Protection.BirthDateOf(e));

    private static Entry Draft()
    {
        var input = TestEntries.Person();
        input.Status = "draft";
        input.PublishedAt = null;
        return EntryValidation.Validate(input, Protection, Now).Entry!;
    }

    private static Entry Published()
    {
        var e = Draft();
        EntryLifecycle.RecordRiskNotice(e, Today.AddDays(-2), ServiceMethod.Personal, Now);
        Assert.False(Publish(e).Refused);
        return e;
    }

    [Fact]
    public void A_listing_period_corrected_to_one_that_has_ended_removes_the_entry_with_its_event()
    {
        var e = Published();
        var input = TestEntries.Person();
        input.ListingEndsAt = Today.AddDays(-1).ToString("yyyy-MM-dd");
        var edited = EntryValidation.Validate(input, Protection, Now).Entry!;
        var transition = EntryLifecycle.Edit(e, edited, Now);
        Assert.Equal((EntryStatus.Expired, (EntryAction?)EntryAction.Expired), (e.Status, transition.Event));
        Assert.False(e.IsPublic(Today));

        var later = Published();
        input.ListingEndsAt = Today.AddYears(1).ToString("yyyy-MM-dd");
        Assert.Equal(EntryAction.Updated, EntryLifecycle.Edit(later, EntryValidation.Validate(input, Protection, Now).Entry!, Now).Event);
    }

    [Fact]
    public void Publishing_needs_a_recorded_risk_notice()
    {
        var e = Draft();
        var refused = Publish(e);
        Assert.Equal("发布前须登记已向被执行人发送风险提示", refused.Refusal);
        Assert.Equal(EntryStatus.Draft, e.Status);

        EntryLifecycle.RecordRiskNotice(e, Today.AddDays(-2), ServiceMethod.Personal, Now);
        var published = Publish(e);
        Assert.Equal(EntryAction.Published, published.Event);
        Assert.Equal(Now, e.PublishedAt);
        Assert.True(e.IsPublic(Today));
    }

    [Fact]
    public void The_risk_notice_records_the_day_and_method_of_service_and_refuses_impossible_days()
    {
        var e = Draft();
        Assert.Equal("送达日期不能晚于今天", EntryLifecycle.RecordRiskNotice(e, Today.AddDays(1), ServiceMethod.Mail, Now).Refusal);
        Assert.Equal("送达日期不能早于立案时间（2019-03-01）", EntryLifecycle.RecordRiskNotice(e, new DateOnly(2019, 2, 28), ServiceMethod.Mail, Now).Refusal);
        Assert.Null(e.RiskNoticeAt);
        Assert.False(EntryLifecycle.RecordRiskNotice(e, new DateOnly(2026, 11, 3), ServiceMethod.Mail, Now).Refused);
        Assert.Equal((new DateOnly(2026, 11, 3), ServiceMethod.Mail, Now), (e.RiskNoticeServedOn, e.RiskNoticeMethod, e.RiskNoticeAt));
    }

    [Fact]
    public void A_minor_is_refused_at_publication()
    {
        var first17 = "41270220090601151";
        var input = TestEntries.Person(idNumber: first17 + IdNumber.CheckCharacter(first17));
        input.Status = "draft";
        input.PublishedAt = null;
        var e = EntryValidation.Validate(input, Protection, Now).Entry!;
        EntryLifecycle.RecordRiskNotice(e, Today.AddDays(-2), ServiceMethod.Personal, Now);
        Assert.Contains("未满18周岁", Publish(e).Refusal);
        Assert.Equal(EntryStatus.Draft, e.Status);
    }

    [Fact]
    public void Shielding_removes_the_entry_and_records_ground_and_event_date()
    {
        var e = Published();
        var t = EntryLifecycle.Shield(e, RemovalGround.Performed, Today.AddDays(-1), Now);
        Assert.Equal(EntryAction.Shielded, t.Event);
        Assert.Equal(EntryStatus.Shielded, e.Status);
        Assert.Equal(Today.AddDays(-1), e.TriggerEventDate);
        Assert.Equal(Now, e.RemovedAt);
        Assert.False(e.IsPublic(Today));
    }

    [Fact]
    public void Illegal_transitions_are_refused_with_the_current_state()
    {
        var draft = Draft();
        Assert.Equal("只有已发布的条目可以屏蔽，该条目状态为“草稿”", EntryLifecycle.Shield(draft, RemovalGround.Performed, Today, Now).Refusal);
        Assert.Equal("只有被错误屏蔽的条目可以重新发布，该条目状态为“草稿”", EntryLifecycle.Republish(draft, "误屏蔽", Now).Refusal);
        var published = Published();
        Assert.Equal("只有草稿可以发布，该条目状态为“已发布”", Publish(published).Refusal);
        Assert.Equal("事由发生日期不能晚于今天", EntryLifecycle.Shield(published, RemovalGround.Settled, Today.AddDays(1), Now).Refusal);
        Assert.Equal("纳入有误应撤销，而不是屏蔽", EntryLifecycle.Shield(published, RemovalGround.WronglyListed, Today, Now).Refusal);
        Assert.Equal(EntryStatus.Published, published.Status);
    }

    [Fact]
    public void Revocation_needs_a_reason_sets_revoked_at_and_is_announced_even_after_shielding()
    {
        var e = Published();
        Assert.Equal("撤销须写明理由", EntryLifecycle.Revoke(e, " ", null, Now).Refusal);
        EntryLifecycle.Shield(e, RemovalGround.Performed, Today, Now);
        var t = EntryLifecycle.Revoke(e, "复议认定纳入有误", null, Now);
        Assert.Equal(EntryAction.Revoked, t.Event);
        Assert.Equal(Now, e.RevokedAt);
        Assert.Equal("复议认定纳入有误", e.RemovalReason);
    }

    [Fact]
    public void A_wrong_shielding_is_undone_by_republication_with_a_reason()
    {
        var e = Published();
        EntryLifecycle.Shield(e, RemovalGround.Performed, Today, Now);
        var t = EntryLifecycle.Republish(e, "申请执行人否认已履行", Now);
        Assert.Equal(EntryAction.Republished, t.Event);
        Assert.True(e.IsPublic(Today));
        Assert.Null(e.RemovedAt);
    }

    [Fact]
    public void Expiry_happens_only_after_the_listing_end_date()
    {
        var e = Published();
        e.ListingEndsAt = Today;
        Assert.Equal("失信期限尚未届满", EntryLifecycle.Expire(e, Now).Refusal);
        Assert.True(e.IsPublic(Today)); // the last day is still inside the period
        Assert.Equal(EntryAction.Expired, EntryLifecycle.Expire(e, Now.AddDays(1)).Event);
        Assert.Equal(EntryStatus.Expired, e.Status);
    }

    [Fact]
    public void Marking_non_public_withdraws_a_public_entry_and_queues_the_employer_notice()
    {
        var e = Published();
        Assert.Equal("须填写所在单位，以便通知", EntryLifecycle.MarkNonPublic(e, "", Now).Refusal);
        var t = EntryLifecycle.MarkNonPublic(e, "某市某局", Now);
        Assert.Equal(EntryAction.Withdrawn, t.Event);
        Assert.False(e.IsPublic(Today));
        Assert.Null(e.EmployerNotifiedAt);
        var d = Draft();
        Assert.Null(EntryLifecycle.MarkNonPublic(d, "某市某局", Now).Event); // never public: nothing to announce
    }

    [Theory]
    [InlineData("2026-11-01", "2026-11-04")]
    [InlineData("2026-12-30", "2027-01-02")]
    public void The_removal_deadline_is_three_days_after_the_event(string eventDate, string due)
    {
        Assert.Equal(DateOnly.Parse(due), Deadlines.RemovalDue(DateOnly.Parse(eventDate)));
        Assert.Equal(0, Deadlines.DaysLate(DateOnly.Parse(due), DateOnly.Parse(due)));
        Assert.Equal(2, Deadlines.DaysLate(DateOnly.Parse(due), DateOnly.Parse(due).AddDays(2)));
    }
}
