using System.Text.RegularExpressions;
using Portal.Search.Analysis;

namespace Portal.Search.Index;

/// <summary>A document to index: the name, the values people filter and count by, and exact identifiers (already keyed by the caller).</summary>
public sealed record SearchDocument(
    long Id,
    string Name,
    string SubjectType,
    string Province,
    string Court,
    DateTime PublishedAt,
    IReadOnlyList<string> Circumstances,
    string? IdNumberMasked,
    IReadOnlyList<string> Identifiers)
{
    /// <summary>The last day of a fixed listing period; after it the entry is not shown (even before it is expired).</summary>
    public DateOnly? ListingEndsAt { get; init; }
}

/// <summary>Filters; a value the index has never seen matches nothing.</summary>
public sealed record SearchFilters(string? SubjectType = null, string? Province = null, string? Court = null, int? Year = null, string? Circumstance = null)
{
    public static readonly SearchFilters None = new();
}

/// <summary>Either exact identifiers (ID hash, credit code, case number key) or free text, with filters and a page.</summary>
public sealed record SearchQuery(
    string? Text,
    IReadOnlyList<string> Identifiers,
    SearchFilters? Filters = null,
    int Offset = 0,
    int Limit = 20,
    bool WithFacets = false)
{
    /// <summary>Every document that passes the filters, newest first (no text, no identifiers).</summary>
    public bool Browse { get; init; }

    /// <summary>Leaves out documents whose listing period ended before this day.</summary>
    public DateOnly? VisibleOn { get; init; }
}

/// <summary>Why a document matched, best first: the ranking tiers.</summary>
public enum MatchKind { Identifier, ExactName, Phrase, Partial, Pinyin, Homophone }

public readonly record struct TextSpan(int Start, int Length);

/// <summary>A match and where in the name it was found (positions in the name as stored, for highlighting).</summary>
public sealed record SearchHit(long Id, MatchKind Match, IReadOnlyList<TextSpan> Highlights)
{
    /// <summary>Found by sound, not by the characters typed (章三 for 张三).</summary>
    public bool Approximate => Match == MatchKind.Homophone;
}

public sealed record FacetCount(string Value, long Count);

public static class FacetFields
{
    public const string SubjectType = "type", Province = "province", Court = "court", Year = "year", Circumstance = "circumstance";
}

public sealed record SearchResult(long Total, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets, bool NothingSearchable = false)
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> NoFacets = new Dictionary<string, IReadOnlyList<FacetCount>>();

    public IReadOnlyList<long> Ids => Hits.Select(h => h.Id).ToList();
}

/// <summary>A name completion.</summary>
public sealed record Suggestion(string Name, string SubjectType);

/// <summary>
/// The name index, in memory: character unigram and bigram postings, pinyin (whole, by syllable, initials), exact
/// identifiers, and per document the values for filters and facets. It holds only what may be public; the caller
/// keeps it in step with the database. Queries are answered in tiers (exact identifier, exact name, phrase, partial,
/// pinyin, homophone), newest first within a tier. Many readers, one writer.
/// </summary>
public sealed partial class SearchIndex(ChineseAnalyzer analyzer)
{
    private const int MaxPage = 100_100;

    private readonly ReaderWriterLockSlim _lock = new();
    private State _state = new();

    public ChineseAnalyzer Analyzer => analyzer;

