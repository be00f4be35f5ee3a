using System.Globalization;
using Portal.Data.Publication;

namespace Portal.Web.Newsroom;

/// <summary>A public entry as one CSV line, its columns named as the JSON fields are (domain.md's names).</summary>
public static class EntryCsv
{
    public const string Header =
        "publicId,caseNumber,subjectType,name,idNumberMasked,gender,age,creditCode,legalRepresentative,court,province," +
        "basisDocumentNumber,basisIssuer,obligation,performanceStatus,circumstances,performedAmount,performedText," +
        "unperformedAmount,unperformedText,filedAt,publishedAt,revokedAt,listingEndsAt";

    public static string Line(PublicEntry e) => string.Join(',', new[]
    {
        e.PublicId, e.CaseNumber, e.SubjectType, e.Name, e.IdNumberMasked, e.Gender, e.Age?.ToString(CultureInfo.InvariantCulture), e.CreditCode,
        e.LegalRepresentative, e.Court, e.Province, e.BasisDocumentNumber, e.BasisIssuer, e.Obligation, e.PerformanceStatus,
        string.Join(';', e.Circumstances), e.PerformedPart?.Amount?.ToString(CultureInfo.InvariantCulture), e.PerformedPart?.Text,
        e.UnperformedPart?.Amount?.ToString(CultureInfo.InvariantCulture), e.UnperformedPart?.Text, e.FiledAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        e.PublishedAt?.ToString("O", CultureInfo.InvariantCulture), e.RevokedAt?.ToString("O", CultureInfo.InvariantCulture),
        e.ListingEndsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    }.Select(Csv.Cell));
}

/// <summary>The one rule for a CSV cell the portal writes (exports, statistics tables, bank results).</summary>
public static class Csv
{
    /// <summary>Quoted when it must be; a leading = + - @ is prefixed with ' so that no spreadsheet runs a cell as a formula.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
