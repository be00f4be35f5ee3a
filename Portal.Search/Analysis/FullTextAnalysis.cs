using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Portal.Search.Analysis;

/// <summary>
/// Word segmentation of what an entry says (the obligation, the basis issuer, the circumstances) with Lucene.Net's
/// SmartCn analyzer (a hidden Markov model over a word dictionary): 偿还借款本金及利息 → 偿还 / 借款 / 本金 / 及 / 利息. One
/// analysis for indexing, querying and highlighting. A query is normalized like a name first (width, Traditional to
/// Simplified) and its words are all required.
/// </summary>
public sealed class FullTextAnalysis(ChineseAnalyzer chinese)
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>The analyzer the index writes the text field with (thread-safe: Lucene reuses its components per thread).</summary>
    public Analyzer Analyzer { get; } = new SmartChineseAnalyzer(Version);

    /// <summary>The distinct words of a query, in order; punctuation and stop words out. Empty when nothing is searchable.</summary>
    public IReadOnlyList<string> QueryWords(string? query)
    {
        var normalized = chinese.Normalize(query, ChineseAnalyzer.MaxQueryLength);
        return Tokens(normalized).Select(t => t.Word).Distinct().ToList();
    }

    /// <summary>
    /// Where in <paramref name="text"/> (as stored) the given words stand, for highlighting. A one-character word (本金
    /// segments as 本 / 金) is marked only beside another marked word, so that 本 in 本判决 stays plain; touching words
    /// are marked as one (借款本金).
    /// </summary>
    public IReadOnlyList<Index.TextSpan> Spans(string text, IReadOnlyCollection<string> words)
    {
        if (words.Count == 0 || string.IsNullOrEmpty(text)) return [];
        var wanted = words as ISet<string> ?? words.ToHashSet();
        var tokens = Tokens(text).ToList();
        bool Wanted(int i) => i >= 0 && i < tokens.Count && wanted.Contains(tokens[i].Word);
        bool Touching(int a, int b) => tokens[a].End == tokens[b].Start;
        var spans = new List<Index.TextSpan>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!Wanted(i)) continue;
            var alone = words.Count > 1 && tokens[i].Word.Length == 1 && !(Wanted(i - 1) && Touching(i - 1, i)) && !(Wanted(i + 1) && Touching(i, i + 1));
            if (alone) continue;
            if (spans.Count > 0 && spans[^1].Start + spans[^1].Length == tokens[i].Start)
                spans[^1] = spans[^1] with { Length = tokens[i].End - spans[^1].Start };
            else spans.Add(new Index.TextSpan(tokens[i].Start, tokens[i].End - tokens[i].Start));
        }
        return spans;
    }

    private IEnumerable<(string Word, int Start, int End)> Tokens(string text)
    {
        var tokens = new List<(string, int, int)>();
        using var stream = Analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add((term.ToString(), offset.StartOffset, offset.EndOffset));
        stream.End();
        return tokens;
    }
}
