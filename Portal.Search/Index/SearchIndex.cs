using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
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

    /// <summary>What the caller shows for this document (its public page content), kept in the index and given back with hits.</summary>
    public byte[]? Content { get; init; }

    /// <summary>What the entry says (obligation, basis issuer, circumstances), searched word by word (<see cref="FullTextAnalysis"/>).</summary>
    public string? FullText { get; init; }

    /// <summary>An organization's legal representative (负责人): a second document finds the entry by this person's name.</summary>
    public string? LegalRepresentative { get; init; }

    /// <summary>The representative document's identifiers (the visible digits of a recorded number, for the exact-lookup guard).</summary>
    public IReadOnlyList<string> RepresentativeIdentifiers { get; init; } = [];
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

    /// <summary>Gives back each hit's <see cref="SearchDocument.Content"/>.</summary>
    public bool WithContent { get; init; }

    /// <summary><see cref="Text"/> is words to find in what entries say (<see cref="SearchDocument.FullText"/>), all of them, not a name.</summary>
    public bool InFullText { get; init; }

    /// <summary>
    /// <see cref="Text"/> is a person's name to find among organizations' legal representatives (their entries are the
    /// hits), with the same tiers as names; otherwise representatives are never searched.
    /// </summary>
    public bool AsRepresentative { get; init; }
}

/// <summary>Why a document matched, best first: the ranking tiers.</summary>
public enum MatchKind { Identifier, ExactName, Phrase, Partial, Pinyin, Homophone, FullText }

public readonly record struct TextSpan(int Start, int Length);

/// <summary>A match and where in the name it was found (positions in the name as stored, for highlighting).</summary>
public sealed record SearchHit(long Id, MatchKind Match, IReadOnlyList<TextSpan> Highlights)
{
    /// <summary>The document's <see cref="SearchDocument.Content"/>, when the query asked for it.</summary>
    public byte[]? Content { get; init; }

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

/// <summary>What opening the index on disk found.</summary>
/// <param name="Cursor">The newest change event the last commit contains; null when there was no usable index (it is then empty).</param>
/// <param name="Stamp">What the caller recorded beside the cursor (to recognise the database it came from).</param>
/// <param name="Problem">Why an index that was there could not be used (it was set aside and the index starts empty).</param>
public sealed record IndexOpening(long? Cursor, string? Stamp, string? Problem);

/// <summary>
/// The name index: a Lucene.Net index in a folder (NIOFSDirectory), one document per public entry, written through one
/// IndexWriter and read through near-real-time readers, so a change is seen by the next search at once. Per document:
/// the name's analysis (<see cref="NameAnalyzer"/>: key, distinctive part, character unigrams and bigrams, readings,
/// initials), exact identifiers, and DocValues for ranking, filters and facets. It holds only what may be public; the
/// caller keeps it in step with the database and records in each commit the last change event it contains. Queries are
/// answered in tiers (exact identifier, exact name, phrase, partial, pinyin, homophone), newest first within a tier.
/// </summary>
public sealed partial class SearchIndex : IDisposable
{
    private const int MaxPage = 100_100;
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Document fields beside the analysed ones (<see cref="NameAnalyzer.Fields"/>).</summary>
    private static class Field
    {
        public const string Id = "id", Name = "name", Content = "content", FullText = "text", Ident = "ident", Masked = "masked", Facts = "facts", Province = "province", Court = "court", Circumstance = "circ",
            Key = NameAnalyzer.Fields.Key, Syllable = NameAnalyzer.Fields.Syllable;
    }

    private const string CursorData = "cursor", StampData = "stamp", FormatData = "format";

    /// <summary>What the documents hold; an index written in another format is rebuilt, not read.</summary>
    private const string Format = "6"; // 3: identifiers by the visible digits of a masked ID number; 4: the full-text field; 5: legal representatives; 6: their numbers' families
    private const double RamBufferMB = 32;

    private readonly ChineseAnalyzer _chinese;
    private readonly NameAnalyzer _people, _organizations, _queries;
    private readonly FullTextAnalysis _fullText;
    private readonly Lucene.Net.Analysis.Analyzer _peopleDocuments, _organizationDocuments; // the name analysis, and SmartCn for the text field
    private readonly bool _temporary;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly System.Threading.Lock _opening = new();
    private FSDirectory? _directory;
    private IndexWriter? _writer;
    private SearcherManager? _searchers;

