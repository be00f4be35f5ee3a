using Portal.Data.Entries;
using Portal.Search.Analysis;
using Portal.Search.Index;
using Portal.Tests.Support;
using Portal.Web.Search;

namespace Portal.Tests.Search;

/// <summary>
/// The relevance suite: a fixed corpus and the queries people type, each with the results expected in order, planned
/// exactly as the site plans them (ID numbers hashed, case numbers keyed) and answered by the index.
/// </summary>
public class RelevanceTests
{
    private static readonly Portal.Data.Privacy.IdNumberProtection Protection = TestEntries.Protection();

    private sealed record Row(long Id, string Name, int Year, string Province = "河南", string? IdNumber = null, string? CreditCode = null,
        string? CaseNumber = null, string Court = "洛阳市洛龙区人民法院", string Circumstance = "refuses");

    private static readonly Row[] Corpus =
    [
        new(1, "张三", 2019, IdNumber: "412702198403151512", CaseNumber: "（2019）豫0311执1234号"),
        new(2, "张三丰", 2021, "湖北", Court: "十堰市茅箭区人民法院"),
        new(3, "张三", 2023, "北京", IdNumber: "110101194912310016", Court: "北京市朝阳区人民法院"),
        new(4, "章三", 2020),
        new(5, "张四", 2018),
        new(6, "李四", 2018, IdNumber: "11010519491231002X"),
        new(7, "单田芳", 2017), new(8, "曾国藩", 2016), new(9, "解缙", 2015), new(10, "仇英", 2015), new(11, "区小明", 2014),
        new(12, "查良镛", 2013), new(13, "朴成勋", 2013), new(14, "盖聂", 2012), new(15, "乐嘉", 2012), new(16, "尉迟恭", 2011),
        new(17, "欧阳明远", 2020), new(18, "陈国华", 2019), new(19, "王芳", 2022), new(20, "王小芳", 2021), new(21, "王芳芳", 2020),
        new(22, "李芳", 2021), new(23, "张伟", 2020), new(24, "张伟明", 2021), new(25, "司马光", 2010), new(26, "吕布", 2019),
        new(30, "洛阳市恒达建筑工程有限公司", 2022, CreditCode: "91410311MA44L2K3X8", Circumstance: "asset-report"),
        new(31, "郑州市恒达商贸有限公司", 2021, Court: "郑州市金水区人民法院"),
        new(32, "洛阳市鑫源建筑工程有限公司", 2020),
        new(33, "华为技术有限公司", 2019, "广东", CreditCode: "914403001922038216", Court: "深圳市南山区人民法院"),
        new(34, "北京华信商贸有限责任公司", 2018, "北京", Court: "北京市朝阳区人民法院"),
        new(35, "深圳市瑞丰投资管理合伙企业（有限合伙）", 2017, "广东", Court: "深圳市南山区人民法院"),
        new(36, "河南省洛阳市宏图房地产开发股份有限公司", 2016),
        new(37, "上海汇通物流有限公司", 2023, "上海", Court: "上海市浦东新区人民法院"),
        // Input as courts and people really write it: a name with the middle dot, a character outside the Basic
        // Multilingual Plane, the residence permits of Hong Kong, Macao and Taiwan residents and a foreigner's permanent
        // residence ID card (2023).
        new(40, "阿卜杜拉·买买提", 2022, "新疆", Court: "乌鲁木齐市天山区人民法院"),
        new(41, "李𠮷", 2021),
        new(42, "陈家乐", 2020, "广东", IdNumber: "810000199408230021", Court: "深圳市南山区人民法院"),
        new(43, "何美华", 2019, "广东", IdNumber: "820000198801150041", Court: "深圳市南山区人民法院"),
        new(44, "林志明", 2018, "福建", IdNumber: "830000197912030015", Court: "厦门市思明区人民法院"),
        new(45, "约翰·史密斯", 2023, "上海", IdNumber: "931840198506120019", Court: "上海市浦东新区人民法院"),
    ];

    private static readonly SearchIndex Index = Build();

