using System.Reflection;

namespace Portal.Data.Courts;

public enum CourtLevel { Supreme, High, Intermediate, Basic }

/// <summary>
/// A people's court that enforces judgments, with its case-number code (法院代字, 法〔2015〕137号: 豫1104 for a basic court,
/// 豫11 for an intermediate or special court, 豫 for a high court, 最高法), its superior as an explicit link (北京市朝阳区人民法院
/// 京0105 goes to 京03, not to 京01), where it is, and the codes and names it had before divisions were merged or renamed.
/// </summary>
public sealed record Court(
    string Code, string Name, CourtLevel Level, string Kind, string? SuperiorCode, string Province, string City, string? Region,
    IReadOnlyList<string> FormerCodes, IReadOnlyList<string> FormerNames)
{
    /// <summary>Retired courts stay in the directory (their entries stay valid and their names resolve) but take no new staff or entries.</summary>
    public DateOnly? RetiredOn { get; init; }

    public bool IsRetired => RetiredOn is not null;

    public static string LevelCode(CourtLevel level) => level.ToString().ToLowerInvariant();

    public static string LevelLabel(CourtLevel level) => level switch
    {
        CourtLevel.Supreme => "最高人民法院",
        CourtLevel.High => "高级人民法院",
        CourtLevel.Intermediate => "中级人民法院",
        _ => "基层人民法院",
    };

    /// <summary>The kinds of court (general, and the special and functional-zone ones), in words.</summary>
    public static readonly IReadOnlyDictionary<string, string> Kinds = new Dictionary<string, string>
    {
        ["general"] = "普通法院", ["internet"] = "互联网法院", ["financial"] = "金融法院", ["ip"] = "知识产权法院", ["maritime"] = "海事法院",
        ["railway"] = "铁路运输法院", ["corps"] = "兵团法院", ["zone"] = "功能区法院", ["forestry"] = "林区法院", ["other"] = "其他专门法院",
    };
}

/// <summary>
/// Every court of the country: the directory generated from GB/T 2260 divisions and the special and functional-zone
/// courts (<c>Courts/Directory/courts.tsv</c>, its provenance in <c>SOURCES.md</c>), with the changes administrators made
/// since (a new district court, a renamed county, a retired court) laid over it. Immutable: a change makes a new one.
/// Also the provinces and their case-number abbreviations.
/// </summary>
/// <summary>A place a query named: a province, a city in it, or the county-level unit of one basic court (by its code).</summary>
public sealed record Place(string Label, string Province, string? City, string? CourtCode);

public sealed class CourtDirectory
{
    /// <summary>Province (as displayed), the abbreviation used in case numbers, and the GB/T 2260 prefix.</summary>
    public static readonly IReadOnlyList<(string Province, string Abbreviation, string Code)> Provinces =
    [
        ("北京", "京", "11"), ("天津", "津", "12"), ("河北", "冀", "13"), ("山西", "晋", "14"), ("内蒙古", "内", "15"),
        ("辽宁", "辽", "21"), ("吉林", "吉", "22"), ("黑龙江", "黑", "23"), ("上海", "沪", "31"), ("江苏", "苏", "32"),
        ("浙江", "浙", "33"), ("安徽", "皖", "34"), ("福建", "闽", "35"), ("江西", "赣", "36"), ("山东", "鲁", "37"),
        ("河南", "豫", "41"), ("湖北", "鄂", "42"), ("湖南", "湘", "43"), ("广东", "粤", "44"), ("广西", "桂", "45"),
        ("海南", "琼", "46"), ("重庆", "渝", "50"), ("四川", "川", "51"), ("贵州", "黔", "52"), ("云南", "云", "53"),
        ("西藏", "藏", "54"), ("陕西", "陕", "61"), ("甘肃", "甘", "62"), ("青海", "青", "63"), ("宁夏", "宁", "64"),
        ("新疆", "新", "65"),
    ];

    /// <summary>
    /// Inner Mongolia's courts write 内 (法〔2015〕137号 Art. 4, and real case numbers such as （2016）内0123民初1166号);
    /// 蒙, which some lists use, is read as 内.
    /// </summary>
    public static string CanonicalCode(string code) => code.StartsWith('蒙') ? "内" + code[1..] : code;

    private readonly Dictionary<string, Court> _byCode;
    private readonly Dictionary<string, List<Court>> _byFormerCode;
    private readonly Dictionary<string, Court> _byName;
    private readonly Dictionary<string, List<Court>> _below;

    public IReadOnlyList<Court> Courts { get; }

    private CourtDirectory(IReadOnlyList<Court> courts)
    {
        Courts = courts;
        _byCode = courts.ToDictionary(c => c.Code);
        _byFormerCode = new();
        _byName = new();
        _below = new();
        foreach (var c in courts)
        {
            foreach (var former in c.FormerCodes.Where(f => !_byCode.ContainsKey(f)))
                (_byFormerCode.TryGetValue(former, out var list) ? list : _byFormerCode[former] = []).Add(c);
            foreach (var name in c.FormerNames) _byName.TryAdd(name, c);
            if (c.SuperiorCode is { } up) (_below.TryGetValue(up, out var children) ? children : _below[up] = []).Add(c);
        }
        foreach (var c in courts) _byName[c.Name] = c; // a current name wins over anyone's former one
    }

