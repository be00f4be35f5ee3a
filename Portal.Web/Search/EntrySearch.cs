using Microsoft.EntityFrameworkCore;
using Portal.Data.Courts;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Data.Publication;
using Portal.Search.Index;

namespace Portal.Web.Search;

public sealed record EntrySearchRequest(string? Q, string? Type, string? Province, int Page = 1, int PageSize = 20,
    string? Court = null, int? Year = null, string? Circumstance = null)
{
    /// <summary>Words to find in what entries say (the obligation, the basis issuer, the circumstances) instead of a name or number.</summary>
    public string? Text { get; init; }

    public const int MaxPageSize = 100;
    public const int MaxQueryLength = 2000;
}

public enum QueryKind { Browse, Name, IdNumber, CreditCode, CaseNumber, Place, FullText }

/// <summary>
/// How an item matched: the tier (exact_name, phrase, partial, pinyin, homophone, identifier, full_text), whether only by
/// sound, where in the name, and for a full-text query where in the obligation.
/// </summary>
public sealed record ItemMatch(string PublicId, string Match, bool Approximate, IReadOnlyList<TextSpan> Highlights)
{
    /// <summary>
    /// What matched: the entry's <c>name</c>, its <c>identifier</c> (ID number, credit code, case number), its
    /// <c>legalRepresentative</c>'s name (highlights then in that name), or the <c>text</c> of its obligation.
    /// </summary>
    public string MatchedOn { get; init; } = Match switch { "identifier" => "identifier", "full_text" => "text", _ => "name" };

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TextSpan>? ObligationHighlights { get; init; }
}

public sealed record EntrySearchResult(
    long Total,
    int Page,
    int PageSize,
    IReadOnlyList<PublicEntry> Items,
    QueryKind Kind,
    string? Notice)
{
    /// <summary>One per item, in the same order (empty when browsing).</summary>
    public IReadOnlyList<ItemMatch> Matches { get; init; } = [];

    /// <summary>
    /// True when this exact ID lookup is not answered: too many different numbers of its family were tried without a
    /// match (<see cref="Privacy.ExactIdGuard"/>). Not an answer either way; never show it as "not listed".
    /// </summary>
    public bool IdLookupClosed { get; init; }

    /// <summary>
    /// The places a query named: when it was nothing but a place (<see cref="QueryKind.Place"/>), no name matches on it; a
    /// city without its suffix (洛阳) is searched as a name as well, with the places offered beside.
    /// </summary>
    public IReadOnlyList<Place> Places { get; init; } = [];

    /// <summary>Counts per subject type, province, court, publish year and circumstance over all matches.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<FacetCount>> Facets { get; init; } = SearchResult.NoFacets;

    public int PageCount => Total == 0 ? 0 : (int)Math.Ceiling(Total / (double)PageSize);

    /// <summary>
    /// On the first page of a name query: organizations' entries whose legal representative (负责人) bears the name, as a
    /// group of their own after the debtors (never mixed in); null when there are none or it was not asked.
    /// </summary>
    public RepresentativeGroup? Representatives { get; init; }
}

/// <summary>Entries found by their legal representative's name: how many, the first ones, and how each matched (in that name).</summary>
public sealed record RepresentativeGroup(long Total, IReadOnlyList<PublicEntry> Items, IReadOnlyList<ItemMatch> Hits)
{
    public const int Shown = 20;
}

/// <summary>Another public case of the same subject (same ID number by its keyed hash, or same credit code).</summary>
public sealed record RelatedEntry(string PublicId, string CaseNumber, string Court, DateOnly FiledAt, DateOnly? PublishedAt);

/// <summary>A subject's other public cases, and the day the subject's earliest public case was published.</summary>
public sealed record RelatedEntries(string PublicId, DateOnly? FirstListedOn, IReadOnlyList<RelatedEntry> Items);

/// <summary>A request that cannot be answered as asked, with a code for the API and a message in Chinese.</summary>
public sealed record SearchRequestError(string Code, string Field, string Message);

