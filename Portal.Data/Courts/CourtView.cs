using Microsoft.EntityFrameworkCore;
using Portal.Data.Entries;

namespace Portal.Data.Courts;

/// <summary>
/// Which courts' records a person may see in the back office: every court (administrators), a court and the courts
/// below it (its staff), or nothing. Anyone the portal cannot place gets <see cref="Nothing"/>: the view fails closed.
/// </summary>
public sealed class CourtView
{
    private readonly string? _code;
    private readonly bool _nothing;

    private CourtView(string? code, bool nothing) => (_code, _nothing) = (code, nothing);

    public static readonly CourtView Everything = new(null, false);
    public static readonly CourtView Nothing = new(null, true);

    /// <summary>A court's records and those of the courts below it (a basic court has none below).</summary>
    public static CourtView Under(string courtCode) => courtCode.Length == 0 ? Nothing : new(courtCode, false);

    public bool SeesEverything => !_nothing && _code is null;

    /// <summary>What the view holds, in words for a page's heading: "洛阳市中级人民法院辖区内", or null for every court.</summary>
    public string? Label => _nothing ? "（无）" : _code is null ? null : CourtDirectory.NameOf(_code) + (_code.Length < 5 ? "辖区内" : "");

    /// <summary>Whether a record of the court with this case-number code is in view.</summary>
    public bool Covers(string? courtCode) => !_nothing && (_code is null || courtCode?.StartsWith(_code, StringComparison.Ordinal) == true);

    /// <summary>Whether the entry or application with this case number is in view.</summary>
    public bool Sees(string? caseNumber) => SeesEverything || (caseNumber is not null && Covers(CaseNumber.CourtCode(caseNumber)));

    /// <summary>The entries in view (the court code follows the year in the case-number key).</summary>
    public IQueryable<Entry> Filter(IQueryable<Entry> entries) =>
        _nothing ? entries.Where(_ => false) : _code is null ? entries : entries.Where(e => EF.Functions.Like(e.CaseNumberKey, "____" + _code + "%"));
}
