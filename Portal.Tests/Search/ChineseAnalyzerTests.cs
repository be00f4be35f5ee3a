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

    [Theory]
    [InlineData("张三", true, "zhang san")]
    [InlineData("单田芳", true, "shan tian fang")]
    [InlineData("曾国藩", true, "zeng guo fan")]
    [InlineData("解缙", true, "xie jin")]
    [InlineData("仇英", true, "qiu ying")]
    [InlineData("区小明", true, "ou xiao ming")]
    [InlineData("查良镛", true, "zha liang yong")]
    [InlineData("朴成勋", true, "piao cheng xun")]
    [InlineData("盖聂", true, "ge nie")]
    [InlineData("乐嘉", true, "yue jia")]
    [InlineData("尉迟恭", true, "yu chi gong")]
    [InlineData("单位", false, "dan wei")]
    [InlineData("a1张", false, "a 1 zhang")]
    public void Reads_names_in_toneless_pinyin_with_surname_readings(string key, bool person, string expected)
    {
        Assert.Equal(expected, string.Join(' ', _analyzer.Syllables(key, person)));
    }

    [Theory]
    [InlineData("洛阳市恒达建筑工程有限公司", "恒达建筑工程")]
    [InlineData("河南省洛阳市恒达建筑工程股份有限公司", "恒达建筑工程")]
    [InlineData("北京华信商贸有限责任公司", "华信商贸")]
    [InlineData("河南洛阳恒达建筑", "洛阳恒达建筑")]
    [InlineData("深圳市瑞丰投资管理合伙企业有限合伙", "瑞丰投资管理")]
    [InlineData("有限公司", "有限公司")]
    [InlineData("张三", "张三")]
    public void The_distinctive_part_of_an_organization_leaves_out_place_and_legal_form(string key, string core)
    {
        Assert.Equal(core, ChineseAnalyzer.OrganizationCore(key));
    }

    [Theory]
    [InlineData('Ａ', 'a')]
    [InlineData('陳', '陈')]
    [InlineData('张', '张')]
    [InlineData('（', null)]
    [InlineData(' ', null)]
    public void Folds_one_character_like_normalization(char c, char? expected)
    {
        Assert.Equal(expected, _analyzer.Fold(c));
    }

    [Fact]
    public void Query_length_is_bounded()
    {
        Assert.True(_analyzer.Normalize(new string('a', 5000), ChineseAnalyzer.MaxQueryLength).Length <= ChineseAnalyzer.MaxQueryLength);
    }
}
