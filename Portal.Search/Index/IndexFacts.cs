using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace Portal.Search.Index;

public sealed partial class SearchIndex
{
    /// <summary>
    /// The numbers a query reads for every candidate, kept densely per segment (read once from the segment's DocValues
    /// and cached while the segment lives) so that ranking, filtering and counting thousands of matches reads no document.
    /// </summary>
    private struct Facts
    {
        /// <summary>A 64-bit signature of the key's characters: a name lacking one of the query's is ruled out unread.</summary>
        public ulong CharMask;
        public long Published, Id;
        public int Court, Circumstances, FirstBigram, KeyHash, EndsDay;
        public short Province, Year, KeyLength, PinyinLength;
        public char First;
        public bool Person;

        /// <summary>
        /// This document is an organization's entry found by its legal representative's name (its name fields hold that
        /// person's name): searched only when a query asks for representatives, never counted as an entry.
        /// </summary>
        public bool Representative;
    }

    private delegate bool FactsFilter(in Facts f);

    /// <summary>
    /// One segment of the current reader as a query sees it: its facts, which documents are live, and the per-document
    /// values a candidate is checked by (the key, readings and masked ID number, from DocValues). Made per query: Lucene's
    /// DocValues readers belong to the thread that asked for them.
    /// </summary>
    private sealed class Segment(AtomicReaderContext context, Facts[] facts)
    {
        private readonly AtomicReader _reader = context.AtomicReader;
        private readonly IBits? _live = context.AtomicReader.LiveDocs;
        private BinaryDocValues? _keys, _syllables, _masked, _names;
        private readonly BytesRef _bytes = new();

        public readonly Facts[] Facts = facts;
        public readonly int DocBase = context.DocBase;

        public bool IsLive(int doc) => _live is null || _live.Get(doc);

        public string Key(int doc) => Text(ref _keys, Field.Key, doc);

        public string[] Syllables(int doc) => Text(ref _syllables, Field.Syllable, doc).Split(' ', StringSplitOptions.RemoveEmptyEntries);

        public string? Masked(int doc) => Text(ref _masked, Field.Masked, doc) is { Length: > 0 } m ? m : null;

        private string Text(ref BinaryDocValues? values, string field, int doc)
        {
            values ??= _reader.GetBinaryDocValues(field);
            if (values is null) return "";
            values.Get(doc, _bytes);
            return _bytes.Utf8ToString();
        }

        private readonly Dictionary<string, TermsEnum?> _terms = [];

        /// <summary>The live documents holding a term, or null when none does.</summary>
        public DocsEnum? Postings(string field, string term) => Seek(field, term).Docs;

        /// <summary>One look-up in the term dictionary for both the postings and how many documents hold the term.</summary>
        public (DocsEnum? Docs, int Frequency) Seek(string field, string term)
        {
            if (!_terms.TryGetValue(field, out var terms)) _terms[field] = terms = _reader.GetTerms(field)?.GetEnumerator();
            if (terms is null || !terms.SeekExact(new BytesRef(term))) return (null, 0);
            return (terms.Docs(_live, null, DocsFlags.NONE), terms.DocFreq);
        }

        public string Name(int doc) => Text(ref _names, Field.Name, doc);

        /// <summary>Every term of a field that begins with <paramref name="prefix"/>, with its live documents.</summary>
        public IEnumerable<(string Term, DocsEnum Docs)> PrefixPostings(string field, string prefix)
        {
            var terms = _reader.GetTerms(field)?.GetEnumerator();
            if (terms is null) yield break;
            var start = new BytesRef(prefix);
            if (terms.SeekCeil(start) == TermsEnum.SeekStatus.END) yield break;
            do
            {
                if (!StringHelper.StartsWith(terms.Term, start)) yield break;
                yield return (terms.Term.Utf8ToString(), terms.Docs(_live, null, DocsFlags.NONE));
            } while (terms.MoveNext());
        }
    }

    /// <summary>
    /// Interned values of one field, numbered in order of first appearance, shared by all segments so that facts of
    /// different segments compare and count alike.
    /// </summary>
    private sealed class Values
    {
        private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
        private readonly List<string> _names = [];
        private readonly Lock _lock = new();

        public int Count { get { lock (_lock) return _names.Count; } }

        public int Id(string value)
        {
            lock (_lock)
            {
                if (_ids.TryGetValue(value, out var id)) return id;
                _ids[value] = id = _names.Count;
                _names.Add(value);
                return id;
            }
        }

        public bool TryId(string value, out int id)
        {
            lock (_lock) return _ids.TryGetValue(value, out id);
        }

        public string Name(int id)
        {
            lock (_lock) return _names[id];
        }
    }

    private readonly Values _provinces = new(), _courts = new(), _circumstances = new();
    private readonly ConditionalWeakTable<object, Facts[]> _facts = new();