    public long Count()
    {
        _lock.EnterReadLock();
        try { return _state.ById.Count; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Every indexed document id, for consistency checks against the database.</summary>
    public IReadOnlySet<long> Ids()
    {
        _lock.EnterReadLock();
        try { return _state.ById.Keys.ToHashSet(); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Adds or replaces documents, and removes the ids in <paramref name="removeIds"/>, at once for every reader.</summary>
    public void Apply(IEnumerable<SearchDocument> upserts, IEnumerable<long> removeIds)
    {
        var prepared = upserts.Select(Prepare).ToList(); // the analysis happens outside the lock
        var removals = removeIds.ToList();
        _lock.EnterWriteLock();
        try
        {
            foreach (var id in removals) _state.Remove(id);
            foreach (var doc in prepared) _state.Add(doc);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Replaces the whole content with <paramref name="documents"/>, reporting progress every 1,000.</summary>
    public long Rebuild(IEnumerable<SearchDocument> documents, Action<long>? progress = null)
    {
        var fresh = new State();
        long n = 0;
        foreach (var doc in documents)
        {
            fresh.Add(Prepare(doc));
            if (++n % 1000 == 0) progress?.Invoke(n);
        }
        progress?.Invoke(n);
        _lock.EnterWriteLock();
        try { _state = fresh; }
        finally { _lock.ExitWriteLock(); }
        return n;
    }

    /// <summary>Analysis of one document: everything a query compares, computed once.</summary>
    private Doc Prepare(SearchDocument d)
    {
        var key = analyzer.Key(d.Name);
        var person = d.SubjectType == "person";
        var core = person ? key : ChineseAnalyzer.OrganizationCore(key);
        var syllables = analyzer.Syllables(core, person);
        return new Doc
        {
            Id = d.Id, Name = d.Name, Key = key == d.Name ? d.Name : key, Core = ReferenceEquals(core, key) ? key : core,
            Syllables = syllables, Pinyin = string.Concat(syllables),
            Initials = string.Concat(syllables.Select(s => s[0])),
            Person = person, ProvinceName = d.Province, CourtName = d.Court,
            CircumstanceCodes = d.Circumstances, Masked = d.IdNumberMasked, Published = d.PublishedAt.Ticks,
            EndsDay = d.ListingEndsAt?.DayNumber ?? int.MaxValue,
            Identifiers = d.Identifiers.ToArray(),
        };
    }

    public SearchResult Search(SearchQuery query)
    {
        _lock.EnterReadLock();
        try { return Search(_state, query); }
        finally { _lock.ExitReadLock(); }
    }

    private SearchResult Search(State s, SearchQuery query)
    {
        var filter = s.Filter(query.Filters ?? SearchFilters.None, query.VisibleOn);
        var offset = Math.Clamp(query.Offset, 0, MaxPage);
        var matches = new Matches(offset + Math.Clamp(query.Limit, 0, 1000), keepAll: query.WithFacets);
        NamePlan? plan = null;
        if (query.Browse)
        {
            var facts = s.Facts;
            for (var ord = 0; ord < facts.Count; ord++)
                if (facts[ord].Alive && (filter is null || filter(ord))) matches.Add(new Match(ord, MatchKind.ExactName, 0, facts[ord].Published));
        }
        else if (query.Identifiers.Count > 0)
        {
            var seen = new HashSet<int>();
            foreach (var key in query.Identifiers)
                if (s.Idents.TryGetValue(key, out var posting))
                    foreach (var ord in posting.Span)
                        if (s.Docs[ord] is { } d && (filter is null || filter(ord)) && seen.Add(ord)) matches.Add(new Match(ord, MatchKind.Identifier, 0, d.Published));
        }
        else
        {
            plan = NamePlan.Create(analyzer, query.Text);
            if (plan is null) return new SearchResult(0, [], SearchResult.NoFacets, NothingSearchable: true);
            plan.Collect(s, filter, matches);
        }

        var hits = matches.Best().Skip(offset).Select(m =>
        {
            var d = s.Docs[m.Ord]!;
            return new SearchHit(d.Id, m.Kind, plan?.Highlight(analyzer, d, m.Kind) ?? []);
        }).ToList();
        return new SearchResult(matches.Count, hits, matches.All is { } all ? s.Facets(all) : SearchResult.NoFacets);
    }

    /// <summary>
    /// Where matches go: counted, the best <c>k</c> kept in a bounded heap (tier, strength within the tier, newest first),
    /// and all of them only when facets are wanted.
    /// </summary>
    private sealed class Matches(int k, bool keepAll)
    {
        private static readonly Comparer<Match> WorstFirst = Comparer<Match>.Create((a, b) => b.CompareTo(a));
        private readonly PriorityQueue<Match, Match> _best = new(Math.Min(k, 1024) + 1, WorstFirst);

        public int Count { get; private set; }
        public List<Match>? All { get; } = keepAll ? [] : null;

        public void Add(Match m)
        {
            Count++;
            All?.Add(m);
            if (k == 0) return;
            if (_best.Count < k) _best.Enqueue(m, m);
            else if (m.CompareTo(_best.Peek()) < 0) _best.EnqueueDequeue(m, m);
        }

        public List<Match> Best()
        {
            var best = new List<Match>(_best.Count);
            while (_best.Count > 0) best.Add(_best.Dequeue());
            best.Reverse();
            return best;
        }
    }

    /// <summary>Up to <paramref name="max"/> distinct names that begin with what was typed (characters or pinyin), newest first.</summary>
    public IReadOnlyList<Suggestion> Suggest(string? text, DateOnly? visibleOn = null, int max = 10)
    {
        var day = visibleOn?.DayNumber ?? int.MinValue;
        var key = analyzer.Key(text, ChineseAnalyzer.MaxQueryLength);
        if (key.Length == 0 || key.Count(char.IsAsciiDigit) >= 4) return []; // never complete numbers: they may be ID numbers
        _lock.EnterReadLock();
        try
        {
            var s = _state;
            // Best first: the name exactly as typed, then the newest; one suggestion per name.
            var best = new Dictionary<string, (Doc Doc, int Rank)>();
            void Consider(Doc d, bool exact)
            {
                if (d.EndsDay < day) return;
                var rank = exact ? 0 : 1;
                if (!best.TryGetValue(d.Name, out var seen) || rank < seen.Rank || (rank == seen.Rank && d.Published > seen.Doc.Published))
                    best[d.Name] = (d, rank);
            }
            if (!key.Any(char.IsAsciiLetter))
            {
                var posting = key.Length == 1 ? s.Grams.GetValueOrDefault(key[0]) : s.Grams.GetValueOrDefault(Bigram(key[0], key[1]));
                if (posting is null) return [];
                foreach (var ord in posting.Span)
                    if (s.Docs[ord] is { } d && (d.Key.StartsWith(key, StringComparison.Ordinal) || d.Core.StartsWith(key, StringComparison.Ordinal)))
                        Consider(d, d.Key == key);
            }
            else
            {
                var pinyin = NamePlan.PinyinOf(analyzer, key);
                var first = NamePlan.Segment(pinyin, analyzer, allowPartialLast: true) is { Count: > 0 } syllables ? syllables[0] : null;
                if (first is null) return [];
                // The first syllable may still be being typed: every syllable it can become.
                foreach (var (syllable, posting) in s.Syllables)
                {
                    if (!syllable.StartsWith(first, StringComparison.Ordinal)) continue;
                    foreach (var ord in posting.Span)
                        if (s.Docs[ord] is { } d && d.Pinyin.StartsWith(pinyin, StringComparison.Ordinal)) Consider(d, d.Pinyin == pinyin);
                }
            }
            return best.Values.OrderBy(b => b.Rank).ThenByDescending(b => b.Doc.Published).ThenByDescending(b => b.Doc.Id).Take(max)
                .Select(b => new Suggestion(b.Doc.Name, b.Doc.Person ? "person" : "organization")).ToList();
        }
        finally { _lock.ExitReadLock(); }
    }

    internal static int Bigram(char a, char b) => (a << 16) | b;

    /// <summary>A match: which document, why, and the sort key (tier, strength, newest first).</summary>
    private readonly record struct Match(int Ord, MatchKind Kind, int Strength, long Published) : IComparable<Match>
    {
        public int CompareTo(Match other)
        {
            var c = Kind.CompareTo(other.Kind);
            if (c != 0) return c;
            c = Strength.CompareTo(other.Strength);
            if (c != 0) return c;
            c = other.Published.CompareTo(Published);
            return c != 0 ? c : other.Ord.CompareTo(Ord);
        }
    }
}
