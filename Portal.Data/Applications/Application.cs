namespace Portal.Data.Applications;

/// <summary>What a person asks of the court online (domain.md, "Deadlines" and "Other duties").</summary>
public enum ApplicationKind { Correction, Reconsideration, CreditRepair, Complaint }

/// <summary>Received until decided; a correction or reconsideration is accepted or refused, credit repair granted (accepted) or refused, a complaint answered.</summary>
public enum ApplicationStatus { Received, Accepted, Refused, Answered }

public enum ContactChannel { Phone, Email }

/// <summary>
/// One application: a correction (申请纠正), a reconsideration (复议), credit repair (信用修复) or a complaint (投诉举报).
/// The applicant's identity number is checked against the entry and never stored; the contact is stored encrypted; the
/// tracking code only as a hash (it is the applicant's key to <c>/track</c>).
/// </summary>
public sealed class Application
{
    public long Id { get; set; }
    public ApplicationKind Kind { get; set; }
    public ApplicationStatus Status { get; set; }

    /// <summary>SHA-256 of the tracking code.</summary>
    public string TrackingHash { get; set; } = "";

    /// <summary>The same form or request sent again (double click, back button, a client's retry) finds this application.</summary>
    public string SubmissionHash { get; set; } = "";

    public long? EntryId { get; set; }
    public string? CaseNumber { get; set; }

    /// <summary>The listing court's code (豫0311): its queue, or for a reconsideration the queue of the court above it.</summary>
    public string CourtCode { get; set; } = "";
    public string Court { get; set; } = "";

    /// <summary>A reconsideration: the refused correction it is about.</summary>
    public long? ParentId { get; set; }

    /// <summary>Codes of <see cref="ApplicationGrounds"/>, comma-separated.</summary>
    public string Grounds { get; set; } = "";
    public string Text { get; set; } = "";

    /// <summary>Keyed hash of the identity number the applicant proved (ID number or credit code): a reconsideration is filed by the same person.</summary>
    public string? IdentityHash { get; set; }

    public ContactChannel ContactChannel { get; set; }
    public string ContactCipher { get; set; } = "";
    public string ContactMasked { get; set; } = "";

    /// <summary>Keyed hash of the sender's address (per-address limits across nodes), never the address.</summary>
    public string AddressHash { get; set; } = "";

    public DateTime ReceivedAt { get; set; }
    public DateOnly DueBy { get; set; }
    public bool DueProvisional { get; set; }

    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }

    /// <summary>The court's reasons or answer, shown to the applicant.</summary>
    public string? Decision { get; set; }

    /// <summary>Credit repair: the unit that decided.</summary>
    public string? DecidingUnit { get; set; }

    /// <summary>
    /// A correction forwarded by a joint-punishment unit because the subject objected to this measure (seed 004): the
    /// measure is suspended until the decision, which reaches the unit through its measure feed.
    /// </summary>
    public long? MeasureId { get; set; }

    public IList<string> GroundList => Grounds.Length == 0 ? [] : Grounds.Split(',');
}

/// <summary>A file the applicant attached: kept in the database (every node can hand it to the court), never served publicly.</summary>
public sealed class ApplicationAttachment
{
    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
    public byte[] Content { get; set; } = [];
}

/// <summary>One line of an application's history as the applicant sees it on the tracking page.</summary>
public sealed class ApplicationStep
{
    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public DateTime At { get; set; }
    public ApplicationStatus Status { get; set; }
    public string Note { get; set; } = "";
}

/// <summary>A message to an applicant's contact, queued in the transaction of the change it reports and sent with retries.</summary>
public sealed class Notification
{
    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public ContactChannel Channel { get; set; }
    public string ContactCipher { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public int Attempts { get; set; }

    /// <summary>When to try next; a claimed message is pushed past its send time, so no other node takes it meanwhile.</summary>
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public bool Dead { get; set; }
    public string? LastError { get; set; }
}

public static class ApplicationLabels
{
    public static string Label(this ApplicationKind kind) => kind switch
    {
        ApplicationKind.Correction => "申请纠正",
        ApplicationKind.Reconsideration => "申请复议",
        ApplicationKind.CreditRepair => "申请信用修复",
        _ => "投诉举报",
    };

    public static string Code(this ApplicationKind kind) => kind switch
    {
        ApplicationKind.Correction => "correction",
        ApplicationKind.Reconsideration => "reconsideration",
        ApplicationKind.CreditRepair => "credit_repair",
        _ => "complaint",
    };

    public static ApplicationKind? KindOf(string? code) => code?.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "correction" => ApplicationKind.Correction,
        "reconsideration" => ApplicationKind.Reconsideration,
        "credit_repair" => ApplicationKind.CreditRepair,
        "complaint" => ApplicationKind.Complaint,
        _ => null,
    };

    public static string Label(this ApplicationStatus status, ApplicationKind kind) => (status, kind) switch
    {
        (ApplicationStatus.Received, ApplicationKind.Complaint) => "已受理，待答复",
        (ApplicationStatus.Received, _) => "已受理，待审查",
        (ApplicationStatus.Accepted, ApplicationKind.CreditRepair) => "准予信用修复",
        (ApplicationStatus.Accepted, ApplicationKind.Reconsideration) => "复议申请成立",
        (ApplicationStatus.Accepted, _) => "纠正申请成立",
        (ApplicationStatus.Refused, ApplicationKind.CreditRepair) => "不予信用修复",
        (ApplicationStatus.Refused, ApplicationKind.Reconsideration) => "驳回复议",
        (ApplicationStatus.Refused, _) => "驳回纠正申请",
        _ => "已答复",
    };

    public static string Code(this ApplicationStatus status) => status.ToString().ToLowerInvariant();
}
