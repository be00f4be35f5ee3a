using Portal.Data.Entries;

namespace Portal.Data.Lifecycle;

/// <summary>The outcome of one lifecycle step: the public event it causes (if any), or why it is refused.</summary>
public sealed record Transition(EntryAction? Event, string? Refusal)
{
    public bool Refused => Refusal is not null;
    public static Transition Refuse(string reason) => new(null, reason);
    public static Transition To(EntryAction? action) => new(action, null);
}

/// <summary>
/// The life of an entry (domain.md): draft → risk notice → published; published → shielded / revoked / expired;
/// shielded → re-published when the shielding was wrong; any → non-public. Each method changes the entry only
/// when it returns a transition that is not refused.
/// </summary>
public static class EntryLifecycle
{
    /// <summary>Records that the risk notice was served, on which day and how (the service record's facts, not the click).</summary>
    public static Transition RecordRiskNotice(Entry e, DateOnly servedOn, ServiceMethod method, DateTime nowUtc)
    {
        if (e.Status != EntryStatus.Draft) return Transition.Refuse($"只有草稿可以登记风险提示，该条目状态为“{e.Status.Label()}”");
        if (servedOn > ChinaTime.DateOf(nowUtc)) return Transition.Refuse("送达日期不能晚于今天");
        if (servedOn < e.FiledAt) return Transition.Refuse($"送达日期不能早于立案时间（{e.FiledAt:yyyy-MM-dd}）");
        e.RiskNoticeAt = nowUtc;
        e.RiskNoticeServedOn = servedOn;
        e.RiskNoticeMethod = method;
        return Transition.To(null);
    }

    /// <summary>Publishes a draft; <paramref name="birthDate"/> is the person's, read from the encrypted ID number.</summary>
    public static Transition Publish(Entry e, DateTime nowUtc, DateOnly? birthDate)
    {
        if (e.Status != EntryStatus.Draft) return Transition.Refuse($"只有草稿可以发布，该条目状态为“{e.Status.Label()}”");
        if (e.RiskNoticeAt is null) return Transition.Refuse("发布前须登记已向被执行人发送风险提示");
        var today = ChinaTime.DateOf(nowUtc);
        if (birthDate is { } birth && IdNumber.AgeBetween(birth, today) < EntryValidation.MinimumAge)
            return Transition.Refuse($"被执行人在发布日未满{EntryValidation.MinimumAge}周岁，依法不得纳入失信被执行人名单");
        if (e.ListingEndsAt is { } end && end <= today) return Transition.Refuse("失信期限届满日期已过，不能发布");
        e.Status = EntryStatus.Published;
        e.PublishedAt = nowUtc;
        return Transition.To(e.NonPublic ? null : EntryAction.Published);
    }

    /// <summary>Records the event that obliges the court to shield (full performance etc.); the 3-day clock starts.</summary>
    public static Transition RecordRemovalEvent(Entry e, RemovalGround ground, DateOnly eventDate, DateTime nowUtc)
    {
        if (e.Status != EntryStatus.Published) return Transition.Refuse($"只有已发布的条目需要登记屏蔽事由，该条目状态为“{e.Status.Label()}”");
        if (CheckEventDate(e, eventDate, nowUtc) is { } refusal) return Transition.Refuse(refusal);
        e.RemovalGround = ground;
        e.TriggerEventDate = eventDate;
        return Transition.To(null);
    }

    public static Transition Shield(Entry e, RemovalGround ground, DateOnly eventDate, DateTime nowUtc)
    {
        if (ground == RemovalGround.WronglyListed) return Transition.Refuse("纳入有误应撤销，而不是屏蔽");
        if (e.Status != EntryStatus.Published) return Transition.Refuse($"只有已发布的条目可以屏蔽，该条目状态为“{e.Status.Label()}”");
        if (CheckEventDate(e, eventDate, nowUtc) is { } refusal) return Transition.Refuse(refusal);
        var wasPublic = e.IsPublic(ChinaTime.DateOf(nowUtc));
        e.Status = EntryStatus.Shielded;
        e.RemovalGround = ground;
        e.TriggerEventDate = eventDate;
        e.RemovedAt = nowUtc;
        return Transition.To(wasPublic ? EntryAction.Shielded : null);
    }

