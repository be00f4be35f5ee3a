namespace Portal.Data.Entries;

/// <summary>Codes (API/import) and Chinese labels of the domain's enumerations: the single table for both.</summary>
public static class DomainLabels
{
    /// <summary>Each field's Chinese name (domain.md), as validation messages name it.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldLabels = new Dictionary<string, string>
    {
        ["caseNumber"] = "案号", ["subjectType"] = "被执行人类型", ["name"] = "姓名或单位名称", ["idNumber"] = "身份证号码",
        ["gender"] = "性别", ["creditCode"] = "统一社会信用代码", ["legalRepresentative"] = "法定代表人或负责人姓名",
        ["legalRepresentativeIdNumber"] = "法定代表人或负责人身份证号码",
        ["court"] = "执行法院", ["province"] = "省份", ["basisDocumentNumber"] = "执行依据文号", ["basisIssuer"] = "作出执行依据单位",
        ["obligation"] = "生效法律文书确定的义务", ["performanceStatus"] = "被执行人的履行情况", ["circumstances"] = "失信被执行人具体情形",
        ["performedPart"] = "已履行部分", ["unperformedPart"] = "未履行部分", ["filedAt"] = "立案时间", ["publishedAt"] = "发布时间",
        ["revokedAt"] = "撤销时间", ["shieldedAt"] = "屏蔽时间", ["listingEndsAt"] = "失信期限届满", ["status"] = "状态", ["employerUnit"] = "所在单位",
    };

    public static string FieldLabel(string field) => FieldLabels.GetValueOrDefault(field, field);

    public static string Label(this ServiceMethod m) => m switch
    {
        ServiceMethod.Personal => "直接送达",
        ServiceMethod.Left => "留置送达",
        ServiceMethod.Electronic => "电子送达",
        ServiceMethod.Mail => "邮寄送达",
        _ => "公告送达",
    };

    public static string Code(this ServiceMethod m) => m switch
    {
        ServiceMethod.Personal => "personal",
        ServiceMethod.Left => "left",
        ServiceMethod.Electronic => "electronic",
        ServiceMethod.Mail => "mail",
        _ => "public-notice",
    };

    public static bool TryParseServiceMethod(string? code, out ServiceMethod method)
    {
        foreach (var m in Enum.GetValues<ServiceMethod>())
            if (string.Equals(m.Code(), code?.Trim(), StringComparison.OrdinalIgnoreCase)) { method = m; return true; }
        method = default;
        return false;
    }

    public static readonly IReadOnlyList<(Circumstances Flag, string Code, string Label)> CircumstanceTable =
    [
        (Circumstances.Refuses, "refuses", "有履行能力而拒不履行生效法律文书确定义务"),
        (Circumstances.Obstructs, "obstructs", "以伪造证据、暴力、威胁等方法妨碍、抗拒执行"),
        (Circumstances.Evades, "evades", "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行"),
        (Circumstances.AssetReport, "asset-report", "违反财产报告制度"),
        (Circumstances.ConsumptionOrder, "consumption-order", "违反限制消费令"),
        (Circumstances.Settlement, "settlement", "无正当理由拒不履行执行和解协议"),
    ];

    public static IEnumerable<string> Codes(this Circumstances value) =>
        CircumstanceTable.Where(c => value.HasFlag(c.Flag)).Select(c => c.Code);

    public static IEnumerable<string> Labels(this Circumstances value) =>
        CircumstanceTable.Where(c => value.HasFlag(c.Flag)).Select(c => c.Label);

    public static bool TryParseCircumstance(string code, out Circumstances flag)
    {
        foreach (var c in CircumstanceTable)
        {
            if (string.Equals(c.Code, code.Trim(), StringComparison.OrdinalIgnoreCase)) { flag = c.Flag; return true; }
        }
        flag = Circumstances.None;
        return false;
    }

    public static Circumstances ParseCircumstancesCsv(string? csv)
    {
        var result = Circumstances.None;
        foreach (var part in (csv ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (TryParseCircumstance(part, out var f)) result |= f;
        return result;
    }

    public static string Label(this SubjectType t) => t == SubjectType.Person ? "自然人" : "法人或其他组织";
    public static string Code(this SubjectType t) => t == SubjectType.Person ? "person" : "organization";
    public static string Label(this Gender g) => g == Gender.Male ? "男" : "女";
    public static string Code(this Gender g) => g == Gender.Male ? "male" : "female";

    public static string Label(this PerformanceStatus s) => s switch
    {
        PerformanceStatus.Unperformed => "全部未履行",
        PerformanceStatus.Partial => "部分履行",
        _ => "全部履行",
    };

    public static string Code(this PerformanceStatus s) => s switch
    {
        PerformanceStatus.Unperformed => "unperformed",
        PerformanceStatus.Partial => "partial",
        _ => "performed",
    };

    public static string Label(this EntryStatus s) => s switch
    {
        EntryStatus.Draft => "草稿",
        EntryStatus.Published => "已发布",
        EntryStatus.Shielded => "已屏蔽",
        EntryStatus.Revoked => "已撤销",
        _ => "已届满",
    };

    public static string Code(this EntryStatus s) => s.ToString().ToLowerInvariant();

    public static string Label(this RemovalGround g) => g switch
    {
        RemovalGround.Performed => "被执行人已履行全部义务",
        RemovalGround.Settled => "和解协议已履行完毕并经申请执行人确认",
        RemovalGround.Terminated => "执行程序已终结",
        _ => "纳入失信名单有误",
    };

    public static string Code(this RemovalGround g) => g switch
    {
        RemovalGround.Performed => "performed",
        RemovalGround.Settled => "settled",
        RemovalGround.Terminated => "terminated",
        _ => "wrongly-listed",
    };

    /// <summary>Grounds a court may shield on (revocation is for wrong listings).</summary>
    public static bool TryParseShieldGround(string? code, out RemovalGround ground)
    {
        foreach (var g in new[] { RemovalGround.Performed, RemovalGround.Settled, RemovalGround.Terminated })
            if (string.Equals(g.Code(), code?.Trim(), StringComparison.OrdinalIgnoreCase)) { ground = g; return true; }
        ground = default;
        return false;
    }

    public static bool TryParseSubjectType(string? code, out SubjectType type)
    {
        switch (code?.Trim().ToLowerInvariant())
        {
            case "person": type = SubjectType.Person; return true;
            case "organization": type = SubjectType.Organization; return true;
            default: type = default; return false;
        }
    }

    public static bool TryParsePerformanceStatus(string? code, out PerformanceStatus status)
    {
        switch (code?.Trim().ToLowerInvariant())
        {
            case "unperformed": status = PerformanceStatus.Unperformed; return true;
            case "partial": status = PerformanceStatus.Partial; return true;
            case "performed": status = PerformanceStatus.Performed; return true;
            default: status = default; return false;
        }
    }

    public static bool TryParseStatus(string? code, out EntryStatus status)
    {
        foreach (var s in Enum.GetValues<EntryStatus>())
            if (string.Equals(s.Code(), code?.Trim(), StringComparison.OrdinalIgnoreCase)) { status = s; return true; }
        status = default;
        return false;
    }

    public static bool TryParseGender(string? code, out Gender gender)
    {
        switch (code?.Trim().ToLowerInvariant())
        {
            case "male" or "男": gender = Gender.Male; return true;
            case "female" or "女": gender = Gender.Female; return true;
            default: gender = default; return false;
        }
    }
}
