using Portal.Search.Analysis;

namespace Portal.Tests.Search;

public class ChineseAnalyzerTests
{
    private readonly ChineseAnalyzer _analyzer = ChineseAnalyzer.Instance;

    [Theory]
    [InlineData("陳國華", "陈国华")]
    [InlineData("洛陽市恆達建築工程有限公司", "洛阳市恒达建筑工程有限公司")]
    [InlineData("ＺＨＡＮＧ　San", "zhang san")]
    [InlineData("（２０１９）豫０３１１", "2019 豫0311")]
    public void Normalizes_width_case_and_traditional_characters(string input, string expected)
    {
        Assert.Equal(expected, _analyzer.Normalize(input));
    }

    [Fact]
    public void Drops_control_characters_and_lone_surrogates()
    {
        Assert.Equal("张 三", _analyzer.Normalize("张\u0000三\uD800"));
        Assert.Equal("", _analyzer.Normalize("\uDC00\u0007"));
    }

    [Fact]
    public void Indexes_unigrams_bigrams_and_dictionary_words()
    {
        var tokens = _analyzer.IndexTokens("恒达建筑工程");
        Assert.Contains("恒", tokens);
        Assert.Contains("恒达", tokens);
        Assert.Contains("达建", tokens);
        Assert.Contains("建筑", tokens);
        Assert.Contains("工程", tokens);
    }

    [Fact]
    public void Queries_use_bigrams_so_order_matters()
    {
        Assert.Equal(["张三"], _analyzer.QueryTokens("张三"));
        Assert.Equal(["张三", "三丰"], _analyzer.QueryTokens("張三丰"));
        Assert.Equal(["张"], _analyzer.QueryTokens("张"));
    }

    [Fact]
    public void Query_length_is_bounded()
    {
        var tokens = _analyzer.QueryTokens(new string('张', 2000));
        Assert.Single(tokens); // every bigram is 张张
        Assert.True(_analyzer.Normalize(new string('a', 5000), ChineseAnalyzer.MaxQueryLength).Length <= ChineseAnalyzer.MaxQueryLength);
    }
}