    private Dictionary<string, List<Place>>? _places;
    private Dictionary<string, List<Place>>? _bareCities;

    /// <summary>
    /// The cities a text names without their suffix (洛阳 for 洛阳市). Such a word may also be part of a name (洛阳恒达 …, a person
    /// called 安康), so a search still matches names on it and only offers the place beside.
    /// </summary>
    public IReadOnlyList<Place> CitiesCalled(string? text)
    {
        var t = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        if (t.Length is < 2 or > 10 || ProvinceOf(t) is not null) return [];
        _places ??= IndexPlaces();
        return _bareCities!.TryGetValue(t, out var found) ? found : [];
    }

    /// <summary>
    /// The places a text names when it is nothing but a place: a province by its short or full name (河南, 河南省), a city
    /// with its suffix (洛阳市, 河南省洛阳市) or a county-level unit with its suffix (伊川县, 洛阳市伊川县), as the directory's
    /// general courts sit in them. A county name several cities have (朝阳区) names each of them. Empty for anything else,
    /// so a suffix-less city (洛阳) or a person's name stays a name.
    /// </summary>
    public IReadOnlyList<Place> PlacesNamed(string? text)
    {
        var t = string.Concat((text ?? "").Where(c => !char.IsWhiteSpace(c)));
        if (t.Length is < 2 or > 40) return [];
        if (ProvinceOf(t) is { } province) return [new Place(FullProvinceName(province), province, null, null)];
        var places = _places ??= IndexPlaces();
        return places.TryGetValue(t, out var found) ? found : [];
    }

    private Dictionary<string, List<Place>> IndexPlaces()
    {
        var places = new Dictionary<string, List<Place>>();
        var bare = new Dictionary<string, List<Place>>();
        void AddTo(Dictionary<string, List<Place>> to, string key, Place place)
        {
            var list = to.TryGetValue(key, out var l) ? l : to[key] = [];
            if (!list.Contains(place)) list.Add(place);
        }
        void Add(string key, Place place) => AddTo(places, key, place);
        foreach (var c in Courts.Where(c => c is { IsRetired: false, Kind: "general", City.Length: > 0 } && c.Level is CourtLevel.Intermediate or CourtLevel.Basic))
        {
            if (Municipalities.Contains(c.Province)) { if (c.Level != CourtLevel.Basic) continue; }
            else
            {
                var city = new Place(c.City, c.Province, c.City, null);
                Add(c.City, city);
                Add(c.Province + c.City, city);
                Add(FullProvinceName(c.Province) + c.City, city);
                if (c.City.EndsWith('市') && c.City.Length >= 3) AddTo(bare, c.City[..^1], city);
            }
            if (c.Level != CourtLevel.Basic || c.Region is null || !c.Name.EndsWith("人民法院", StringComparison.Ordinal)) continue;
            var county = c.Name[..^"人民法院".Length];
            var local = county.StartsWith(c.City, StringComparison.Ordinal) && county.Length > c.City.Length ? county[c.City.Length..] : county;
            if (local.Length < 2) continue;
            var place = new Place(county, c.Province, Municipalities.Contains(c.Province) ? null : c.City, c.Code);
            Add(local, place);
            Add(c.City + local, place);
            Add(FullProvinceName(c.Province) + (Municipalities.Contains(c.Province) ? "" : c.City) + local, place);
        }
        _bareCities = bare;
        return places;
    }

    private static readonly Lazy<CourtDirectory> ShippedDirectory = new(() => new CourtDirectory(ReadShipped()));

    /// <summary>The directory as shipped (generated from public division data; see Courts/Directory/SOURCES.md).</summary>
    public static CourtDirectory Shipped => ShippedDirectory.Value;

    /// <summary>This directory with administrators' changes laid over it: a change replaces the court with its code, or adds one.</summary>
    public CourtDirectory With(IEnumerable<Court> changes)
    {
        var byCode = Courts.ToDictionary(c => c.Code);
        var order = Courts.Select(c => c.Code).ToList();
        foreach (var change in changes)
        {
            if (!byCode.ContainsKey(change.Code)) order.Add(change.Code);
            byCode[change.Code] = change;
        }
        return new CourtDirectory(order.Select(code => byCode[code]).ToList());
    }

