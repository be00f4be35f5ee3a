using System.Globalization;
using Portal.Data.Courts;
using Portal.Data.Entries;
using Portal.Web.Import;

namespace Portal.Web.DemoData;

/// <summary>
/// Realistic synthetic entries: common surnames and given names, companies named region + brand + industry +
/// legal form, real courts with their case number codes, valid ID numbers and credit codes, amounts, dates
/// and every status. Deterministic for a given seed and day.
/// </summary>
public sealed class DemoDataGenerator(TimeProvider clock)
{
    // Ordered roughly by frequency; the first ones are drawn more often.
    private static readonly string[] Surnames =
    [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
        "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
        "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
        "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
        "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤",
        "单", "解", "仇", "区", "查", "朴", "盖", "乐", "欧阳", "司马", "诸葛", "上官", "尉迟", "皇甫",
    ];

    // Given names as people carry them: a woman is not called 建国 nor a man 秀英 (the name, the gender shown and the
    // ID number's sequence digit agree); the last list goes with either.
    private static readonly string[] MaleGiven =
    [
        "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "超", "刚", "建华", "国华", "志强", "建国", "斌", "鹏", "辉", "浩", "俊", "峰",
        "波", "飞", "亮", "德", "福", "东", "宏", "志", "永", "光", "振", "世", "立", "成", "学", "庆", "国强", "海涛", "建军", "志刚",
    ];

    private static readonly string[] FemaleGiven =
    [
        "芳", "娜", "秀英", "敏", "静", "丽", "艳", "娟", "秀兰", "霞", "桂英", "海燕", "红", "玉兰", "丹", "萍", "婷", "雪", "梅", "琳",
        "兰", "凤", "玲", "英", "慧", "颖", "倩", "洁", "秀珍", "美玲",
    ];

    private static readonly string[] EitherGiven = ["明", "文", "平", "宇", "晨", "欣", "鑫", "春", "云", "林", "华", "新", "金", "家", "子", "晓"];

    private static readonly string[] Brands =
    [
        "恒达", "鑫源", "华信", "宏图", "瑞丰", "金泰", "盛世", "天诚", "永安", "中联", "汇通", "隆基", "博远", "新锐", "正邦",
        "润泽", "嘉禾", "富源", "广厦", "万通", "东方", "腾飞", "昌盛", "佳美", "锦程", "弘毅", "泰和", "鼎盛", "顺达", "安泰",
    ];

    private static readonly string[] Industries =
    [
        "建筑工程", "商贸", "房地产开发", "物流", "科技", "贸易", "餐饮管理", "农业开发", "投资管理", "机械设备", "装饰工程",
        "纺织", "化工", "汽车销售", "广告传媒", "电子科技", "建材", "医药", "食品", "环保科技",
    ];

