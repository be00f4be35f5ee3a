using System.Text;
using System.Text.RegularExpressions;

namespace Portal.Data.Entries;

/// <summary>
/// A case number such as （2019）豫0311执1234号. People type it with any brackets, in full or half width,
/// with or without the trailing 号; <see cref="Key"/> is the same for all of those.
/// </summary>
public static partial class CaseNumber
{
    private const string Brackets = "()（）〔〕[]【】{}｛｝〈〉<>《》";

    // The court code is 最高法 or one character (a province's abbreviation, 兵, 军) and its digits (法〔2015〕137号): a
    // high court's （2019）豫执恢12号 has the court 豫 and the case kind 执恢.
    [GeneratedRegex(@"^(?<year>\d{4})(?<court>最高法|\p{IsCJKUnifiedIdeographs}\d{0,6})(?<kind>\p{IsCJKUnifiedIdeographs}{1,4})(?<seq>\d{1,6}(之\d{1,3})?)$")]
    private static partial Regex Shape();

    /// <summary>The bracket-, width-, space- and 号-insensitive lookup key: 2019豫0311执1234.</summary>
    public static string Key(string? text)
    {
        var s = (text ?? "").Normalize(NormalizationForm.FormKC);
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c) || Brackets.Contains(c)) continue;
            sb.Append(c);
        }
        if (sb.Length > 0 && sb[^1] == '号') sb.Length--;
        return sb.ToString();
    }

    /// <summary>Parses any typed form into the canonical （2019）豫0311执1234号.</summary>
    public static bool TryParse(string? text, out string canonical, out string key, out string? error)
    {
        key = Key(text);
        canonical = "";
        if (key.Length == 0) { error = "请填写案号"; return false; }
        var m = Shape().Match(key);
        if (!m.Success)
        {
            error = "案号格式不正确，应如“（2019）豫0311执1234号”：括号内为立案年度，其后为法院代字、案件类型代字和序号";
            return false;
        }
        var year = int.Parse(m.Groups["year"].Value);
        if (year < 1980 || year > DateTime.UtcNow.Year + 1)
        {
            error = $"案号中的年度“{year}”不在合理范围内";
            return false;
        }
        canonical = $"（{m.Groups["year"].Value}）{m.Groups["court"].Value}{m.Groups["kind"].Value}{m.Groups["seq"].Value}号";
        error = null;
        return true;
    }

    /// <summary>The court code in a case number (豫0311 in （2019）豫0311执1234号), or null.</summary>
    public static string? CourtCode(string? text) => Shape().Match(Key(text)) is { Success: true } m ? m.Groups["court"].Value : null;

    /// <summary>True when the text has the shape of a case number (used to route a search box query).</summary>
    public static bool LooksLikeCaseNumber(string? text) => Shape().IsMatch(Key(text));
}
