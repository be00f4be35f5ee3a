namespace Portal.Data.Courts;

/// <summary>A people's court with the code it uses in case numbers (e.g. 豫0311).</summary>
public sealed record Court(string Name, string Province, string CaseCode)
{
    /// <summary>The six-digit administrative division code the court sits in (410311 for 豫0311).</summary>
    public string RegionCode => CourtDirectory.ProvinceCodeByAbbreviation[CaseCode[..1]] + CaseCode[1..5];
}

/// <summary>Provinces, their abbreviations, and a directory of real courts, for deriving a province and for demo data.</summary>
public static class CourtDirectory
{
    /// <summary>Province (as displayed), the abbreviation used in case numbers, and the GB/T 2260 prefix.</summary>
    public static readonly IReadOnlyList<(string Province, string Abbreviation, string Code)> Provinces =
    [
        ("北京", "京", "11"), ("天津", "津", "12"), ("河北", "冀", "13"), ("山西", "晋", "14"), ("内蒙古", "蒙", "15"),
        ("辽宁", "辽", "21"), ("吉林", "吉", "22"), ("黑龙江", "黑", "23"), ("上海", "沪", "31"), ("江苏", "苏", "32"),
        ("浙江", "浙", "33"), ("安徽", "皖", "34"), ("福建", "闽", "35"), ("江西", "赣", "36"), ("山东", "鲁", "37"),
        ("河南", "豫", "41"), ("湖北", "鄂", "42"), ("湖南", "湘", "43"), ("广东", "粤", "44"), ("广西", "桂", "45"),
        ("海南", "琼", "46"), ("重庆", "渝", "50"), ("四川", "川", "51"), ("贵州", "黔", "52"), ("云南", "云", "53"),
        ("西藏", "藏", "54"), ("陕西", "陕", "61"), ("甘肃", "甘", "62"), ("青海", "青", "63"), ("宁夏", "宁", "64"),
        ("新疆", "新", "65"),
    ];

    public static readonly IReadOnlyDictionary<string, string> ProvinceCodeByAbbreviation =
        Provinces.ToDictionary(p => p.Abbreviation, p => p.Code);

    public static readonly IReadOnlyList<Court> Courts =
    [
        new("北京市朝阳区人民法院", "北京", "京0105"), new("北京市海淀区人民法院", "北京", "京0108"),
        new("北京市丰台区人民法院", "北京", "京0106"), new("天津市和平区人民法院", "天津", "津0101"),
        new("天津市滨海新区人民法院", "天津", "津0116"), new("石家庄市长安区人民法院", "河北", "冀0102"),
        new("保定市竞秀区人民法院", "河北", "冀0602"), new("太原市小店区人民法院", "山西", "晋0105"),
        new("呼和浩特市新城区人民法院", "内蒙古", "蒙0102"), new("沈阳市和平区人民法院", "辽宁", "辽0102"),
        new("大连市中山区人民法院", "辽宁", "辽0202"), new("长春市朝阳区人民法院", "吉林", "吉0104"),
        new("哈尔滨市南岗区人民法院", "黑龙江", "黑0103"), new("上海市浦东新区人民法院", "上海", "沪0115"),
        new("上海市闵行区人民法院", "上海", "沪0112"), new("南京市鼓楼区人民法院", "江苏", "苏0106"),
        new("苏州市姑苏区人民法院", "江苏", "苏0508"), new("无锡市梁溪区人民法院", "江苏", "苏0213"),
        new("杭州市西湖区人民法院", "浙江", "浙0106"), new("宁波市海曙区人民法院", "浙江", "浙0203"),
        new("温州市鹿城区人民法院", "浙江", "浙0302"), new("合肥市蜀山区人民法院", "安徽", "皖0104"),
        new("福州市鼓楼区人民法院", "福建", "闽0102"), new("厦门市思明区人民法院", "福建", "闽0203"),
        new("南昌市东湖区人民法院", "江西", "赣0102"), new("济南市历下区人民法院", "山东", "鲁0102"),
        new("青岛市市南区人民法院", "山东", "鲁0202"), new("临沂市兰山区人民法院", "山东", "鲁1302"),
        new("郑州市金水区人民法院", "河南", "豫0105"), new("洛阳市洛龙区人民法院", "河南", "豫0311"),
        new("洛阳市涧西区人民法院", "河南", "豫0305"), new("南阳市卧龙区人民法院", "河南", "豫1303"),
        new("武汉市江汉区人民法院", "湖北", "鄂0103"), new("宜昌市西陵区人民法院", "湖北", "鄂0502"),
        new("长沙市岳麓区人民法院", "湖南", "湘0104"), new("广州市天河区人民法院", "广东", "粤0106"),
        new("深圳市福田区人民法院", "广东", "粤0304"), new("深圳市南山区人民法院", "广东", "粤0305"),
        new("东莞市第一人民法院", "广东", "粤1971"), new("南宁市青秀区人民法院", "广西", "桂0103"),
        new("海口市龙华区人民法院", "海南", "琼0106"), new("重庆市渝北区人民法院", "重庆", "渝0112"),
        new("重庆市江北区人民法院", "重庆", "渝0105"), new("成都市武侯区人民法院", "四川", "川0107"),
        new("成都市锦江区人民法院", "四川", "川0104"), new("贵阳市南明区人民法院", "贵州", "黔0102"),
        new("昆明市五华区人民法院", "云南", "云0102"), new("拉萨市城关区人民法院", "西藏", "藏0102"),
        new("西安市雁塔区人民法院", "陕西", "陕0113"), new("兰州市城关区人民法院", "甘肃", "甘0102"),
        new("西宁市城中区人民法院", "青海", "青0103"), new("银川市兴庆区人民法院", "宁夏", "宁0104"),
        new("乌鲁木齐市天山区人民法院", "新疆", "新0102"),
    ];

