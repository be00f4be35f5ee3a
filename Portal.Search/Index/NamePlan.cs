using System.Text.RegularExpressions;
using Portal.Search.Analysis;

namespace Portal.Search.Index;

public sealed partial class SearchIndex
{
    /// <summary>
    /// A name query worked out once: its key, its distinctive part, the bigrams that choose candidates, its reading,
    /// and a masked ID number typed with it. <see cref="Collect"/> finds and ranks the matches.
    /// </summary>
    private sealed partial class NamePlan
    {
        private string _key = "";           // what was typed, normalized, without spaces (the masked ID taken out)
        private string _core = "";          // its distinctive part (an organization's name without place and legal form)
        private int[] _bigrams = [];        // distinct bigrams of the core
        private char[] _chars = [];         // distinct characters of the core
        private ulong _charMask;            // their signature (see Facts.CharMask)
        private string? _pinyin;            // for typed Latin letters: the whole reading (Han characters read too)
        private string[] _readings = [];    // for Han-only input: its possible readings (surname reading or not)
        private string? _masked;            // the visible digits of a masked ID number, '*' elsewhere
        private ChineseAnalyzer _analyzer = null!;

        [GeneratedRegex(@"(?<![0-9])[0-9]{2,}[*＊×]{2,}[0-9]*[0-9xX]?")]
        private static partial Regex MaskedId();

        public static NamePlan? Create(ChineseAnalyzer analyzer, string? text)
        {
            var plan = new NamePlan { _analyzer = analyzer };
            text ??= "";
            if (MaskedId().Match(text) is { Success: true } m)
            {
                plan._masked = m.Value.Replace('＊', '*').Replace('×', '*').ToUpperInvariant();
                text = text.Remove(m.Index, m.Length);
            }
            plan._key = analyzer.Key(text, ChineseAnalyzer.MaxQueryLength);
            if (plan._key.Length == 0) return plan._masked is null ? null : plan;
            if (plan._key.Any(char.IsAsciiLetter))
            {
                plan._pinyin = PinyinOf(analyzer, plan._key);
                plan._chars = plan._key.Where(ChineseAnalyzer.IsHan).Distinct().ToArray();
                return plan;
            }
            plan._core = plan._key.Length >= 4 ? ChineseAnalyzer.OrganizationCore(plan._key) : plan._key;
            plan._chars = plan._core.Distinct().ToArray();
            plan._charMask = State.CharMaskOf(plan._chars);
            plan._bigrams = Enumerable.Range(0, Math.Max(0, plan._core.Length - 1)).Select(i => Bigram(plan._core[i], plan._core[i + 1])).Distinct().ToArray();
            if (plan._key.Length <= 4 && plan._key.All(ChineseAnalyzer.IsHan))
                plan._readings = new[] { true, false }.Select(person => string.Concat(analyzer.Syllables(plan._key, person))).Distinct().ToArray();
            return plan;
        }

        /// <summary>Typed Latin letters as they are (v for ü), Han characters by their reading.</summary>
        public static string PinyinOf(ChineseAnalyzer analyzer, string key) => string.Concat(analyzer.Syllables(key, person: true)).Replace('v', 'u');

