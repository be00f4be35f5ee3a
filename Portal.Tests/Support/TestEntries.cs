using Microsoft.AspNetCore.DataProtection;
using Portal.Data.Entries;
using Portal.Data.Privacy;
using Portal.Web.Privacy;

namespace Portal.Tests.Support;

/// <summary>Valid entries to start from; each test changes what it is about.</summary>
public static class TestEntries
{
    public static readonly byte[] HashKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <summary>The real cipher on an in-memory key ring.</summary>
    public static IdNumberProtection Protection() =>
        new(new DataProtectionIdNumberCipher(new EphemeralDataProtectionProvider()), HashKey);

    public static EntryInput Person(string name = "张三", string idNumber = "412702198403151512", string caseNumber = "（2019）豫0311执1234号") => new()
    {
        CaseNumber = caseNumber,
        SubjectType = "person",
        Name = name,
        IdNumber = idNumber,
        Court = CourtOf(caseNumber),
        BasisDocumentNumber = "（2018）豫0311民初5678号",
        BasisIssuer = "洛阳市洛龙区人民法院",
        Obligation = "被告于本判决生效之日起十日内偿还原告借款本金50000元。",
        PerformanceStatus = "unperformed",
        Circumstances = ["refuses"],
        UnperformedPart = new PartInput(50000m, null),
        FiledAt = "2019-03-01",
        PublishedAt = "2019-06-01",
    };

    public static EntryInput Organization(string name = "洛阳市恒达建筑工程有限公司", string creditCode = "91410311MA44L2K3X8", string caseNumber = "（2020）豫0311执2001号") => new()
    {
        CaseNumber = caseNumber,
        SubjectType = "organization",
        Name = name,
        CreditCode = creditCode,
        LegalRepresentative = "王建国",
        Court = CourtOf(caseNumber),
        BasisDocumentNumber = "（2019）豫0311民初100号",
        BasisIssuer = "洛阳仲裁委员会",
        Obligation = "被申请人支付工程款1200000元。",
        PerformanceStatus = "partial",
        Circumstances = ["refuses", "asset-report"],
        PerformedPart = new PartInput(200000m, "已执行到位部分车辆"),
        UnperformedPart = new PartInput(1000000m, null),
        FiledAt = "2020-01-10",
        PublishedAt = "2020-03-01",
        ListingEndsAt = "2099-03-01",
    };

    /// <summary>The court a case number's code belongs to (so that the two agree), 洛阳市洛龙区人民法院 when the directory lacks it.</summary>
    public static string CourtOf(string caseNumber) =>
        Portal.Data.Courts.CourtDirectory.Shipped.ByCode(CaseNumber.CourtCode(caseNumber))?.Name ?? "洛阳市洛龙区人民法院";

    public static string Json(EntryInput input) =>
        System.Text.Json.JsonSerializer.Serialize(input, EntryInput.JsonOptions);
}