    // Cities whose name alone starts many court names; the province-prefixed names are handled by Provinces.
    private static readonly IReadOnlyDictionary<string, string> CityProvince = new Dictionary<string, string>
    {
        ["石家庄"] = "河北", ["保定"] = "河北", ["唐山"] = "河北", ["太原"] = "山西", ["大同"] = "山西",
        ["呼和浩特"] = "内蒙古", ["包头"] = "内蒙古", ["沈阳"] = "辽宁", ["大连"] = "辽宁", ["长春"] = "吉林",
        ["哈尔滨"] = "黑龙江", ["南京"] = "江苏", ["苏州"] = "江苏", ["无锡"] = "江苏", ["常州"] = "江苏",
        ["杭州"] = "浙江", ["宁波"] = "浙江", ["温州"] = "浙江", ["合肥"] = "安徽", ["芜湖"] = "安徽",
        ["福州"] = "福建", ["厦门"] = "福建", ["泉州"] = "福建", ["南昌"] = "江西", ["济南"] = "山东",
        ["青岛"] = "山东", ["临沂"] = "山东", ["烟台"] = "山东", ["郑州"] = "河南", ["洛阳"] = "河南",
        ["南阳"] = "河南", ["开封"] = "河南", ["武汉"] = "湖北", ["宜昌"] = "湖北", ["长沙"] = "湖南",
        ["广州"] = "广东", ["深圳"] = "广东", ["东莞"] = "广东", ["佛山"] = "广东", ["南宁"] = "广西",
        ["桂林"] = "广西", ["海口"] = "海南", ["三亚"] = "海南", ["成都"] = "四川", ["绵阳"] = "四川",
        ["贵阳"] = "贵州", ["昆明"] = "云南", ["拉萨"] = "西藏", ["西安"] = "陕西", ["兰州"] = "甘肃",
        ["西宁"] = "青海", ["银川"] = "宁夏", ["乌鲁木齐"] = "新疆",
    };

    public static bool IsProvince(string? name) => ProvinceOf(name) is not null;

    /// <summary>
    /// The stored (short) name of a provincial-level unit written as its short name or its official full name, with or
    /// without spaces: 河南 and 河南省, 北京 and 北京市, 广西 and 广西壮族自治区 (or 广西自治区), 内蒙古自治区 ... Null otherwise.
    /// </summary>
    public static string? ProvinceOf(string? text)
    {
        var t = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        if (t.Length == 0) return null;
        foreach (var (province, _, _) in Provinces)
            if (t == province || t == FullProvinceName(province) || t == province + "省" || t == province + "市" || t == province + "自治区")
                return province;
        return null;
    }

    /// <summary>
    /// Hong Kong, Macao and Taiwan, by short or full name: provincial-level units whose courts do not publish this list
    /// (it is the mainland courts' list), so an entry cannot be placed there; the message says so instead of "invalid".
    /// </summary>
    public static string? NotOnTheList(string? text)
    {
        var t = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        string? region = t switch
        {
            "香港" or "香港特别行政区" or "中国香港" => "香港特别行政区",
            "澳门" or "澳门特别行政区" or "中国澳门" => "澳门特别行政区",
            "台湾" or "台湾省" or "中国台湾" => "台湾地区",
            _ => null,
        };
        return region is null ? null
            : $"{region}的法院不公布失信被执行人名单：本名单由内地人民法院公布，省份应为执行法院所在的省、自治区或直辖市（港澳台居民作为被执行人时，填写其港澳台居民居住证号码即可）";
    }