        public void Collect(State s, Func<int, bool>? filter, Matches matches)
        {
            if (_key.Length == 0) { ScanMasked(s, filter, matches); return; }
            if (_pinyin is not null) { CollectPinyin(s, filter, matches); return; }
            var facts = s.Facts;

            if (_key.Length <= 2 && _masked is null)
            {
                // One character or one bigram: its posting is the answer, ranked from the facts alone. A name of the
                // query's length that holds it is the query; any other holds it somewhere.
                var gram = _key.Length == 1 ? _key[0] : Bigram(_key[0], _key[1]);
                if (s.Grams.TryGetValue(gram, out var posting))
                    foreach (var ord in posting.Span)
                    {
                        var f = facts[ord];
                        if (!f.Alive || (filter is not null && !filter(ord))) continue;
                        if (f.KeyLength == _key.Length) matches.Add(new Match(ord, MatchKind.ExactName, 0, f.Published));
                        else matches.Add(new Match(ord, MatchKind.Phrase, (_key.Length == 1 ? f.First == _key[0] : f.FirstBigram == gram) ? 0 : 1, f.Published));
                    }
            }
            else
            {
                // Bigram postings say, without touching a document, which names hold all or at least half of the bigrams.
                foreach (var (ord, count) in Candidates(s))
                {
                    var f = facts[ord];
                    if (!f.Alive || (filter is not null && !filter(ord))) continue;
                    var all = count == Math.Max(1, _bigrams.Length);
                    if (!all && (f.KeyLength < _core.Length || (f.CharMask & _charMask) != _charMask)) continue; // cannot be partial
                    var d = s.Docs[ord]!;
                    if (!MaskAgrees(d)) continue;
                    if (all && d.Key == _key) matches.Add(new Match(ord, MatchKind.ExactName, 0, f.Published));
                    else if (all && d.Key.Contains(_key, StringComparison.Ordinal))
                        matches.Add(new Match(ord, MatchKind.Phrase, d.Key.StartsWith(_key, StringComparison.Ordinal) ? 0 : 1, f.Published));
                    else if (all && _core != _key && d.Key.Contains(_core, StringComparison.Ordinal))
                        matches.Add(new Match(ord, MatchKind.Phrase, 2, f.Published));
                    else if (d.Key.Length >= _core.Length && HasChars(d))
                        matches.Add(new Match(ord, MatchKind.Partial, d.Key[0] == _key[0] ? 0 : 1, f.Published)); // the surname counts most
                }
            }

            // Names that sound the same, character by character (章三 for 张三): approximate, after everything typed exactly.
            // Same length and another key, so never an exact or phrase match; a partial one is already counted.
            var keyHash = _key.GetHashCode();
            foreach (var reading in _readings)
                if (s.FullPinyin.TryGetValue(reading, out var posting))
                    foreach (var ord in posting.Span)
                    {
                        var f = facts[ord];
                        if (!f.Alive || f.KeyLength != _key.Length || (filter is not null && !filter(ord))) continue;
                        var couldBePartial = _key.Length > 2 && (f.CharMask & _charMask) == _charMask;
                        if (f.KeyHash == keyHash || couldBePartial || _masked is not null)
                        {
                            var d = s.Docs[ord]!;
                            if (d.Key == _key || !MaskAgrees(d) || IsPartial(d)) continue;
                        }
                        matches.Add(new Match(ord, MatchKind.Homophone, 0, f.Published));
                    }
        }

        /// <summary>
        /// How many of the core's bigrams a partial match holds: half of a short one, all but one of a long one (a
        /// whole company name typed with one character different or missing).
        /// </summary>
        private int PartialMinimum => _bigrams.Length <= 3 ? (_bigrams.Length + 1) / 2 : _bigrams.Length - 1;

        /// <summary>
        /// Every character of the core in the name, and at least half of its bigrams: so 洛阳恒达 finds 洛阳市恒达建筑…, but
        /// 张三 does not find 三张 or 张小三, and a shared legal form does not make a match.
        /// </summary>
        private bool IsPartial(Doc d)
        {
            if (d.Key.Length < _core.Length) return false; // a shorter name is another name
            foreach (var c in _chars)
                if (d.Key.IndexOf(c) < 0) return false;
            if (_bigrams.Length == 0) return true;
            var found = _bigrams.Count(b => ContainsBigram(d.Key, b));
            return found >= PartialMinimum;
        }

        /// <summary>
        /// Documents that can match: a partial match holds at least half the bigrams, so it holds one of any
        /// ⌊n/2⌋+1 of them; the rarest ones are taken.
        /// </summary>
        private IEnumerable<(int Ord, int Count)> Candidates(State s)
        {
            if (_bigrams.Length == 0)
                return s.Grams.TryGetValue(_core[0], out var single) ? Posting.Counted([single], 1) : [];
            var postings = _bigrams.Select(b => s.Grams.GetValueOrDefault(b)).Where(p => p is not null).Select(p => p!).ToList();
            return Posting.Counted(postings, PartialMinimum);
        }