    private static SearchIndex Build()
    {
        var index = new SearchIndex(ChineseAnalyzer.Instance);
        index.Rebuild(Corpus.Select(r =>
        {
            var identifiers = new List<string> { IndexSync.Keys.Case(CaseNumber.Key(r.CaseNumber ?? $"（{r.Year}）豫0311执{r.Id}号")) };
            string? masked = null;
            if (r.IdNumber is { } id && IdNumber.TryParse(id, out var parsed, out _))
            {
                identifiers.Add(IndexSync.Keys.IdHash(Protection.Hash(parsed)));
                masked = parsed.Mask();
                identifiers.Add(IndexSync.Keys.IdFamily(parsed.Family));
                identifiers.Add(IndexSync.Keys.IdVisibleOfMasked(masked)!);
            }
            if (r.CreditCode is { } code) identifiers.Add(IndexSync.Keys.Code(code));
            var type = r.Id is >= 30 and < 40 ? "organization" : "person";
            return new SearchDocument(r.Id, r.Name, type, r.Province, r.Court, new DateTime(r.Year, 6, 1, 0, 0, 0, DateTimeKind.Utc),
                [r.Circumstance], masked, identifiers);
        }));
        return index;
    }

    /// <summary>As an API client asks (a full ID number matched exactly); <paramref name="anonymous"/>: as anyone else (by its visible digits).</summary>
    private static SearchResult Ask(string q, SearchFilters? filters = null, bool anonymous = false) =>
        Index.Search(EntrySearch.Plan(q, Protection, filters, 0, 50, exactIds: !anonymous).Query);