    /// <summary>
    /// A court's name for a case-number code: the directory's basic court, or the superior court a prefix stands for
    /// (豫03 洛阳市中级人民法院, 豫 河南省高级人民法院). In the four municipalities a district's code does not name its
    /// intermediate court, so those are named by their code.
    /// </summary>
    public static string NameOf(string code)
    {
        if (Courts.FirstOrDefault(c => c.CaseCode == code) is { } court) return court.Name;
        var province = Provinces.FirstOrDefault(p => p.Abbreviation == code[..1]).Province;
        if (province is null) return code;
        if (code.Length == 1) return $"{FullProvinceName(province)}高级人民法院";
        if (code.Length != 3) return code;
        var city = Courts.Where(c => c.CaseCode.StartsWith(code, StringComparison.Ordinal)).Select(c => c.Name.Split('市')[0])
            .FirstOrDefault(c => c.Length < 8 && !Municipalities.Contains(province));
        return city is null ? $"{code}辖区中级人民法院" : $"{city}市中级人民法院";
    }

    private static readonly string[] Municipalities = ["北京", "天津", "上海", "重庆"];

    /// <summary>河南省, 北京市, 广西壮族自治区: the name a province's high court carries.</summary>
    public static string FullProvinceName(string province) => province switch
    {
        _ when Municipalities.Contains(province) => province + "市",
        "内蒙古" or "西藏" => province + "自治区",
        "广西" => "广西壮族自治区",
        "宁夏" => "宁夏回族自治区",
        "新疆" => "新疆维吾尔自治区",
        _ => province + "省",
    };

    /// <summary>
    /// The court code for what an administrator typed when assigning a staff member: a directory court's name or code
    /// (a basic court), or for superior-court staff the code of their court (豫03, 豫); null with a reason otherwise.
    /// </summary>
    public static (string? Code, string? Error) ResolveStaffCourt(string? text, bool superior)
    {
        var t = (text ?? "").Trim();
        if (t.Length == 0) return (null, "请指定所在法院（法院名录中的名称或案号代字，如“洛阳市洛龙区人民法院”或“豫0311”）");
        if (Courts.FirstOrDefault(c => c.Name == t || c.CaseCode == t) is { } court)
            return superior ? (null, $"上级法院人员应指定上级法院的代字（如“{court.CaseCode[..3]}”为其中级人民法院，“{court.CaseCode[..1]}”为高级人民法院）") : (court.CaseCode, null);
        if (superior && t.Length is 1 or 3 && Courts.Any(c => c.CaseCode.StartsWith(t, StringComparison.Ordinal))) return (t, null);
        return (null, $"法院名录中没有“{t}”");
    }

    /// <summary>
    /// Why a court and a case number's court code cannot belong together (豫0311 is 洛阳市洛龙区人民法院), or null when they
    /// agree or the directory knows neither. Free-text court names split filters and charts; a code that contradicts
    /// the court is a typo in one of them.
    /// </summary>
    public static string? Disagreement(string court, string? caseCode)
    {
        if (caseCode is null) return null;
        var byCode = Courts.FirstOrDefault(c => c.CaseCode == caseCode);
        if (byCode is not null && byCode.Name != court)
            return $"案号中的法院代字“{caseCode}”属于{byCode.Name}，与所填执行法院“{court}”不一致";
        var byName = Courts.FirstOrDefault(c => c.Name == court);
        if (byName is not null && byName.CaseCode != caseCode)
            return $"{court}的案号法院代字应为“{byName.CaseCode}”，案号中为“{caseCode}”";
        return null;
    }

    /// <summary>
    /// The province of a court from its name (河南省…, 洛阳市…), else from the abbreviation in the case number key.
    /// </summary>
    public static string? DeriveProvince(string court, string? caseNumberKey)
    {
        var name = court.Trim();
        foreach (var (province, _, _) in Provinces)
            if (name.StartsWith(province, StringComparison.Ordinal)) return province;
        foreach (var (city, province) in CityProvince)
            if (name.StartsWith(city, StringComparison.Ordinal)) return province;
        var known = Courts.FirstOrDefault(c => c.Name == name);
        if (known is not null) return known.Province;
        if (caseNumberKey is { Length: > 4 })
        {
            var abbreviation = caseNumberKey.Substring(4, 1);
            foreach (var (province, abbr, _) in Provinces)
                if (abbr == abbreviation) return province;
        }
        return null;
    }
}
