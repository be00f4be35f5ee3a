using System.Globalization;
using Portal.Data.Entries;
using Portal.Data.Publication;

namespace Portal.Web.Components.Shared;

/// <summary>How values read on a page: dates in Chinese form, amounts in yuan, codes as their labels.</summary>
public static class Display
{
    private static readonly CultureInfo Zh = CultureInfo.GetCultureInfo("zh-CN");

    public static string Date(DateOnly? date) => date is { } d ? d.ToString("yyyy年M月d日", Zh) : "—";

    public static string Date(DateTime? utc) => utc is { } t ? Date(ChinaTime.DateOf(t)) : "—";

    /// <summary>Date and minute in China time, saying so: a reader elsewhere (or a server's log) must not take it for theirs.</summary>
    public static string Time(DateTime? utc) => utc is { } t ? (t + ChinaTime.Offset).ToString("yyyy年M月d日 HH:mm", Zh) + "（北京时间）" : "—";

    public static string Part(PublicPart? part)
    {
        if (part is null) return "—";
        var amount = part.Amount is { } a ? a.ToString("#,##0.##", Zh) + "元" : null;
        return string.Join("；", new[] { amount, part.Text }.Where(s => !string.IsNullOrEmpty(s)));
    }

    public static string SubjectType(string code) =>
        DomainLabels.TryParseSubjectType(code, out var t) ? t.Label() : code;

    public static string Gender(string? code) =>
        DomainLabels.TryParseGender(code, out var g) ? g.Label() : "—";

    public static string Performance(string code) =>
        DomainLabels.TryParsePerformanceStatus(code, out var s) ? s.Label() : code;

    public static IEnumerable<string> Circumstances(IEnumerable<string> codes) =>
        codes.Select(c => DomainLabels.TryParseCircumstance(c, out var f) ? f.Labels().First() : c);
}
