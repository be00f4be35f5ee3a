using System.Text;

namespace Portal.Search.Analysis;

/// <summary>
/// Chinese text analysis with ICU: NFKC (full width to half width), lower case, Traditional to Simplified, toneless
/// pinyin (with the readings surnames take), and the distinctive part of an organization name. Thread-safe after
/// construction.
/// </summary>
public sealed class ChineseAnalyzer
{
    /// <summary>Longer input is cut: no name is this long, and it bounds the work a query can cause.</summary>
    public const int MaxQueryLength = 100;

    private static readonly Lazy<ChineseAnalyzer> Shared = new(() => new ChineseAnalyzer());

    // Traditional → Simplified per character, read once from ICU (its mapping of this block is one to one).
    private readonly Dictionary<char, char> _simplified = new();

    // Toneless pinyin per Simplified character, read once from ICU's Han-Latin (its most common reading).
    private readonly Dictionary<char, string> _pinyin = new();
    private readonly HashSet<string> _syllables = new(StringComparer.Ordinal);
    private readonly HashSet<string> _syllablePrefixes = new(StringComparer.Ordinal);

    public static ChineseAnalyzer Instance => Shared.Value;

    private ChineseAnalyzer()
    {
        Icu.Wrapper.Init();
        using var transliterator = Icu.Transliterator.CreateInstance(
            "Traditional-Simplified", Icu.Transliterator.UTransDirection.Forward, null);
        // In chunks: icu.net fails with OutOfMemoryException on one call over the whole range.
        for (var start = 0x3400; start <= 0x9FFF; start += 2048)
        {
            var chunk = new StringBuilder();
            for (var c = start; c < start + 2048 && c <= 0x9FFF; c++)
                if (c is < 0x4DC0 or >= 0x4E00) chunk.Append((char)c);
            if (chunk.Length == 0) continue;
            var source = chunk.ToString();
            var target = transliterator.Transliterate(source, source.Length * 2);
            if (target.Length == source.Length)
            {
                for (var i = 0; i < source.Length; i++)
                    if (source[i] != target[i]) _simplified[source[i]] = target[i];
                continue;
            }
            foreach (var ch in source)
            {
                var s = transliterator.Transliterate(ch.ToString(), 8);
                if (s.Length == 1 && s[0] != ch) _simplified[ch] = s[0];
            }
        }

        using var latin = Icu.Transliterator.CreateInstance("Han-Latin; Latin-ASCII", Icu.Transliterator.UTransDirection.Forward, null);
        for (var start = 0x4E00; start <= 0x9FFF; start += 2048)
        {
            var chunk = new StringBuilder();
            for (var c = start; c < start + 2048 && c <= 0x9FFF; c++) chunk.Append((char)c).Append('\n');
            var source = chunk.ToString();
            var readings = latin.Transliterate(source, source.Length * 8).Split('\n');
            for (var i = 0; i < readings.Length && start + i <= 0x9FFF && i < 2048; i++)
            {
                var reading = readings[i].Trim().ToLowerInvariant();
                if (reading.Length is > 0 and <= 6 && reading.All(char.IsAsciiLetterLower)) _pinyin[(char)(start + i)] = reading;
            }
        }
        foreach (var syllable in _pinyin.Values.Concat(SurnameReadings.SelectMany(s => s.Readings)))
        {
            _syllables.Add(syllable);
            for (var n = 1; n <= syllable.Length; n++) _syllablePrefixes.Add(syllable[..n]);
        }
    }

    public static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    /// <summary>
    /// Normalizes text for matching: drops control and format characters (zero-width ones too) and lone surrogates,
    /// applies NFKC, lower-cases, takes tone marks and other accents off Latin letters (zhāng → zhang, ü → u) and maps
    /// Traditional characters to Simplified. Keeps only letters (characters outside the Basic Multilingual Plane as
    /// whole surrogate pairs), digits and single spaces.
    /// </summary>
    public string Normalize(string? text, int maxLength = int.MaxValue)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var clean = new StringBuilder(Math.Min(text.Length, maxLength));
        for (var i = 0; i < text.Length && clean.Length < maxLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { clean.Append(c).Append(text[++i]); }
                continue;
            }
            if (char.IsLowSurrogate(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            {
                clean.Append(' ');
                continue;
            }
            clean.Append(c);
        }
        // ASCII and unified ideographs are already in NFKC: most names skip the call into ICU.
        var cleaned = clean.ToString();
        var nfkc = cleaned.All(c => c < 0x80 || IsHan(c)) ? cleaned : Icu.Normalizer.Normalize(cleaned, Icu.Normalizer.UNormalizationMode.UNORM_NFKC);
        var sb = new StringBuilder(nfkc.Length);
        var lastWasSpace = true;
        for (var i = 0; i < nfkc.Length; i++)
        {
            if (char.IsHighSurrogate(nfkc[i]) && i + 1 < nfkc.Length && char.IsLowSurrogate(nfkc[i + 1]))
            {
                if (Rune.IsLetterOrDigit(new Rune(nfkc[i], nfkc[i + 1])))
                {
                    sb.Append(nfkc[i]).Append(nfkc[i + 1]);
                    lastWasSpace = false;
                }
                else if (!lastWasSpace) { sb.Append(' '); lastWasSpace = true; }
                i++;
                continue;
            }
            if (Fold(nfkc[i]) is { } c)
            {
                sb.Append(c);
                lastWasSpace = false;
            }
            else if (!lastWasSpace)
            {
                sb.Append(' ');
                lastWasSpace = true;
            }
        }
        return sb.ToString().Trim();
    }