    /// <summary>
    /// An index in <paramref name="folder"/>, opened on first use (or by <see cref="Open"/>). Without a folder: a fresh
    /// temporary one, deleted on dispose (tests and the benchmark).
    /// </summary>
    public SearchIndex(ChineseAnalyzer analyzer, string? folder = null)
    {
        _chinese = analyzer;
        _people = new NameAnalyzer(analyzer, NameAnalyzer.Subject.Person);
        _organizations = new NameAnalyzer(analyzer, NameAnalyzer.Subject.Organization);
        _queries = new NameAnalyzer(analyzer, NameAnalyzer.Subject.Query);
        _fullText = new FullTextAnalysis(analyzer);
        var text = new Dictionary<string, Lucene.Net.Analysis.Analyzer> { [Field.FullText] = _fullText.Analyzer };
        _peopleDocuments = new Lucene.Net.Analysis.Miscellaneous.PerFieldAnalyzerWrapper(_people, text);
        _organizationDocuments = new Lucene.Net.Analysis.Miscellaneous.PerFieldAnalyzerWrapper(_organizations, text);
        _temporary = folder is null;
        Folder = folder ?? Path.Combine(Path.GetTempPath(), "portal-index-" + Guid.NewGuid().ToString("N"));
    }

    public ChineseAnalyzer Analyzer => _chinese;

    public string Folder { get; }

    /// <summary>True once the index was opened in this process (a CLI verb that never searches leaves it closed).</summary>
    public bool IsOpen => Volatile.Read(ref _searchers) is not null;

    /// <summary>
    /// Opens the index in its folder, creating it when there is none. An index that cannot be read (corrupt, from another
    /// version, half-written) is set aside and an empty one started: the caller rebuilds it. An index another process has
    /// open fails with <see cref="LockObtainFailedException"/> and is left untouched.
    /// </summary>
    public IndexOpening Open()
    {
        lock (_opening)
        {
            // Once disposed, never again: a late search or commit of a stopping host would otherwise reopen the writer and
            // hold Lucene's write lock for the rest of the process, and the next portal on this folder could not open it.
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_searchers is not null) return new IndexOpening(ReadCursor(_writer!.CommitData), StampOf(_writer.CommitData), null);
            System.IO.Directory.CreateDirectory(Folder);
            HoldFolder();
            string? problem = null;
            try
            {
                OpenWriter();
                // Reading every segment's facts now both warms the first query and finds damage before anything is served.
                var searcher = _searchers!.Acquire();
                try { foreach (var leaf in searcher.IndexReader.Leaves) FactsOf(leaf.AtomicReader); }
                finally { _searchers.Release(searcher); }
            }
            catch (Exception ex) when (IsDamage(ex))
            {
                problem = $"{ex.GetType().Name}: {ex.Message}";
                CloseQuietly();
                var aside = Folder.TrimEnd('/', '\\') + ".unreadable-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
                try { System.IO.Directory.Move(Folder, aside); }
                catch (IOException) { System.IO.Directory.Delete(Folder, recursive: true); }
                System.IO.Directory.CreateDirectory(Folder);
                OpenWriter();
                return new IndexOpening(null, null, problem);
            }
            var data = _writer!.CommitData;
            var format = data.TryGetValue(FormatData, out var f) ? f : "1";
            if (data.Count > 0 && format != Format) return new IndexOpening(null, null, $"索引格式 {format} 已由 {Format} 取代");
            return new IndexOpening(ReadCursor(data), StampOf(data), null);
        }
    }

    private FileStream? _held;

