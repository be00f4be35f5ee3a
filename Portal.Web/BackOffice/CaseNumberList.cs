using System.Text.Json;

namespace Portal.Web.BackOffice;

/// <summary>Reads an uploaded list of case numbers: CSV/plain lines (optional header caseNumber) or JSONL.</summary>
public static class CaseNumberList
{
    public const int MaxCases = 10_000;

    public static (IReadOnlyList<string> Cases, string? Error) Read(string text)
    {
        var cases = new List<string>();
        var n = 0;
        foreach (var raw in text.Split('\n'))
        {
            n++;
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0) continue;
            if (line.StartsWith('{'))
            {
                try
                {
                    using var doc = JsonDocument.Parse(line);
                    if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("caseNumber", out var c))
                        return ([], $"第{n}行缺少 caseNumber");
                    if (c.ValueKind != JsonValueKind.String || c.GetString() is not { Length: > 0 } value)
                        return ([], $"第{n}行的 caseNumber 应为非空的文字，如 \"（2019）豫0311执1234号\"");
                    cases.Add(value);
                }
                catch (JsonException) { return ([], $"第{n}行不是有效的JSON"); }
                continue;
            }
            var first = line.Split(',')[0].Trim().Trim('"');
            if (n == 1 && first.Equals("caseNumber", StringComparison.OrdinalIgnoreCase)) continue;
            cases.Add(first);
        }
        if (cases.Count == 0) return ([], "文件中没有案号");
        if (cases.Count > MaxCases) return ([], $"一次最多{MaxCases}个案号");
        return (cases, null);
    }
}
