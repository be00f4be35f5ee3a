using Portal.Data.Entries;

namespace Portal.Tests.Entries;

public class IdNumberTests
{
    // Check characters computed by an independent implementation of GB 11643 (see the closing note).
    [Theory]
    [InlineData("412702198403151512")]
    [InlineData("11010519491231002X")]
    [InlineData("11010519491231002x")]
    [InlineData("440304199001011233")]
    [InlineData(" 4127 0219 8403 1515 12 ")]
    [InlineData("810000199408230021")] // residence permit of a Hong Kong resident
    [InlineData("820000198801150041")] // of a Macao resident
    [InlineData("830000197912030015")] // of a Taiwan resident
    [InlineData("931840198506120019")] // foreigner's permanent residence ID card (2023): issued in Shanghai (31), USA (840)
    [InlineData("944392199011200023")] // issued in Guangdong (44), Japan (392)
    [InlineData("4127\u200B0219\u200C8403\uFEFF1515\u206012")] // zero-width characters pasted with it
    [InlineData("４１２７０２１９８４０３１５１５１２")] // full width
    [InlineData("412702198403151512\u3000")] // an ideographic space
    public void Accepts_numbers_with_a_correct_check_character(string text)
    {
        Assert.True(IdNumber.TryParse(text, out _, out var error), error);
    }

    [Fact]
    public void A_wrong_check_character_names_the_right_one()
    {
        Assert.False(IdNumber.TryParse("412702198403151516", out _, out var error));
        Assert.Equal("身份证号码校验位错误：第18位应为 2", error);
    }

    [Theory]
    [InlineData("41270219840315151", "身份证号码应为18位（旧版为15位），当前为17位")]
    [InlineData("4127021984031515A2", "身份证号码第17位应为数字")]
    [InlineData("", "请填写身份证号码")]
    public void Malformed_numbers_say_what_is_wrong(string text, string expected)
    {
        Assert.False(IdNumber.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("931840198506120019", "9318401985****0019", "9318401985****0019")]
    [InlineData("810000199408230021", "8100001994****0021", "8100001994****0021")]
    public void Permits_and_foreigners_cards_are_masked_and_hashed_like_resident_cards(string number, string masked, string typedMasked)
    {
        Assert.True(IdNumber.TryParse(number, out var id, out _));
        Assert.Equal(masked, id.Mask());
        Assert.Equal(IdNumber.FamilyOfMasked(typedMasked), id.Family);
        Assert.Equal(int.Parse(number.Substring(6, 4)), id.BirthDate.Year);
    }

    [Theory]
    [InlineData("971840198506120011")] // a foreigner's card needs a province after the 9
    [InlineData("981840198506120019")]
    [InlineData("900000198506120016")]
    public void A_foreigners_card_from_no_province_is_refused(string text)
    {
        var first17 = text[..17];
        Assert.False(IdNumber.TryParse(first17 + IdNumber.CheckCharacter(first17), out _, out var error));
        Assert.StartsWith("身份证号码的地区码无效", error);
    }

    [Fact]
    public void An_unknown_region_is_refused()
    {
        var first17 = "99270219840315151";
        Assert.False(IdNumber.TryParse(first17 + IdNumber.CheckCharacter(first17), out _, out var error));
        Assert.Equal("身份证号码的地区码无效：992702", error);
    }

    [Theory]
    [InlineData("412702198403151513", "4127021984****1513")]
    [InlineData("41270284 0315151", "41270284****151")]
    [InlineData("张三", "张三")]
    public void Anything_typed_with_the_shape_of_an_id_is_masked_for_echoing(string typed, string echoed)
    {
        Assert.Equal(echoed, IdNumber.MaskTyped(typed));
    }

    [Fact]
    public void An_impossible_birth_date_is_refused()
    {
        // 1984-02-31 with a check character that is otherwise right.
        var first17 = "41270219840231151";
        Assert.False(IdNumber.TryParse(first17 + IdNumber.CheckCharacter(first17), out _, out var error));
        Assert.Contains("出生日期无效", error);
    }

    [Fact]
    public void Masking_hides_month_and_day_only()
    {
        IdNumber.TryParse("412702198403151512", out var id, out _);
        Assert.Equal("4127021984****1512", id.Mask());
        Assert.DoesNotContain("0315", id.Mask());
    }

    [Fact]
    public void A_legacy_number_is_masked_the_same_way_and_matches_its_18_digit_form()
    {
        Assert.True(IdNumber.TryParse("412702840315151", out var legacy, out _));
        Assert.Equal("41270284****151", legacy.Mask());
        Assert.Equal("412702198403151512", legacy.Canonical);
        Assert.True(legacy.IsLegacy);
    }

    [Theory]
    [InlineData("412702198403151512", Gender.Male)]   // 17th digit 1
    [InlineData("440304199001011233", Gender.Male)]   // 17th digit 3
    [InlineData("11010519491231002X", Gender.Female)] // 17th digit 2
    public void Gender_comes_from_the_17th_digit(string text, Gender expected)
    {
        IdNumber.TryParse(text, out var id, out _);
        Assert.Equal(expected, id.Gender);
    }

    [Theory]
    [InlineData("2026-03-14", 41)]
    [InlineData("2026-03-15", 42)]
    [InlineData("2026-03-16", 42)]
    public void Age_turns_on_the_birthday(string on, int expected)
    {
        IdNumber.TryParse("412702198403151512", out var id, out _);
        Assert.Equal(expected, id.AgeOn(DateOnly.Parse(on)));
    }
}
