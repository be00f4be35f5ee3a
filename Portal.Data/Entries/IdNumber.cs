using System.Globalization;

namespace Portal.Data.Entries;

/// <summary>
/// An ID number built on GB 11643: 18 characters with an ISO 7064 MOD 11-2 check character, or the legacy 15-digit
/// form. Besides the resident ID cards of every region this covers the residence permits of Hong Kong, Macao and Taiwan
/// residents (region 810000, 820000, 830000) and the foreigner's permanent residence ID card of 2023 (9, the issuing
/// province, the nationality's ISO 3166 number, then birth date, sequence and check character like the others):
/// masking, the family and the keyed hash treat them all alike. Holds the full number: never render it, only
/// <see cref="Mask"/>.
/// </summary>
public readonly partial record struct IdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckChars = "10X98765432";

    // First two digits of the administrative division code (GB/T 2260): the 31 mainland provinces, Taiwan (71), and
    // Hong Kong, Macao and Taiwan residents' residence permits (81, 82, 83).
    private static readonly HashSet<int> ProvinceCodes =
    [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ];

    private IdNumber(string original, string canonical)
    {
        Original = original;
        Canonical = canonical;
    }

    /// <summary>As entered (after removing spaces and upper-casing X).</summary>
    public string Original { get; }

    /// <summary>The 18-character form; a legacy 15-digit number is converted (19 inserted, check computed).</summary>
    public string Canonical { get; }

    public bool IsLegacy => Original.Length == 15;

    /// <summary>
    /// The digits a masked number shows, the same for the 18- and 15-digit forms: region, birth year and sequence
    /// (13 digits). All numbers of one family look alike once masked; only month and day tell them apart.
    /// </summary>
    public string Family => string.Concat(Canonical.AsSpan(0, 10), Canonical.AsSpan(14, 3));

    /// <summary>The <see cref="Family"/> of a masked number as stored (18- or 15-digit form), or null.</summary>
    public static string? FamilyOfMasked(string? masked) => masked?.Length switch
    {
        18 => string.Concat(masked.AsSpan(0, 10), masked.AsSpan(14, 3)),
        15 => string.Concat(masked.AsSpan(0, 6), "19", masked.AsSpan(6, 2), masked.AsSpan(12, 3)),
        _ => null,
    };

    public DateOnly BirthDate => DateOnly.ParseExact(Canonical.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The sequence digit (17th of 18) is odd for men, even for women.</summary>
    public Gender Gender => (Canonical[16] - '0') % 2 == 1 ? Gender.Male : Gender.Female;

    public int AgeOn(DateOnly date) => AgeBetween(BirthDate, date);

    /// <summary>Region code and birth year stay visible; month and day are hidden (domain.md).</summary>
    public string Mask() => IsLegacy
        ? string.Concat(Original.AsSpan(0, 8), "****", Original.AsSpan(12))
        : string.Concat(Original.AsSpan(0, 10), "****", Original.AsSpan(14));

    public override string ToString() => Mask();

    /// <summary>
    /// Masks anything typed that has the length of an ID number (or a digit or two more or less), valid or not, so
    /// that echoing a person's query (with a typo in it) never repeats a full number. Other text is returned unchanged.
    /// </summary>
    public static string MaskTyped(string? text)
    {
        var s = Clean(text);
        if (s.Length is >= 15 and <= 20 && s[..^1].All(char.IsAsciiDigit))
            return s.Length == 15 ? string.Concat(s.AsSpan(0, 8), "****", s.AsSpan(12)) : string.Concat(s.AsSpan(0, 10), "****", s.AsSpan(14));
        return text ?? "";
    }

    /// <summary>
    /// <paramref name="text"/> with every run of digits as long as an ID number masked in place (digits written with
    /// spaces or hyphens between them count as one run): <c>张三 412702198403151512</c> → <c>张三 4127021984****1512</c>.
    /// For text that is kept or shown and may hold a number typed among words.
    /// </summary>
    public static string MaskDigitRuns(string? text) => DigitRun().Replace(MaskTyped(text), m =>
    {
        var digits = string.Concat(m.Value.Where(c => !char.IsWhiteSpace(c) && c != '-'));
        return digits.Length is 15 or 18 ? MaskTyped(digits) : string.Concat(digits.AsSpan(0, 6), new string('*', digits.Length - 10), digits.AsSpan(digits.Length - 4));
    });

    [System.Text.RegularExpressions.GeneratedRegex(@"\d(?:[\s-]?\d){12,}[\s-]?[\dXx]")]
    private static partial System.Text.RegularExpressions.Regex DigitRun();

    /// <summary>
    /// True when <paramref name="text"/> holds a run of 14 digits or more: a full ID number, or one with a typo, that a
    /// page must not repeat in a link or a form (a masked number such as 4127021984****1512 has no such run).
    /// </summary>
    public static bool HoldsIdLikeDigits(string? text) => text is not null && IdLikeDigits().IsMatch(text);

    /// <summary>Whether the text holds a whole valid ID number (18 digits with its check character, or 15), e.g. typed into a reference or a name.</summary>
    public static bool HoldsIdNumber(string? text) =>
        text is not null && IdCandidates().Matches(text).Any(m => IsValid(m.Value) || (m.Length > 15 && IsValid(m.Value[..15])));

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{17}[\dXx]|\d{15}")]
    private static partial System.Text.RegularExpressions.Regex IdCandidates();

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{14}")]
    private static partial System.Text.RegularExpressions.Regex IdLikeDigits();

    /// <summary>
    /// The public age: the age the person reaches in <paramref name="today"/>'s year, from the birth year the masked
    /// number shows. An age exact to the day would change on the birthday, and a page read daily would then give away
    /// the hidden month and day (and with them the whole number).
    /// </summary>
    public static int? AgeShown(string? masked, DateOnly today)
    {
        if (masked is null) return null;
        var year = masked.Length switch
        {
            18 => masked.AsSpan(6, 4),
            15 => string.Concat("19", masked.AsSpan(6, 2)).AsSpan(),
            _ => default,
        };
        return int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? today.Year - y : null;
    }

    public static int AgeBetween(DateOnly birth, DateOnly date)
    {
        var age = date.Year - birth.Year;
        if (date < birth.AddYears(age)) age--;
        return age;
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += (first17[i] - '0') * Weights[i];
        return CheckChars[sum % 11];
    }

    /// <summary>
    /// Removes spaces (ideographic ones too), hyphens and invisible format characters (zero-width spaces, joiners, byte
    /// order marks, as pasted from chat apps and PDFs), turns full-width digits into ASCII and upper-cases a trailing x.
    /// </summary>
    public static string Clean(string? text) =>
        new string((text ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-' && char.GetUnicodeCategory(c) != UnicodeCategory.Format).ToArray())
            .Normalize(System.Text.NormalizationForm.FormKC)
            .ToUpperInvariant();

    public static bool TryParse(string? text, out IdNumber id, out string? error)
    {
        id = default;
        var s = Clean(text);
        if (s.Length == 0) { error = "请填写身份证号码"; return false; }
        if (s.Length == 15)
        {
            if (!s.All(char.IsAsciiDigit)) { error = "15位旧版身份证号码只能包含数字"; return false; }
            if (s[0] == '9') { error = $"身份证号码的地区码无效：{s[..6]}"; return false; } // no 15-digit foreigner's card exists
            var first17 = string.Concat(s.AsSpan(0, 6), "19", s.AsSpan(6, 9));
            var canonical = first17 + CheckCharacter(first17);
            if (!CheckRegionAndBirth(canonical, out error)) return false;
            id = new IdNumber(s, canonical);
            return true;
        }
        if (s.Length != 18)
        {
            error = $"身份证号码应为18位（旧版为15位），当前为{s.Length}位";
            return false;
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(s[i])) { error = $"身份证号码第{i + 1}位应为数字"; return false; }
        }
        if (!char.IsAsciiDigit(s[17]) && s[17] != 'X') { error = "身份证号码第18位应为数字或X"; return false; }
        var expected = CheckCharacter(s);
        if (s[17] != expected) { error = $"身份证号码校验位错误：第18位应为 {expected}"; return false; }
        if (!CheckRegionAndBirth(s, out error)) return false;
        id = new IdNumber(s, s);
        return true;
    }

    public static bool IsValid(string? text) => TryParse(text, out _, out _);

    private static bool CheckRegionAndBirth(string canonical, out string? error)
    {
        var region = canonical[0] == '9' ? canonical.AsSpan(1, 2) : canonical.AsSpan(0, 2); // a foreigner's card: 9, then the province
        if (!ProvinceCodes.Contains(int.Parse(region, CultureInfo.InvariantCulture)) || (canonical[0] == '9' && region[0] is '7' or '8'))
        {
            error = $"身份证号码的地区码无效：{canonical[..6]}";
            return false;
        }
        var birth = canonical.Substring(6, 8);
        if (!DateOnly.TryParseExact(birth, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date.Year < 1900)
        {
            error = $"身份证号码中的出生日期无效：{birth[..4]}年{birth.Substring(4, 2)}月{birth.Substring(6, 2)}日";
            return false;
        }
        error = null;
        return true;
    }
}
