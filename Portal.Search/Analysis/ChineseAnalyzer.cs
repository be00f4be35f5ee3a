using System.Text;

namespace Portal.Search.Analysis;

/// <summary>
/// Chinese text analysis with ICU: NFKC (full width to half width), lower case, Traditional to Simplified,
/// dictionary word segmentation plus CJK character unigrams and bigrams, so that 2- and 3-character names and
/// any part of an organization name are found. Thread-safe after construction.
/// </summary>
public sealed class ChineseAnalyzer
{
    /// <summary>Longer input is cut: no name is this long, and it bounds the work a query can cause.</summary>
    public const int MaxQueryLength = 100;

    private static readonly Lazy<ChineseAnalyzer> Shared = new(() => new ChineseAnalyzer());

    // Traditional → Simplified per character, read once from ICU (its mapping of this block is one to one).
    private readonly Dictionary<char, char> _simplified = new();

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
    }

    public static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    /// <summary>
    /// Normalizes text for matching: drops control characters and lone surrogates, applies NFKC, lower-cases and
    /// maps Traditional characters to Simplified. Keeps only letters, digits and single spaces.
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
            if (char.IsLowSurrogate(c) || char.IsControl(c)) { clean.Append(' '); continue; }
            clean.Append(c);
        }
        var nfkc = Icu.Normalizer.Normalize(clean.ToString(), Icu.Normalizer.UNormalizationMode.UNORM_NFKC);
        var sb = new StringBuilder(nfkc.Length);
        var lastWasSpace = true;
        foreach (var raw in nfkc)
        {
            var c = char.ToLowerInvariant(raw);
            if (_simplified.TryGetValue(c, out var simple)) c = simple;
            if (char.IsLetterOrDigit(c) && !char.IsSurrogate(c))
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

    /// <summary>Tokens stored for a name: Han unigrams, bigrams and dictionary words; Latin/digit words as they are.</summary>
    public IReadOnlyList<string> IndexTokens(string? name)
    {
        var normalized = Normalize(name);
        var tokens = new List<string>();
        foreach (var (run, isHan) in Runs(normalized))
        {
            if (!isHan) { tokens.Add(run); continue; }
            for (var i = 0; i < run.Length; i++)
            {
                tokens.Add(run.Substring(i, 1));
                if (i + 1 < run.Length) tokens.Add(run.Substring(i, 2));
            }
            if (run.Length > 2)
            {
                foreach (var word in Icu.BreakIterator.Split(Icu.BreakIterator.UBreakIteratorType.WORD, "zh", run))
                    if (word.Length > 2) tokens.Add(word);
            }
        }
        return tokens;
    }

    /// <summary>
    /// Tokens a query must all match: bigrams for Han runs of two or more (so 张三 does not match 三张),
    /// the character itself for a single Han character, Latin/digit words as they are.
    /// </summary>
    public IReadOnlyList<string> QueryTokens(string? query)
    {
        var normalized = Normalize(query, MaxQueryLength);
        var tokens = new List<string>();
        foreach (var (run, isHan) in Runs(normalized))
        {
            if (!isHan || run.Length == 1) { tokens.Add(run); continue; }
            for (var i = 0; i + 1 < run.Length; i++) tokens.Add(run.Substring(i, 2));
        }
        return tokens.Distinct().ToList();
    }

    /// <summary>Splits normalized text into maximal runs of Han characters and of other letters/digits.</summary>
    private static IEnumerable<(string Run, bool IsHan)> Runs(string normalized)
    {
        var start = -1;
        var han = false;
        for (var i = 0; i <= normalized.Length; i++)
        {
            var c = i < normalized.Length ? normalized[i] : ' ';
            var isSpace = c == ' ';
            var isHan = !isSpace && IsHan(c);
            if (start >= 0 && (isSpace || isHan != han))
            {
                yield return (normalized[start..i], han);
                start = -1;
            }
            if (!isSpace && start < 0) { start = i; han = isHan; }
        }
    }
}