/// <summary>
/// The public search: works out what the person typed (ID number, credit code, case number or a name), brings the
/// index up to the newest committed change, and answers from it (counts, facets and the page's public content).
/// </summary>
public sealed class EntrySearch(SearchIndex index, IndexSync sync, PortalDbContext db, IdNumberProtection protection, Privacy.ExactIdGuard guard,
    Courts.CourtRegistry courts, TimeProvider clock)
{
    public static SearchRequestError? Check(EntrySearchRequest r)
    {
        if (r.Page < 1) return new("invalid_page", "page", "页码应为从1开始的整数");
        if (r.PageSize is < 1 or > EntrySearchRequest.MaxPageSize)
            return new("invalid_page_size", "pageSize", $"每页条数应在1到{EntrySearchRequest.MaxPageSize}之间");
        if (!string.IsNullOrEmpty(r.Type) && !DomainLabels.TryParseSubjectType(r.Type, out _))
            return new("invalid_type", "type", "被执行人类型应为 person（自然人）或 organization（单位）");
        if (!string.IsNullOrEmpty(r.Province) && !CourtDirectory.IsProvince(r.Province))
            return new("invalid_province", "province", $"省份“{r.Province}”无效，应为如“河南”的省级行政区名称");
        if ((r.Q?.Length ?? 0) > EntrySearchRequest.MaxQueryLength)
            return new("query_too_long", "q", $"查询内容过长（最多{EntrySearchRequest.MaxQueryLength}个字符）");
        if ((r.Text?.Length ?? 0) > 200) return new("text_too_long", "text", "义务内容查询最多200个字符");
        if (!string.IsNullOrWhiteSpace(r.Text) && !string.IsNullOrWhiteSpace(r.Q))
            return new("text_with_q", "text", "义务内容（text）与姓名、号码（q）请分开查询");
        if ((long)(r.Page - 1) * r.PageSize > 100_000)
            return new("page_too_deep", "page", "页码过大，请缩小查询范围");
        if (r.Year is < 1990 or > 2100) return new("invalid_year", "year", "发布年份应为四位数字，如 2024");
        if (!string.IsNullOrEmpty(r.Circumstance) && DomainLabels.CircumstanceTable.All(c => c.Code != r.Circumstance))
            return new("invalid_circumstance", "circumstance", "失信情形应为 " + string.Join("、", DomainLabels.CircumstanceTable.Select(c => c.Code)) + " 之一");
        if ((r.Court?.Length ?? 0) > 100) return new("invalid_court", "court", "法院名称过长");
        if (IdNumber.Clean(r.Q) is { Length: 16 or 17 or 19 or 20 } digits && digits[..^1].All(char.IsAsciiDigit))
            return new("invalid_id_number_length", "q", $"身份证号码应为18位（旧号码为15位），您输入了{digits.Length}位，请核对后重新输入");
        return null;
    }

    /// <summary>
    /// True when the text has the shape of an ID number (valid or not, or a digit too many or too few): such a query is
    /// never put in a URL.
    /// </summary>
    public static bool IsIdNumberQuery(string? q)
    {
        var compact = IdNumber.Clean(q);
        var shaped = compact.Length is >= 15 and <= 20 && compact[..^1].All(char.IsAsciiDigit);
        // An all-digit credit code has the same shape; it is public and may be linked.
        return shaped && (IdNumber.IsValid(compact) || !CreditCode.IsValid(compact));
    }

    public const string IdLookupClosedNotice =
        "为防止他人通过逐一尝试推算完整身份证号码，与该号码可见部分相同的号段近期出现多个未命中的精确查询，已暂停对这一号段的精确查询。" +
        "这不表示该号码未被列入名单。请改用姓名加屏幕上显示的脱敏号码查询（如“张三 4127021984****1512”），或向执行法院查询。";

    /// <summary>What a query by an ID number says when it was answered by the number's visible digits (anyone but an API client).</summary>
    public const string VisibleDigitsNotice = "按身份证号码可见部分查询；如需精确核验请使用机构接口";

    /// <param name="client">The API client asking, or null: only an identified client matches a full ID number exactly (within
    /// its allowance); anyone else is answered by the number's visible digits, the same for every number that shows them.</param>
    public async Task<EntrySearchResult> SearchAsync(EntrySearchRequest r, Privacy.IdLookupCaller? client, CancellationToken ct = default)
    {
        var today = ChinaTime.Today(clock);
        var q = (r.Q ?? "").Trim();
        var type = string.IsNullOrEmpty(r.Type) ? null : r.Type.ToLowerInvariant();
        var province = string.IsNullOrEmpty(r.Province) ? null : CourtDirectory.ProvinceOf(r.Province); // 河南省 is 河南
        var offset = (r.Page - 1) * r.PageSize;

        var filters = new SearchFilters(type, province, string.IsNullOrEmpty(r.Court) ? null : r.Court, r.Year, string.IsNullOrEmpty(r.Circumstance) ? null : r.Circumstance);
        await sync.EnsureCurrentAsync(ct); // counts and facets come from the index: no node answers from a stale one
        if (!string.IsNullOrWhiteSpace(r.Text)) return FullText(r, filters, today);
        if (q.Length == 0) return await BrowseAsync(r, filters, today, ct);

        var (kind, query, notice) = Plan(q, protection, filters, offset, r.PageSize, exactIds: client is not null);
        if (kind == QueryKind.Name && courts.Current.PlacesNamed(q) is { Count: > 0 } places)
            return new EntrySearchResult(0, r.Page, r.PageSize, [], QueryKind.Place, PlaceNotice(q, places)) { Places = places };
        if (notice is not null && query.Identifiers.Count == 0 && kind != QueryKind.Name)
            return new EntrySearchResult(0, r.Page, r.PageSize, [], kind, notice);

        // An exact lookup is answered only within the client's allowance; the guard does the same work for a hit and a
        // miss, and the page is read only once the answer may be given.
        var exact = kind == QueryKind.IdNumber && client is not null && IdNumber.TryParse(q, out var id, out _) ? id : (IdNumber?)null;
        if (exact is { } number)
        {
            var found = index.Search(query with { VisibleOn = today, Offset = 0, Limit = 0, WithFacets = false }).Total > 0;
            if (!(await guard.MayAnswerAsync(client!, [new Privacy.ExactIdLookup(number, found)], ct))[0])
                return new EntrySearchResult(0, r.Page, r.PageSize, [], kind, IdLookupClosedNotice) { IdLookupClosed = true };
        }

        var hits = index.Search(query with { VisibleOn = today, WithContent = true });
        if (hits.NothingSearchable)
            return new EntrySearchResult(0, r.Page, r.PageSize, [], kind, "请输入姓名、单位名称、身份证号码、统一社会信用代码或案号");

        var items = PublicOf(hits, today);
        var cities = kind == QueryKind.Name ? courts.Current.CitiesCalled(q) : [];
        if (cities.Count > 0) notice = $"“{q}”也是地名：以下为名称中含有它的条目；要查看{string.Join("、", cities.Select(c => c.Label))}的法院公布的条目，请按地区浏览。";
        return new EntrySearchResult(hits.Total, r.Page, r.PageSize, items, kind, notice)
        {
            Places = cities,
            Matches = hits.Hits.Zip(items, (h, e) => new ItemMatch(e.PublicId, MatchCode(h.Match), h.Approximate, h.Highlights)).ToList(),
            Facets = hits.Facets,
            Representatives = kind == QueryKind.Name && r.Page == 1 && type != "person" ? Representatives(query, filters, today) : null,
        };
    }

    /// <summary>The same name query among legal representatives: organizations only, the same tiers, the first <see cref="RepresentativeGroup.Shown"/>.</summary>
    private RepresentativeGroup? Representatives(SearchQuery query, SearchFilters filters, DateOnly today)
    {
        var hits = index.Search(query with
        {
            AsRepresentative = true, Filters = filters with { SubjectType = null }, Offset = 0, Limit = RepresentativeGroup.Shown, WithFacets = false,
            VisibleOn = today, WithContent = true,
        });
        if (hits.Total == 0) return null;
        var items = PublicOf(hits, today);
        return new RepresentativeGroup(hits.Total, items,
            hits.Hits.Zip(items, (h, e) => new ItemMatch(e.PublicId, MatchCode(h.Match), h.Approximate, h.Highlights) { MatchedOn = "legalRepresentative" }).ToList());
    }

    /// <summary>The public entry with this public id, or why there is none.</summary>
    public async Task<(PublicEntry? Entry, bool Removed)> FindAsync(string publicId, CancellationToken ct = default)
    {
        if (!PublicIds.LooksValid(publicId)) return (null, false);
        var today = ChinaTime.Today(clock);
        var entry = await db.Entries.AsNoTracking().SingleOrDefaultAsync(e => e.PublicId == publicId, ct);
        if (entry is null || entry.NonPublic || entry.Status == EntryStatus.Draft) return (null, false);
        if (!entry.IsPublic(today)) return (null, true);
        return (PublicEntry.From(entry, today), false);
    }

    /// <summary>What a query that names only a place is told (docs/public-site.md "Search": a place name never makes a match on its own).</summary>
    public static string PlaceNotice(string q, IReadOnlyList<Place> places) =>
        $"“{q.Trim()}”是地名：名称中的地名不单独构成匹配，请输入被执行人的姓名或单位名称中有区分度的部分；" +
        (places.Count == 1 ? $"要查看{places[0].Label}的法院公布的条目，请按地区浏览。" : $"有{places.Count}处同名的地方，可分别按地区浏览。");

    /// <summary>The browse page of a place: a province, a city in it, or one court's months.</summary>
    public static string BrowseLink(Place place) =>
        place.CourtCode is { } code ? "/browse?court=" + Uri.EscapeDataString(code)
        : "/browse?province=" + Uri.EscapeDataString(place.Province) + (place.City is { } city ? "&city=" + Uri.EscapeDataString(city) : "");

    /// <summary>When the list was last changed (the newest committed change event): the "as of" of every page.</summary>
    public Task<DateTime?> DataAsOfAsync(CancellationToken ct = default) =>
        db.EntryEvents.AsNoTracking().OrderByDescending(e => e.Id).Select(e => (DateTime?)e.At).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The subject's other public entries, newest first, matched on the keyed ID hash or the credit code (never on a
    /// name: namesakes are different people). Only what is public today, so a removed case never appears, not even in
    /// the first-listed date. Null when the entry itself is not public.
    /// </summary>
    public async Task<RelatedEntries?> RelatedAsync(string publicId, CancellationToken ct = default)
    {
        if (!PublicIds.LooksValid(publicId)) return null;
        var today = ChinaTime.Today(clock);
        var entry = await db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today)).Where(e => e.PublicId == publicId)
            .Select(e => new { e.Id, e.IdNumberHash, e.CreditCode, e.PublishedAt }).SingleOrDefaultAsync(ct);
        if (entry is null) return null;
        var same = db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today));
        same = entry.IdNumberHash is { } hash ? same.Where(e => e.IdNumberHash == hash)
            : entry.CreditCode is { } code ? same.Where(e => e.CreditCode == code)
            : same.Where(e => e.Id == entry.Id);
        var first = await same.MinAsync(e => e.PublishedAt, ct);
        var others = await same.Where(e => e.Id != entry.Id).OrderByDescending(e => e.PublishedAt).ThenByDescending(e => e.Id).Take(200)
            .Select(e => new { e.PublicId, e.CaseNumber, e.Court, e.FiledAt, e.PublishedAt }).ToListAsync(ct);
        return new RelatedEntries(publicId, first is { } f ? ChinaTime.DateOf(f) : null,
            others.Select(e => new RelatedEntry(e.PublicId, e.CaseNumber, e.Court, e.FiledAt, e.PublishedAt is { } p ? ChinaTime.DateOf(p) : null)).ToList());
    }

    /// <summary>
    /// What the index is asked for this text: identifiers or a name, with the filters. A full ID number is matched
    /// exactly (by its keyed hash) only when <paramref name="exactIds"/>; otherwise by what its masked form shows.
    /// </summary>
    public static (QueryKind Kind, SearchQuery Query, string? Notice) Plan(string q, IdNumberProtection protection, SearchFilters? filters, int offset, int limit,
        bool withFacets = true, bool exactIds = false)
    {
        var (kind, identifiers, notice) = Classify(q, protection, exactIds);
        return (kind, new SearchQuery(q, identifiers, filters, offset, limit, withFacets), notice);
    }

    public static string MatchCode(MatchKind kind) => kind switch
    {
        MatchKind.Identifier => "identifier",
        MatchKind.ExactName => "exact_name",
        MatchKind.Phrase => "phrase",
        MatchKind.Partial => "partial",
        MatchKind.Pinyin => "pinyin",
        MatchKind.FullText => "full_text",
        _ => "homophone",
    };

    private static (QueryKind Kind, IReadOnlyList<string> Identifiers, string? Notice) Classify(string q, IdNumberProtection protection, bool exactIds)
    {
        var compact = IdNumber.Clean(q);
        var idShaped = compact.Length is 15 or 18 && compact[..^1].All(char.IsAsciiDigit);
        string? idError = null, codeError = null;
        if (idShaped && IdNumber.TryParse(compact, out var id, out idError))
            return exactIds
                ? (QueryKind.IdNumber, [IndexSync.Keys.IdHash(protection.Hash(id))], null)
                : (QueryKind.IdNumber, IndexSync.Keys.VisibleDigitsOf(id), VisibleDigitsNotice);
        // A masked number as printed, on its own: the entries that show the same digits.
        if (IndexSync.Keys.IdVisibleOfMasked(MaskedForm(q)) is { } visible)
            return (QueryKind.IdNumber, [visible], null);
        var codeShaped = compact.Length is 18 or 9 && compact.All(char.IsAsciiLetterOrDigit) && compact.Any(char.IsAsciiDigit);
        if (codeShaped && CreditCode.TryParse(compact, out var code, out codeError))
            return (QueryKind.CreditCode, [IndexSync.Keys.Code(code)], null);
        if (idShaped) return (QueryKind.IdNumber, [], $"您输入的身份证号码有误：{idError}");
        if (codeShaped) return (QueryKind.CreditCode, [], $"您输入的统一社会信用代码有误：{codeError}");
        if (CaseNumber.LooksLikeCaseNumber(q))
            return (QueryKind.CaseNumber, [IndexSync.Keys.Case(CaseNumber.Key(q))], null);
        return (QueryKind.Name, [], null);
    }

    /// <summary>A masked ID number typed on its own (4127021984****1512, with ＊ or × for the stars, any case of x), as stored; else null.</summary>
    private static string? MaskedForm(string q)
    {
        var t = string.Concat(q.Where(c => !char.IsWhiteSpace(c))).Replace('＊', '*').Replace('×', '*').ToUpperInvariant();
        bool Digits(int from, int to) => t[from..to].All(char.IsAsciiDigit);
        return t.Length switch
        {
            18 when Digits(0, 10) && t[10..14] == "****" && Digits(14, 17) && (char.IsAsciiDigit(t[17]) || t[17] == 'X') => t,
            15 when Digits(0, 8) && t[8..12] == "****" && Digits(12, 15) => t,
            _ => null,
        };
    }

    /// <summary>Entries whose obligation, basis issuer or circumstances hold every word of <see cref="EntrySearchRequest.Text"/>, newest first.</summary>
    private EntrySearchResult FullText(EntrySearchRequest r, SearchFilters filters, DateOnly today)
    {
        var hits = index.Search(new SearchQuery(r.Text, [], filters, (r.Page - 1) * r.PageSize, r.PageSize, WithFacets: true)
            { InFullText = true, VisibleOn = today, WithContent = true });
        if (hits.NothingSearchable)
            return new EntrySearchResult(0, r.Page, r.PageSize, [], QueryKind.FullText, "请输入义务内容中的词语，如“借款 利息”“工程款”");
        var items = PublicOf(hits, today);
        var words = index.FullText.QueryWords(r.Text);
        return new EntrySearchResult(hits.Total, r.Page, r.PageSize, items, QueryKind.FullText, null)
        {
            Matches = items.Select(e => new ItemMatch(e.PublicId, MatchCode(MatchKind.FullText), false, [])
                { ObligationHighlights = index.FullText.Spans(e.Obligation, words) }).ToList(),
            Facets = hits.Facets,
        };
    }

    /// <summary>Newest first from the index (counting and ordering a million rows in the database takes seconds).</summary>
    private async Task<EntrySearchResult> BrowseAsync(EntrySearchRequest r, SearchFilters filters, DateOnly today, CancellationToken ct)
    {
        var hits = index.Search(new SearchQuery(null, [], filters, (r.Page - 1) * r.PageSize, r.PageSize, WithFacets: true) { Browse = true, VisibleOn = today, WithContent = true });
        return new EntrySearchResult(hits.Total, r.Page, r.PageSize, PublicOf(hits, today), QueryKind.Browse, null) { Facets = hits.Facets };
    }

    /// <summary>
    /// The hits' public projection as the index keeps it, with the age for today. The index was brought up to the newest
    /// committed change before the search (<see cref="IndexSync.EnsureCurrentAsync"/>), so it holds exactly what is public:
    /// a page of results needs no read from the database.
    /// </summary>
    private static List<PublicEntry> PublicOf(SearchResult hits, DateOnly today) =>
        hits.Hits.Select(h => System.Text.Json.JsonSerializer.Deserialize<PublicEntry>(h.Content!, System.Text.Json.JsonSerializerOptions.Web)!)
            .Select(e => e with { Age = IdNumber.AgeShown(e.IdNumberMasked, today) }).ToList();

    /// <summary>Name completions, from an index brought up to the newest committed change first (suggestions are not re-checked against the database).</summary>
    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(string? q, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(q) || IsIdNumberQuery(q)) return [];
        await sync.EnsureCurrentAsync(ct);
        return index.Suggest(q.Length > 50 ? q[..50] : q, ChinaTime.Today(clock));
    }
}