    public static Transition Revoke(Entry e, string reason, DateOnly? eventDate, DateTime nowUtc)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Transition.Refuse("撤销须写明理由");
        if (e.Status is not (EntryStatus.Published or EntryStatus.Shielded))
            return Transition.Refuse($"只有已发布或已屏蔽的条目可以撤销，该条目状态为“{e.Status.Label()}”");
        var day = eventDate ?? ChinaTime.DateOf(nowUtc);
        if (CheckEventDate(e, day, nowUtc) is { } refusal) return Transition.Refuse(refusal);
        e.Status = EntryStatus.Revoked;
        e.RemovalGround = RemovalGround.WronglyListed;
        e.RemovalReason = reason.Trim();
        e.TriggerEventDate = day;
        e.RevokedAt = nowUtc;
        e.RemovedAt = nowUtc;
        // A revocation is announced even after a shielding: the notice carries the revocation time.
        return Transition.To(e.NonPublic ? null : EntryAction.Revoked);
    }

    public static Transition Expire(Entry e, DateTime nowUtc)
    {
        var today = ChinaTime.DateOf(nowUtc);
        if (e.Status != EntryStatus.Published) return Transition.Refuse($"只有已发布的条目会届满，该条目状态为“{e.Status.Label()}”");
        if (e.ListingEndsAt is not { } end || end >= today) return Transition.Refuse("失信期限尚未届满");
        e.Status = EntryStatus.Expired;
        e.RemovedAt = nowUtc;
        return Transition.To(e.NonPublic ? null : EntryAction.Expired);
    }

    /// <summary>Undoes a wrong shielding: the entry is public again.</summary>
    public static Transition Republish(Entry e, string reason, DateTime nowUtc)
    {
        if (string.IsNullOrWhiteSpace(reason)) return Transition.Refuse("重新发布须写明理由");
        if (e.Status != EntryStatus.Shielded) return Transition.Refuse($"只有被错误屏蔽的条目可以重新发布，该条目状态为“{e.Status.Label()}”");
        if (e.ListingEndsAt is { } end && end < ChinaTime.DateOf(nowUtc)) return Transition.Refuse("失信期限已届满，不能重新发布");
        e.Status = EntryStatus.Published;
        e.RemovalGround = null;
        e.TriggerEventDate = null;
        e.RemovedAt = null;
        e.RemovalReason = reason.Trim();
        return Transition.To(e.NonPublic ? null : EntryAction.Republished);
    }

    /// <summary>依法不宜公开: the entry leaves every public surface; the employer unit is to be notified instead.</summary>
    public static Transition MarkNonPublic(Entry e, string employerUnit, DateTime nowUtc)
    {
        if (string.IsNullOrWhiteSpace(employerUnit)) return Transition.Refuse("须填写所在单位，以便通知");
        if (e.NonPublic) return Transition.Refuse("该条目已标记为依法不宜公开");
        var wasPublic = e.IsPublic(ChinaTime.DateOf(nowUtc));
        e.NonPublic = true;
        e.EmployerUnit = employerUnit.Trim();
        e.EmployerNotifiedAt = null;
        if (wasPublic) e.RemovedAt = nowUtc;
        return Transition.To(wasPublic ? EntryAction.Withdrawn : null);
    }

    /// <summary>
    /// Replaces an entry's descriptive fields with those of <paramref name="edited"/> (already validated); the
    /// lifecycle fields stay. Drafts and published entries only; a public change is announced as an update.
    /// </summary>
    public static Transition Edit(Entry e, Entry edited, DateTime nowUtc)
    {
        if (e.Status is not (EntryStatus.Draft or EntryStatus.Published))
            return Transition.Refuse($"只能修改草稿或已发布的条目，该条目状态为“{e.Status.Label()}”");
        if (e.SubjectType != edited.SubjectType) return Transition.Refuse("不能改变被执行人类型");
        var today = ChinaTime.DateOf(nowUtc);
        var wasPublic = e.IsPublic(today);
        e.CaseNumber = edited.CaseNumber;
        e.CaseNumberKey = edited.CaseNumberKey;
        e.Name = edited.Name;
        if (edited.IdNumberHash != e.IdNumberHash)
        {
            e.IdNumberCipher = edited.IdNumberCipher;
            e.IdNumberHash = edited.IdNumberHash;
            e.IdNumberMasked = edited.IdNumberMasked;
        }
        e.Gender = edited.Gender;
        e.CreditCode = edited.CreditCode;
        e.LegalRepresentative = edited.LegalRepresentative;
        (e.LegalRepresentativeIdCipher, e.LegalRepresentativeIdHash, e.LegalRepresentativeIdFamily) =
            (edited.LegalRepresentativeIdCipher, edited.LegalRepresentativeIdHash, edited.LegalRepresentativeIdFamily);
        e.Court = edited.Court;
        e.CourtCode = edited.CourtCode;
        e.Province = edited.Province;
        e.BasisDocumentNumber = edited.BasisDocumentNumber;
        e.BasisIssuer = edited.BasisIssuer;
        e.Obligation = edited.Obligation;
        e.PerformanceStatus = edited.PerformanceStatus;
        e.Circumstances = edited.Circumstances;
        e.PerformedAmount = edited.PerformedAmount;
        e.PerformedText = edited.PerformedText;
        e.UnperformedAmount = edited.UnperformedAmount;
        e.UnperformedText = edited.UnperformedText;
        e.FiledAt = edited.FiledAt;
        e.ListingEndsAt = edited.ListingEndsAt;
        // A listing period corrected to one that has ended removes the entry now, with its removal event, as expiry does:
        // no node may keep showing it until the next expiry run.
        if (e.Status == EntryStatus.Published && e.ListingEndsAt < today)
        {
            var expired = Expire(e, nowUtc);
            return Transition.To(wasPublic ? expired.Event : null);
        }
        return Transition.To(e.IsPublic(today) ? EntryAction.Updated : null);
    }

    private static string? CheckEventDate(Entry e, DateOnly eventDate, DateTime nowUtc)
    {
        if (eventDate > ChinaTime.DateOf(nowUtc)) return "事由发生日期不能晚于今天";
        if (e.PublishedAt is { } published && eventDate < ChinaTime.DateOf(published).AddYears(-30)) return "事由发生日期不合理";
        return null;
    }
}