    private static readonly string[] LegalForms = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "合伙企业（有限合伙）"];

    /// <summary>The courts demo entries come from: every general basic court of the directory (each sits in a division, whose code starts its people's ID numbers).</summary>
    private static readonly IReadOnlyList<Court> DemoCourts =
        CourtDirectory.Shipped.Courts.Where(c => c is { Level: CourtLevel.Basic, Kind: "general", Region.Length: 6 }).ToList();

    public IEnumerable<ImportLine> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        var usedCases = new HashSet<string>();
        for (var i = 1; i <= count; i++)
            yield return new ImportLine(i, Entry(random, today, usedCases), null);
    }

    private static EntryInput Entry(Random r, DateOnly today, HashSet<string> usedCases)
    {
        var court = DemoCourts[r.Next(DemoCourts.Count)];
        var isPerson = r.NextDouble() < 0.75;
        var filed = today.AddDays(-r.Next(60, 365 * 10));
        var published = filed.AddDays(r.Next(20, 200));
        // A case filed lately is published some day since (not all on yesterday, which made one month stand out).
        if (published >= today) published = filed.AddDays(r.Next(1, today.DayNumber - filed.DayNumber));

        string caseNumber;
        do
        {
            var kind = r.NextDouble() < 0.85 ? "执" : "执恢";
            caseNumber = $"（{filed.Year}）{court.Code}{kind}{r.Next(1, 9999)}号";
        } while (!usedCases.Add(caseNumber));

        var principal = Math.Round((decimal)Math.Exp(r.NextDouble() * 8 + 8.5) / 100) * 100; // about 5,000 to 15,000,000 yuan, whole hundreds
        var performance = r.NextDouble() switch { < 0.78 => PerformanceStatus.Unperformed, < 0.97 => PerformanceStatus.Partial, _ => PerformanceStatus.Performed };
        var performedAmount = performance switch
        {
            PerformanceStatus.Unperformed => 0m,
            PerformanceStatus.Partial => Math.Round(principal * (decimal)(0.1 + r.NextDouble() * 0.7), 2),
            _ => principal,
        };
        var circumstances = new List<string> { r.NextDouble() < 0.7 ? "refuses" : Pick(r, DomainLabels.CircumstanceTable).Code };
        if (r.NextDouble() < 0.25) circumstances.Add(Pick(r, DomainLabels.CircumstanceTable).Code);
        circumstances = circumstances.Distinct().ToList();

        // Situations 2–6 carry a fixed listing period, 2 years by default.
        DateOnly? listingEnds = circumstances.Any(c => c != "refuses") ? published.AddYears(2) : null;

        var status = r.NextDouble() switch
        {
            < 0.04 => EntryStatus.Draft,
            < 0.09 => EntryStatus.Shielded,
            < 0.11 => EntryStatus.Revoked,
            _ => EntryStatus.Published,
        };
        if (status == EntryStatus.Published && listingEnds < today) status = EntryStatus.Expired;
        if (status == EntryStatus.Shielded) { performance = PerformanceStatus.Performed; performedAmount = principal; }

        var male = r.NextDouble() < 0.72; // most listed people are men
        var personName = PersonName(r, male);
        var creditor = r.NextDouble() < 0.5 ? PersonName(r, r.NextDouble() < 0.5) : CompanyName(r, court);
        var input = new EntryInput
        {
            CaseNumber = caseNumber,
            SubjectType = isPerson ? "person" : "organization",
            Name = isPerson ? personName : CompanyName(r, court),
            Court = court.Name,
            BasisDocumentNumber = $"（{filed.Year - 1}）{court.Code}民初{r.Next(100, 20000)}号",
            BasisIssuer = r.NextDouble() < 0.85 ? court.Name : Place(court) + "仲裁委员会",
            Obligation = Obligation(r, creditor, principal),
            PerformanceStatus = performance.Code(),
            Circumstances = circumstances,
            PerformedPart = new PartInput(performedAmount, null),
            UnperformedPart = new PartInput(principal - performedAmount, null),
            FiledAt = filed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PublishedAt = status == EntryStatus.Draft ? null : published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ListingEndsAt = listingEnds?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Status = status.Code(),
        };
        if (status != EntryStatus.Draft)
        {
            // Served before publication, as the rules require; never before the case was filed.
            var served = published.AddDays(-r.Next(3, 20));
            input.RiskNoticeServedOn = (served < filed ? filed : served).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            input.RiskNoticeMethod = Pick(r, Enum.GetValues<ServiceMethod>()).Code();
        }
        // Removals spread over the years as in life: most performed or settled within months of listing, some years later.
        // One drawn past today falls on some day since publication instead (clamping them to today made this month's spike).
        var removedAfter = (int)(Math.Pow(r.NextDouble(), 2) * 900) + 1;
        var removed = published.AddDays(removedAfter < today.DayNumber - published.DayNumber ? removedAfter : r.Next(1, Math.Max(2, today.DayNumber - published.DayNumber + 1)));
        if (status == EntryStatus.Revoked) input.RevokedAt = removed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (status == EntryStatus.Shielded) input.ShieldedAt = removed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (isPerson)
        {
            input.IdNumber = IdNumberFor(r, court, published, male);
            if (r.NextDouble() < 0.02 && status == EntryStatus.Published)
            {
                input.NonPublic = true;
                input.EmployerUnit = CompanyName(r, court);
            }
        }
        else
        {
            input.CreditCode = CreditCodeFor(r, court);
            input.LegalRepresentative = PersonName(r, r.NextDouble() < 0.8);
        }
        return input;
    }

    private static string PersonName(Random r, bool male)
    {
        // Skew towards common surnames: the square of a uniform draw favours the front of the list.
        var surname = Surnames[(int)(Math.Pow(r.NextDouble(), 2) * Surnames.Length)];
        var own = male ? MaleGiven : FemaleGiven;
        var given = r.NextDouble() < 0.8 ? Pick(r, own) : Pick(r, EitherGiven);
        if (given.Length == 1 && r.NextDouble() < 0.6) given = (r.NextDouble() < 0.5 ? Pick(r, EitherGiven) : Pick(r, own)[..1]) + given;
        return surname + given;
    }

    private static string CompanyName(Random r, Court court) => Place(court) + Pick(r, Brands) + Pick(r, Industries) + Pick(r, LegalForms);

    /// <summary>Where a court sits, as a company or an arbitration commission there is named: 洛阳市, or the province.</summary>
    private static string Place(Court court) => court.City.EndsWith('市') ? court.City : court.Province;

    /// <summary>
    /// What a judgment ordered, in the words of real ones: the kinds of cases that fill the list (private lending, bank
    /// loans, sales, construction, wages, rent, support, tort, vacating a house, contract penalties, transfers of shares).
    /// </summary>
    public static readonly IReadOnlyList<(string Kind, Func<string, string, string> Text)> Obligations =
    [
        ("private-loan", (c, a) => $"被告于本判决生效之日起十日内偿还原告{c}借款本金{a}元及利息（按年利率3.85%自起诉之日起计算至实际清偿之日止），并负担案件受理费。"),
        ("bank-loan", (c, a) => $"被告于本判决生效之日起十日内向原告中国农业银行股份有限公司偿还贷款本金{a}元及利息、罚息、复利，原告对抵押房产享有优先受偿权。"),
        ("sale", (c, a) => $"被申请人于裁决生效之日起十五日内向申请人{c}支付货款{a}元及逾期付款违约金。"),
        ("construction", (c, a) => $"被告支付原告{c}工程款{a}元，并承担诉讼费、保全费。"),
        ("wages", (c, a) => $"被申请人于本裁决生效之日起五日内支付申请人{c}拖欠的工资{a}元及经济补偿金。"),
        ("rent", (c, a) => $"被告于本判决生效之日起十日内支付原告{c}房屋租金{a}元及物业费、水电费，并搬离租赁房屋。"),
        ("child-support", (c, a) => $"被告每月支付婚生子抚养费1500元至其年满十八周岁止，并一次性支付拖欠的抚养费{a}元。"),
        ("elder-support", (c, a) => $"被告每月给付原告{c}赡养费800元，并承担原告医疗费用{a}元的一半。"),
        ("traffic", (c, a) => $"被告赔偿原告{c}因交通事故造成的医疗费、误工费、护理费、残疾赔偿金共计{a}元。"),
        ("injury", (c, a) => $"被告赔偿原告{c}人身损害赔偿金{a}元，并赔礼道歉。"),
        ("vacate", (c, a) => $"被告于本判决生效之日起三十日内腾退位于本市的房屋并交还原告{c}，支付房屋占用费{a}元。"),
        ("guarantee", (c, a) => $"被告对债务人所欠原告{c}借款本金{a}元及利息承担连带清偿责任。"),
        ("shares", (c, a) => $"被告于本判决生效之日起十日内向原告{c}支付股权转让款{a}元及违约金。"),
        ("partnership", (c, a) => $"被告返还原告{c}合伙投资款{a}元，并支付资金占用利息。"),
        ("property-fee", (c, a) => $"被告支付原告{c}物业服务费{a}元及滞纳金。"),
        ("divorce", (c, a) => $"被告于本判决生效之日起十日内支付原告{c}夫妻共同财产折价款{a}元。"),
    ];

    private static string Obligation(Random r, string creditor, decimal principal) =>
        Pick(r, Obligations).Text(creditor, principal.ToString("0.##", CultureInfo.InvariantCulture));

    private static string IdNumberFor(Random r, Court court, DateOnly published, bool male)
    {
        var oldest = published.AddYears(-75);
        var youngest = published.AddYears(-19);
        var birth = oldest.AddDays(r.Next(youngest.DayNumber - oldest.DayNumber));
        // The sequence's last digit is odd for a man, even for a woman (GB 11643).
        var sequence = (r.Next(0, 100) * 10 + r.Next(0, 5) * 2 + (male ? 1 : 0)).ToString("000", CultureInfo.InvariantCulture);
        if (birth.Year < 2000 && r.NextDouble() < 0.02)
            return court.Region + birth.ToString("yyMMdd", CultureInfo.InvariantCulture) + sequence;
        var first17 = court.Region + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence;
        return first17 + IdNumber.CheckCharacter(first17);
    }

    private static string CreditCodeFor(Random r, Court court)
    {
        const string orgChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        var body = new string(Enumerable.Range(0, 8).Select(_ => orgChars[r.Next(r.NextDouble() < 0.7 ? 10 : orgChars.Length)]).ToArray());
        var organization = body + CreditCode.OrganizationCodeCheckCharacter(body);
        var first17 = "91" + court.Region + organization;
        return first17 + CreditCode.UsccCheckCharacter(first17);
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];
}
