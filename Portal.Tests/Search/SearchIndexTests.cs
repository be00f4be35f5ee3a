using Portal.Search.Analysis;
using Portal.Search.Index;
using Portal.Tests.Support;

namespace Portal.Tests.Search;

public sealed class SearchIndexTests : IDisposable
{
    private readonly SearchIndex _index;

    public SearchIndexTests()
    {
        _index = new SearchIndex(ChineseAnalyzer.Instance);
        _index.Apply(
        [
            Doc(1, "张三", "person", "河南", 2019, "case:2019豫0311执1234"),
            Doc(2, "张三丰", "person", "湖北", 2021, "case:2021鄂0502执1"),
            Doc(3, "三张", "person", "河南", 2020, "case:2020豫0311执9"),
            Doc(4, "洛阳市恒达建筑工程有限公司", "organization", "河南", 2022, "code:914403001922038216"),
            Doc(5, "李四", "person", "北京", 2018, "idh:abc"),
        ], []);
    }

    public void Dispose() => _index.Dispose();

    private static SearchDocument Doc(long id, string name, string type, string province, int year, params string[] ids) =>
        new(id, name, type, province, "洛阳市洛龙区人民法院", new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc), ["refuses"], null, ids);

    private IReadOnlyList<long> Find(string text, string? type = null, string? province = null) =>
        _index.Search(new SearchQuery(text, [], new SearchFilters(type, province))).Ids;

    [Fact]
    public void A_disposed_index_does_not_reopen_and_the_next_one_on_its_folder_opens_at_once()
    {
        using var folder = new Portal.Tests.Support.TempDirectory();
        var path = Path.Combine(folder.Path, "index");
        var first = new SearchIndex(ChineseAnalyzer.Instance, path);
        first.Apply([Doc(1, "张三", "person", "河南", 2019, "case:2019豫0311执1234")], []);
        first.Commit(1, "s");
        first.Dispose();
        // A late search of a stopping host used to reopen the writer here and keep Lucene's write lock in this process.
        Assert.Throws<ObjectDisposedException>(() => first.Search(new SearchQuery("张三", [], SearchFilters.None)));
        using var second = new SearchIndex(ChineseAnalyzer.Instance, path);
        Assert.Equal(1L, second.Open().Cursor); // a lock left behind fails here with LockObtainFailedException
        Assert.Equal([1L], second.Search(new SearchQuery("张三", [], SearchFilters.None)).Ids);
    }

    [Fact]
    public void An_exact_name_ranks_before_a_longer_name_that_contains_it()
    {
        Assert.Equal([1L, 2L], Find("张三"));
    }

    [Fact]
    public void Character_order_matters()
    {
        Assert.Equal([3L], Find("三张"));
    }

    [Fact]
    public void Traditional_input_finds_simplified_names()
    {
        Assert.Equal([1L, 2L], Find("張三"));
    }

    [Fact]
    public void The_distinctive_part_of_a_company_name_finds_it()
    {
        Assert.Equal([4L], Find("恒达建筑"));
    }

    [Fact]
    public void Filters_narrow_the_result()
    {
        Assert.Equal([2L], Find("张三", province: "湖北"));
        Assert.Empty(Find("张三", type: "organization"));
    }

    [Fact]
    public void Identifiers_match_exactly()
    {
        Assert.Equal([4L], _index.Search(new SearchQuery(null, ["code:914403001922038216"])).Ids);
        Assert.Empty(_index.Search(new SearchQuery(null, ["code:914403001922038217"])).Ids);
    }

    [Fact]
    public void Removed_documents_are_gone_and_replaced_ones_are_found_by_their_new_name()
    {
        _index.Apply([Doc(2, "王五", "person", "湖北", 2021)], [1]);
        Assert.Empty(Find("张三"));
        Assert.Equal([2L], Find("王五"));
        Assert.Empty(_index.Search(new SearchQuery(null, ["case:2019豫0311执1234"])).Ids);
    }

    [Fact]
    public void Rebuild_replaces_everything()
    {
        _index.Rebuild([Doc(9, "赵六", "person", "河南", 2020)]);
        Assert.Equal(1, _index.Count());
        Assert.Empty(Find("张三"));
        Assert.Equal([9L], Find("赵六"));
    }

    public static TheoryData<string> HostileInputs() => new()
    {
        "\"", "\"\"\"", "张\"三", "*", "张*", "NEAR(张 三)", "张 OR 李", "张 AND 李", "NOT 张", "-张", "^张", "(张三", "张三)",
        "tokens:张", "{tokens}:张", "'; DROP TABLE docs; --", "\u0000", "\uD800", "\uDFFF张", new string('张', 2000),
        new string('"', 2000), string.Concat(Enumerable.Repeat("NEAR(", 400)), "\\", "%", "_", "张三 OR 1=1",
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Nothing_typed_breaks_the_query_or_reaches_other_entries(string input)
    {
        var result = _index.Search(new SearchQuery(input, []));
        // Whatever was typed, only names containing the typed Han text can match; none contain these.
        Assert.DoesNotContain(5L, result.Ids);
        Assert.Equal(5, _index.Count());
    }

    [Fact]
    public void Quoted_operators_are_searched_as_words_not_obeyed()
    {
        Assert.Empty(Find("张三 OR 李四"));      // "or" is not part of any name (nor any reading)
        Assert.Equal([1L, 2L], Find("张三\")")); // punctuation is dropped, the name remains
    }

    [Fact]
    public void An_entry_whose_listing_period_ended_is_not_found_on_later_days_even_before_it_expires()
    {
        var ending = Doc(7, "周七", "person", "河南", 2020, "case:2020豫0311执7") with { ListingEndsAt = new DateOnly(2026, 11, 21) };
        _index.Apply([ending], []);
        SearchResult On(SearchQuery q, int day) => _index.Search(q with { VisibleOn = new DateOnly(2026, 11, day) });
        Assert.Equal([7L], On(new SearchQuery("周七", []), 21).Ids);
        Assert.Empty(On(new SearchQuery("周七", []), 22).Ids);
        Assert.Empty(On(new SearchQuery(null, ["case:2020豫0311执7"]), 22).Ids);
        Assert.Empty(On(new SearchQuery("zhouqi", []), 22).Ids);
        Assert.DoesNotContain(7L, On(new SearchQuery(null, []) { Browse = true }, 22).Ids);
        Assert.Contains(7L, On(new SearchQuery(null, []) { Browse = true }, 21).Ids);
        Assert.Empty(_index.Suggest("周", new DateOnly(2026, 11, 22)));
        Assert.Single(_index.Suggest("周", new DateOnly(2026, 11, 21)));
    }

    [Fact]
    public void Browsing_lists_everything_newest_first_with_filters()
    {
        var all = _index.Search(new SearchQuery(null, [], Limit: 10) { Browse = true });
        Assert.Equal([4L, 2L, 3L, 1L, 5L], all.Ids);
        Assert.Equal([4L, 3L, 1L], _index.Search(new SearchQuery(null, [], new SearchFilters(Province: "河南")) { Browse = true }).Ids);
    }
}