    /// <summary>
    /// Query, then the expected ids: in this order ("3,1,2"), as a set when it starts with "=", nothing when empty.
    /// A "~" after an id marks it as expected to be an approximate match.
    /// </summary>
    public static TheoryData<string, string> Cases() => new()
    {
        // Whole names: every exact match first (newest first), then names containing it, then homophones (approximate).
        { "张三", "3,1,2,4~" },
        { "张三丰", "2" },
        { "章三", "4,3~,1~" },
        { "張三", "3,1,2,4~" },
        { "张 三", "3,1,2,4~" },
        { "  张三  ", "3,1,2,4~" },
        { "张四", "5" },
        { "李四", "6" },
        { "张伟", "23,24" },
        { "张伟明", "24" },
        { "欧阳明远", "17" },
        { "欧阳", "17" },
        { "尉迟恭", "16" },
        { "司马光", "25" },
        { "国华", "18" },
        { "陈国华", "18" },
        { "陳國華", "18" },
        { "單田芳", "7" },
        // Names containing the query; not one that merely shares its characters.
        { "王芳", "19,21" },
        { "芳", "=19,20,21,22,7" },
        // A different person with the same surname, or names that merely share characters: nothing.
        { "张五", "" },
        { "王芳芳芳", "" },
        { "李芳芳", "" },
        { "三张", "" },
        { "李三", "" },
        { "张三四", "" },
        { "赵六", "" },
        // Pinyin: whole, spaced, case-insensitive, full width, initials, mixed, typed so far.
        { "zhangsan", "3,4,1,2" },
        { "zhang san", "3,4,1,2" },
        { "Zhang San", "3,4,1,2" },
        { "ZHANGSAN", "3,4,1,2" },
        { "ＺＨＡＮＧ　ＳＡＮ", "3,4,1,2" },
        { "zhangsanfeng", "2" },
        { "zs", "3,4,1,5" },
        { "张san", "3,1,2" },
        { "zhangs", "3,2,4,1,5" }, // readings that begin so: newest first
        { "zhangwei", "23,24" },
        { "wangfang", "19,21" },
        { "chenguohua", "18" },
        { "oyang", "" },
        { "ouyangmingyuan", "17" },
        { "oymy", "17" },
        { "simaguang", "25" },
        { "lvbu", "26" },
        { "lubu", "26" },
        // Surnames read their own way.
        { "shantianfang", "7" },
        { "zengguofan", "8" },
        { "xiejin", "9" },
        { "qiuying", "10" },
        { "ouxiaoming", "11" },
        { "zhaliangyong", "12" },
        { "piaochengxun", "13" },
        { "genie", "14" },
        { "yuejia", "15" },
        { "yuchigong", "16" },
        { "dantianfang", "" },
        // Organizations by their distinctive part; place names and legal forms do not decide.
        { "恒达建筑", "30" },
        { "恒达", "30,31" },
        { "恒达商贸", "31" },
        { "洛阳市恒达建筑工程有限公司", "30" },
        { "洛阳恒达", "30" },
        { "恒达建筑有限公司", "30" },
        { "河南洛阳恒达建筑", "30" },
        { "郑州恒达商贸有限公司", "31" },
        { "鑫源", "32" },
        { "鑫源建筑工程有限公司", "32" },
        { "华为", "33" },
        { "華為技術", "33" },
        { "华信商贸", "34" },
        { "瑞丰投资", "35" },
        { "宏图房地产", "36" },
        { "汇通物流", "37" },
        { "hengda", "30,31" },
        { "huawei", "33" },
        { "恒达物流", "" },
        { "建筑工程有限公司", "=30,32" },
        // ID numbers: lowercase x, spaces, the 15-digit legacy form; one digit off finds nobody.
        { "412702198403151512", "1" },
        { "4127 0219 8403 1515 12", "1" },
        { "412702840315151", "1" },
        { "110101194912310016", "3" },
        { "11010519491231002x", "6" },
        { "11010519491231002X", "6" },
        { "412702198403151513", "" },
        { "440304199001011233", "" },
        // Credit codes in lower case; one character off finds nothing.
        { "91410311ma44l2k3x8", "30" },
        { "914403001922038216", "33" },
        { "914403001922038217", "" },
        // Case numbers in every bracket and width, with or without 号.
        { "（2019）豫0311执1234号", "1" },
        { "(2019)豫0311执1234号", "1" },
        { "〔2019〕豫0311执1234", "1" },
        { "[2019]豫0311执1234号", "1" },
        { "（２０１９）豫０３１１执１２３４号", "1" },
        { "2019豫0311执1234", "1" },
        { "（2019）豫0311执1235号", "" },
        // A masked ID number as printed narrows a name search to the entries whose visible digits agree.
        { "张三 4127021984****1512", "1" },
        { "张三 1101011949****0016", "3" },
        { "张三 4127021984****9999", "" },
        { "4127021984****1512", "1" },
        { "张三 4127021984＊＊＊＊1512", "1" },
        // Pinyin with tone marks, ü or v, any case, mixed with characters.
        { "zhāngsān", "3,4,1,2" },
        { "Zhāng Sān", "3,4,1,2" },
        { "ZHĀNGSĀN", "3,4,1,2" },
        { "zhàngsǎn", "3,4,1,2" },
        { "lǚbù", "26" },
        { "lübu", "26" },
        { "LVBU", "26" },
        { "张sān", "3,1,2" },
        { "ōuyángmíngyuǎn", "17" },
        // The middle dot in any of its look-alike forms, or none; spaces in its place.
        { "阿卜杜拉·买买提", "40" },
        { "阿卜杜拉•买买提", "40" },
        { "阿卜杜拉・买买提", "40" },
        { "阿卜杜拉‧买买提", "40" },
        { "阿卜杜拉．买买提", "40" },
        { "阿卜杜拉.买买提", "40" },
        { "阿卜杜拉买买提", "40" },
        { "阿卜杜拉 买买提", "40" },
        { "买买提", "40" },
        { "约翰史密斯", "45" },
        { "约翰・史密斯", "45" },
        // Characters outside the Basic Multilingual Plane are characters like any other.
        { "李𠮷", "41" },
        { "𠮷", "41" },
        { "李吉", "" },
        // Zero-width characters, byte order marks and ideographic spaces pasted into a query change nothing.
        { "张\u200B三", "3,1,2,4~" },
        { "\uFEFF张三", "3,1,2,4~" },
        { "张\u3000三", "3,1,2,4~" },
        { "张\u200D三\u2060", "3,1,2,4~" },
        { "4127\u200B0219\u200C8403\u20601515\u200B12", "1" },
        { "412702198403151512\u3000", "1" },
        // Every kind of 18-digit number built on GB 11643: residence permits and the foreigner's permanent residence card.
        { "810000199408230021", "42" },
        { "820000198801150041", "43" },
        { "830000197912030015", "44" },
        { "931840198506120019", "45" },
        { "93184019850612001x", "" },
        { "931840198506120010", "" },
        { "陈家乐 8100001994****0021", "42" },
        { "9318401985****0019", "45" },
        { "约翰史密斯 9318401985****0019", "45" },
        { "约翰史密斯 9318401985****0029", "" },
    };