    /// <summary>
    /// One process per index folder: an exclusive lock on a file beside it, held until dispose (the kernel drops it when
    /// the process dies, even by kill -9). Lucene's own write.lock did not keep a second process out here.
    /// </summary>
    private void HoldFolder()
    {
        if (_held is not null) return;
        var held = new FileStream(Folder.TrimEnd('/', '\\') + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        try { held.Lock(0, 1); } // a POSIX record lock: other processes cannot take it, anyone may still read the (empty) file
        catch (IOException ex)
        {
            held.Dispose();
            throw new LockObtainFailedException($"The index folder {Folder} is in use by another process", ex);
        }
        _held = held;
    }

    /// <summary>
    /// What a damaged index throws when read (bad headers or checksums, files cut short or missing, garbage where numbers
    /// should be), as opposed to the file system failing (a full disk, no permission) or another process holding the
    /// index: only damage is set aside and rebuilt.
    /// </summary>
    private static bool IsDamage(Exception ex) =>
        ex is CorruptIndexException or IndexFormatTooOldException or IndexFormatTooNewException or EndOfStreamException
            or FileNotFoundException or InvalidOperationException or ArgumentException or IndexOutOfRangeException or OverflowException
            or IndexNotFoundException;

    private static string? StampOf(IDictionary<string, string> data) => data.TryGetValue(StampData, out var stamp) ? stamp : null;

    private static long? ReadCursor(IDictionary<string, string> data) =>
        data.TryGetValue(CursorData, out var c) && long.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var cursor) ? cursor : null;

