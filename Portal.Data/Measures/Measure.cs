using System.Text.Json.Serialization;

namespace Portal.Data.Measures;

/// <summary>
/// One kind of joint-punishment measure (联合惩戒措施) from the catalogue: what a unit may report having applied. Shipped
/// as data (<c>Measures/Catalogue/measures.tsv</c>) and kept in the database, where administrators add, rename and retire kinds.
/// </summary>
public sealed class MeasureKind
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The policy document and section it comes from.</summary>
    public string LegalBasis { get; set; } = "";

    /// <summary>Codes of <see cref="MeasureSubjects"/>, comma-separated: whom it may be applied to.</summary>
    public string Subjects { get; set; } = "";

    /// <summary>A retired kind takes no new measures; measures already recorded keep it.</summary>
    public DateOnly? RetiredOn { get; set; }

    public DateTime ChangedAt { get; set; }
    public string ChangedBy { get; set; } = "";

    public IReadOnlyList<string> SubjectList => Subjects.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Whom a measure reaches: the listed debtor (a person or an organization), or, for an organization, the people the
/// seeds name beside it (法定代表人、主要负责人、实际控制人、影响债务履行的直接责任人员).
/// </summary>
public static class MeasureSubjects
{
    public const string Person = "debtor-person", Organization = "debtor-organization", LegalRepresentative = "legal-representative",
        Principal = "principal", Controller = "controller", ResponsiblePerson = "responsible-person";

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Person] = "自然人被执行人", [Organization] = "单位被执行人", [LegalRepresentative] = "法定代表人",
        [Principal] = "主要负责人", [Controller] = "实际控制人", [ResponsiblePerson] = "影响债务履行的直接责任人员",
    };

    /// <summary>The subjects an entry of this type can have: a person is only themself; an organization also has its people.</summary>
    public static bool FitsEntry(string subject, Entries.SubjectType type) =>
        type == Entries.SubjectType.Person ? subject == Person : subject != Person;

    public static string DebtorOf(Entries.SubjectType type) => type == Entries.SubjectType.Person ? Person : Organization;
}

/// <summary>Where a recorded measure stands.</summary>
public enum MeasureStatus
{
    /// <summary>Applied and in force.</summary>
    [JsonStringEnumMemberName("active")] Active,

    /// <summary>The subject objected; not applied while the court verifies the information (seed 004).</summary>
    [JsonStringEnumMemberName("suspended")] Suspended,

    /// <summary>The entry left the list (or the objection was accepted): a lift notice is open.</summary>
    [JsonStringEnumMemberName("lifting")] Lifting,

    /// <summary>The unit confirmed it lifted the measure.</summary>
    [JsonStringEnumMemberName("lifted")] Lifted,

    /// <summary>The unit withdrew its report (recorded in error, or ended by itself).</summary>
    [JsonStringEnumMemberName("withdrawn")] Withdrawn,
}

/// <summary>
/// A measure a unit reported having applied to a listed entry. The unit's own reference is for the unit alone: never
/// public, never in the statistics.
/// </summary>
public sealed class Measure
{
    public long Id { get; set; }
    public long ClientId { get; set; }
    public long EntryId { get; set; }
    public string PublicId { get; set; } = "";
    public string CaseNumber { get; set; } = "";

    /// <summary>The listing court (its code for the court view, its name for people).</summary>
    public string CourtCode { get; set; } = "";
    public string Court { get; set; } = "";

    public string MeasureCode { get; set; } = "";
    public string Subject { get; set; } = "";
    public DateOnly AppliedOn { get; set; }
    public string? Reference { get; set; }
    public MeasureStatus Status { get; set; }
    public DateTime RecordedAt { get; set; }
    public DateTime? WithdrawnAt { get; set; }

    /// <summary>The correction (an application in the court's queue) the subject's objection opened, while it is decided.</summary>
    public long? ObjectionId { get; set; }
    public DateTime? SuspendedAt { get; set; }

    /// <summary>Whether a removal of its entry must lift it: applied, or suspended while an objection is verified.</summary>
    public bool InForce => Status is MeasureStatus.Active or MeasureStatus.Suspended;
}

/// <summary>Why a measure must be lifted: its entry's removal, or the court's acceptance of the subject's objection.</summary>
public enum LiftCause
{
    [JsonStringEnumMemberName("shielded")] Shielded,
    [JsonStringEnumMemberName("revoked")] Revoked,
    [JsonStringEnumMemberName("expired")] Expired,
    [JsonStringEnumMemberName("withdrawn")] Withdrawn,
    [JsonStringEnumMemberName("objection_accepted")] ObjectionAccepted,
}

