using System.Globalization;
using Portal.Data.Entries;

namespace Portal.Data.Lifecycle;

/// <summary>The audited fields of an entry as text, to record before/after. The ID appears only masked.</summary>
public static class EntrySnapshot
{
    public static Dictionary<string, string?> Of(Entry e) => new()
    {
        ["caseNumber"] = e.CaseNumber,
        ["name"] = e.Name,
        ["idNumber"] = e.IdNumberMasked,
        ["creditCode"] = e.CreditCode,
        ["court"] = e.Court,
        ["province"] = e.Province,
        ["gender"] = e.Gender?.Code(),
        ["legalRepresentative"] = e.LegalRepresentative,
        ["basisDocumentNumber"] = e.BasisDocumentNumber,
        ["basisIssuer"] = e.BasisIssuer,
        ["obligation"] = e.Obligation,
        ["performanceStatus"] = e.PerformanceStatus.Code(),
        ["circumstances"] = string.Join(",", e.Circumstances.Codes()),
        ["performedPart"] = Part(e.PerformedAmount, e.PerformedText),
        ["unperformedPart"] = Part(e.UnperformedAmount, e.UnperformedText),
        ["filedAt"] = e.FiledAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["status"] = e.Status.Code(),
        ["nonPublic"] = e.NonPublic ? "true" : "false",
        ["employerUnit"] = e.EmployerUnit,
        ["riskNoticeAt"] = Time(e.RiskNoticeAt),
        ["publishedAt"] = Time(e.PublishedAt),
        ["revokedAt"] = Time(e.RevokedAt),
        ["removedAt"] = Time(e.RemovedAt),
        ["removalGround"] = e.RemovalGround?.Code(),
        ["removalReason"] = e.RemovalReason,
        ["triggerEventDate"] = e.TriggerEventDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["listingEndsAt"] = e.ListingEndsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["employerNotifiedAt"] = Time(e.EmployerNotifiedAt),
    };

    public static IReadOnlyDictionary<string, (string? Before, string? After)> Diff(Dictionary<string, string?> before, Dictionary<string, string?> after) =>
        after.Keys.ToDictionary(k => k, k => (before.GetValueOrDefault(k), after[k]));

    private static string? Part(decimal? amount, string? text) =>
        amount is null && text is null ? null : $"{amount?.ToString(CultureInfo.InvariantCulture)}|{text}";

    private static string? Time(DateTime? t) => t?.ToString("O", CultureInfo.InvariantCulture);
}
