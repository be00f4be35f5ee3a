using System.Reflection;

namespace Portal.Data.Measures;

/// <summary>The catalogue of measures as shipped (<c>Measures/Catalogue/measures.tsv</c>, provenance in SOURCES.md beside it).</summary>
public static class MeasureCatalogue
{
    /// <summary>The shipped kinds, in the file's order.</summary>
    public static IReadOnlyList<MeasureKind> Shipped { get; } = Load();

    private static List<MeasureKind> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Portal.Data.Measures.measures.tsv")
            ?? throw new InvalidOperationException("missing measures.tsv");
        using var reader = new StreamReader(stream);
        var kinds = new List<MeasureKind>();
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            kinds.Add(new MeasureKind { Code = f[0], Name = f[1], Subjects = f[2], LegalBasis = f[3], ChangedBy = "catalogue" });
        }
        return kinds;
    }

    /// <summary>Why a kind as an administrator wrote it cannot be kept, or null.</summary>
    public static string? Problem(string code, string name, string legalBasis, IReadOnlyCollection<string> subjects)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(code, "^[a-z][a-z0-9-]{1,39}$")) return "代码应为2–40位小写字母、数字或连字符，以字母开头，如 flight";
        if (name.Length is 0 or > 100) return "请填写措施名称（不超过100字）";
        if (legalBasis.Length is 0 or > 500) return "请填写依据（文件名称、文号和条款，不超过500字）";
        if (subjects.Count == 0) return "请至少选择一类适用对象";
        if (subjects.FirstOrDefault(s => !MeasureSubjects.Labels.ContainsKey(s)) is { } unknown) return $"未知的适用对象“{unknown}”";
        return null;
    }
}
