using System.Text.Json.Serialization;

namespace Portal.Data.Entries;

/// <summary>One listing of a dishonest judgment debtor, as a court records it.</summary>
public sealed class Entry
{
    public long Id { get; set; }

    /// <summary>Random, meaningless public identifier used in URLs and the API.</summary>
    public string PublicId { get; set; } = "";

    /// <summary>Canonical form: （2019）豫0311执1234号.</summary>
    public string CaseNumber { get; set; } = "";

    /// <summary>Bracket-, width- and 号-insensitive key: 2019豫0311执1234.</summary>
    public string CaseNumberKey { get; set; } = "";

    public SubjectType SubjectType { get; set; }
    public string Name { get; set; } = "";

    /// <summary>The full ID number, encrypted; never leaves the server.</summary>
    public string? IdNumberCipher { get; set; }

    /// <summary>Keyed hash (HMAC-SHA256) of the canonical 18-digit ID, for exact lookup.</summary>
    public string? IdNumberHash { get; set; }

    /// <summary>
    /// What the public sees. Nothing else that completes it is stored in clear: the birth date is only in the cipher
    /// (<see cref="Privacy.IdNumberProtection.BirthDateOf"/>), and the public age comes from the visible birth year.
    /// </summary>
    public string? IdNumberMasked { get; set; }
    public Gender? Gender { get; set; }

    public string? CreditCode { get; set; }
    public string? LegalRepresentative { get; set; }

    /// <summary>
    /// The legal representative's ID number, when the court recorded it: never public, kept like a debtor's (encrypted,
    /// and a keyed hash so that a bank with a key can match the representative exactly).
    /// </summary>
    public string? LegalRepresentativeIdCipher { get; set; }
    public string? LegalRepresentativeIdHash { get; set; }

    /// <summary>
    /// The visible digits of the representative's number (<see cref="IdNumber.Family"/>), in the index only, so that the
    /// exact-lookup guard counts guesses at a representative's number as it does at a debtor's.
    /// </summary>
    public string? LegalRepresentativeIdFamily { get; set; }

    public string Court { get; set; } = "";

    /// <summary>
    /// The code of the court the entry belongs to today (<see cref="Courts.CourtDirectory"/>): the case number's court
    /// code, a former code read as the court it became. Each court's staff see and act on their courts' entries by it.
    /// </summary>
    public string CourtCode { get; set; } = "";

    public string Province { get; set; } = "";
    public string BasisDocumentNumber { get; set; } = "";
    public string BasisIssuer { get; set; } = "";
    public string Obligation { get; set; } = "";
    public PerformanceStatus PerformanceStatus { get; set; }
    public Circumstances Circumstances { get; set; }

    public decimal? PerformedAmount { get; set; }
    public string? PerformedText { get; set; }
    public decimal? UnperformedAmount { get; set; }
    public string? UnperformedText { get; set; }

    public DateOnly FiledAt { get; set; }
    public DateTime? PublishedAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    public DateOnly? ListingEndsAt { get; set; }

    public EntryStatus Status { get; set; }
    public bool NonPublic { get; set; }
    public string? EmployerUnit { get; set; }

    /// <summary>When the clerk recorded that the risk notice (风险提示) was served; required before publication.</summary>
    public DateTime? RiskNoticeAt { get; set; }

    /// <summary>The day the risk notice was served on the debtor (送达日期), as the service record says, not the click.</summary>
    public DateOnly? RiskNoticeServedOn { get; set; }

    /// <summary>How it was served (送达方式).</summary>
    public ServiceMethod? RiskNoticeMethod { get; set; }

    /// <summary>The event that obliges the court to shield or revoke (e.g. full performance), and its date.</summary>
    public RemovalGround? RemovalGround { get; set; }
    public DateOnly? TriggerEventDate { get; set; }
    public string? RemovalReason { get; set; }

    /// <summary>When the entry left the public list (shielded, revoked, expired or withdrawn as non-public).</summary>
    public DateTime? RemovedAt { get; set; }

    /// <summary>For nonPublic entries: whether the employer unit has been notified.</summary>
    public DateTime? EmployerNotifiedAt { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public enum SubjectType
{
    [JsonStringEnumMemberName("person")] Person,
    [JsonStringEnumMemberName("organization")] Organization,
}

public enum Gender
{
    [JsonStringEnumMemberName("male")] Male,
    [JsonStringEnumMemberName("female")] Female,
}

public enum PerformanceStatus
{
    [JsonStringEnumMemberName("unperformed")] Unperformed,
    [JsonStringEnumMemberName("partial")] Partial,
    [JsonStringEnumMemberName("performed")] Performed,
}

public enum EntryStatus
{
    [JsonStringEnumMemberName("draft")] Draft,
    [JsonStringEnumMemberName("published")] Published,
    [JsonStringEnumMemberName("shielded")] Shielded,
    [JsonStringEnumMemberName("revoked")] Revoked,
    [JsonStringEnumMemberName("expired")] Expired,
}

/// <summary>How a court document is served (送达方式, Civil Procedure Law ch. 7).</summary>
public enum ServiceMethod
{
    [JsonStringEnumMemberName("personal")] Personal,
    [JsonStringEnumMemberName("left")] Left,
    [JsonStringEnumMemberName("electronic")] Electronic,
    [JsonStringEnumMemberName("mail")] Mail,
    [JsonStringEnumMemberName("public-notice")] PublicNotice,
}

/// <summary>Why an entry is shielded (屏蔽) or revoked (撤销).</summary>
public enum RemovalGround
{
    [JsonStringEnumMemberName("performed")] Performed,
    [JsonStringEnumMemberName("settled")] Settled,
    [JsonStringEnumMemberName("terminated")] Terminated,
    [JsonStringEnumMemberName("wrongly-listed")] WronglyListed,
}

/// <summary>The six situations of 失信 (domain.md), as flags because an entry may carry several.</summary>
[Flags]
public enum Circumstances
{
    None = 0,
    Refuses = 1,
    Obstructs = 2,
    Evades = 4,
    AssetReport = 8,
    ConsumptionOrder = 16,
    Settlement = 32,
}
