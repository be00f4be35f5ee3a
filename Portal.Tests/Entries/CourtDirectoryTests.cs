using Portal.Data.Courts;
using Portal.Data.Entries;

namespace Portal.Tests.Entries;

/// <summary>The directory of every court: facts checked here are written down from public sources, not read from the file.</summary>
public class CourtDirectoryTests
{
    private static readonly CourtDirectory Courts = CourtDirectory.Shipped;

    [Theory]
    [InlineData("豫0311", "洛阳市洛龙区人民法院")]
    [InlineData("豫03", "洛阳市中级人民法院")]
    [InlineData("豫01", "郑州市中级人民法院")]
    [InlineData("豫", "河南省高级人民法院")]
    [InlineData("京", "北京市高级人民法院")]
    [InlineData("桂", "广西壮族自治区高级人民法院")]
    [InlineData("新", "新疆维吾尔自治区高级人民法院")]
    [InlineData("最高法", "最高人民法院")]
    [InlineData("京01", "北京市第一中级人民法院")]
    [InlineData("京03", "北京市第三中级人民法院")]
    [InlineData("沪03", "上海市第三中级人民法院")]
    [InlineData("渝05", "重庆市第五中级人民法院")]
    [InlineData("京0491", "北京互联网法院")]
    [InlineData("浙0192", "杭州互联网法院")]
    [InlineData("粤0192", "广州互联网法院")]
    [InlineData("沪74", "上海金融法院")]
    [InlineData("京73", "北京知识产权法院")]
    [InlineData("沪72", "上海海事法院")]
    [InlineData("粤1971", "东莞市第一人民法院")]
    [InlineData("新31", "喀什地区中级人民法院")]
    [InlineData("内25", "锡林郭勒盟中级人民法院")]
    [InlineData("豫99", "豫99")] // a code the directory holds no court under
    public void A_code_is_named_as_the_court_people_know(string code, string name) => Assert.Equal(name, Courts.NameOf(code));

    [Theory]
    [InlineData("豫1104", "漯河市召陵区人民法院", "豫11", "漯河市中级人民法院")]
    [InlineData("桂0202", "柳州市城中区人民法院", "桂02", "柳州市中级人民法院")]
    [InlineData("豫0302", "洛阳市老城区人民法院", "豫03", "洛阳市中级人民法院")]
    [InlineData("京0105", "北京市朝阳区人民法院", "京03", "北京市第三中级人民法院")] // not 京01: the link is explicit
    [InlineData("京0108", "北京市海淀区人民法院", "京01", "北京市第一中级人民法院")]
    [InlineData("京0491", "北京互联网法院", "京04", "北京市第四中级人民法院")]
    [InlineData("豫11", "漯河市中级人民法院", "豫", "河南省高级人民法院")]
    [InlineData("豫", "河南省高级人民法院", "最高法", "最高人民法院")]
    public void Each_court_links_to_its_superior_explicitly(string code, string name, string superior, string superiorName)
    {
        var court = Courts.ByCode(code)!;
        Assert.Equal((name, superior), (court.Name, court.SuperiorCode));
        Assert.Equal(superiorName, Courts.NameOf(court.SuperiorCode!));
    }

    [Fact]
    public void Every_court_reaches_the_supreme_court_and_every_code_is_unique()
    {
        Assert.Equal(Courts.Courts.Count, Courts.Courts.Select(c => c.Code).Distinct().Count());
        Assert.Equal(Courts.Courts.Count, Courts.Courts.Select(c => c.Name).Distinct().Count());
        foreach (var court in Courts.Courts)
        {
            var seen = new HashSet<string>();
            for (var c = court; c.Code != "最高法"; c = Courts.ByCode(c.SuperiorCode)!)
            {
                Assert.True(seen.Add(c.Code) && c.SuperiorCode is not null && Courts.ByCode(c.SuperiorCode) is not null, $"{court.Code} does not reach 最高法");
            }
        }
    }

