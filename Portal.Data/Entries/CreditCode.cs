namespace Portal.Data.Entries;

/// <summary>
/// An organization's identifier: the 18-character unified social credit code (GB 32100)
/// or the legacy 9-character organization code (GB 11714). Public in full.
/// </summary>
public static class CreditCode
{
    private const string UsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] UsccWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly int[] OrgWeights = [3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Upper-case, without spaces or the hyphen some print before an organization code's check character.</summary>
    public static string Normalize(string? text) =>
        new string((text ?? "").Normalize(System.Text.NormalizationForm.FormKC)
            .Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();

    public static char UsccCheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += UsccAlphabet.IndexOf(first17[i]) * UsccWeights[i];
        return UsccAlphabet[(31 - sum % 31) % 31];
    }

    public static char OrganizationCodeCheckCharacter(ReadOnlySpan<char> first8)
    {
        var sum = 0;
        for (var i = 0; i < 8; i++) sum += CharValue(first8[i]) * OrgWeights[i];
        var c = 11 - sum % 11;
        return c switch { 10 => 'X', 11 => '0', _ => (char)('0' + c) };
    }

    public static bool TryParse(string? text, out string code, out string? error)
    {
        code = Normalize(text);
        if (code.Length == 0) { error = "请填写统一社会信用代码或组织机构代码"; return false; }
        if (code.Length == 18)
        {
            for (var i = 0; i < 18; i++)
            {
                if (UsccAlphabet.IndexOf(code[i]) < 0)
                {
                    error = $"统一社会信用代码第{i + 1}位“{code[i]}”不是允许的字符（不使用I、O、S、V、Z）";
                    return false;
                }
            }
            var expected = UsccCheckCharacter(code);
            if (code[17] != expected) { error = $"统一社会信用代码校验位错误：第18位应为 {expected}"; return false; }
            error = null;
            return true;
        }
        if (code.Length == 9)
        {
            for (var i = 0; i < 8; i++)
            {
                if (!char.IsAsciiDigit(code[i]) && !char.IsAsciiLetterUpper(code[i]))
                {
                    error = $"组织机构代码第{i + 1}位应为数字或大写字母";
                    return false;
                }
            }
            var expected = OrganizationCodeCheckCharacter(code);
            if (code[8] != expected) { error = $"组织机构代码校验位错误：第9位应为 {expected}"; return false; }
            error = null;
            return true;
        }
        error = $"统一社会信用代码应为18位（旧版组织机构代码为9位），当前为{code.Length}位";
        return false;
    }

    public static bool IsValid(string? text) => TryParse(text, out _, out _);

    private static int CharValue(char c) => char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
}
