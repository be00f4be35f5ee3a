using Portal.Data.Entries;

namespace Portal.Tests.Entries;

public class CaseNumberTests
{
    [Theory]
    [InlineData("（2019）豫0311执1234号")]
    [InlineData("(2019)豫0311执1234号")]
    [InlineData("2019豫0311执1234号")]
    [InlineData("〔2019〕豫0311执1234号")]
    [InlineData("[2019]豫0311执1234")]
    [InlineData("（２０１９）豫０３１１执１２３４号")]
    [InlineData(" ( 2019 ) 豫0311执1234 ")]
    public void Every_typed_form_has_the_same_key_and_canonical_form(string typed)
    {
        Assert.True(CaseNumber.TryParse(typed, out var canonical, out var key, out var error), error);
        Assert.Equal("2019豫0311执1234", key);
        Assert.Equal("（2019）豫0311执1234号", canonical);
    }

    [Theory]
    [InlineData("豫0311执1234号")]
    [InlineData("（2019）1234号")]
    [InlineData("张三")]
    public void Shapes_that_are_not_case_numbers_are_refused(string typed)
    {
        Assert.False(CaseNumber.TryParse(typed, out _, out _, out var error));
        Assert.StartsWith("案号格式不正确", error);
    }

    [Fact]
    public void A_year_far_from_now_is_refused()
    {
        Assert.False(CaseNumber.TryParse("（1890）豫0311执1234号", out _, out _, out var error));
        Assert.Contains("1890", error);
    }

    [Theory]
    [InlineData("（2021）京0105执恢88号", "2021京0105执恢88")]
    [InlineData("(2020)粤1971执保12号", "2020粤1971执保12")]
    public void Other_enforcement_case_kinds_parse(string typed, string key)
    {
        Assert.True(CaseNumber.TryParse(typed, out _, out var k, out _));
        Assert.Equal(key, k);
    }
}