    /// <summary>The facts of a segment, read from its DocValues the first time the segment is seen (at refresh or merge).</summary>
    private Facts[] FactsOf(AtomicReader reader) => _facts.GetValue(reader.CoreCacheKey, _ => ReadFacts(reader));

    private Facts[] ReadFacts(AtomicReader reader)
    {
        var n = reader.MaxDoc;
        var facts = new Facts[n];
        var stored = reader.GetBinaryDocValues(Field.Facts);
        var provinces = Interned(reader.GetSortedDocValues(Field.Province), _provinces);
        var courts = Interned(reader.GetSortedDocValues(Field.Court), _courts);
        var circumstances = reader.GetSortedSetDocValues(Field.Circumstance);
        var circumstanceIds = new int[circumstances?.ValueCount ?? 0];
        var bytes = new BytesRef();
        for (var ord = 0; ord < circumstanceIds.Length; ord++)
        {
            circumstances!.LookupOrd(ord, bytes);
            circumstanceIds[ord] = _circumstances.Id(bytes.Utf8ToString());
        }
        var provinceOrds = reader.GetSortedDocValues(Field.Province);
        var courtOrds = reader.GetSortedDocValues(Field.Court);
        for (var doc = 0; doc < n; doc++)
        {
            if (stored is not null) stored.Get(doc, bytes);
            var f = stored is null || bytes.Length < FactsLength ? default : ReadFacts(bytes.Bytes.AsSpan(bytes.Offset, FactsLength));
            var bits = 0;
            if (circumstances is not null)
            {
                circumstances.SetDocument(doc);
                for (var ord = circumstances.NextOrd(); ord != SortedSetDocValues.NO_MORE_ORDS; ord = circumstances.NextOrd())
                    bits |= 1 << Math.Min(30, circumstanceIds[ord]);
            }
            facts[doc] = f with
            {
                Year = (short)ChinaYear(f.Published),
                Province = (short)(provinceOrds is null || provinceOrds.GetOrd(doc) < 0 ? 0 : provinces[provinceOrds.GetOrd(doc)]),
                Court = courtOrds is null || courtOrds.GetOrd(doc) < 0 ? 0 : courts[courtOrds.GetOrd(doc)],
                Circumstances = bits,
            };
        }
        return facts;
    }

    /// <summary>
    /// The per-document numbers in one BinaryDocValues value (id, published, listing end, lengths, first characters,
    /// hash, character signature): one DocValues field instead of ten, which made building the index a third faster.
    /// </summary>
    private const int FactsLength = 8 + 8 + 4 + 2 + 2 + 2 + 1 + 4 + 4 + 8;

    private static BytesRef FactsBytes(in Facts f)
    {
        var bytes = new byte[FactsLength];
        var w = bytes.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(w, f.Id);
        BinaryPrimitives.WriteInt64LittleEndian(w[8..], f.Published);
        BinaryPrimitives.WriteInt32LittleEndian(w[16..], f.EndsDay);
        BinaryPrimitives.WriteInt16LittleEndian(w[20..], f.KeyLength);
        BinaryPrimitives.WriteInt16LittleEndian(w[22..], f.PinyinLength);
        BinaryPrimitives.WriteUInt16LittleEndian(w[24..], f.First);
        w[26] = (byte)((f.Person ? 1 : 0) | (f.Representative ? 2 : 0));
        BinaryPrimitives.WriteInt32LittleEndian(w[27..], f.KeyHash);
        BinaryPrimitives.WriteInt32LittleEndian(w[31..], f.FirstBigram);
        BinaryPrimitives.WriteUInt64LittleEndian(w[35..], f.CharMask);
        return new BytesRef(bytes);
    }

    private static Facts ReadFacts(ReadOnlySpan<byte> r) => new()
    {
        Id = BinaryPrimitives.ReadInt64LittleEndian(r),
        Published = BinaryPrimitives.ReadInt64LittleEndian(r[8..]),
        EndsDay = BinaryPrimitives.ReadInt32LittleEndian(r[16..]),
        KeyLength = BinaryPrimitives.ReadInt16LittleEndian(r[20..]),
        PinyinLength = BinaryPrimitives.ReadInt16LittleEndian(r[22..]),
        First = (char)BinaryPrimitives.ReadUInt16LittleEndian(r[24..]),
        Person = (r[26] & 1) != 0,
        Representative = (r[26] & 2) != 0,
        KeyHash = BinaryPrimitives.ReadInt32LittleEndian(r[27..]),
        FirstBigram = BinaryPrimitives.ReadInt32LittleEndian(r[31..]),
        CharMask = BinaryPrimitives.ReadUInt64LittleEndian(r[35..]),
    };