        private void CollectPinyin(State s, Func<int, bool>? filter, Matches matches)
        {
            var pinyin = _pinyin!;
            var facts = s.Facts;
            var touch = _chars.Length > 0 || _masked is not null; // mixed input or a masked ID: the document must be read
            void Add(int ord, int strength)
            {
                var f = facts[ord];
                if (!f.Alive || (filter is not null && !filter(ord))) return;
                if (touch && s.Docs[ord] is { } d && (!MaskAgrees(d) || !HasChars(d))) return;
                matches.Add(new Match(ord, MatchKind.Pinyin, strength, f.Published));
            }
            // The whole reading; then initials (never as long as a reading of the same name).
            if (s.FullPinyin.TryGetValue(pinyin, out var same)) foreach (var ord in same.Span) Add(ord, 0);
            if (pinyin.Length <= 5 && s.Initials.TryGetValue(pinyin, out var initials))
                foreach (var ord in initials.Span)
                    if (facts[ord].PinyinLength != pinyin.Length) Add(ord, 3);

            // A run of whole syllables inside a longer reading ("zhangsan" in 张三丰, "hengda" in 恒达建筑), or the
            // beginning of one typed so far ("zhangs"). A reading of the same length is the whole one, counted above.
            if (Segment(pinyin, _analyzer, allowPartialLast: true) is not { Count: > 0 } syllables) return;
            var whole = syllables.Where(x => _analyzer.IsSyllable(x)).ToList();
            if (whole.Count == 0) return;
            // Two whole syllables or more: the postings of consecutive pairs are far shorter than those of single syllables.
            var postings = (whole.Count >= 2
                ? whole.Zip(whole.Skip(1), (a, b) => s.SyllablePairs.GetValueOrDefault(a + " " + b))
                : whole.Select(x => s.Syllables.GetValueOrDefault(x))).Distinct().ToList();
            if (postings.Any(p => p is null)) return;
            foreach (var (ord, _) in Posting.Counted(postings!, postings.Count))
            {
                if (facts[ord].PinyinLength <= pinyin.Length || s.Docs[ord] is not { } d) continue;
                if (SyllableRun(d, pinyin) is { } at) Add(ord, at == 0 ? 1 : 2);
                else if (d.Pinyin.StartsWith(pinyin, StringComparison.Ordinal)) Add(ord, 1);
            }
        }

        private static bool ContainsBigram(string key, int bigram)
        {
            for (var i = 0; i + 1 < key.Length; i++)
                if (Bigram(key[i], key[i + 1]) == bigram) return true;
            return false;
        }

        private bool HasChars(Doc d)
        {
            foreach (var c in _chars)
                if (d.Key.IndexOf(c) < 0) return false;
            return true;
        }

        /// <summary>The index of the syllable where the typed reading starts, if it covers whole syllables of the document's.</summary>
        private static int? SyllableRun(Doc d, string pinyin)
        {
            for (var start = 0; start < d.Syllables.Length; start++)
            {
                var length = 0;
                for (var i = start; i < d.Syllables.Length && length < pinyin.Length; i++)
                {
                    var syllable = d.Syllables[i];
                    if (string.CompareOrdinal(pinyin, length, syllable, 0, syllable.Length) != 0) break;
                    length += syllable.Length;
                }
                if (length == pinyin.Length) return start;
            }
            return null;
        }

