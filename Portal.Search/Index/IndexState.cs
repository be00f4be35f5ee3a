namespace Portal.Search.Index;

public sealed partial class SearchIndex
{
    /// <summary>A document as the index keeps it: the name, its analysis, and the values filters and facets read.</summary>
    private sealed class Doc
    {
        public long Id;
        public string Name = "";
        /// <summary>Normalized, without spaces: what names are compared by.</summary>
        public string Key = "";
        /// <summary>For an organization the distinctive part (no place prefix, no legal form); for a person the key.</summary>
        public string Core = "";
        /// <summary>One toneless syllable per character of <see cref="Core"/>, and their concatenation and initials.</summary>
        public string[] Syllables = [];
        public string Pinyin = "";
        public string Initials = "";
        public bool Person;
        public string ProvinceName = "", CourtName = "";
        public IReadOnlyList<string> CircumstanceCodes = [];
        public string? Masked;
        public long Published;
        public int EndsDay;
        public string[] Identifiers = [];
    }

    /// <summary>
    /// The numbers a query reads for every candidate, kept densely by ordinal so that ranking, filtering and counting
    /// thousands of matches does not visit the documents themselves.
    /// </summary>
    private struct Facts
    {
        /// <summary>A 64-bit signature of the key's characters: a name lacking one of the query's is ruled out unread.</summary>
        public ulong CharMask;
        public long Published;
        public int Court, Circumstances, FirstBigram, KeyHash, EndsDay;
        public short Province, Year, KeyLength, PinyinLength;
        public char First;
        public bool Person, Alive;
    }

    /// <summary>A growable list of document ordinals.</summary>
    private sealed class Posting
    {
        private int[] _items = new int[2];
        public int Count;

        public void Add(int ord)
        {
            if (Count > 0 && _items[Count - 1] == ord) return; // the same document again (a repeated character)
            if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
            _items[Count++] = ord;
        }

        public ReadOnlySpan<int> Span => _items.AsSpan(0, Count);

        /// <summary>
        /// The ordinals in at least <paramref name="minCount"/> of these postings, ascending, with how many hold each.
        /// Such an ordinal is in one of the (n − minCount + 1) shortest postings, so those drive (merged as they are
        /// read); the others are searched by galloping. Nothing is copied and no document is touched.
        /// </summary>
        public static IEnumerable<(int Ord, int Count)> Counted(IReadOnlyList<Posting> postings, int minCount)
        {
            if (postings.Count == 0 || minCount > postings.Count) yield break;
            var sorted = postings.OrderBy(p => p.Count).ToArray();
            var drivers = sorted.Length - Math.Max(1, minCount) + 1;
            var heads = new int[drivers];
            var cursors = new int[sorted.Length];
            while (true)
            {
                var next = int.MaxValue;
                for (var i = 0; i < drivers; i++)
                    if (heads[i] < sorted[i].Count && sorted[i]._items[heads[i]] < next) next = sorted[i]._items[heads[i]];
                if (next == int.MaxValue) yield break;
                for (var i = 0; i < drivers; i++)
                    if (heads[i] < sorted[i].Count && sorted[i]._items[heads[i]] == next) heads[i]++;
                var count = 0;
                for (var i = 0; i < sorted.Length; i++)
                {
                    var p = sorted[i];
                    cursors[i] = p.Advance(cursors[i], next);
                    if (cursors[i] < p.Count && p._items[cursors[i]] == next) count++;
                }
                if (count >= minCount) yield return (next, count);
            }
        }

        /// <summary>The first index at or after <paramref name="from"/> whose ordinal is not below <paramref name="target"/>.</summary>
        private int Advance(int from, int target)
        {
            if (from >= Count || _items[from] >= target) return from;
            var step = 1;
            var low = from;
            var high = from + 1;
            while (high < Count && _items[high] < target)
            {
                low = high;
                step <<= 1;
                high = from + step;
            }
            if (high > Count) high = Count;
            var i = Array.BinarySearch(_items, low + 1, high - low - 1 < 0 ? 0 : high - low - 1, target);
            return i >= 0 ? i : Math.Min(~i, high);
        }
    }

    /// <summary>
    /// Everything the index holds. A removed document leaves a null in <see cref="Docs"/> (its postings are skipped);
    /// a rebuild starts from an empty state.
    /// </summary>
    private sealed class State
    {
        public readonly List<Doc?> Docs = [];
        public readonly List<Facts> Facts = [];
        public readonly Dictionary<long, int> ById = [];
        public readonly Dictionary<int, Posting> Grams = [];          // character unigrams and bigrams of the key
        public readonly Dictionary<string, Posting> Syllables = [];   // pinyin syllables of the core
        public readonly Dictionary<string, Posting> SyllablePairs = [];  // consecutive syllables, "zhang san"
        public readonly Dictionary<string, Posting> FullPinyin = [];  // the core's whole reading
        public readonly Dictionary<string, Posting> Initials = [];
        public readonly Dictionary<string, Posting> Idents = [];
        private readonly Values _provinces = new(), _courts = new(), _circumstances = new();

