using Portal.Data.Entries;
using Portal.Tests.Support;

namespace Portal.Tests.Entries;

public class EntryValidationTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 4, 0, 0, DateTimeKind.Utc);

    private static EntryValidationResult Validate(EntryInput input) =>
        EntryValidation.Validate(input, TestEntries.Protection(), Now);

    [Fact]
    public void Nothing_stored_in_clear_completes_the_masked_id_number()
    {
        var e = Validate(TestEntries.Person(idNumber: "412702198403151512")).Entry!;
        foreach (var property in typeof(Entry).GetProperties().Where(p => p.Name != nameof(Entry.IdNumberCipher)))
        {
            var value = property.GetValue(e);
            Assert.False(value is DateOnly d && d == new DateOnly(1984, 3, 15), property.Name);
            Assert.False(value is DateTime t && t.Date == new DateTime(1984, 3, 15), property.Name);
            if (property.Name is not (nameof(Entry.IdNumberHash) or nameof(Entry.PublicId))) // keyed or random: may hold any digits
                Assert.DoesNotContain("0315", value?.ToString() ?? "");
        }
    }

    [Theory]
    [InlineData("2026-01-01", 42)]
    [InlineData("2026-03-14", 42)]
    [InlineData("2026-03-15", 42)]
    [InlineData("2026-12-31", 42)]
    [InlineData("2027-01-01", 43)]
    public void The_public_age_changes_on_new_year_not_on_the_hidden_birthday(string on, int age)
    {
        var e = Validate(TestEntries.Person(idNumber: "412702198403151512")).Entry!;
        Assert.Equal(age, Portal.Data.Publication.PublicEntry.From(e, DateOnly.Parse(on)).Age);
    }

    [Fact]
    public void The_public_age_of_a_legacy_15_digit_number_comes_from_its_visible_year()
    {
        var e = Validate(TestEntries.Person(idNumber: "412702840315151")).Entry!;
        Assert.Equal("41270284****151", e.IdNumberMasked);
        Assert.Equal(42, Portal.Data.Publication.PublicEntry.From(e, new DateOnly(2026, 6, 1)).Age);
    }

    [Fact]
    public void A_complete_person_becomes_an_entry_with_masked_and_derived_values()
    {
        var result = Validate(TestEntries.Person());
        Assert.True(result.IsValid, string.Join("；", result.Errors));
        var e = result.Entry!;
        Assert.Equal("4127021984****1512", e.IdNumberMasked);
        Assert.Equal(Gender.Male, e.Gender);
        Assert.Equal(42, Portal.Data.Publication.PublicEntry.From(e, new DateOnly(2026, 3, 1)).Age); // reached in 2026
        Assert.Equal("河南", e.Province);
        Assert.Equal("2019豫0311执1234", e.CaseNumberKey);
        Assert.Equal(EntryStatus.Published, e.Status);
        Assert.NotNull(e.IdNumberHash);
        Assert.DoesNotContain("412702198403151512", e.IdNumberCipher);
        Assert.Equal(16, e.PublicId.Length);
    }

    [Fact]
    public void The_cipher_decrypts_back_and_the_hash_ignores_the_legacy_form()
    {
        var protection = TestEntries.Protection();
        var full = EntryValidation.Validate(TestEntries.Person(), protection, Now).Entry!;
        var legacy = EntryValidation.Validate(TestEntries.Person(idNumber: "412702840315151"), protection, Now).Entry!;
        Assert.Equal("412702198403151512", protection.Decrypt(full.IdNumberCipher!));
        Assert.Equal(full.IdNumberHash, legacy.IdNumberHash);
        Assert.NotEqual(full.IdNumberCipher, legacy.IdNumberCipher);
    }

    [Fact]
    public void A_person_under_18_on_the_listing_date_is_refused()
    {
        var first17 = "41270220090601151";
        var input = TestEntries.Person(idNumber: first17 + IdNumber.CheckCharacter(first17));
        input.FiledAt = "2026-01-05";
        input.PublishedAt = "2026-06-01";
        var result = Validate(input);
        var error = Assert.Single(result.Errors);
        Assert.Equal("idNumber", error.Field);
        Assert.Contains("未满18周岁", error.Message);
        Assert.DoesNotContain(first17, error.Message);
    }

    [Fact]
    public void A_draft_of_a_minor_may_be_kept_but_not_listed()
    {
        var first17 = "41270220090601151";
        var input = TestEntries.Person(idNumber: first17 + IdNumber.CheckCharacter(first17));
        input.Status = "draft";
        input.PublishedAt = null;
        Assert.True(Validate(input).IsValid);
    }

    [Fact]
    public void An_organization_needs_a_valid_credit_code_and_a_representative()
    {
        var input = TestEntries.Organization();
        input.CreditCode = "914403001922038217"; // Huawei's real code with the last character changed
        input.LegalRepresentative = " ";
        var errors = Validate(input).Errors;
        Assert.Contains(errors, e => e.Field == "creditCode" && e.Message == "统一社会信用代码校验位错误：第18位应为 6");
        Assert.Contains(errors, e => e.Field == "legalRepresentative");
    }

    [Fact]
    public void Fields_of_the_other_subject_type_are_refused()
    {
        var person = TestEntries.Person();
        person.CreditCode = "914403001922038216";
        Assert.Contains(Validate(person).Errors, e => e.Field == "creditCode" && e.Message == "自然人不填写统一社会信用代码");
        var organization = TestEntries.Organization();
        organization.IdNumber = "412702198403151512";
        Assert.Contains(Validate(organization).Errors, e => e.Field == "idNumber" && e.Message == "单位被执行人不填写身份证号码");
    }

    [Fact]
    public void Negative_amounts_and_dates_out_of_order_are_refused()
    {
        var input = TestEntries.Organization();
        input.PerformedPart = new PartInput(-1m, null);
        input.PublishedAt = "2019-01-01"; // before filedAt 2020-01-10
        var errors = Validate(input).Errors;
        Assert.Contains(errors, e => e.Field == "performedPart" && e.Message == "已履行部分金额不能为负数");
        Assert.Contains(errors, e => e.Field == "publishedAt" && e.Message == "发布时间不能早于立案时间");
    }

    [Fact]
    public void Every_missing_required_field_is_named()
    {
        var errors = Validate(new EntryInput { SubjectType = "person" }).Errors.Select(e => e.Field).ToHashSet();
        foreach (var field in new[] { "caseNumber", "name", "idNumber", "court", "basisDocumentNumber", "basisIssuer", "obligation", "performanceStatus", "circumstances", "filedAt" })
            Assert.Contains(field, errors);
    }

    [Fact]
    public void Unknown_codes_are_named_with_the_allowed_ones()
    {
        var input = TestEntries.Person();
        input.Circumstances = ["refuses", "lazy"];
        input.PerformanceStatus = "some";
        var errors = Validate(input).Errors;
        Assert.Contains(errors, e => e.Field == "circumstances" && e.Message.Contains("“lazy”") && e.Message.Contains("asset-report"));
        Assert.Contains(errors, e => e.Field == "performanceStatus");
    }

    [Fact]
    public void Gender_that_contradicts_the_id_is_refused()
    {
        var input = TestEntries.Person();
        input.Gender = "female";
        Assert.Contains(Validate(input).Errors, e => e.Field == "gender" && e.Message == "性别与身份证号码不一致：身份证号码显示为男");
    }

    [Theory]
    [InlineData("（2019）豫0311执1234号", "郑州市金水区人民法院", "案号中的法院代字“豫0311”属于洛阳市洛龙区人民法院，与所填执行法院“郑州市金水区人民法院”不一致")]
    [InlineData("（2019）豫0999执1234号", "洛阳市洛龙区人民法院", "洛阳市洛龙区人民法院的案号法院代字应为“豫0311”，案号中为“豫0999”")]
    public void The_court_and_the_court_code_of_the_case_number_must_agree(string caseNumber, string court, string message)
    {
        var input = TestEntries.Person(caseNumber: caseNumber);
        input.Court = court;
        Assert.Contains(Validate(input).Errors, e => e.Field == "court" && e.Message == message);
    }

    [Fact]
    public void Province_is_derived_from_the_court_or_the_case_number()
    {
        var fromCity = TestEntries.Person(caseNumber: "（2019）粤0999执1号");
        fromCity.Court = "深圳市某区人民法院";
        Assert.Equal("广东", Validate(fromCity).Entry!.Province);

        var fromCase = TestEntries.Person(caseNumber: "（2019）鄂0199执77号");
        fromCase.Court = "某某区人民法院";
        Assert.Equal("湖北", Validate(fromCase).Entry!.Province);
    }

    [Theory]
    [InlineData("河南", "河南")]
    [InlineData("河南省", "河南")]
    [InlineData(" 河 南 省 ", "河南")]
    [InlineData("北京市", "北京")]
    [InlineData("上海市", "上海")]
    [InlineData("重庆市", "重庆")]
    [InlineData("内蒙古自治区", "内蒙古")]
    [InlineData("广西壮族自治区", "广西")]
    [InlineData("广西自治区", "广西")]
    [InlineData("西藏自治区", "西藏")]
    [InlineData("宁夏回族自治区", "宁夏")]
    [InlineData("新疆维吾尔自治区", "新疆")]
    [InlineData("黑龙江省", "黑龙江")]
    public void A_province_in_its_official_full_name_or_its_short_name_is_stored_in_one_form(string typed, string stored)
    {
        var input = TestEntries.Person();
        input.Province = typed;
        var result = Validate(input);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(stored, result.Entry!.Province);
    }

    [Theory]
    [InlineData("香港特别行政区", "香港特别行政区的法院不公布失信被执行人名单")]
    [InlineData("澳门", "澳门特别行政区的法院不公布失信被执行人名单")]
    [InlineData("台湾省", "台湾地区的法院不公布失信被执行人名单")]
    [InlineData("河南州", "省份“河南州”不是有效的省级行政区名称，如“河南”或“河南省”")]
    public void A_province_that_is_not_on_the_list_is_refused_and_says_why(string typed, string message)
    {
        var input = TestEntries.Person();
        input.Province = typed;
        Assert.Contains(Validate(input).Errors, e => e.Field == "province" && e.Message.StartsWith(message));
    }

    [Fact]
    public void A_revoked_entry_needs_its_revocation_time()
    {
        var input = TestEntries.Person();
        input.Status = "revoked";
        Assert.Contains(Validate(input).Errors, e => e.Field == "revokedAt");
    }

    [Fact]
    public void A_non_public_entry_needs_the_employer_unit_to_notify()
    {
        var input = TestEntries.Person();
        input.NonPublic = true;
        Assert.Contains(Validate(input).Errors, e => e.Field == "employerUnit");
    }
}