        /// <summary>
        /// Splits typed pinyin into syllables, longest first; null when it is not pinyin. With <paramref name="allowPartialLast"/>
        /// the last piece may be the beginning of a syllable (someone still typing).
        /// </summary>
        public static List<string>? Segment(string pinyin, ChineseAnalyzer analyzer, bool allowPartialLast)
        {
            var result = new List<string>();
            for (var i = 0; i < pinyin.Length;)
            {
                var taken = 0;
                for (var length = Math.Min(6, pinyin.Length - i); length >= 1; length--)
                    if (analyzer.IsSyllable(pinyin.AsSpan(i, length))) { taken = length; break; }
                if (taken == 0)
                {
                    if (allowPartialLast && analyzer.IsSyllablePrefix(pinyin[i..])) { result.Add(pinyin[i..]); return result; }
                    return null;
                }
                result.Add(pinyin.Substring(i, taken));
                i += taken;
            }
            return result;
        }

        private bool MaskAgrees(Doc d)
        {
            if (_masked is null) return true;
            if (d.Masked is not { } stored || stored.Length != _masked.Length) return false;
            for (var i = 0; i < stored.Length; i++)
            {
                var typed = _masked[i];
                if (typed != '*' && stored[i] != '*' && char.ToUpperInvariant(stored[i]) != typed) return false;
            }
            return true;
        }

        /// <summary>A masked ID number typed alone: every document whose visible digits agree.</summary>
        private void ScanMasked(State s, Func<int, bool>? filter, Matches matches)
        {
            for (var ord = 0; ord < s.Docs.Count; ord++)
                if (s.Docs[ord] is { Masked: not null } d && (filter is null || filter(ord)) && MaskAgrees(d))
                    matches.Add(new Match(ord, MatchKind.Partial, 0, d.Published));
        }

        /// <summary>Where the typed text is in the name as stored (positions in <see cref="Doc.Name"/>).</summary>
        public IReadOnlyList<TextSpan> Highlight(ChineseAnalyzer analyzer, Doc d, MatchKind kind)
        {
            if (kind is MatchKind.Identifier or MatchKind.Homophone || _key.Length == 0) return [];
            // Fold the stored name character by character, remembering where each folded character came from.
            var folded = new List<(char C, int At)>(d.Name.Length);
            for (var i = 0; i < d.Name.Length; i++)
                if (analyzer.Fold(d.Name[i]) is { } c) folded.Add((c, i));
            var marked = new bool[d.Name.Length];
            void Mark(int from, int length)
            {
                for (var j = from; j < from + length && j < folded.Count; j++) marked[folded[j].At] = true;
            }
            var text = new string(folded.Select(f => f.C).ToArray());
            if (kind == MatchKind.Pinyin)
            {
                var syllables = analyzer.Syllables(text, d.Person);
                var pinyin = _pinyin!;
                for (var start = 0; start < syllables.Length; start++)
                {
                    int length = 0, end = start;
                    while (end < syllables.Length && length < pinyin.Length
                           && string.CompareOrdinal(pinyin, length, syllables[end], 0, syllables[end].Length) == 0)
                        length += syllables[end++].Length;
                    if (length == pinyin.Length) { Mark(start, end - start); break; }
                }
                if (!marked.Contains(true))
                    foreach (var c in _chars) for (var j = 0; j < text.Length; j++) if (text[j] == c) Mark(j, 1);
            }
            else
            {
                var whole = text.IndexOf(_key, StringComparison.Ordinal);
                if (whole >= 0) Mark(whole, _key.Length);
                else if (_core.Length > 0 && text.IndexOf(_core, StringComparison.Ordinal) is var core and >= 0) Mark(core, _core.Length);
                else
                {
                    for (var j = 0; j + 1 < text.Length; j++)
                        if (Array.IndexOf(_bigrams, Bigram(text[j], text[j + 1])) >= 0) Mark(j, 2);
                    if (!marked.Contains(true)) foreach (var c in _chars) for (var j = 0; j < text.Length; j++) if (text[j] == c) Mark(j, 1);
                }
            }
            var spans = new List<TextSpan>();
            for (var i = 0; i < marked.Length; i++)
            {
                if (!marked[i]) continue;
                var start = i;
                while (i + 1 < marked.Length && marked[i + 1]) i++;
                spans.Add(new TextSpan(start, i - start + 1));
            }
            return spans;
        }
    }
}
