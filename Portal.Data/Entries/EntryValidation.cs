using System.Globalization;
using Portal.Data.Courts;
using Portal.Data.Privacy;

namespace Portal.Data.Entries;

/// <summary>A problem with one field, in words a clerk can act on.</summary>
public sealed record FieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}：{Message}";
}

public sealed record EntryValidationResult(Entry? Entry, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Turns an <see cref="EntryInput"/> into an <see cref="Entry"/> or says exactly what is wrong.
/// All field rules of domain.md live here.
/// </summary>
public static class EntryValidation
{
    public const int MinimumAge = 18;
    private const int MaxNameLength = 100;
    private const int MaxTextLength = 20_000;

    /// <param name="courts">The court directory in force (the portal's, with administrators' changes); the shipped one when not given.</param>
    public static EntryValidationResult Validate(EntryInput input, IdNumberProtection protection, DateTime nowUtc, CourtDirectory? courts = null)
    {
        var errors = new List<FieldError>();
        void Error(string field, string message) => errors.Add(new FieldError(field, message));
        var today = ChinaTime.DateOf(nowUtc);
        var entry = new Entry { CreatedAt = nowUtc, UpdatedAt = nowUtc, PublicId = PublicIds.New() };

        if (CaseNumber.TryParse(input.CaseNumber, out var caseNumber, out var caseKey, out var caseError))
        {
            entry.CaseNumber = caseNumber;
            entry.CaseNumberKey = caseKey;
        }
        else Error("caseNumber", caseError!);

        var hasType = DomainLabels.TryParseSubjectType(input.SubjectType, out var subjectType);
        if (!hasType) Error("subjectType", "被执行人类型应为 person（自然人）或 organization（单位）");
        entry.SubjectType = subjectType;

        entry.Name = Text(input.Name);
        if (entry.Name.Length == 0) Error("name", subjectType == SubjectType.Organization ? "请填写单位名称" : "请填写姓名");
        else if (entry.Name.Length > MaxNameLength) Error("name", $"名称过长（最多{MaxNameLength}个字）");
        else if (entry.Name.Any(char.IsControl)) Error("name", "名称中含有控制字符");

        IdNumber? id = null;
        if (hasType && subjectType == SubjectType.Person)
        {
            if (IdNumber.TryParse(input.IdNumber, out var parsed, out var idError)) id = parsed;
            else Error("idNumber", idError!);
            if (!string.IsNullOrWhiteSpace(input.CreditCode)) Error("creditCode", "自然人不填写统一社会信用代码");
            if (!string.IsNullOrWhiteSpace(input.LegalRepresentative)) Error("legalRepresentative", "自然人不填写法定代表人");
            if (!string.IsNullOrWhiteSpace(input.LegalRepresentativeIdNumber)) Error("legalRepresentativeIdNumber", "自然人不填写法定代表人身份证号码");
            if (id is { } known)
            {
                entry.IdNumberCipher = protection.Encrypt(known);
                entry.IdNumberHash = protection.Hash(known);
                entry.IdNumberMasked = known.Mask();
                entry.Gender = known.Gender;
            }
            if (!string.IsNullOrWhiteSpace(input.Gender))
            {
                if (!DomainLabels.TryParseGender(input.Gender, out var gender)) Error("gender", "性别应为 male（男）或 female（女）");
                else if (id is { } withId && withId.Gender != gender) Error("gender", $"性别与身份证号码不一致：身份证号码显示为{withId.Gender.Label()}");
                else entry.Gender = gender;
            }
        }
        else if (hasType)
        {
            if (CreditCode.TryParse(input.CreditCode, out var code, out var codeError)) entry.CreditCode = code;
            else Error("creditCode", codeError!);
            if (!string.IsNullOrWhiteSpace(input.IdNumber)) Error("idNumber", "单位被执行人不填写身份证号码");
            if (!string.IsNullOrWhiteSpace(input.Gender)) Error("gender", "单位被执行人不填写性别");
            entry.LegalRepresentative = Text(input.LegalRepresentative);
            if (entry.LegalRepresentative.Length == 0) Error("legalRepresentative", "请填写法定代表人或负责人姓名");
            if (!string.IsNullOrWhiteSpace(input.LegalRepresentativeIdNumber))
            {
                if (IdNumber.TryParse(input.LegalRepresentativeIdNumber, out var representative, out var representativeError))
                {
                    entry.LegalRepresentativeIdCipher = protection.Encrypt(representative);
                    entry.LegalRepresentativeIdHash = protection.Hash(representative);
                    entry.LegalRepresentativeIdFamily = representative.Family;
                }
                else Error("legalRepresentativeIdNumber", "法定代表人身份证号码：" + representativeError);
            }
        }

        courts ??= CourtDirectory.Shipped;
        entry.Court = Text(input.Court);
        var courtCode = CaseNumber.CourtCode(entry.CaseNumberKey);
        entry.CourtCode = courtCode is null ? "" : courts.ByCode(courtCode)?.Code ?? CourtDirectory.CanonicalCode(courtCode);
        if (entry.Court.Length == 0) Error("court", "请填写执行法院");
        else if (courts.Disagreement(entry.Court, courtCode) is { } disagreement) Error("court", disagreement);
        var province = Text(input.Province);
        if (province.Length > 0)
        {
            if (CourtDirectory.ProvinceOf(province) is { } stored) entry.Province = stored;
            else Error("province", CourtDirectory.NotOnTheList(province) ?? $"省份“{input.Province}”不是有效的省级行政区名称，如“河南”或“河南省”");
        }
        else if (entry.Court.Length > 0)
        {
            var derived = courts.DeriveProvince(entry.Court, entry.CaseNumberKey);
            if (derived is null) Error("province", "无法从执行法院推断省份，请填写 province");
            else entry.Province = derived;
        }

        entry.BasisDocumentNumber = Required(input.BasisDocumentNumber, "basisDocumentNumber", "请填写执行依据文号");
        entry.BasisIssuer = Required(input.BasisIssuer, "basisIssuer", "请填写作出执行依据单位");
        entry.Obligation = Required(input.Obligation, "obligation", "请填写生效法律文书确定的义务");

        if (DomainLabels.TryParsePerformanceStatus(input.PerformanceStatus, out var performance)) entry.PerformanceStatus = performance;
        else Error("performanceStatus", "履行情况应为 unperformed（全部未履行）、partial（部分履行）或 performed（全部履行）");

        foreach (var code in input.Circumstances ?? [])
        {
            if (DomainLabels.TryParseCircumstance(code, out var flag)) entry.Circumstances |= flag;
            else Error("circumstances", $"未知的失信情形“{code}”，应为 refuses、obstructs、evades、asset-report、consumption-order 或 settlement");
        }
        if ((input.Circumstances ?? []).Count == 0) Error("circumstances", "请至少选择一种失信被执行人具体情形");

        (entry.PerformedAmount, entry.PerformedText) = Part(input.PerformedPart, "performedPart", "已履行部分");
        (entry.UnperformedAmount, entry.UnperformedText) = Part(input.UnperformedPart, "unperformedPart", "未履行部分");
        if (entry.PerformanceStatus == PerformanceStatus.Unperformed && entry.PerformedAmount > 0)
            Error("performedPart", "履行情况为“全部未履行”时，已履行金额应为0");
        if (entry.PerformanceStatus == PerformanceStatus.Performed && entry.UnperformedAmount > 0)
            Error("unperformedPart", "履行情况为“全部履行”时，未履行金额应为0");

        var status = EntryStatus.Published;
        if (!string.IsNullOrWhiteSpace(input.Status) && !DomainLabels.TryParseStatus(input.Status, out status))
            Error("status", "状态应为 draft、published、shielded、revoked 或 expired");
        entry.Status = status;
        entry.NonPublic = input.NonPublic ?? false;
        entry.EmployerUnit = NullIfEmpty(input.EmployerUnit);
        if (entry.NonPublic && entry.EmployerUnit is null)
            Error("employerUnit", "依法不宜公开的被执行人须填写所在单位，以便法院通知");

        var filed = Date(input.FiledAt, "filedAt", "立案时间");
        if (filed is { } f)
        {
            entry.FiledAt = f;
            if (f > today) Error("filedAt", $"立案时间不能晚于今天（{today:yyyy-MM-dd}）");
        }
        else if (string.IsNullOrWhiteSpace(input.FiledAt)) Error("filedAt", "请填写立案时间");

        entry.PublishedAt = Moment(input.PublishedAt, "publishedAt", "发布时间");
        if (entry.PublishedAt is null && status != EntryStatus.Draft && string.IsNullOrWhiteSpace(input.PublishedAt))
            entry.PublishedAt = nowUtc;
        if (status == EntryStatus.Draft && entry.PublishedAt is not null)
            Error("publishedAt", "草稿尚未发布，不应填写发布时间");
        entry.RevokedAt = Moment(input.RevokedAt, "revokedAt", "撤销时间");
        if (status == EntryStatus.Revoked && entry.RevokedAt is null && string.IsNullOrWhiteSpace(input.RevokedAt))
            Error("revokedAt", "状态为已撤销（revoked）时须填写撤销时间");
        if (status != EntryStatus.Revoked && entry.RevokedAt is not null)
            Error("revokedAt", "只有已撤销的条目才有撤销时间");
        entry.ListingEndsAt = Date(input.ListingEndsAt, "listingEndsAt", "失信期限届满日期");
        var shieldedAt = Moment(input.ShieldedAt, "shieldedAt", "屏蔽时间");
        if (status != EntryStatus.Shielded && shieldedAt is not null) Error("shieldedAt", "只有已屏蔽的条目才有屏蔽时间");

        var publishedDay = entry.PublishedAt is { } p ? ChinaTime.DateOf(p) : (DateOnly?)null;

        // The risk notice served before listing, as a court's list records it; both the day and the way, or neither.
        if (!string.IsNullOrWhiteSpace(input.RiskNoticeServedOn) || !string.IsNullOrWhiteSpace(input.RiskNoticeMethod))
        {
            var served = Date(input.RiskNoticeServedOn, "riskNoticeServedOn", "风险提示送达日期");
            if (served is null && string.IsNullOrWhiteSpace(input.RiskNoticeServedOn)) Error("riskNoticeServedOn", "请同时填写风险提示送达日期");
            if (!DomainLabels.TryParseServiceMethod(input.RiskNoticeMethod, out var method))
                Error("riskNoticeMethod", "风险提示送达方式应为 personal（直接送达）、left（留置送达）、electronic（电子送达）或 mail（邮寄送达）");
            else if (served is { } day)
            {
                if (day > (publishedDay ?? today)) Error("riskNoticeServedOn", "风险提示应在发布前送达");
                (entry.RiskNoticeServedOn, entry.RiskNoticeMethod, entry.RiskNoticeAt) = (day, method, nowUtc);
            }
        }

        // A list's removed entries came off the public list at their removal: a revocation at its time, an expiry the day after the period ended.
        if (status == EntryStatus.Revoked) entry.RemovedAt = entry.RevokedAt;
        if (status == EntryStatus.Shielded && shieldedAt is { } shielded)
        {
            entry.RemovedAt = shielded;
            if (shielded > nowUtc.AddMinutes(5)) Error("shieldedAt", "屏蔽时间不能晚于现在");
            if (entry.PublishedAt is { } published && shielded < published) Error("shieldedAt", "屏蔽时间不能早于发布时间");
        }
        if (status == EntryStatus.Expired && entry.ListingEndsAt is { } ended) entry.RemovedAt = ChinaTime.StartOf(ended.AddDays(1));
        if (filed is { } fd && publishedDay < fd) Error("publishedAt", "发布时间不能早于立案时间");
        if (entry.PublishedAt is { } pa && pa > nowUtc.AddMinutes(5)) Error("publishedAt", "发布时间不能晚于现在");
        if (entry.RevokedAt is { } ra && entry.PublishedAt is { } pb && ra < pb) Error("revokedAt", "撤销时间不能早于发布时间");
        if (entry.ListingEndsAt is { } le && (publishedDay ?? filed) is { } start && le <= start)
            Error("listingEndsAt", "失信期限届满日期应晚于发布日期");

        // A person under 18 on the listing date is never listed.
        if (id?.BirthDate is { } birth && status != EntryStatus.Draft)
        {
            var listingDay = publishedDay ?? today;
            var age = IdNumber.AgeBetween(birth, listingDay);
            if (age < MinimumAge)
                Error("idNumber", $"被执行人在发布日（{listingDay:yyyy-MM-dd}）未满{MinimumAge}周岁（{age}岁），依法不得纳入失信被执行人名单");
        }

        return new EntryValidationResult(errors.Count == 0 ? entry : null, errors);

        string Required(string? value, string field, string message)
        {
            var t = Text(value);
            if (t.Length == 0) Error(field, message);
            else if (t.Length > MaxTextLength) Error(field, $"内容过长（最多{MaxTextLength}字）");
            return t;
        }

        (decimal?, string?) Part(PartInput? part, string field, string label)
        {
            if (part is null) return (null, null);
            if (part.Amount < 0) Error(field, $"{label}金额不能为负数");
            if (part.Amount > 1_000_000_000_000m) Error(field, $"{label}金额超出合理范围");
            return (part.Amount is { } a ? decimal.Round(a, 2) : null, NullIfEmpty(part.Text));
        }

        DateOnly? Date(string? value, string field, string label)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
            if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var dto))
                return ChinaTime.DateOf(dto.UtcDateTime);
            Error(field, $"{label}“{value}”不是有效日期，应为 YYYY-MM-DD");
            return null;
        }

        DateTime? Moment(string? value, string field, string label)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            var v = value.Trim();
            if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                return ChinaTime.StartOf(d);
            if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto))
                return dto.UtcDateTime;
            Error(field, $"{label}“{value}”不是有效时间，应为 YYYY-MM-DD 或 ISO 8601");
            return null;
        }
    }

    private static string Text(string? value) => (value ?? "").Trim();

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