    /// <summary>A segment's value ordinals mapped to the shared ids.</summary>
    private static int[] Interned(SortedDocValues? values, Values shared)
    {
        if (values is null) return [];
        var ids = new int[values.ValueCount];
        var bytes = new BytesRef();
        for (var ord = 0; ord < ids.Length; ord++)
        {
            values.LookupOrd(ord, bytes);
            ids[ord] = shared.Id(bytes.Utf8ToString());
        }
        return ids;
    }

    /// <summary>The publish year in China (UTC+8) of a UTC tick count.</summary>
    private static int ChinaYear(long utcTicks) => new DateTime(utcTicks, DateTimeKind.Utc).AddHours(8).Year;

    public static ulong CharMaskOf(IEnumerable<char> chars)
    {
        var mask = 0UL;
        foreach (var c in chars) mask |= 1UL << (c % 64);
        return mask;
    }

    /// <summary>A hash of a key that is the same in every process (string.GetHashCode is not), since it is stored.</summary>
    private static int StableHash(string key)
    {
        var h = 2166136261u;
        foreach (var c in key) h = (h ^ c) * 16777619u;
        return (int)h;
    }

    /// <summary>
    /// The filters and the listing-period cut-off as one test of a document's facts (null when there are none); a value
    /// never seen makes it reject everything.
    /// </summary>
    private FactsFilter Filter(SearchFilters f, DateOnly? visibleOn, bool representatives)
    {
        var day = visibleOn?.DayNumber ?? int.MinValue;
        if (f.SubjectType is null or "" && f.Province is null or "" && f.Court is null or "" && f.Year is null && f.Circumstance is null or "")
            return (in Facts d) => d.EndsDay >= day && d.Representative == representatives;
        if (f.SubjectType is { Length: > 0 } and not ("person" or "organization")) return (in Facts _) => false;
        bool? person = f.SubjectType switch { "person" => true, "organization" => false, _ => null };
        int? province = null, court = null, circumstance = null;
        if (f.Province is { Length: > 0 })
        {
            if (!_provinces.TryId(f.Province, out var p)) return (in Facts _) => false;
            province = p;
        }
        if (f.Court is { Length: > 0 })
        {
            if (!_courts.TryId(f.Court, out var c)) return (in Facts _) => false;
            court = c;
        }
        if (f.Circumstance is { Length: > 0 })
        {
            if (!_circumstances.TryId(f.Circumstance, out var c)) return (in Facts _) => false;
            circumstance = 1 << Math.Min(30, c);
        }
        var year = f.Year;
        return (in Facts d) => d.EndsDay >= day && d.Representative == representatives
                               && (person is null || d.Person == person)
                               && (province is null || d.Province == province)
                               && (court is null || d.Court == court)
                               && (year is null || d.Year == year)
                               && (circumstance is null || (d.Circumstances & circumstance) != 0);
    }

    /// <summary>Counts per value over every match, as matches are found.</summary>
    private sealed class FacetCounter(SearchIndex index)
    {
        private readonly long[] _types = new long[2];
        private readonly Dictionary<int, long> _provinces = [], _courts = [], _years = [];
        private readonly long[] _circumstances = new long[31];

        public void Count(in Facts d)
        {
            _types[d.Person ? 0 : 1]++;
            _provinces[d.Province] = _provinces.GetValueOrDefault(d.Province) + 1;
            _courts[d.Court] = _courts.GetValueOrDefault(d.Court) + 1;
            _years[d.Year] = _years.GetValueOrDefault(d.Year) + 1;
            for (var bits = d.Circumstances; bits != 0; bits &= bits - 1)
                _circumstances[System.Numerics.BitOperations.TrailingZeroCount(bits)]++;
        }

        /// <summary>Largest first (courts: the 30 largest), years newest first.</summary>
        public IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Result()
        {
            static IReadOnlyList<FacetCount> Ranked(IEnumerable<FacetCount> counts, int max = int.MaxValue) =>
                counts.Where(c => c.Count > 0).OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal).Take(max).ToList();
            return new Dictionary<string, IReadOnlyList<FacetCount>>
            {
                [FacetFields.SubjectType] = Ranked([new("person", _types[0]), new("organization", _types[1])]),
                [FacetFields.Province] = Ranked(_provinces.Select(p => new FacetCount(index._provinces.Name(p.Key), p.Value))),
                [FacetFields.Court] = Ranked(_courts.Select(c => new FacetCount(index._courts.Name(c.Key), c.Value)), 30),
                [FacetFields.Year] = _years.OrderByDescending(y => y.Key).Select(y => new FacetCount(y.Key.ToString(), y.Value)).ToList(),
                [FacetFields.Circumstance] = Ranked(_circumstances.Select((n, i) => (n, i)).Where(c => c.n > 0)
                    .Select(c => new FacetCount(index._circumstances.Name(c.i), c.n))),
            };
        }
    }
}