    private static List<Court> ReadShipped()
    {
        using var stream = typeof(CourtDirectory).Assembly.GetManifestResourceStream("Portal.Data.Courts.courts.tsv")
            ?? throw new InvalidOperationException("the court directory (courts.tsv) is missing from the build");
        using var reader = new StreamReader(stream);
        var courts = new List<Court>(4000);
        string[]? header = null;
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var cells = line.Split('\t');
            if (header is null) { header = cells; continue; }
            string Cell(string column) => cells[Array.IndexOf(header, column)];
            IReadOnlyList<string> List(string column) => Cell(column).Split('|', StringSplitOptions.RemoveEmptyEntries);
            courts.Add(new Court(Cell("code"), Cell("name"), Enum.Parse<CourtLevel>(Cell("level"), ignoreCase: true), Cell("kind"),
                Cell("superior") is { Length: > 0 } up ? up : null, Cell("province"), Cell("city"), Cell("region") is { Length: > 0 } r ? r : null,
                List("formerCodes"), List("formerNames")));
        }
        return courts;
    }

    /// <summary>The court with this code now (a former code: the court it became; 蒙 read as 内), or null.</summary>
    public Court? ByCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        code = CanonicalCode(code.Trim());
        return _byCode.GetValueOrDefault(code) ?? (_byFormerCode.TryGetValue(code, out var became) && became.Count == 1 ? became[0] : null);
    }

    /// <summary>The court a person means by a code or a name, current or former; null when none or not only one.</summary>
    public Court? Find(string? text)
    {
        var t = (text ?? "").Trim();
        return ByCode(t) ?? _byName.GetValueOrDefault(t);
    }

    /// <summary>The courts directly below this one (whose superior it is).</summary>
    public IReadOnlyList<Court> Below(string code) => _below.TryGetValue(code, out var list) ? list : [];

    /// <summary>This court's code and the codes of every court below it, at any depth.</summary>
    public IReadOnlySet<string> Subtree(string code)
    {
        var codes = new HashSet<string>();
        var pending = new Stack<string>([code]);
        while (pending.TryPop(out var next))
            if (codes.Add(next)) foreach (var c in Below(next)) pending.Push(c.Code);
        return codes;
    }

    /// <summary>A court's name for its code (a former code: its name now), or the code itself when the directory has none.</summary>
    public string NameOf(string code) => ByCode(code)?.Name ?? code;

    /// <summary>
    /// Why a court and a case number's court code cannot belong together (豫0311 is 洛阳市洛龙区人民法院), or null when they
    /// agree or the directory knows neither. A former name or code of the same court agrees.
    /// </summary>
    public string? Disagreement(string court, string? caseCode)
    {
        if (caseCode is null) return null;
        var byCode = ByCode(caseCode);
        var byName = _byName.GetValueOrDefault(court.Trim());
        if (byCode is not null && byCode != byName)
            return $"案号中的法院代字“{caseCode}”属于{byCode.Name}，与所填执行法院“{court}”不一致";
        if (byCode is null && byName is not null)
            return $"{court}的案号法院代字应为“{byName.Code}”，案号中为“{caseCode}”";
        return null;
    }

    /// <summary>The province of a court: from the directory by its code or name, else from the abbreviation in the case number key.</summary>
    public string? DeriveProvince(string court, string? caseNumberKey)
    {
        var code = Entries.CaseNumber.CourtCode(caseNumberKey);
        if ((ByCode(code) ?? _byName.GetValueOrDefault(court.Trim())) is { Province.Length: > 0 } known) return known.Province;
        var name = court.Trim();
        foreach (var (province, _, _) in Provinces)
            if (name.StartsWith(province, StringComparison.Ordinal)) return province;
        if (code is { Length: > 0 } && Provinces.FirstOrDefault(p => p.Abbreviation == CanonicalCode(code)[..1]) is { Province: { } p }) return p;
        return null;
    }

    /// <summary>
    /// The court code for what an administrator typed when assigning a staff member: any court's name or code, current
    /// or former (a superior court's staff: a court with courts below it, which decides their reconsiderations); null
    /// with a reason otherwise. A retired court takes no new staff.
    /// </summary>
    public (string? Code, string? Error) ResolveStaffCourt(string? text, bool superior)
    {
        var t = (text ?? "").Trim();
        if (t.Length == 0) return (null, "请指定所在法院（法院名录中的名称或案号代字，如“洛阳市洛龙区人民法院”或“豫0311”）");
        if (Find(t) is not { } court) return (null, $"法院名录中没有“{t}”：请输入法院的正式名称或代字（可在工作台的“法院名录”页或用 courts find 查找）");
        if (court.IsRetired) return (null, $"{court.Name}（{court.Code}）已于{court.RetiredOn:yyyy年M月d日}撤销，不再指定工作人员");
        if (superior && Below(court.Code).Count == 0)
            return (null, $"上级法院人员应指定有下级法院的法院：{court.Name}没有下级法院（其上级为{(court.SuperiorCode is { } up ? NameOf(up) : "—")}）");
        return (court.Code, null);
    }

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
            if (t == province || t == FullProvinceName(province) || t == province + "省" || t == province + "自治区"
                || (t == province + "市" && Municipalities.Contains(province))) // 吉林市 is a city of 吉林省
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
}
