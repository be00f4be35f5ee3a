namespace Portal.Data.Courts;

/// <summary>The court a staff member belongs to, by its case-number code: 豫0311 for a basic court, 豫03 or 豫 above it.</summary>
public sealed class StaffCourt
{
    public string UserName { get; set; } = "";
    public string CourtCode { get; set; } = "";
}

/// <summary>
/// What a staff member may act on: a court's clerks and reviewers its own entries; a superior court's staff decide
/// reconsiderations of the courts directly below it (the directory's explicit link, not a code prefix).
/// </summary>
public sealed record CourtScope(string CourtCode)
{
    /// <summary>A court-staff account no court was assigned to yet: it may act on nothing.</summary>
    public static readonly CourtScope Unassigned = new("");

    /// <summary>What this person sees: their court and every court below it.</summary>
    public CourtView ViewIn(CourtDirectory courts) => CourtView.Under(courts, CourtCode);

    /// <summary>Null when an action on an entry with this case number is within the scope, else why not.</summary>
    public string? Refusal(CourtDirectory courts, string caseNumber, bool reconsideration)
    {
        if (CourtCode.Length == 0) return "尚未为您指定所在法院，请联系管理员";
        if (Entries.CaseNumber.CourtCode(caseNumber) is not { } written) return "无法从案号中识别执行法院";
        var court = courts.ByCode(written);
        var code = court?.Code ?? CourtDirectory.CanonicalCode(written);
        var mine = courts.ByCode(CourtCode)?.Code ?? CourtCode;
        if (reconsideration)
            return court?.SuperiorCode == mine ? null
                : $"复议由上一级法院决定：该案执行法院（{courts.NameOf(code)}）的上一级法院是{(court?.SuperiorCode is { } up ? courts.NameOf(up) : "法院名录中未载明的法院")}，不是{courts.NameOf(mine)}";
        if (code == mine) return null;
        return court is null
            ? $"案号中的法院代字“{written}”不在法院名录中，请核对案号（您所在的法院是{courts.NameOf(mine)}，代字{mine}）"
            : $"案号中的法院代字“{written}”属于{court.Name}，您所在的法院是{courts.NameOf(mine)}（代字{mine}）：只能录入和处理本院的条目";
    }
}
