using Portal.Data.Entries;

namespace Portal.Tests.Entries;

public class CreditCodeTests
{
    [Theory]
    [InlineData("914403001922038216")]       // a real, published USCC
    [InlineData("914403001922038216 ")]
    [InlineData("91440300192203821 6")]
    public void Accepts_valid_unified_social_credit_codes(string text)
    {
        Assert.True(CreditCode.TryParse(text, out var code, out var error), error);
        Assert.Equal("914403001922038216", code);
    }

    [Fact]
    public void Lower_case_is_accepted_and_upper_cased()
    {
        var first17 = "91440300MA5F1XYK0";
        var code = first17 + CreditCode.UsccCheckCharacter(first17);
        Assert.True(CreditCode.TryParse(code.ToLowerInvariant(), out var parsed, out var error), error);
        Assert.Equal(code, parsed);
    }

    [Fact]
    public void A_wrong_check_character_names_the_right_one()
    {
        Assert.False(CreditCode.TryParse("914403001922038217", out _, out var error));
        Assert.Equal("统一社会信用代码校验位错误：第18位应为 6", error);
    }

    [Fact]
    public void Letters_outside_the_alphabet_are_named()
    {
        Assert.False(CreditCode.TryParse("91440300192203821O", out _, out var error));
        Assert.Contains("第18位“O”不是允许的字符", error);
    }

    [Theory]
    [InlineData("19220382-1")]  // embedded in the USCC above
    [InlineData("192203821")]
    [InlineData("D2143569-X")]
    public void Accepts_legacy_organization_codes(string text)
    {
        Assert.True(CreditCode.TryParse(text, out _, out var error), error);
    }

    [Fact]
    public void A_wrong_organization_code_check_is_refused()
    {
        Assert.False(CreditCode.TryParse("19220382-2", out _, out var error));
        Assert.Equal("组织机构代码校验位错误：第9位应为 1", error);
    }
}
