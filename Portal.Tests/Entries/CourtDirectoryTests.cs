using Portal.Data.Courts;

namespace Portal.Tests.Entries;

public class CourtDirectoryTests
{
    [Theory]
    [InlineData("豫0311", "洛阳市洛龙区人民法院")]
    [InlineData("豫03", "洛阳市中级人民法院")]
    [InlineData("豫01", "郑州市中级人民法院")]
    [InlineData("豫", "河南省高级人民法院")]
    [InlineData("京", "北京市高级人民法院")]
    [InlineData("桂", "广西壮族自治区高级人民法院")]
    [InlineData("新", "新疆维吾尔自治区高级人民法院")]
    [InlineData("京01", "京01辖区中级人民法院")] // a Beijing district's code does not name its intermediate court
    [InlineData("豫99", "豫99辖区中级人民法院")] // a code the directory holds no court under
    public void A_code_is_named_as_the_court_people_know(string code, string name) => Assert.Equal(name, CourtDirectory.NameOf(code));
}
