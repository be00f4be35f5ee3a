using System.Globalization;
using Portal.Data.Entries;

namespace Portal.Web.BackOffice;

/// <summary>The entry editor's form fields, named as domain.md names them, to and from <see cref="EntryInput"/>.</summary>
public static class EntryForm
{
    /// <summary>The input, and the fields whose text is not even a number where a number belongs.</summary>
    public static (EntryInput Input, IReadOnlyList<FieldError> Errors) FromForm(IFormCollection f)
    {
        string? V(string name) => f.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        decimal? Amount(string name, List<string> errors) =>
            V(name) is not { } s ? null
            : decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d
            : Fail(errors, name);
        var errors = new List<string>();
        var input = new EntryInput
        {
            CaseNumber = V("caseNumber"), SubjectType = V("subjectType"), Name = V("name"), IdNumber = V("idNumber"),
            Gender = V("gender"), CreditCode = V("creditCode"), LegalRepresentative = V("legalRepresentative"),
            Court = V("court"), Province = V("province"), BasisDocumentNumber = V("basisDocumentNumber"), BasisIssuer = V("basisIssuer"),
            Obligation = V("obligation"), PerformanceStatus = V("performanceStatus"),
            Circumstances = f.TryGetValue("circumstances", out var c) ? c.Where(x => !string.IsNullOrEmpty(x)).Select(x => x!).ToList() : [],
            PerformedPart = Part(Amount("performedAmount", errors), V("performedText")),
            UnperformedPart = Part(Amount("unperformedAmount", errors), V("unperformedText")),
            FiledAt = V("filedAt"), ListingEndsAt = V("listingEndsAt"),
        };
        return (input, errors.Select(name => new FieldError(name, "金额应为数字（元），如 12000.50")).ToList());
    }

    public static EntryInput FromEntry(Entry e) => new()
    {
        CaseNumber = e.CaseNumber, SubjectType = e.SubjectType.Code(), Name = e.Name, IdNumber = null, Gender = e.Gender?.Code(),
        CreditCode = e.CreditCode, LegalRepresentative = e.LegalRepresentative, Court = e.Court, Province = e.Province,
        BasisDocumentNumber = e.BasisDocumentNumber, BasisIssuer = e.BasisIssuer, Obligation = e.Obligation,
        PerformanceStatus = e.PerformanceStatus.Code(), Circumstances = e.Circumstances.Codes().ToList(),
        PerformedPart = Part(e.PerformedAmount, e.PerformedText), UnperformedPart = Part(e.UnperformedAmount, e.UnperformedText),
        FiledAt = e.FiledAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ListingEndsAt = e.ListingEndsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    private static PartInput? Part(decimal? amount, string? text) => amount is null && text is null ? null : new PartInput(amount, text);

    private static decimal? Fail(List<string> errors, string name)
    {
        errors.Add(name);
        return null;
    }
}
