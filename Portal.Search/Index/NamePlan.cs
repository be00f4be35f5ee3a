using System.Text.RegularExpressions;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Portal.Search.Analysis;

namespace Portal.Search.Index;

public sealed partial class SearchIndex
{
    /// <summary>
    /// A name query worked out once, through the same analysis as the index (<see cref="NameAnalyzer"/>): its key, its
    /// distinctive part, the bigrams that choose candidates, its reading, and a masked ID number typed with it.
    /// <see cref="Collect"/> finds and ranks the matches in one segment, from the segment's postings and facts.
    /// </summary>
    private sealed partial class NamePlan
    {
        private string _key = "";           // what was typed, normalized, without spaces (the masked ID taken out)
        private string _core = "";          // its distinctive part (an organization's name without place and legal form)
        private int[] _bigrams = [];        // distinct bigrams of the core
        private string[] _bigramTerms = []; // the same as index terms
        private char[] _chars = [];         // distinct characters of the core
        private ulong _charMask;            // their signature (see Facts.CharMask)
        private string? _pinyin;            // for typed Latin letters: the whole reading (Han characters read too)
        private string[] _readings = [];    // for Han-only input: its possible readings (surname reading or not)
        private string? _masked;            // the visible digits of a masked ID number, '*' elsewhere
        private ChineseAnalyzer _analyzer = null!;

        [GeneratedRegex(@"(?<![0-9])[0-9]{2,}[*＊×]{2,}[0-9]*[0-9xX]?")]
        private static partial Regex MaskedId();

        public static NamePlan? Create(ChineseAnalyzer analyzer, NameAnalyzer queries, string? text)
        {
            var plan = new NamePlan { _analyzer = analyzer };
            text ??= "";
            if (MaskedId().Match(text) is { Success: true } m)
            {
                plan._masked = m.Value.Replace('＊', '*').Replace('×', '*').ToUpperInvariant();
                text = text.Remove(m.Index, m.Length);
            }
            if (text.Length > ChineseAnalyzer.MaxQueryLength * 2) text = text[..(ChineseAnalyzer.MaxQueryLength * 2)];
            plan._key = analyzer.Key(text, ChineseAnalyzer.MaxQueryLength);
            if (plan._key.Length == 0) return plan._masked is null ? null : plan;
            if (plan._key.Any(char.IsAsciiLetter))
            {
                plan._pinyin = queries.Terms(NameAnalyzer.Fields.Reading, plan._key).Single();
                plan._chars = plan._key.Where(ChineseAnalyzer.IsHan).Distinct().ToArray();
                return plan;
            }
            plan._core = queries.Terms(NameAnalyzer.Fields.Core, plan._key).Single();
            plan._chars = plan._core.Distinct().ToArray();
            plan._charMask = CharMaskOf(plan._chars);
            plan._bigrams = Enumerable.Range(0, Math.Max(0, plan._core.Length - 1)).Select(i => Bigram(plan._core[i], plan._core[i + 1])).Distinct().ToArray();
            plan._bigramTerms = queries.Terms(NameAnalyzer.Fields.Gram, plan._core).Where(t => t.Length == 2).Distinct().ToArray();
            if (plan._key.Length <= 4 && plan._key.All(ChineseAnalyzer.IsHan))
                plan._readings = new[] { true, false }.Select(person => string.Concat(analyzer.Syllables(plan._key, person))).Distinct().ToArray();
            return plan;
        }