        public void Add(Doc d)
        {
            Remove(d.Id);
            var circumstances = 0;
            foreach (var c in d.CircumstanceCodes) circumstances |= 1 << Math.Min(30, _circumstances.Id(c));
            var ord = Docs.Count;
            Docs.Add(d);
            var key = d.Key;
            Facts.Add(new Facts
            {
                Published = d.Published, Court = _courts.Id(d.CourtName), Circumstances = circumstances,
                Province = (short)_provinces.Id(d.ProvinceName), Year = (short)ChinaYear(d.Published),
                Person = d.Person, Alive = true, KeyLength = (short)Math.Min(key.Length, short.MaxValue), KeyHash = key.GetHashCode(),
                PinyinLength = (short)Math.Min(d.Pinyin.Length, short.MaxValue), First = key.Length > 0 ? key[0] : '\0',
                FirstBigram = key.Length > 1 ? Bigram(key[0], key[1]) : -1, CharMask = CharMaskOf(key), EndsDay = d.EndsDay,
            });
            ById[d.Id] = ord;
            for (var i = 0; i < key.Length; i++)
            {
                Of(Grams, key[i]).Add(ord);
                if (i + 1 < key.Length) Of(Grams, Bigram(key[i], key[i + 1])).Add(ord);
            }
            foreach (var syllable in d.Syllables) Of(Syllables, syllable).Add(ord);
            for (var i = 0; i + 1 < d.Syllables.Length; i++) Of(SyllablePairs, d.Syllables[i] + " " + d.Syllables[i + 1]).Add(ord);
            Of(FullPinyin, d.Pinyin).Add(ord);
            Of(Initials, d.Initials).Add(ord);
            foreach (var ident in d.Identifiers) Of(Idents, ident).Add(ord);
        }

        /// <summary>The publish year in China (UTC+8) of a UTC tick count.</summary>
        private static int ChinaYear(long utcTicks) => new DateTime(utcTicks, DateTimeKind.Utc).AddHours(8).Year;

        public static ulong CharMaskOf(IEnumerable<char> chars)
        {
            var mask = 0UL;
            foreach (var c in chars) mask |= 1UL << (c % 64);
            return mask;
        }

        public void Remove(long id)
        {
            if (!ById.Remove(id, out var ord)) return;
            Docs[ord] = null;
            System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Facts)[ord].Alive = false;
        }

        private static Posting Of<TKey>(Dictionary<TKey, Posting> map, TKey key) where TKey : notnull
        {
            if (!map.TryGetValue(key, out var p)) map[key] = p = new Posting();
            return p;
        }

        /// <summary>
        /// The filters and the listing-period cut-off as one test of an ordinal (null when there are none); a value never
        /// seen makes it reject everything.
        /// </summary>
        public Func<int, bool>? Filter(SearchFilters f, DateOnly? visibleOn)
        {
            var day = visibleOn?.DayNumber ?? int.MinValue;
            if (f.SubjectType is null or "" && f.Province is null or "" && f.Court is null or "" && f.Year is null && f.Circumstance is null or "")
            {
                if (visibleOn is null) return null;
                var all = Facts;
                return ord => all[ord].EndsDay >= day;
            }
            if (f.SubjectType is { Length: > 0 } and not ("person" or "organization")) return _ => false;
            bool? person = f.SubjectType switch { "person" => true, "organization" => false, _ => null };
            int? province = null, court = null, circumstance = null;
            if (f.Province is { Length: > 0 })
            {
                if (!_provinces.TryId(f.Province, out var p)) return _ => false;
                province = p;
            }
            if (f.Court is { Length: > 0 })
            {
                if (!_courts.TryId(f.Court, out var c)) return _ => false;
                court = c;
            }
            if (f.Circumstance is { Length: > 0 })
            {
                if (!_circumstances.TryId(f.Circumstance, out var c)) return _ => false;
                circumstance = 1 << Math.Min(30, c);
            }
            var year = f.Year;
            var facts = Facts;
            return ord => facts[ord] is var d
                        && d.EndsDay >= day
                        && (person is null || d.Person == person)
                        && (province is null || d.Province == province)
                        && (court is null || d.Court == court)
                        && (year is null || d.Year == year)
                        && (circumstance is null || (d.Circumstances & circumstance) != 0);
        }

        /// <summary>Counts per value over all matches, largest first (courts: the 30 largest).</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets(IReadOnlyList<Match> matches)
        {
            var types = new long[2];
            var provinces = new long[_provinces.Count];
            var courts = new long[_courts.Count];
            var circumstances = new long[Math.Min(31, _circumstances.Count)];
            var years = new Dictionary<int, long>();
            foreach (var m in matches)
            {
                var d = Facts[m.Ord];
                types[d.Person ? 0 : 1]++;
                provinces[d.Province]++;
                courts[d.Court]++;
                years[d.Year] = years.GetValueOrDefault(d.Year) + 1;
                for (var bit = 0; bit < circumstances.Length; bit++)
                    if ((d.Circumstances & (1 << bit)) != 0) circumstances[bit]++;
            }
            static IReadOnlyList<FacetCount> Ranked(IEnumerable<FacetCount> counts, int max = int.MaxValue) =>
                counts.Where(c => c.Count > 0).OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).Take(max).ToList();
            return new Dictionary<string, IReadOnlyList<FacetCount>>
            {
                [FacetFields.SubjectType] = Ranked([new("person", types[0]), new("organization", types[1])]),
                [FacetFields.Province] = Ranked(provinces.Select((n, i) => new FacetCount(_provinces.Name(i), n))),
                [FacetFields.Court] = Ranked(courts.Select((n, i) => new FacetCount(_courts.Name(i), n)), 30),
                [FacetFields.Year] = years.OrderByDescending(y => y.Key).Select(y => new FacetCount(y.Key.ToString(), y.Value)).ToList(),
                [FacetFields.Circumstance] = Ranked(circumstances.Select((n, i) => new FacetCount(_circumstances.Name(i), n))),
            };
        }
    }

    /// <summary>Interned values of one field, numbered in order of first appearance.</summary>
    private sealed class Values
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];

        public int Count => _names.Count;

        public int Id(string value)
        {
            if (_ids.TryGetValue(value, out var id)) return id;
            _ids[value] = id = _names.Count;
            _names.Add(value);
            return id;
        }

        public bool TryId(string value, out int id) => _ids.TryGetValue(value, out id);

        public string Name(int id) => _names[id];
    }
}
