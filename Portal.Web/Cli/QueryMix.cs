using Portal.Data.Entries;

namespace Portal.Web.Cli;

/// <summary>
/// The benchmark's fixed query mix, made from entries of the corpus the way people type them: whole and partial
/// names, pinyin, Traditional characters, organizations by their distinctive part, case numbers in other bracket forms,
/// ID numbers with a lowercase x or spaces or in the 15-digit form, credit codes in lower case.
/// </summary>
public static class QueryMix
{
    // Enough Simplified → Traditional pairs for the generator's names to come out in Traditional characters.
    private const string Simplified = "陈张刘杨黄赵吴周孙马朱胡郭何罗郑梁谢宋韩冯邓萧叶苏吕卢钟谭陆汪范贾韦邹龙顾龚国华伟军强丽红兰凤云飞亮东宏荣庆晓鑫涛娟敏静洋杰鹏辉丹晨欣婷雪梅琳俊峰波春恒达汇鼎顺锦润宁兴业宝宇广厦万腾乐盛";
    private const string Traditional = "陳張劉楊黃趙吳周孫馬朱胡郭何羅鄭梁謝宋韓馮鄧蕭葉蘇呂盧鍾譚陸汪範賈韋鄒龍顧龔國華偉軍強麗紅蘭鳳雲飛亮東宏榮慶曉鑫濤娟敏靜洋傑鵬輝丹晨欣婷雪梅琳俊峰波春恆達匯鼎順錦潤寧興業寶宇廣廈萬騰樂盛";

    public static IReadOnlyList<(string Kind, string Text)> Build(IReadOnlyList<EntryInput> samples, int count, int seed)
    {
        var r = new Random(seed);
        var persons = samples.Where(s => s.SubjectType == "person").ToList();
        var orgs = samples.Where(s => s.SubjectType == "organization").ToList();
        var mix = new List<(string, string)>(count);
        for (var i = 0; mix.Count < count; i++)
        {
            var p = persons[r.Next(persons.Count)];
            var o = orgs[r.Next(orgs.Count)];
            mix.Add((i % 10) switch
            {
                0 or 1 => ("person name", p.Name!),
                2 => ("partial name", p.Name!.Length > 2 ? p.Name[..2] : p.Name[1..]),
                3 => ("pinyin", Pinyin(p.Name!)),
                4 => ("traditional", ToTraditional(p.Name!)),
                5 => ("organization part", Distinctive(o.Name!)),
                6 => ("organization name", o.Name!),
                7 => ("case number", CaseVariant(r.Next(2) == 0 ? p.CaseNumber! : o.CaseNumber!, r)),
                8 => ("ID number", IdVariant(p.IdNumber!, r)),
                _ => ("credit code", o.CreditCode!.ToLowerInvariant()),
            });
        }
        return mix;
    }

    private static string ToTraditional(string s) => new(s.Select(c => Simplified.IndexOf(c) is var i and >= 0 ? Traditional[i] : c).ToArray());

    /// <summary>The brand and industry of a generated company name: what is left without place and legal form.</summary>
    private static string Distinctive(string name)
    {
        var start = name.IndexOf('市') + 1;
        if (start == 0) start = name.IndexOf('省') + 1;
        var end = name.IndexOf("有限", StringComparison.Ordinal);
        if (end < 0) end = name.IndexOf("股份", StringComparison.Ordinal);
        if (end < 0) end = name.IndexOf("合伙", StringComparison.Ordinal);
        if (end <= start) end = name.Length;
        var core = name[start..end];
        return core.Length > 4 ? core[..4] : core;
    }

    private static string CaseVariant(string caseNumber, Random r) => r.Next(3) switch
    {
        0 => caseNumber.Replace('（', '(').Replace('）', ')'),
        1 => caseNumber.TrimEnd('号').Replace('（', '〔').Replace('）', '〕'),
        _ => caseNumber.Replace('（', '[').Replace('）', ']').TrimEnd('号'),
    };

    private static string IdVariant(string id, Random r) => id.Length != 18 ? id : r.Next(3) switch
    {
        0 => id.ToLowerInvariant(),
        1 => $"{id[..6]} {id[6..14]} {id[14..]}",
        _ => id[..6] + id[8..17], // the 15-digit legacy form of the same number
    };

    /// <summary>Pinyin as people type it, from the analyzer's own reading table (toneless, no spaces).</summary>
    public static Func<string, string> Pinyin { get; set; } = name => name;
}