    [Fact]
    public void The_directory_holds_every_level_in_the_numbers_public_sources_give()
    {
        // 32 high courts (31 provinces and the Corps branch), one per prefecture-level unit and the special intermediate
        // courts (333 prefectures, the numbered ones of the municipalities, maritime, IP, financial, railway: over 400),
        // one per county-level division (2,845 in the 2026 GB/T 2260 edition) and the functional-zone courts.
        var levels = Courts.Courts.GroupBy(c => c.Level).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, levels[CourtLevel.Supreme]);
        Assert.Equal(32, levels[CourtLevel.High]);
        Assert.InRange(levels[CourtLevel.Intermediate], 400, 420);
        Assert.InRange(levels[CourtLevel.Basic], 2_840, 3_100);
        Assert.Equal(31, Courts.Courts.Where(c => c.Level == CourtLevel.High).Select(c => c.Province).Distinct().Count());
    }

    [Fact]
    public void Inner_Mongolia_is_written_nei_and_meng_is_read_as_nei()
    {
        Assert.Equal("内蒙古自治区高级人民法院", Courts.NameOf("内"));
        Assert.Equal("呼和浩特市新城区人民法院", Courts.ByCode("内0102")!.Name);
        Assert.Equal("内0102", Courts.ByCode("蒙0102")!.Code);
        Assert.Null(Courts.Disagreement("呼和浩特市新城区人民法院", "蒙0102"));
    }

    [Fact]
    public void A_former_code_or_name_finds_the_court_it_became()
    {
        var gusu = Courts.ByCode("苏0508")!;
        Assert.Equal("苏州市姑苏区人民法院", gusu.Name);
        foreach (var former in new[] { "苏0502", "苏0503", "苏0504" }) Assert.Equal(gusu, Courts.ByCode(former));
        Assert.Equal("北京市东城区人民法院", Courts.Find("北京市崇文区人民法院")!.Name);
        Assert.Null(Courts.Disagreement("苏州市姑苏区人民法院", "苏0502")); // an older case number of the same court
    }

    [Fact]
    public void A_superior_court_sees_exactly_the_courts_linked_below_it()
    {
        var beijing3 = CourtView.Under(Courts, "京03");
        Assert.True(beijing3.Covers("京0105"));
        Assert.False(beijing3.Covers("京0108")); // 海淀 goes to 京01
        Assert.True(CourtView.Under(Courts, "京").Covers("京0108"));
        Assert.True(CourtView.Under(Courts, "苏05").Covers("苏0502")); // a former code, read as 姑苏
        Assert.False(CourtView.Under(Courts, "豫0311").Covers("豫0302"));
        Assert.False(CourtView.Nothing.Covers("豫0311"));
    }

    [Theory]
    [InlineData("漯河市召陵区人民法院", false, "豫1104")]
    [InlineData("豫1104", false, "豫1104")]
    [InlineData("漯河市中级人民法院", true, "豫11")]
    [InlineData("河南省高级人民法院", true, "豫")]
    [InlineData("北京市第三中级人民法院", true, "京03")]
    [InlineData("蒙0102", false, "内0102")]
    public void Staff_are_assigned_to_any_court_by_name_or_code(string typed, bool superior, string code) =>
        Assert.Equal((code, (string?)null), Courts.ResolveStaffCourt(typed, superior));

    [Theory]
    [InlineData("漯河市召陵区人民法院", true, "没有下级法院")]
    [InlineData("某某县人民法院", false, "法院名录中没有")]
    [InlineData("", false, "请指定所在法院")]
    public void A_court_that_cannot_take_the_staff_member_says_why(string typed, bool superior, string why) =>
        Assert.Contains(why, Courts.ResolveStaffCourt(typed, superior).Error);

    [Fact]
    public void A_court_and_a_case_code_that_disagree_name_the_court_the_code_belongs_to()
    {
        Assert.Equal("案号中的法院代字“豫1104”属于漯河市召陵区人民法院，与所填执行法院“洛阳市洛龙区人民法院”不一致",
            Courts.Disagreement("洛阳市洛龙区人民法院", "豫1104"));
        Assert.Null(Courts.Disagreement("漯河市召陵区人民法院", "豫1104"));
    }

    [Fact]
    public void Administrators_changes_lie_over_the_shipped_directory()
    {
        var renamed = Courts.ByCode("豫1104")! with { Name = "漯河市召陵区人民法院（新）", FormerNames = ["漯河市召陵区人民法院"] };
        var added = new Court("豫1191", "漯河经济技术开发区人民法院", CourtLevel.Basic, "zone", "豫11", "河南", "漯河市", null, [], []);
        var changed = Courts.With([renamed, added]);
        Assert.Equal("漯河市召陵区人民法院（新）", changed.NameOf("豫1104"));
        Assert.Equal("豫1104", changed.Find("漯河市召陵区人民法院")!.Code); // the old name still finds it
        Assert.Contains(changed.Below("豫11"), c => c.Code == "豫1191");
        Assert.Equal("漯河市召陵区人民法院", Courts.NameOf("豫1104")); // the shipped one is unchanged
    }

    [Theory]
    [InlineData("（2019）最高法执监12号", "最高法")]
    [InlineData("（2019）豫执恢12号", "豫")]
    [InlineData("（2020）兵08刑终44号", "兵08")]
    [InlineData("（2016）内0123民初1166号", "内0123")]
    [InlineData("（2021）京0491民初1号", "京0491")]
    public void Case_numbers_of_every_court_level_give_their_court_code(string caseNumber, string code) =>
        Assert.Equal(code, CaseNumber.CourtCode(caseNumber));
}
