using Portal.Data.Entries;

namespace Portal.Data.Courts;

/// <summary>
/// Which courts' records a person may see in the back office: every court (administrators), a court and every court
/// below it in the directory's hierarchy (its staff; the links are explicit, so 京03's staff see 京0105 and not 京0108),
/// or nothing. Anyone the portal cannot place gets <see cref="Nothing"/>: the view fails closed.
/// </summary>
public sealed class CourtView
{
    private readonly CourtDirectory? _courts;
    private readonly IReadOnlySet<string>? _codes; // null: every court
    private readonly bool _nothing;

    private CourtView(CourtDirectory? courts, IReadOnlySet<string>? codes, bool nothing, string? label) =>
        (_courts, _codes, _nothing, Label) = (courts, codes, nothing, label);

    public static readonly CourtView Everything = new(null, null, false, null);
    public static readonly CourtView Nothing = new(null, null, true, "（无）");

    /// <summary>A court's records and those of every court below it.</summary>
    public static CourtView Under(CourtDirectory courts, string courtCode)
    {
        if (courtCode.Length == 0) return Nothing;
        var code = courts.ByCode(courtCode)?.Code ?? courtCode;
        var codes = courts.Subtree(code);
        return new CourtView(courts, codes, false, courts.NameOf(code) + (codes.Count > 1 ? "辖区内" : ""));
    }

    public bool SeesEverything => !_nothing && _codes is null;

    /// <summary>What the view holds, in words for a page's heading: "洛阳市中级人民法院辖区内", or null for every court.</summary>
    public string? Label { get; }

    /// <summary>The court codes in view (null: every court; empty: none).</summary>
    public IReadOnlySet<string>? Codes => _nothing ? new HashSet<string>() : _codes;

    /// <summary>Whether a record of the court with this code (as written in a case number, a former code too) is in view.</summary>
    public bool Covers(string? courtCode) =>
        !_nothing && (_codes is null || (courtCode is not null && _codes.Contains(_courts!.ByCode(courtCode)?.Code ?? courtCode)));

    /// <summary>Whether the entry or application with this case number is in view.</summary>
    public bool Sees(string? caseNumber) => SeesEverything || (caseNumber is not null && Covers(CaseNumber.CourtCode(caseNumber)));

    /// <summary>The entries in view.</summary>
    public IQueryable<Entry> Filter(IQueryable<Entry> entries)
    {
        if (_nothing) return entries.Where(_ => false);
        if (_codes is null) return entries;
        var codes = _codes.ToList();
        return entries.Where(e => codes.Contains(e.CourtCode));
    }
}