    /// <summary>Without a key a full ID number is answered by what its masked form shows: every number with those digits alike.</summary>
    [Theory]
    [InlineData("412702198403151512", "1")]       // the true number
    [InlineData("412702198401041512", "1")]       // another day of birth with the same visible digits
    [InlineData("4127 0219 8401 1215 12", "1")]   // another, typed with spaces
    [InlineData("412702840315151", "1")]           // the 15-digit form shows no check character: its whole family
    [InlineData("412702198403161518", "")]         // another day, whose check character shows: other visible digits
    [InlineData("412702198403151520", "")]         // another sequence: other visible digits
    [InlineData("412702198403151513", "")]         // a check character that fails is no number at all
    public void Anonymous_ID_numbers_find_the_entries_with_the_same_visible_digits(string query, string expected)
    {
        Assert.Equal(expected, string.Join(",", Ask(query, anonymous: true).Ids));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Finds_what_people_mean(string query, string expected)
    {
        var result = Ask(query);
        var ids = result.Hits.Select(h => h.Id).ToList();
        if (expected.Length == 0)
        {
            Assert.Empty(ids);
            return;
        }
        if (expected.StartsWith('='))
        {
            Assert.Equal(expected[1..].Split(',').Select(long.Parse).Order(), ids.Order());
            return;
        }
        var wanted = expected.Split(',').Select(e => (Id: long.Parse(e.TrimEnd('~')), Approximate: e.EndsWith('~'))).ToList();
        Assert.Equal(wanted.Select(w => w.Id), ids);
        Assert.Equal(wanted.Select(w => w.Approximate), result.Hits.Select(h => h.Approximate));
        Assert.Equal(ids.Count, result.Total);
    }

    [Fact]
    public void The_suite_is_large_enough_and_covers_must_return_nothing()
    {
        var cases = Cases().Select(c => (string)c[1]).ToList();
        Assert.True(cases.Count >= 80, $"{cases.Count} queries");
        Assert.True(cases.Count(c => c.Length == 0) >= 15);
    }

    [Fact]
    public void Exact_identifier_outranks_everything_and_exact_names_outrank_phrases()
    {
        Assert.Equal([MatchKind.ExactName, MatchKind.ExactName, MatchKind.Phrase, MatchKind.Homophone], Ask("张三").Hits.Select(h => h.Match));
        Assert.Equal(MatchKind.Identifier, Ask("412702198403151512").Hits.Single().Match);
        Assert.Equal([MatchKind.ExactName, MatchKind.Phrase], Ask("王芳").Hits.Select(h => h.Match));
        // Within the partial tier the surname counts most: 张伟明 finds 明张伟 (2023) after 张伟x明 (2019).
        using var index = new SearchIndex(ChineseAnalyzer.Instance);
        index.Rebuild([Person(1, "明张伟", 2023), Person(2, "张伟小明", 2019)]);
        Assert.Equal([2L, 1L], index.Search(new SearchQuery("张伟明", [])).Ids);
        Assert.All(index.Search(new SearchQuery("张伟明", [])).Hits, h => Assert.Equal(MatchKind.Partial, h.Match));
        Assert.All(Ask("zhangsan").Hits, h => Assert.Equal(MatchKind.Pinyin, h.Match));
    }

    [Fact]
    public void Filters_narrow_and_facets_count_every_match()
    {
        Assert.Equal([2L], Ask("张三", new SearchFilters(Province: "湖北")).Ids);
        Assert.Empty(Ask("张三", new SearchFilters(SubjectType: "organization")).Ids);
        Assert.Equal([3L], Ask("张三", new SearchFilters(Court: "北京市朝阳区人民法院")).Ids);
        Assert.Equal([1L], Ask("张三", new SearchFilters(Year: 2019)).Ids);
        Assert.Equal([30L], Ask("恒达", new SearchFilters(Circumstance: "asset-report")).Ids);
        Assert.Empty(Ask("张三", new SearchFilters(Province: "火星")).Ids);

        var facets = Ask("恒达").Facets;
        Assert.Equal([new FacetCount("organization", 2)], facets[FacetFields.SubjectType]);
        Assert.Equal([new FacetCount("河南", 2)], facets[FacetFields.Province]);
        Assert.Equal([new FacetCount("洛阳市洛龙区人民法院", 1), new FacetCount("郑州市金水区人民法院", 1)], facets[FacetFields.Court]);
        Assert.Equal([new FacetCount("2022", 1), new FacetCount("2021", 1)], facets[FacetFields.Year]);
        Assert.Equal([new FacetCount("asset-report", 1), new FacetCount("refuses", 1)], facets[FacetFields.Circumstance]);

        var people = Ask("张三").Facets;
        Assert.Equal([new FacetCount("person", 4)], people[FacetFields.SubjectType]);
        Assert.Equal(4, people[FacetFields.Province].Sum(f => f.Count));
    }

    [Theory]
    [InlineData("恒达建筑", 30L, "洛阳市[恒达建筑]工程有限公司")]
    [InlineData("陳國華", 18L, "[陈国华]")]
    [InlineData("张三", 2L, "[张三]丰")]
    [InlineData("洛阳恒达", 30L, "[洛阳]市[恒达]建筑工程有限公司")]
    [InlineData("zhangsan", 2L, "[张三]丰")]
    [InlineData("张伟明", 24L, "[张伟明]")]
    [InlineData("412702198403151512", 1L, "张三")]
    [InlineData("𠮷", 41L, "李[𠮷]")]
    [InlineData("李𠮷", 41L, "[李𠮷]")]
    [InlineData("买买提", 40L, "阿卜杜拉·[买买提]")]
    [InlineData("阿卜杜拉买买提", 40L, "[阿卜杜拉·买买提]")]
    [InlineData("zhāngsān", 2L, "[张三]丰")]
    public void Highlights_mark_what_matched(string query, long id, string marked)
    {
        var hit = Ask(query).Hits.Single(h => h.Id == id);
        var name = Corpus.Single(r => r.Id == id).Name;
        var text = name;
        foreach (var span in hit.Highlights.OrderByDescending(s => s.Start))
            text = text[..span.Start] + "[" + text.Substring(span.Start, span.Length) + "]" + text[(span.Start + span.Length)..];
        Assert.Equal(marked, text);
    }

    [Theory]
    [InlineData("张三", "张三,张三丰")]                  // the name as typed first, then the newest
    [InlineData("张伟", "张伟,张伟明")]
    [InlineData("zhangwei", "张伟,张伟明")]
    [InlineData("张", "张三,张伟明,张三丰,张伟,张四")]
    [InlineData("恒达", "洛阳市恒达建筑工程有限公司,郑州市恒达商贸有限公司")]
    [InlineData("zhang", "张三,张伟明,张三丰,张伟,章三,张四")]
    [InlineData("zh", "张三,张伟明,张三丰,张伟,章三,张四,查良镛")]
    [InlineData("ouy", "欧阳明远")]
    [InlineData("4127021984", "")]
    [InlineData("", "")]
    [InlineData("李芳芳", "")]
    public void Suggestions_complete_names(string typed, string expected)
    {
        var names = Index.Suggest(typed).Select(s => s.Name).ToList();
        Assert.Equal(expected.Length == 0 ? [] : expected.Split(','), names);
    }

    private static SearchDocument Person(long id, string name, int year) =>
        new(id, name, "person", "河南", "某法院", new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc), [], null, []);

    [Fact]
    public void Suggestions_stop_at_ten()
    {
        using var index = new SearchIndex(ChineseAnalyzer.Instance);
        index.Rebuild(Enumerable.Range(1, 30).Select(i => new SearchDocument(i, "王" + (char)('一' + i), "person", "河南", "某法院",
            new DateTime(2000 + i % 20, 1, 1, 0, 0, 0, DateTimeKind.Utc), [], null, [])));
        Assert.Equal(10, index.Suggest("王").Count);
    }
}
