namespace Portal.Data.Applications;

/// <summary>The grounds a person may choose for each kind of application (the free text says the rest).</summary>
public static class ApplicationGrounds
{
    private static readonly (string Code, string Label)[] Correction =
    [
        ("not-dishonest", "不符合纳入失信被执行人名单的条件"),
        ("not-me", "被执行人身份有误（并非本人）"),
        ("inaccurate", "公布的信息不准确"),
        ("should-be-removed", "已履行、和解履行完毕或执行终结，应当屏蔽或撤销"),
        ("other", "其他"),
    ];

    private static readonly (string Code, string Label)[] CreditRepair =
    [
        ("performed", "已全部履行生效法律文书确定的义务"),
        ("settlement", "执行和解协议已履行完毕"),
        ("terminated", "执行已终结"),
        ("revoked", "名单信息已被撤销"),
        ("other", "其他"),
    ];

    private static readonly (string Code, string Label)[] Complaint =
    [
        ("still-shown", "应当删除的条目仍在公示"),
        ("reprinter", "转载方未按期删除已屏蔽或撤销的条目"),
        ("wrong-info", "公示信息有误"),
        ("conduct", "工作人员违法违纪"),
        ("other", "其他"),
    ];

    public static IReadOnlyList<(string Code, string Label)> For(ApplicationKind kind) => kind switch
    {
        ApplicationKind.Correction or ApplicationKind.Reconsideration => Correction,
        ApplicationKind.CreditRepair => CreditRepair,
        _ => Complaint,
    };

    public static string Label(ApplicationKind kind, string code) => For(kind).FirstOrDefault(g => g.Code == code).Label ?? code;
}
