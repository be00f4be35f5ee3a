using System.Text;
using Portal.Data.Entries;

namespace Portal.Web.Clients;

/// <summary>
/// The CSV a bank's staff upload on /verify/batch (name, ID number or credit code per line) and the CSV of results they
/// take away. Excel in China saves CSV as GB18030 by default, so a file that is not UTF-8 is read as GB18030.
/// </summary>
public static class VerifyBatchFile
{
    public const int MaxBytes = 4 * 1024 * 1024;

    /// <summary>
    /// A borrower per line; an organization's people in further columns, two per role (<c>法定代表人姓名</c>,
    /// <c>法定代表人身份证号码</c>; likewise 实际控制人, 董事, 监事, 高级管理人员), the number optional.
    /// </summary>
    public const string Template =
        "姓名或名称,身份证号码,统一社会信用代码,法定代表人姓名,法定代表人身份证号码,实际控制人姓名,实际控制人身份证号码\r\n" +
        "示例甲,110101199003074514,,,,,\r\n" +
        "示例有限公司,,91110000100000001W,示例乙,,,\r\n";

    internal static readonly string[] NameHeaders = ["name", "姓名", "名称", "姓名或名称", "被执行人"];
    internal static readonly string[] IdHeaders = ["idnumber", "身份证号码", "身份证号", "证件号码"];
    internal static readonly string[] CodeHeaders = ["creditcode", "统一社会信用代码", "信用代码", "组织机构代码"];

    public static (IReadOnlyList<VerifySubject> Subjects, string? Error) Read(byte[] file)
    {
        if (file.Length == 0) return ([], "文件是空的，请按模板填写后上传");
        if (file.Length > MaxBytes) return ([], $"文件过大（最多 {MaxBytes / 1024 / 1024} MB）");
        if (NotCsv(file) is { } workbook) return ([], workbook);
        var lines = Decode(file).Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var (name, id, code) = (0, 1, 2);
        var start = 0;
        var header = Fields(lines.FirstOrDefault() ?? "").Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (header.Any(h => NameHeaders.Contains(h) || IdHeaders.Contains(h) || CodeHeaders.Contains(h)))
        {
            (name, id, code) = (header.FindIndex(NameHeaders.Contains), header.FindIndex(IdHeaders.Contains), header.FindIndex(CodeHeaders.Contains));
            if (name < 0) return ([], "表头中没有姓名或名称列（name）"); // names alone are screened by name
            start = 1;
        }
        // The people columns, by role: where each role's name and number stand (-1 when absent).
        var people = RelatedRoles.Labels.Select(r => (Role: r.Key, Name: header.IndexOf(r.Value + "姓名"), Id: header.IndexOf(r.Value + "身份证号码")))
            .Where(p => p.Name >= 0 || p.Id >= 0).ToList();
        var nameless = people.FirstOrDefault(p => p.Name < 0 && p.Id >= 0);
        if (nameless.Role is not null) return ([], $"表头有“{RelatedRoles.Labels[nameless.Role]}身份证号码”列，却没有“{RelatedRoles.Labels[nameless.Role]}姓名”列");
        var subjects = new List<VerifySubject>();
        for (var i = start; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var f = Fields(lines[i]);
            string? At(int column) => column >= 0 && column < f.Count && f[column].Trim() is { Length: > 0 } v ? v : null;
            var related = people.Where(p => At(p.Name) is not null || At(p.Id) is not null).Select(p => new RelatedPerson(p.Role, At(p.Name), At(p.Id))).ToList();
            subjects.Add(new VerifySubject(At(name), At(id), At(code), related.Count > 0 ? related : null));
            if (subjects.Count > Verification.MaxSubjects) return ([], $"每次最多核查 {Verification.MaxSubjects} 个对象；请分成多个文件");
        }
        return subjects.Count == 0 ? ([], "文件中没有核查对象") : (subjects, null);
    }

    /// <summary>One line per subject: its line number, name, the ID number masked (never in full) or the credit code, and the result.</summary>
    public static string ResultsCsv(IReadOnlyList<VerifySubject> subjects, IReadOnlyList<VerifyResult> results)
    {
        var csv = new StringBuilder("序号,姓名或名称,证件号码（脱敏）,核查结果,案号,关联人员核查结果\r\n");
        foreach (var r in results)
        {
            var s = subjects[r.Index];
            csv.Append(string.Join(',', new[] { (r.Index + 1).ToString(), s.Name, Shown(s), StatusLabel(r),
                    string.Join("；", r.Matches.Select(m => m.CaseNumber).Concat((r.Candidates ?? []).Select(c => $"{c.CaseNumber}（相似度 {c.Score:0.##}）"))),
                    string.Join("；", (r.Related ?? []).Select(p => RelatedLabel(s.Related![p.Index], p))) }
                .Select(Newsroom.Csv.Cell))).Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>"法定代表人 王建国：为已列入名单单位的法定代表人（仅姓名相同，可能是同名者）（2020）豫0311执2001号".</summary>
    public static string RelatedLabel(RelatedPerson person, RelatedResult r)
    {
        var who = $"{RelatedRoles.Labels.GetValueOrDefault(r.Role, r.Role)} {person.Name}：";
        var cases = r.Matches.Count > 0 ? string.Concat(r.Matches.Select(m => m.CaseNumber)) : "";
        return who + r.Status switch
        {
            VerifyStatus.Listed => "本人已列入失信名单 " + cases,
            VerifyStatus.LegalRepresentative => (r.Exact ? "为已列入名单单位的法定代表人（身份证号码相符）" : "为已列入名单单位的法定代表人（仅姓名相同，可能是同名者）") + cases,
            VerifyStatus.NotFound => "未发现",
            VerifyStatus.NameMismatch => "号码相符但姓名不符，请核对",
            VerifyStatus.Unverifiable => "暂无法核查：" + r.Error,
            _ => "无效：" + r.Error,
        };
    }

    /// <summary>What a results table shows of the number a bank typed: the masked form, as on the public site.</summary>
    public static string Shown(VerifySubject s) =>
        s.IdNumber is { } id ? (IdNumber.TryParse(id, out var parsed, out _) ? parsed.Mask() : "（号码格式无效，不显示）") : s.CreditCode ?? "";

    public static string StatusLabel(VerifyResult r) => r.Status switch
    {
        VerifyStatus.Listed => "已列入失信名单",
        VerifyStatus.NotListed => "未列入",
        VerifyStatus.NameMismatch => "号码相符但名称不符，请核对",
        VerifyStatus.Unverifiable => "暂无法核查：" + (r.Error ?? ""),
        VerifyStatus.PossibleMatch => "名称可能相符（无证件号码，仅凭名称，请核对）",
        VerifyStatus.NoMatch => "名称未发现相近的条目（无证件号码，仅凭名称）",
        _ => "无效：" + (r.Error ?? ""),
    };

    /// <summary>Why a file is not a CSV a person can fix by saving it again, or null: an Excel workbook (a ZIP, or the old binary format).</summary>
    public static string? NotCsv(byte[] file) =>
        file.AsSpan().StartsWith("PK\u0003\u0004"u8) || file.AsSpan().StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 })
            ? "这是 Excel 工作簿（.xlsx 或 .xls），不是 CSV 文件：请在 Excel 中选择“另存为”，保存类型选“CSV（逗号分隔）”后再上传"
            : null;

    internal static string Decode(byte[] file)
    {
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file).TrimStart('\uFEFF'); }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030").GetString(file);
        }
    }

    /// <summary>The fields of one CSV line: commas (also the full-width ，), double quotes around a field, "" for a quote.</summary>
    internal static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c is ',' or '，' or '\t') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
