namespace Portal.Data.Courts;

/// <summary>
/// An administrator's change to the court directory, kept in the database and laid over the shipped directory: a
/// court added, renamed (its old name kept among the former names), moved under another superior, or retired. One row
/// per court code, the latest state; who changed it and when are in the row and in the audit log.
/// </summary>
public sealed class CourtRecord
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public CourtLevel Level { get; set; }
    public string Kind { get; set; } = "general";
    public string? SuperiorCode { get; set; }
    public string Province { get; set; } = "";
    public string City { get; set; } = "";
    public string? Region { get; set; }

    /// <summary>Former codes and names, <c>|</c>-separated, so that older case numbers and names still find the court.</summary>
    public string FormerCodes { get; set; } = "";
    public string FormerNames { get; set; } = "";

    public DateOnly? RetiredOn { get; set; }
    public DateTime ChangedAt { get; set; }
    public string ChangedBy { get; set; } = "";

    public Court ToCourt() => new(Code, Name, Level, Kind, SuperiorCode, Province, City, Region,
        FormerCodes.Split('|', StringSplitOptions.RemoveEmptyEntries), FormerNames.Split('|', StringSplitOptions.RemoveEmptyEntries)) { RetiredOn = RetiredOn };

    public static CourtRecord Of(Court c, DateTime at, string by) => new()
    {
        Code = c.Code, Name = c.Name, Level = c.Level, Kind = c.Kind, SuperiorCode = c.SuperiorCode, Province = c.Province, City = c.City,
        Region = c.Region, FormerCodes = string.Join('|', c.FormerCodes), FormerNames = string.Join('|', c.FormerNames), RetiredOn = c.RetiredOn,
        ChangedAt = at, ChangedBy = by,
    };
}
