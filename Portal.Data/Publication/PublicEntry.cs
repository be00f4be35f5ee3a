using Portal.Data.Entries;

namespace Portal.Data.Publication;

/// <summary>An amount in yuan and/or a text.</summary>
public sealed record PublicPart(decimal? Amount, string? Text)
{
    /// <remarks>
    /// The amount without trailing zeros: SQLite gives back 5500 as 5500.0, so an entry read from the database and the
    /// same entry just written would otherwise print differently (the index keeps whichever wrote last).
    /// </remarks>
    public static PublicPart? Of(decimal? amount, string? text) =>
        amount is null && text is null ? null : new(amount is { } a ? a / 1.000000000000000000000000000000000m : null, text);
}

/// <summary>
/// What the public may see of an entry: the single projection used by the detail page, the API and exports.
/// It has no field that could hold a full ID number; age is computed for the year it is shown (see <see cref="IdNumber.AgeShown"/>).
/// </summary>
public sealed record PublicEntry(
    string PublicId,
    string CaseNumber,
    string SubjectType,
    string Name,
    string? IdNumberMasked,
    string? Gender,
    int? Age,
    string? CreditCode,
    string? LegalRepresentative,
    string Court,
    string Province,
    string BasisDocumentNumber,
    string BasisIssuer,
    string Obligation,
    string PerformanceStatus,
    IReadOnlyList<string> Circumstances,
    PublicPart? PerformedPart,
    PublicPart? UnperformedPart,
    DateOnly FiledAt,
    DateTime? PublishedAt,
    DateTime? RevokedAt,
    DateOnly? ListingEndsAt)
{
    public static PublicEntry From(Entry e, DateOnly today) => new(
        e.PublicId,
        e.CaseNumber,
        e.SubjectType.Code(),
        e.Name,
        e.IdNumberMasked,
        e.Gender?.Code(),
        IdNumber.AgeShown(e.IdNumberMasked, today),
        e.CreditCode,
        e.LegalRepresentative,
        e.Court,
        e.Province,
        e.BasisDocumentNumber,
        e.BasisIssuer,
        e.Obligation,
        e.PerformanceStatus.Code(),
        e.Circumstances.Codes().ToList(),
        PublicPart.Of(e.PerformedAmount, e.PerformedText),
        PublicPart.Of(e.UnperformedAmount, e.UnperformedText),
        e.FiledAt,
        e.PublishedAt,
        e.RevokedAt,
        e.ListingEndsAt);
}