        public void Collect(Segment s, FactsFilter? filter, Matches matches)
        {
            if (_key.Length == 0) { ScanMasked(s, filter, matches); return; }
            if (_pinyin is not null) { CollectPinyin(s, filter, matches); return; }
            var facts = s.Facts;

            if (_key.Length <= 2 && _masked is null)
            {
                // One character or one bigram: its posting is the answer, ranked from the facts alone. A name of the
                // query's length that holds it is the query; any other holds it somewhere.
                var gram = _key.Length == 1 ? _key[0] : Bigram(_key[0], _key[1]);
                if (s.Postings(NameAnalyzer.Fields.Gram, NameAnalyzer.GramTerm(_key)) is { } posting)
                    for (var ord = posting.NextDoc(); ord != DocIdSetIterator.NO_MORE_DOCS; ord = posting.NextDoc())
                    {
                        ref readonly var f = ref facts[ord];
                        if (filter is not null && !filter(in f)) continue;
                        if (f.KeyLength == _key.Length) matches.Add(s, ord, MatchKind.ExactName, 0);
                        else matches.Add(s, ord, MatchKind.Phrase, (_key.Length == 1 ? f.First == _key[0] : f.FirstBigram == gram) ? 0 : 1);
                    }
            }
            else
            {
                // Bigram postings say, without touching a document, which names hold all or at least half of the bigrams.
                foreach (var (ord, count) in Candidates(s))
                {
                    ref readonly var f = ref facts[ord];
                    if (filter is not null && !filter(in f)) continue;
                    var all = count == Math.Max(1, _bigrams.Length);
                    if (!all && (f.KeyLength < _core.Length || (f.CharMask & _charMask) != _charMask)) continue; // cannot be partial
                    if (!MaskAgrees(s, ord)) continue;
                    var key = s.Key(ord);
                    if (all && key == _key) matches.Add(s, ord, MatchKind.ExactName, 0);
                    else if (all && key.Contains(_key, StringComparison.Ordinal))
                        matches.Add(s, ord, MatchKind.Phrase, key.StartsWith(_key, StringComparison.Ordinal) ? 0 : 1);
                    else if (all && _core != _key && key.Contains(_core, StringComparison.Ordinal))
                        matches.Add(s, ord, MatchKind.Phrase, 2);
                    else if (key.Length >= _core.Length && HasChars(key))
                        matches.Add(s, ord, MatchKind.Partial, key[0] == _key[0] ? 0 : 1); // the surname counts most
                }
            }

            // Names that sound the same, character by character (章三 for 张三): approximate, after everything typed exactly.
            // Same length and another key, so never an exact or phrase match; a partial one is already counted.
            var keyHash = StableHash(_key);
            foreach (var reading in _readings)
                if (s.Postings(NameAnalyzer.Fields.Reading, reading) is { } posting)
                    for (var ord = posting.NextDoc(); ord != DocIdSetIterator.NO_MORE_DOCS; ord = posting.NextDoc())
                    {
                        ref readonly var f = ref facts[ord];
                        if (f.KeyLength != _key.Length || (filter is not null && !filter(in f))) continue;
                        var couldBePartial = _key.Length > 2 && (f.CharMask & _charMask) == _charMask;
                        if (f.KeyHash == keyHash || couldBePartial || _masked is not null)
                        {
                            var key = s.Key(ord);
                            if (key == _key || !MaskAgrees(s, ord) || IsPartial(key)) continue;
                        }
                        matches.Add(s, ord, MatchKind.Homophone, 0);
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
        private bool IsPartial(string key)
        {
            if (key.Length < _core.Length) return false; // a shorter name is another name
            foreach (var c in _chars)
                if (key.IndexOf(c) < 0) return false;
            if (_bigrams.Length == 0) return true;
            var found = _bigrams.Count(b => ContainsBigram(key, b));
            return found >= PartialMinimum;
        }

        /// <summary>
        /// Documents that can match: a partial match holds at least half the bigrams, so it holds one of any
        /// ⌊n/2⌋+1 of them; the rarest ones are taken.
        /// </summary>
        private IEnumerable<(int Ord, int Count)> Candidates(Segment s)
        {
            if (_bigrams.Length == 0)
                return s.Postings(NameAnalyzer.Fields.Gram, NameAnalyzer.GramTerm(_core.AsSpan(0, 1))) is { } single ? Counted([single], 1) : [];
            var postings = _bigramTerms.Select(t => s.Seek(NameAnalyzer.Fields.Gram, t))
                .Where(p => p.Docs is not null).OrderBy(p => p.Frequency).Select(p => p.Docs!).ToList();
            return Counted(postings, PartialMinimum);
        }

        /// <summary>
        /// The documents in at least <paramref name="minCount"/> of these postings (rarest first), ascending, with how many
        /// hold each. Such a document is in one of the (n − minCount + 1) rarest postings, so those drive; the others are
        /// advanced to each candidate (Lucene skips ahead in them). No document is read.
        /// </summary>
        private static IEnumerable<(int Ord, int Count)> Counted(IReadOnlyList<DocsEnum> postings, int minCount)
        {
            if (postings.Count == 0 || minCount > postings.Count) yield break;
            var drivers = postings.Count - Math.Max(1, minCount) + 1;
            for (var i = 0; i < drivers; i++) postings[i].NextDoc();
            while (true)
            {
                var next = DocIdSetIterator.NO_MORE_DOCS;
                for (var i = 0; i < drivers; i++) next = Math.Min(next, postings[i].DocID);
                if (next == DocIdSetIterator.NO_MORE_DOCS) yield break;
                // The drivers are positioned; the others are advanced, rarest first, only while a match is still possible.
                var count = 0;
                for (var i = 0; i < drivers; i++)
                    if (postings[i].DocID == next) count++;
                for (var i = drivers; i < postings.Count && count + (postings.Count - i) >= minCount; i++)
                {
                    var p = postings[i];
                    if (p.DocID < next) p.Advance(next);
                    if (p.DocID == next) count++;
                }
                for (var i = 0; i < drivers; i++)
                    if (postings[i].DocID == next) postings[i].NextDoc();
                if (count >= minCount) yield return (next, count);
            }
        }

        private void CollectPinyin(Segment s, FactsFilter? filter, Matches matches)
        {
            var pinyin = _pinyin!;
            var facts = s.Facts;
            var touch = _chars.Length > 0 || _masked is not null; // mixed input or a masked ID: the document must be read
            var added = new HashSet<int>();
            void Add(int ord, int strength)
            {
                ref readonly var f = ref facts[ord];
                if (filter is not null && !filter(in f)) return;
                if (touch && (!MaskAgrees(s, ord) || !HasChars(s.Key(ord)))) return;
                if (added.Add(ord)) matches.Add(s, ord, MatchKind.Pinyin, strength);
            }
            // The whole reading; then initials (never as long as a reading of the same name).
            if (s.Postings(NameAnalyzer.Fields.Reading, pinyin) is { } same)
                for (var ord = same.NextDoc(); ord != DocIdSetIterator.NO_MORE_DOCS; ord = same.NextDoc()) Add(ord, 0);
            if (pinyin.Length <= 5 && s.Postings(NameAnalyzer.Fields.Initials, pinyin) is { } initials)
                for (var ord = initials.NextDoc(); ord != DocIdSetIterator.NO_MORE_DOCS; ord = initials.NextDoc())
                    if (facts[ord].PinyinLength != pinyin.Length) Add(ord, 3);

            // A run of whole syllables inside a longer reading ("zhangsan" in 张三丰, "hengda" in 恒达建筑), or the
            // beginning of one typed so far ("zhangs"). A reading of the same length is the whole one, counted above.
            if (SplitSyllables(pinyin, _analyzer, allowPartialLast: true) is not { Count: > 0 } syllables) return;
            var whole = syllables.Where(x => _analyzer.IsSyllable(x)).ToList();
            if (whole.Count == 0) return;
            // Two whole syllables or more: the postings of consecutive pairs are far shorter than those of single syllables.
            var terms = whole.Count >= 2
                ? whole.Zip(whole.Skip(1), (a, b) => (Field: NameAnalyzer.Fields.Pair, Term: a + " " + b))
                : whole.Select(x => (Field: NameAnalyzer.Fields.Syllable, Term: x));
            var postings = new List<(DocsEnum Docs, int Frequency)>();
            foreach (var (field, term) in terms.Distinct())
            {
                if (s.Seek(field, term) is not ({ } docs, var frequency)) return;
                postings.Add((docs, frequency));
            }
            foreach (var (ord, _) in Counted(postings.OrderBy(p => p.Frequency).Select(p => p.Docs).ToList(), postings.Count))
            {
                if (facts[ord].PinyinLength <= pinyin.Length) continue;
                var docSyllables = s.Syllables(ord);
                if (SyllableRun(docSyllables, pinyin) is { } at) Add(ord, at == 0 ? 1 : 2);
                else if (string.Concat(docSyllables).StartsWith(pinyin, StringComparison.Ordinal)) Add(ord, 1);
            }
        }

        private static bool ContainsBigram(string key, int bigram)
        {
            for (var i = 0; i + 1 < key.Length; i++)
                if (Bigram(key[i], key[i + 1]) == bigram) return true;
            return false;
        }

        private bool HasChars(string key)
        {
            foreach (var c in _chars)
                if (key.IndexOf(c) < 0) return false;
            return true;
        }

        /// <summary>The index of the syllable where the typed reading starts, if it covers whole syllables of the document's.</summary>
        private static int? SyllableRun(string[] syllables, string pinyin)
        {
            for (var start = 0; start < syllables.Length; start++)
            {
                var length = 0;
                for (var i = start; i < syllables.Length && length < pinyin.Length; i++)
                {
                    var syllable = syllables[i];
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
        public static List<string>? SplitSyllables(string pinyin, ChineseAnalyzer analyzer, bool allowPartialLast)
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

        private bool MaskAgrees(Segment s, int doc)
        {
            if (_masked is null) return true;
            if (s.Masked(doc) is not { } stored || stored.Length != _masked.Length) return false;
            for (var i = 0; i < stored.Length; i++)
            {
                var typed = _masked[i];
                if (typed != '*' && stored[i] != '*' && char.ToUpperInvariant(stored[i]) != typed) return false;
            }
            return true;
        }

        /// <summary>A masked ID number typed alone: every document whose visible digits agree.</summary>
        private void ScanMasked(Segment s, FactsFilter? filter, Matches matches)
        {
            for (var doc = 0; doc < s.Facts.Length; doc++)
                if (s.IsLive(doc) && (filter is null || filter(in s.Facts[doc])) && MaskAgrees(s, doc))
                    matches.Add(s, doc, MatchKind.Partial, 0);
        }

        /// <summary>Where the typed text is in the name as stored (positions in <see cref="Doc.Name"/>).</summary>
        public IReadOnlyList<TextSpan> Highlight(ChineseAnalyzer analyzer, string name, bool person, MatchKind kind)
        {
            if (kind is MatchKind.Identifier or MatchKind.Homophone || _key.Length == 0) return [];
            // Fold the stored name character by character, remembering where each folded character came from (a letter
            // outside the Basic Multilingual Plane stays as its two units).
            var folded = new List<(char C, int At)>(name.Length);
            for (var i = 0; i < name.Length; i++)
            {
                if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                {
                    if (System.Text.Rune.IsLetterOrDigit(new System.Text.Rune(name[i], name[i + 1]))) { folded.Add((name[i], i)); folded.Add((name[i + 1], i + 1)); }
                    i++;
                }
                else if (analyzer.Fold(name[i]) is { } c) folded.Add((c, i));
            }
            var marked = new bool[name.Length];
            void Mark(int from, int length)
            {
                for (var j = from; j < from + length && j < folded.Count; j++) marked[folded[j].At] = true;
            }
            var text = new string(folded.Select(f => f.C).ToArray());
            if (kind == MatchKind.Pinyin)
            {
                var syllables = analyzer.Syllables(text, person);
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
            // What normalization drops (a middle dot, a space) between two marked characters is part of the match.
            for (var j = 1; j < folded.Count; j++)
                if (marked[folded[j - 1].At] && marked[folded[j].At])
                    for (var k = folded[j - 1].At + 1; k < folded[j].At; k++) marked[k] = true;
            // Never half a surrogate pair.
            for (var i = 0; i + 1 < marked.Length; i++)
                if (char.IsHighSurrogate(name[i]) && char.IsLowSurrogate(name[i + 1]) && (marked[i] || marked[i + 1])) marked[i] = marked[i + 1] = true;
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