[JsonConverter(typeof(JsonStringEnumConverter<LiftStatus>))]
public enum LiftStatus
{
    [JsonStringEnumMemberName("open")] Open,
    [JsonStringEnumMemberName("lifted")] Lifted,
    [JsonStringEnumMemberName("late")] Late,
    [JsonStringEnumMemberName("overdue")] Overdue,
}

/// <summary>A unit's duty to lift one measure by <see cref="DueOn"/> (惩戒措施解除), and its confirmation.</summary>
public sealed class MeasureLift
{
    public long Id { get; set; }
    public long MeasureId { get; set; }
    public long ClientId { get; set; }
    public long EntryId { get; set; }
    public string PublicId { get; set; } = "";
    public string CaseNumber { get; set; } = "";
    public string CourtCode { get; set; } = "";
    public string Court { get; set; } = "";
    public string MeasureCode { get; set; } = "";
    public LiftCause Cause { get; set; }

    /// <summary>When the removal (or the decision) was committed: the lift period starts the next day.</summary>
    public DateTime NoticeAt { get; set; }
    public DateOnly DueOn { get; set; }
    public bool DueProvisional { get; set; }

    /// <summary>The day the unit says it lifted the measure, and when it said so.</summary>
    public DateOnly? LiftedOn { get; set; }
    public DateTime? AcknowledgedAt { get; set; }

    /// <summary>Lifted on or before the due day counts as on time; unconfirmed after it is overdue.</summary>
    public LiftStatus StatusOn(DateOnly today) => LiftedOn is { } lifted
        ? lifted <= DueOn ? LiftStatus.Lifted : LiftStatus.Late
        : today > DueOn ? LiftStatus.Overdue : LiftStatus.Open;
}

/// <summary>What a unit's measure feed carries: a lift notice, or a suspended measure resuming after the court upheld the listing.</summary>
public enum MeasureEventType
{
    [JsonStringEnumMemberName("lift")] Lift,
    [JsonStringEnumMemberName("resumed")] Resumed,
}

/// <summary>One event in one unit's measure feed (<see cref="Id"/> is its cursor); written in the transaction of its cause.</summary>
public sealed class MeasureEvent
{
    public long Id { get; set; }
    public long ClientId { get; set; }
    public long MeasureId { get; set; }
    public long? LiftId { get; set; }
    public MeasureEventType Type { get; set; }
    public DateTime At { get; set; }
    public string? Note { get; set; }
}

/// <summary>The categories of joint-punishment units (domain.md, "Who uses it"), for the statistics per category.</summary>
public static class UnitCategories
{
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["finance"] = "金融监管与金融机构", ["procurement"] = "招标投标与政府采购", ["land-housing"] = "国土与住房城乡建设",
        ["transport"] = "交通出行", ["travel"] = "旅游与消费", ["market"] = "市场监管与行业准入", ["education"] = "教育",
        ["civil-service"] = "公务员招录与国有企业任职", ["civilization"] = "文明创建与评优评先", ["other"] = "其他",
    };

    public static string Label(string? code) => code is not null && Labels.TryGetValue(code, out var label) ? label : "未登记类别";
}

public static class MeasureLabels
{
    public static string Label(this MeasureStatus s) => s switch
    {
        MeasureStatus.Active => "实施中",
        MeasureStatus.Suspended => "异议核实中，暂不执行",
        MeasureStatus.Lifting => "待解除",
        MeasureStatus.Lifted => "已解除",
        _ => "已撤回",
    };

    public static string Label(this LiftCause c) => c switch
    {
        LiftCause.Shielded => "条目已屏蔽",
        LiftCause.Revoked => "条目已撤销",
        LiftCause.Expired => "失信期限届满",
        LiftCause.Withdrawn => "依法不宜公开",
        _ => "异议经法院核实成立",
    };

    public static string Label(this LiftStatus s) => s switch
    {
        LiftStatus.Open => "待解除",
        LiftStatus.Lifted => "按期解除",
        LiftStatus.Late => "逾期解除",
        _ => "已逾期未解除",
    };

    public static string Code(this MeasureStatus s) => s.ToString().ToLowerInvariant();

    public static LiftCause? CauseOf(Lifecycle.EntryAction action) => action switch
    {
        Lifecycle.EntryAction.Shielded => LiftCause.Shielded,
        Lifecycle.EntryAction.Revoked => LiftCause.Revoked,
        Lifecycle.EntryAction.Expired => LiftCause.Expired,
        Lifecycle.EntryAction.Withdrawn => LiftCause.Withdrawn,
        _ => null,
    };
}
