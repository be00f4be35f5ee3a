namespace Portal.Data.Courts;

/// <summary>The court a staff member belongs to, by its case-number code: 豫0311 for a basic court, 豫03 or 豫 above it.</summary>
public sealed class StaffCourt
{
    public string UserName { get; set; } = "";
    public string CourtCode { get; set; } = "";
}

/// <summary>
/// What a staff member may act on: a basic court's clerks and reviewers their own court's entries; a superior court's
/// staff decide reconsiderations for the courts below it (their code is a prefix of those courts' codes).
/// </summary>
public sealed record CourtScope(string CourtCode)
{
    /// <summary>A court-staff account no court was assigned to yet: it may act on nothing.</summary>
    public static readonly CourtScope Unassigned = new("");

    /// <summary>What this person sees: their court and the courts below it.</summary>
    public CourtView View => CourtView.Under(CourtCode);

    /// <summary>Null when an action on an entry with this case number is within the scope, else why not.</summary>
    public string? Refusal(string caseNumber, bool reconsideration)
    {
        if (CourtCode.Length == 0) return "尚未为您指定所在法院，请联系管理员";
        var code = Entries.CaseNumber.CourtCode(caseNumber);
        if (code is null) return "无法从案号中识别执行法院";
        if (reconsideration)
            return code.StartsWith(CourtCode, StringComparison.Ordinal) && code.Length > CourtCode.Length ? null
                : $"复议由上级法院决定：该案（{code}）不在{CourtDirectory.NameOf(CourtCode)}的辖区内";
        return code == CourtCode ? null : $"该条目属于{CourtDirectory.NameOf(code)}，您所在的法院是{CourtDirectory.NameOf(CourtCode)}";
    }
}
