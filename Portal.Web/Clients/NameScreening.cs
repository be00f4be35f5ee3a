using System.Text.Json;
using Portal.Data.Entries;
using Portal.Data.Publication;
using Portal.Search.Analysis;
using Portal.Search.Index;

namespace Portal.Web.Clients;

/// <summary>An entry a name without a number may be: how alike (0–1), on which name, and why.</summary>
public sealed record ScreeningCandidate(string PublicId, string CaseNumber, string Court, double Score, string MatchedOn, IReadOnlyList<string> Reasons);

/// <summary>
/// Name screening for a subject without a number (a person whose ID the caller does not hold, a foreign company): the
/// index finds candidates by the same analysis as search (the entry's name, and organizations' legal representatives),
/// and each is scored on the normalized names:
/// <list type="bullet">
/// <item><c>same_name</c> 1.0: equal once Traditional/Simplified, width, spaces and the middle dot are set aside;</item>
/// <item><c>same_core</c> 0.92: organizations whose distinctive part is equal, place prefix or legal form apart;</item>
/// <item><c>same_pinyin</c> 0.8: the typed pinyin is the name's reading;</item>
/// <item><c>same_sound</c> 0.6: written with other characters of the same reading (章三 for 张三, 恒大 for 恒达);</item>
/// <item><c>similar_characters</c> up to 0.55: the share of character pairs in common.</item>
/// </list>
/// Only candidates at or above the caller's threshold are given (default <see cref="DefaultThreshold"/>).
/// </summary>
public sealed class NameScreening(SearchIndex index, ChineseAnalyzer analyzer, TimeProvider clock)
{
    public const double DefaultThreshold = 0.9;
    public const int MaxCandidates = 10;

    public IReadOnlyList<ScreeningCandidate> Screen(string name, double threshold)
    {
        var today = ChinaTime.Today(clock);
        var found = new Dictionary<string, ScreeningCandidate>();
        foreach (var representative in new[] { false, true })
        {
            var hits = index.Search(new SearchQuery(name, [], null, 0, 50) { VisibleOn = today, WithContent = true, AsRepresentative = representative });
            foreach (var hit in hits.Hits)
            {
                if (hit.Content is null) continue;
                var entry = JsonSerializer.Deserialize<PublicEntry>(hit.Content, JsonSerializerOptions.Web)!;
                var against = representative ? entry.LegalRepresentative ?? "" : entry.Name;
                var (score, reasons) = Score(analyzer, name, against, organization: !representative && entry.SubjectType == "organization");
                if (score < threshold) continue;
                var candidate = new ScreeningCandidate(entry.PublicId, entry.CaseNumber, entry.Court, score, representative ? "legalRepresentative" : "name", reasons);
                if (!found.TryGetValue(entry.PublicId, out var seen) || seen.Score < score) found[entry.PublicId] = candidate;
            }
        }
        return found.Values.OrderByDescending(c => c.Score).ThenBy(c => c.MatchedOn == "name" ? 0 : 1).ThenBy(c => c.PublicId, StringComparer.Ordinal)
            .Take(MaxCandidates).ToList();
    }

    /// <summary>How alike a typed name and a listed one are, and why (see the class).</summary>
    public static (double Score, IReadOnlyList<string> Reasons) Score(ChineseAnalyzer analyzer, string typed, string listed, bool organization)
    {
        var (q, c) = (Plain(analyzer.Key(typed)), Plain(analyzer.Key(listed)));
        if (q.Length == 0 || c.Length == 0) return (0, []);
        if (q == c) return (1.0, ["same_name"]);
        if (organization)
        {
            var (qc, cc) = (ChineseAnalyzer.OrganizationCore(q), ChineseAnalyzer.OrganizationCore(c));
            if (qc == cc && qc.Length >= 2) return (0.92, ["same_core"]);
            (q, c) = (qc, cc);
        }
        var listedReading = string.Concat(analyzer.Syllables(c, person: !organization));
        if (q.All(char.IsAsciiLetter)) return q == listedReading ? (0.8, ["same_pinyin"]) : (0, []);
        if (q.Length == c.Length && string.Concat(analyzer.Syllables(q, person: !organization)) == listedReading) return (0.6, ["same_sound"]);
        var (qp, cp) = (Pairs(q), Pairs(c));
        var common = qp.Intersect(cp).Count();
        var dice = qp.Count + cp.Count == 0 ? 0 : 2.0 * common / (qp.Count + cp.Count);
        return dice > 0 ? (Math.Round(0.55 * dice, 3), ["similar_characters"]) : (0, []);
    }

    /// <summary>The key without the separators a name may be written with (the middle dot of 阿依古丽·买买提 and its look-alikes).</summary>
    private static string Plain(string key) => string.Concat(key.Where(ch => char.IsLetterOrDigit(ch)));

    private static HashSet<string> Pairs(string s) => Enumerable.Range(0, Math.Max(0, s.Length - 1)).Select(i => s.Substring(i, 2)).ToHashSet();
}
