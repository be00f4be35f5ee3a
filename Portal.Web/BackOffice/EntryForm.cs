using System.Globalization;
using Portal.Data.Entries;

namespace Portal.Web.BackOffice;

/// <summary>
/// The entry editor's fields as a person types them (amounts and dates as text), named as domain.md names them, to and
/// from <see cref="EntryInput"/>. The ID numbers (the debtor's, the legal representative's) are not here: they are never
/// shown, so the editor keeps them apart.
/// </summary>
public sealed class EntryForm
{
    public string? CaseNumber { get; set; }
    public string SubjectType { get; set; } = "person";
    public string? Name { get; set; }
    public string? Gender { get; set; } = "";
    public string? CreditCode { get; set; }
    public string? LegalRepresentative { get; set; }
    public string? Court { get; set; }
    public string? Province { get; set; } = "";
    public string? BasisDocumentNumber { get; set; }
    public string? BasisIssuer { get; set; }
    public string? Obligation { get; set; }
    public string PerformanceStatus { get; set; } = "unperformed";
    public HashSet<string> Circumstances { get; } = [];
    public string? PerformedAmount { get; set; }
    public string? PerformedText { get; set; }
    public string? UnperformedAmount { get; set; }
    public string? UnperformedText { get; set; }
    public string? FiledAt { get; set; }
    public string? ListingEndsAt { get; set; }

    /// <summary>The input, and the fields whose text is not even a number where a number belongs.</summary>
    public (EntryInput Input, IReadOnlyList<FieldError> Errors) ToInput(string? idNumber, string? representativeIdNumber = null)
    {
        var errors = new List<FieldError>();
        decimal? Amount(string? s, string field)
        {
            if (V(s) is not { } text) return null;
            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) return d;
            errors.Add(new FieldError(field, "金额应为数字（元），如 12000.50"));
            return null;
        }
        var input = new EntryInput
        {
            CaseNumber = V(CaseNumber), SubjectType = SubjectType, Name = V(Name), IdNumber = V(idNumber), Gender = V(Gender),
            CreditCode = V(CreditCode), LegalRepresentative = V(LegalRepresentative), LegalRepresentativeIdNumber = V(representativeIdNumber),
            Court = V(Court), Province = V(Province),
            BasisDocumentNumber = V(BasisDocumentNumber), BasisIssuer = V(BasisIssuer), Obligation = V(Obligation),
            PerformanceStatus = PerformanceStatus,
            Circumstances = DomainLabels.CircumstanceTable.Select(c => c.Code).Where(Circumstances.Contains).ToList(),
            PerformedPart = Part(Amount(PerformedAmount, "performedPart"), V(PerformedText)),
            UnperformedPart = Part(Amount(UnperformedAmount, "unperformedPart"), V(UnperformedText)),
            FiledAt = V(FiledAt), ListingEndsAt = V(ListingEndsAt),
        };
        return (input, errors);
    }

    public static EntryForm FromEntry(Entry e)
    {
        var form = new EntryForm
        {
            CaseNumber = e.CaseNumber, SubjectType = e.SubjectType.Code(), Name = e.Name, Gender = e.Gender?.Code() ?? "",
            CreditCode = e.CreditCode, LegalRepresentative = e.LegalRepresentative, Court = e.Court, Province = e.Province,
            BasisDocumentNumber = e.BasisDocumentNumber, BasisIssuer = e.BasisIssuer, Obligation = e.Obligation,
            PerformanceStatus = e.PerformanceStatus.Code(),
            PerformedAmount = e.PerformedAmount?.ToString(CultureInfo.InvariantCulture), PerformedText = e.PerformedText,
            UnperformedAmount = e.UnperformedAmount?.ToString(CultureInfo.InvariantCulture), UnperformedText = e.UnperformedText,
            FiledAt = e.FiledAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ListingEndsAt = e.ListingEndsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        form.Circumstances.UnionWith(e.Circumstances.Codes());
        return form;
    }

    private static string? V(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static PartInput? Part(decimal? amount, string? text) => amount is null && text is null ? null : new PartInput(amount, text);
}