    /// <summary>
    /// One character as <see cref="Normalize"/> treats it, without ICU (for highlighting): full width to ASCII, lower
    /// case, accents off Latin letters, Traditional to Simplified; null for what normalization drops (and for half a
    /// surrogate pair, which the caller handles).
    /// </summary>
    public char? Fold(char c)
    {
        if (c is >= '\uFF01' and <= '\uFF5E') c = (char)(c - 0xFEE0);
        c = char.ToLowerInvariant(c);
        if (c is >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF'
            && c.ToString().Normalize(NormalizationForm.FormD)[0] is var plain && char.IsAsciiLetter(plain))
            c = char.ToLowerInvariant(plain);
        if (_simplified.TryGetValue(c, out var simple)) c = simple;
        return char.IsLetterOrDigit(c) && !char.IsSurrogate(c) ? c : null;
    }

    public bool IsSyllable(ReadOnlySpan<char> text) => _syllables.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text);

    /// <summary>True when some syllable begins with <paramref name="text"/> (someone still typing it).</summary>
    public bool IsSyllablePrefix(string text) => _syllablePrefixes.Contains(text);

    /// <summary>The whole text normalized, without spaces: what names are compared by.</summary>
    public string Key(string? text, int maxLength = MaxQueryLength * 4) => Normalize(text, maxLength).Replace(" ", "");

    /// <summary>The toneless reading of a (Simplified) character, or null for a character without one.</summary>
    public string? Reading(char c) => _pinyin.GetValueOrDefault(c);

    // Surnames read differently from the character's everyday reading (单 is shan, not dan), compound ones first.
    private static readonly (string Surname, string[] Readings)[] SurnameReadings =
    [
        ("尉迟", ["yu", "chi"]), ("万俟", ["mo", "qi"]), ("单于", ["chan", "yu"]), ("长孙", ["zhang", "sun"]), ("澹台", ["tan", "tai"]),
        ("欧阳", ["ou", "yang"]), ("令狐", ["ling", "hu"]), ("皇甫", ["huang", "fu"]), ("上官", ["shang", "guan"]),
        ("单", ["shan"]), ("曾", ["zeng"]), ("解", ["xie"]), ("仇", ["qiu"]), ("区", ["ou"]), ("查", ["zha"]), ("朴", ["piao"]),
        ("盖", ["ge"]), ("乐", ["yue"]), ("覃", ["qin"]), ("翟", ["zhai"]), ("缪", ["miao"]), ("秘", ["bi"]), ("种", ["chong"]),
        ("员", ["yun"]), ("召", ["shao"]), ("冼", ["xian"]), ("繁", ["po"]), ("折", ["she"]), ("黑", ["he"]), ("隗", ["wei"]),
        ("蕃", ["pi"]), ("过", ["guo"]), ("沈", ["shen"]), ("柏", ["bai"]), ("华", ["hua"]), ("任", ["ren"]), ("燕", ["yan"]),
        ("宁", ["ning"]), ("贲", ["ben"]), ("句", ["gou"]), ("阚", ["kan"]), ("那", ["na"]), ("都", ["du"]), ("尉", ["yu"]),
    ];

    /// <summary>
    /// The syllables of a normalized key, one per character (letters and digits stand for themselves, a character without
    /// a reading for itself). For a person the surname takes its surname reading.
    /// </summary>
    public string[] Syllables(string key, bool person)
    {
        var syllables = new string[key.Length];
        var from = 0;
        if (person)
            foreach (var (surname, readings) in SurnameReadings)
                if (key.StartsWith(surname, StringComparison.Ordinal))
                {
                    readings.CopyTo(syllables, 0);
                    from = readings.Length;
                    break;
                }
        for (var i = from; i < key.Length; i++)
            syllables[i] = _pinyin.GetValueOrDefault(key[i]) ?? key[i].ToString();
        return syllables;
    }

    // Place names at the start (up to three levels) and legal forms at the end of an organization's name.
    private static readonly System.Text.RegularExpressions.Regex PlacePrefix = new(
        @"^(?:[\u4e00-\u9fff]{2,6}?(?:自治区|自治州|特别行政区|省|市|地区|盟|县|旗|区)){1,3}", System.Text.RegularExpressions.RegexOptions.Compiled);
    private static readonly string[] LegalForms =
    [
        "股份有限公司", "有限责任公司", "集团有限公司", "合伙企业有限合伙", "普通合伙企业", "有限合伙企业", "合伙企业", "有限公司",
        "分公司", "总公司", "公司", "经营部", "工作室", "个体工商户", "专业合作社", "合作社", "研究院", "事务所", "中心", "商行", "厂", "店",
    ];

    private static readonly string[] Provinces =
    [
        "内蒙古", "黑龙江", "北京", "天津", "河北", "山西", "辽宁", "吉林", "上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南",
        "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
    ];

    /// <summary>
    /// The distinctive part of an organization's key: without leading place names (洛阳市, 河南省洛阳市, 河南) and the legal form
    /// (有限公司, 股份有限公司 ...), so that these do not decide what matches. The key itself when nothing is left.
    /// </summary>
    public static string OrganizationCore(string key)
    {
        var core = key;
        foreach (var form in LegalForms)
            if (core.EndsWith(form, StringComparison.Ordinal))
            {
                if (core.Length > form.Length) core = core[..^form.Length];
                break;
            }
        if (Provinces.FirstOrDefault(p => core.StartsWith(p, StringComparison.Ordinal)) is { } province && core.Length > province.Length + 1)
            core = core[province.Length..].TrimStart('省');
        var place = PlacePrefix.Match(core);
        if (place.Success && place.Length < core.Length - 1) core = core[place.Length..];
        return core.Length == 0 ? key : core;
    }
}