    private void OpenWriter()
    {
        _directory = new NIOFSDirectory(new DirectoryInfo(Folder));
        var config = new IndexWriterConfig(Version, _people)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            RAMBufferSizeMB = RamBufferMB,
            MergedSegmentWarmer = new FactsWarmer(this),
        };
        _writer = new IndexWriter(_directory, config);
        Volatile.Write(ref _searchers, new SearcherManager(_writer, applyAllDeletes: true, new FactsSearcherFactory(this)));
    }

    /// <summary>
    /// Closes the index, dropping what was not committed (after a failed write); <see cref="Open"/> opens it again from its
    /// last commit.
    /// </summary>
    public void Close()
    {
        _writing.Wait();
        try { lock (_opening) CloseQuietly(); }
        finally { _writing.Release(); }
    }

    private void CloseQuietly()
    {
        try { _searchers?.Dispose(); } catch (Exception) { /* already broken */ }
        try { _writer?.Rollback(); } catch (Exception) { /* already broken */ }
        try { _directory?.Dispose(); } catch (Exception) { /* already broken */ }
        _searchers = null;
        _writer = null;
        _directory = null;
    }

    private IndexWriter Writer
    {
        get
        {
            if (_writer is null) Open();
            return _writer!;
        }
    }

    private SearcherManager Searchers
    {
        get
        {
            if (Volatile.Read(ref _searchers) is null) Open();
            return _searchers!;
        }
    }

    /// <summary>Loads the facts of segments a merge produced before readers see them.</summary>
    private sealed class FactsWarmer(SearchIndex index) : IndexWriter.IndexReaderWarmer
    {
        public override void Warm(AtomicReader reader) => index.FactsOf(reader);
    }

    /// <summary>Loads the facts of new segments when a reader is refreshed, so no query waits for them.</summary>
    private sealed class FactsSearcherFactory(SearchIndex index) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader)
        {
            foreach (var leaf in reader.Leaves) index.FactsOf(leaf.AtomicReader);
            return new IndexSearcher(reader);
        }
    }

    /// <summary>
    /// Makes everything written so far durable, recording <paramref name="cursor"/> (the newest change event the index
    /// contains) and <paramref name="stamp"/> with it.
    /// </summary>
    public void Commit(long cursor, string? stamp)
    {
        _writing.Wait();
        try
        {
            var data = new Dictionary<string, string> { [CursorData] = cursor.ToString(System.Globalization.CultureInfo.InvariantCulture), [FormatData] = Format };
            if (stamp is not null) data[StampData] = stamp;
            Writer.SetCommitData(data);
            Writer.Commit();
        }
        finally { _writing.Release(); }
    }

    /// <summary>How many entries the index holds (a legal representative's document is not another entry).</summary>
    public long Count() => WithSearcher(s =>
    {
        long n = 0;
        foreach (var leaf in s.IndexReader.Leaves)
        {
            var segment = new Segment(leaf, FactsOf(leaf.AtomicReader));
            for (var doc = 0; doc < segment.Facts.Length; doc++)
                if (segment.IsLive(doc) && !segment.Facts[doc].Representative) n++;
        }
        return n;
    });

    /// <summary>Every indexed document id, for consistency checks against the database.</summary>
    public IReadOnlySet<long> Ids() => WithSearcher(s =>
    {
        var ids = new HashSet<long>();
        foreach (var leaf in s.IndexReader.Leaves)
        {
            var segment = new Segment(leaf, FactsOf(leaf.AtomicReader));
            for (var doc = 0; doc < segment.Facts.Length; doc++)
                if (segment.IsLive(doc) && !segment.Facts[doc].Representative) ids.Add(segment.Facts[doc].Id);
        }
        return (IReadOnlySet<long>)ids;
    });

    private T WithSearcher<T>(Func<IndexSearcher, T> read)
    {
        var searchers = Searchers;
        var searcher = searchers.Acquire();
        try { return read(searcher); }
        finally { searchers.Release(searcher); }
    }

    /// <summary>
    /// Which of these identifier keys some document carries: one term lookup per key, no document read, so a million keys
    /// take about a second. An over-estimate, never an under-estimate: a deleted document counts until its segment is
    /// merged, and an entry whose listing has ended counts until it is swept.
    /// </summary>
    public IReadOnlySet<string> IdentifiersPresent(IEnumerable<string> keys) => WithSearcher(searcher =>
    {
        var present = new HashSet<string>();
        var reader = searcher.IndexReader;
        foreach (var key in keys)
            if (!present.Contains(key) && reader.DocFreq(new Term(Field.Ident, key)) > 0) present.Add(key);
        return (IReadOnlySet<string>)present;
    });

    /// <summary>Adds or replaces documents, and removes the ids in <paramref name="removeIds"/>; the next search sees all of it.</summary>
    public void Apply(IEnumerable<SearchDocument> upserts, IEnumerable<long> removeIds)
    {
        var documents = upserts.ToList();
        var prepared = documents.Select(d => (d.Id, Document: ToDocument(d), Analyzer: AnalyzerOf(d))).ToList();
        var representatives = documents.Where(d => d.LegalRepresentative is { Length: > 0 }).Select(RepresentativeDocument).ToList();
        var removals = removeIds.ToList();
        _writing.Wait();
        try
        {
            var writer = Writer;
            foreach (var id in removals) writer.DeleteDocuments(IdTerm(id));
            // The update deletes every document of the entry (its representative's too); the representative's comes after.
            foreach (var (id, document, analyzer) in prepared) writer.UpdateDocument(IdTerm(id), document, analyzer);
            foreach (var document in representatives) writer.AddDocument(document, _peopleDocuments);
            Searchers.MaybeRefreshBlocking();
        }
        finally { _writing.Release(); }
    }

    /// <summary>
    /// Replaces the whole content with <paramref name="documents"/> (analysed on every core), reporting progress every
    /// 1,000. Searches see the old content until the new one is complete. Not committed: the caller commits with its cursor.
    /// </summary>
    public long Rebuild(IEnumerable<SearchDocument> documents, Action<long>? progress = null)
    {
        long n = 0;
        _writing.Wait();
        try
        {
            var writer = Writer;
            writer.DeleteAll();
            writer.Config.RAMBufferSizeMB = 256; // fewer, larger segments while everything is written at once
            // The caller's documents are enumerated on the caller's thread (an EF query, or code that needs its own type's
            // initialization: Parallel.ForEach enumerated on its workers and deadlocked a static constructor that called
            // this); analysis and indexing run on one worker per core.
            using (var queue = new System.Collections.Concurrent.BlockingCollection<SearchDocument>(boundedCapacity: 4096))
            {
                var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Factory.StartNew(() =>
                {
                    foreach (var d in queue.GetConsumingEnumerable())
                    {
                        writer.AddDocument(ToDocument(d), AnalyzerOf(d));
                        if (d.LegalRepresentative is { Length: > 0 }) writer.AddDocument(RepresentativeDocument(d), _peopleDocuments);
                        if (Interlocked.Increment(ref n) % 1000 == 0) progress?.Invoke(Interlocked.Read(ref n));
                    }
                }, TaskCreationOptions.LongRunning)).ToArray();
                try
                {
                    foreach (var d in documents)
                    {
                        if (workers.Any(w => w.IsFaulted)) break;
                        queue.Add(d);
                    }
                }
                finally { queue.CompleteAdding(); }
                Task.WaitAll(workers);
            }
            progress?.Invoke(n);
            // One segment: a query looks each term up once instead of once per segment (merging costs a few seconds per million).
            writer.ForceMerge(1);
            Searchers.MaybeRefreshBlocking();
            writer.Config.RAMBufferSizeMB = RamBufferMB;
        }
        finally { _writing.Release(); }
        return n;
    }

    /// <summary>
    /// The analysed fields keep which documents hold a term and nothing more: no frequencies, positions or norms, since
    /// ranking is by tier and date, not by score (and indexing is that much faster).
    /// </summary>
    private static readonly FieldType Analysed = new()
    {
        IsIndexed = true, IsTokenized = true, IsStored = false, OmitNorms = true, IndexOptions = IndexOptions.DOCS_ONLY,
    };

    private static Term IdTerm(long id) => new(Field.Id, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private Lucene.Net.Analysis.Analyzer AnalyzerOf(SearchDocument d) => d.SubjectType == "person" ? _peopleDocuments : _organizationDocuments;

    /// <summary>The full-text analysis (for highlighting what a full-text query found).</summary>
    public FullTextAnalysis FullText => _fullText;

    /// <summary>
    /// An organization's entry as found by its legal representative: the representative's name in the name fields (read
    /// as a person's), the entry's id, dates, place and content, and only the representative's own identifiers (never the
    /// entry's).
    /// </summary>
    private Document RepresentativeDocument(SearchDocument d) => ToDocument(d with { Name = d.LegalRepresentative!, SubjectType = "person", IdNumberMasked = null,
        Identifiers = d.RepresentativeIdentifiers, FullText = null, LegalRepresentative = null }, representative: true);

    /// <summary>One entry as a Lucene document: its analysed name, identifiers, and the values queries read.</summary>
    private Document ToDocument(SearchDocument d, bool representative = false)
    {
        var key = _chinese.Key(d.Name);
        var person = d.SubjectType == "person";
        var core = person ? key : ChineseAnalyzer.OrganizationCore(key);
        var syllables = _chinese.Syllables(core, person);
        var pinyinLength = syllables.Sum(s => s.Length);
        var doc = new Document
        {
            new StringField(Field.Id, d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Lucene.Net.Documents.Field.Store.NO),
            new BinaryDocValuesField(Field.Name, new BytesRef(d.Name)),
            new BinaryDocValuesField(Field.Key, new BytesRef(key)),
            new BinaryDocValuesField(Field.Syllable, new BytesRef(string.Join(' ', syllables))),
            new BinaryDocValuesField(Field.Masked, new BytesRef(d.IdNumberMasked ?? "")),
            new BinaryDocValuesField(Field.Facts, FactsBytes(new Facts
            {
                Id = d.Id, Published = d.PublishedAt.Ticks, EndsDay = d.ListingEndsAt?.DayNumber ?? int.MaxValue, Person = person,
                KeyLength = (short)Math.Min(key.Length, short.MaxValue), PinyinLength = (short)Math.Min(pinyinLength, short.MaxValue),
                First = key.Length > 0 ? key[0] : '\0', KeyHash = StableHash(key), FirstBigram = key.Length > 1 ? Bigram(key[0], key[1]) : -1,
                CharMask = CharMaskOf(key), Representative = representative,
            })),
            new SortedDocValuesField(Field.Province, new BytesRef(d.Province)),
            new SortedDocValuesField(Field.Court, new BytesRef(d.Court)),
        };
        // The analysed fields get the key: normalizing it again is cheap, and every field starts from the same text.
        foreach (var field in (string[])[NameAnalyzer.Fields.Key, NameAnalyzer.Fields.Core, NameAnalyzer.Fields.Gram, NameAnalyzer.Fields.Syllable,
                     NameAnalyzer.Fields.Pair, NameAnalyzer.Fields.Reading, NameAnalyzer.Fields.Initials])
            doc.Add(new Lucene.Net.Documents.Field(field, key, Analysed));
        foreach (var ident in d.Identifiers) doc.Add(new StringField(Field.Ident, ident, Lucene.Net.Documents.Field.Store.NO));
        if (d.Content is { } content) doc.Add(new StoredField(Field.Content, content));
        if (d.FullText is { Length: > 0 } text) doc.Add(new Lucene.Net.Documents.Field(Field.FullText, text, Analysed));
        foreach (var c in d.Circumstances.Distinct()) doc.Add(new SortedSetDocValuesField(Field.Circumstance, new BytesRef(c)));
        return doc;
    }

    public SearchResult Search(SearchQuery query) => WithSearcher(searcher =>
    {
        var segments = searcher.IndexReader.Leaves.Select(leaf => new Segment(leaf, FactsOf(leaf.AtomicReader))).ToList();
        var filter = Filter(query.Filters ?? SearchFilters.None, query.VisibleOn, query.AsRepresentative);
        var offset = Math.Clamp(query.Offset, 0, MaxPage);
        var matches = new Matches(offset + Math.Clamp(query.Limit, 0, 1000), query.WithFacets ? new FacetCounter(this) : null);
        NamePlan? plan = null;
        if (query.Browse)
        {
            foreach (var s in segments)
                for (var doc = 0; doc < s.Facts.Length; doc++)
                    if (s.IsLive(doc) && filter(in s.Facts[doc])) matches.Add(s, doc, MatchKind.ExactName, 0);
        }
        else if (query.Identifiers.Count > 0)
        {
            foreach (var s in segments)
            {
                var seen = new HashSet<int>();
                foreach (var key in query.Identifiers)
                    if (s.Postings(Field.Ident, key) is { } docs)
                        for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
                            if (filter(in s.Facts[doc]) && seen.Add(doc)) matches.Add(s, doc, MatchKind.Identifier, 0);
            }
        }
        else if (query.InFullText)
        {
            var words = _fullText.QueryWords(query.Text);
            if (words.Count == 0) return new SearchResult(0, [], SearchResult.NoFacets, NothingSearchable: true);
            foreach (var s in segments) CollectAll(s, Field.FullText, words, filter, matches);
        }
        else
        {
            plan = NamePlan.Create(_chinese, _queries, query.Text);
            if (plan is null) return new SearchResult(0, [], SearchResult.NoFacets, NothingSearchable: true);
            foreach (var s in segments) plan.Collect(s, filter, matches);
        }

        var hits = matches.Best().Skip(offset).Select(m =>
        {
            var highlights = plan is null ? [] : plan.Highlight(_chinese, SegmentOf(segments, m.Ord) is var (s, doc) ? s.Name(doc) : "", m.Person, m.Kind);
            var content = query.WithContent ? searcher.Doc(m.Ord, ContentOnly).GetBinaryValue(Field.Content) : null;
            return new SearchHit(m.Id, m.Kind, highlights) { Content = content is null ? null : content.Bytes.AsSpan(content.Offset, content.Length).ToArray() };
        }).ToList();
        return new SearchResult(matches.Count, hits, matches.Facets?.Result() ?? SearchResult.NoFacets);
    });

    private static readonly ISet<string> ContentOnly = new HashSet<string> { Field.Content };

    /// <summary>The documents of a segment holding every one of <paramref name="terms"/> in <paramref name="field"/> (rarest first, leapfrogging).</summary>
    private static void CollectAll(Segment s, string field, IReadOnlyList<string> terms, FactsFilter filter, Matches matches)
    {
        var postings = new List<(DocsEnum Docs, int Frequency)>(terms.Count);
        foreach (var term in terms)
        {
            var (docs, frequency) = s.Seek(field, term);
            if (docs is null) return; // a word no document of this segment has
            postings.Add((docs, frequency));
        }
        postings.Sort((a, b) => a.Frequency.CompareTo(b.Frequency));
        var lead = postings[0].Docs;
        var doc = lead.NextDoc();
        while (doc != DocIdSetIterator.NO_MORE_DOCS)
        {
            var agreed = true;
            for (var i = 1; i < postings.Count; i++)
            {
                var other = postings[i].Docs;
                var at = other.DocID < doc ? other.Advance(doc) : other.DocID;
                if (at == DocIdSetIterator.NO_MORE_DOCS) return;
                if (at > doc) { agreed = false; doc = lead.Advance(at); break; }
            }
            if (!agreed) continue;
            if (s.IsLive(doc) && filter(in s.Facts[doc])) matches.Add(s, doc, MatchKind.FullText, 0);
            doc = lead.NextDoc();
        }
    }

    /// <summary>The segment a document number of the whole reader is in, and its number there.</summary>
    private static (Segment Segment, int Doc) SegmentOf(List<Segment> segments, int ord)
    {
        var i = segments.Count - 1;
        while (segments[i].DocBase > ord) i--;
        return (segments[i], ord - segments[i].DocBase);
    }

    /// <summary>
    /// Where matches go: counted, the best <c>k</c> kept in a bounded heap (tier, strength within the tier, newest first),
    /// and counted per facet value when facets are wanted.
    /// </summary>
    private sealed class Matches(int k, FacetCounter? facets)
    {
        private static readonly Comparer<Match> WorstFirst = Comparer<Match>.Create((a, b) => b.CompareTo(a));
        private readonly PriorityQueue<Match, Match> _best = new(Math.Min(k, 1024) + 1, WorstFirst);

        public int Count { get; private set; }
        public FacetCounter? Facets => facets;

        public void Add(Segment s, int doc, MatchKind kind, int strength)
        {
            ref readonly var f = ref s.Facts[doc];
            Count++;
            facets?.Count(in f);
            if (k == 0) return;
            var m = new Match(s.DocBase + doc, kind, strength, f.Published, f.Id, f.Person);
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
        var key = _chinese.Key(text, ChineseAnalyzer.MaxQueryLength);
        if (key.Length == 0 || key.Count(char.IsAsciiDigit) >= 4) return []; // never complete numbers: they may be ID numbers
        (string Field, string Prefix)[] lookups;
        string exact;
        if (!key.Any(char.IsAsciiLetter))
        {
            lookups = [(NameAnalyzer.Fields.Key, key), (NameAnalyzer.Fields.Core, key)];
            exact = key;
        }
        else
        {
            var pinyin = _queries.Terms(NameAnalyzer.Fields.Reading, key).FirstOrDefault() ?? "";
            if (NamePlan.SplitSyllables(pinyin, _chinese, allowPartialLast: true) is not { Count: > 0 }) return [];
            lookups = [(NameAnalyzer.Fields.Reading, pinyin)];
            exact = pinyin;
        }
        return WithSearcher(searcher =>
        {
            // Best first: the name exactly as typed, then the newest. Names are read only for the best few candidates.
            var candidates = new Dictionary<int, (int Rank, long Published, long Id)>();
            var segments = searcher.IndexReader.Leaves.Select(leaf => new Segment(leaf, FactsOf(leaf.AtomicReader))).ToList();
            foreach (var s in segments)
            {
                foreach (var (field, prefix) in lookups)
                    foreach (var (term, docs) in s.PrefixPostings(field, prefix))
                    {
                        var rank = term == exact && field != NameAnalyzer.Fields.Core ? 0 : 1;
                        for (var doc = docs.NextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.NextDoc())
                        {
                            ref readonly var f = ref s.Facts[doc];
                            if (f.EndsDay < day || f.Representative) continue; // a representative's name is not an entry's
                            var ord = s.DocBase + doc;
                            if (!candidates.TryGetValue(ord, out var seen) || rank < seen.Rank) candidates[ord] = (rank, f.Published, f.Id);
                        }
                    }
            }
            var names = new List<Suggestion>(max);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (ord, _) in candidates.OrderBy(c => c.Value.Rank).ThenByDescending(c => c.Value.Published).ThenByDescending(c => c.Value.Id))
            {
                var (segment, doc) = SegmentOf(segments, ord);
                var name = segment.Name(doc);
                if (!taken.Add(name)) continue;
                names.Add(new Suggestion(name, segment.Facts[doc].Person ? "person" : "organization"));
                if (names.Count == max) break;
            }
            return (IReadOnlyList<Suggestion>)names;
        });
    }

    internal static int Bigram(char a, char b) => (a << 16) | b;

    /// <summary>A match: which document (its number in the reader), why, and the sort key (tier, strength, newest first).</summary>
    private readonly record struct Match(int Ord, MatchKind Kind, int Strength, long Published, long Id, bool Person) : IComparable<Match>
    {
        public int CompareTo(Match other)
        {
            var c = Kind.CompareTo(other.Kind);
            if (c != 0) return c;
            c = Strength.CompareTo(other.Strength);
            if (c != 0) return c;
            c = other.Published.CompareTo(Published);
            return c != 0 ? c : other.Id.CompareTo(Id);
        }
    }

    private bool _disposed;

    public void Dispose()
    {
        lock (_opening)
        {
            _disposed = true;
            try { _searchers?.Dispose(); _writer?.Dispose(); _directory?.Dispose(); }
            finally
            {
                _held?.Dispose();
                _held = null;
                _searchers = null;
                _writer = null;
                _directory = null;
                if (_temporary && System.IO.Directory.Exists(Folder))
                {
                    System.IO.Directory.Delete(Folder, recursive: true);
                    File.Delete(Folder + ".lock");
                }
            }
        }
    }
}
