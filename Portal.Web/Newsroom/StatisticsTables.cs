using System.Globalization;
using System.Text;

namespace Portal.Web.Newsroom;

/// <summary>One table of the statistics: what the page shows beside its chart and what its CSV download holds.</summary>
public sealed record FigureTable(string Name, string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese.</summary>
    public byte[] Csv()
    {
        var csv = new StringBuilder();
        foreach (var line in Rows.Prepend(Headers))
            csv.Append(string.Join(',', line.Select(Newsroom.Csv.Cell))).Append("\r\n");
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }
}

/// <summary>The statistics as tables: the one place that decides their columns, for the page, the CSV and the tests.</summary>
public static class StatisticsTables
{
    public const string Months = "months", Provinces = "provinces", Cities = "cities", Courts = "courts", Circumstances = "circumstances",
        SubjectTypes = "subject-types", Performance = "performance", Shielding = "shielding", Takedowns = "takedowns";

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
    private static string Days(double d) => d.ToString("0.#", CultureInfo.InvariantCulture);
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string ShareOf(long part, long whole) => whole == 0 ? "0.0%" : Percent((double)part / whole);

    public static IReadOnlyDictionary<string, FigureTable> Of(ListStatistics s)
    {
        FigureTable Tallies(string name, string title, string what, IReadOnlyList<Tally> tallies)
        {
            var total = tallies.Sum(t => t.Count);
            return new(name, title, [what, "条目数", "占比"], tallies.Select(t => (IReadOnlyList<string>)[t.Label, N(t.Count), ShareOf(t.Count, total)]).ToList());
        }
        var tables = new[]
        {
            new FigureTable(Months, "每月新增与移除（北京时间）", ["月份", "发布", "屏蔽", "撤销", "届满", "不宜公开"],
                s.Months.Select(m => (IReadOnlyList<string>)[m.Month, N(m.Listed), N(m.Shielded), N(m.Revoked), N(m.Expired), N(m.Withdrawn)]).ToList()),
            Tallies(Provinces, "公开条目按省份", "省份", s.ByProvince),
            Tallies(Cities, "公开条目按市（地、州、盟）", "省份 市", s.ByCity),
            Tallies(Courts, "公开条目按执行法院", "执行法院", s.ByCourt),
            Tallies(Circumstances, "公开条目按失信情形（一个条目可有多种情形）", "失信情形", s.ByCircumstance),
            Tallies(SubjectTypes, "公开条目按被执行人类型", "被执行人类型", s.BySubjectType),
            Tallies(Performance, "公开条目的履行情况", "履行情况", s.ByPerformance),
            new FigureTable(Shielding, "各法院从屏蔽事由发生到屏蔽的天数", ["执行法院", "已屏蔽", "中位数（天）", "90%分位（天）", "3日内屏蔽的比例"],
                s.Shielding.Select(c => (IReadOnlyList<string>)[c.Court, N(c.Shielded), Days(c.MedianDays), Days(c.P90Days), Percent(c.WithinRuleShare)]).ToList()),
            new FigureTable(Takedowns, "登记转载方按期删除的比例", ["转载方", "删除通知", "按期确认", "按期比例"],
                s.Takedowns.Select(t => (IReadOnlyList<string>)[t.Reprinter, N(t.Notices), N(t.OnTime), Percent(t.OnTimeShare)]).ToList()),
        };
        return tables.ToDictionary(t => t.Name);
    }
}
