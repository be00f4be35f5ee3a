using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Portal.Search.Analysis;
using Portal.Search.Index;
using Portal.Web.DemoData;
using Xunit.Abstractions;

namespace Portal.Tests.Search;

/// <summary>
/// Full-text search over obligations: SmartCn word segmentation (the portal's text field) against a plain bigram field
/// (Lucene's CJKAnalyzer), on 34 queries people would type, judged by hand: which kinds of judgment each query is about.
/// The corpus is the demo data's judgments (16 kinds) with its creditors' names, whose words (合伙企业, 房地产…) are the noise.
/// Every word of a query is required in both fields. The table goes to the test output.
/// </summary>
public sealed class FullTextRelevanceTests(ITestOutputHelper output)
{
    /// <summary>The query, and the kinds of judgment (DemoDataGenerator.Obligations) it is about.</summary>
    private static readonly (string Query, string[] Relevant)[] Judged =
    [
        ("借款 利息", ["private-loan", "guarantee"]), ("借款利息", ["private-loan", "guarantee"]), ("工程款", ["construction"]),
        ("支付工程款", ["construction"]), ("抚养费", ["child-support"]), ("赡养费", ["elder-support"]), ("腾退 房屋", ["vacate"]),
        ("腾退房屋", ["vacate"]), ("房屋", ["rent", "vacate"]), ("租金", ["rent"]), ("房屋租金", ["rent"]), ("工资", ["wages"]),
        ("拖欠工资", ["wages"]), ("经济补偿", ["wages"]), ("货款", ["sale"]), ("贷款", ["bank-loan"]), ("违约金", ["sale", "shares"]),
        ("交通事故", ["traffic"]), ("交通事故赔偿", ["traffic"]), ("医疗费", ["traffic", "elder-support"]), ("赔礼道歉", ["injury"]),
        ("人身损害", ["injury"]), ("股权转让", ["shares"]), ("连带责任", ["guarantee"]), ("连带清偿", ["guarantee"]),
        ("物业费", ["rent", "property-fee"]), ("滞纳金", ["property-fee"]), ("投资款", ["partnership"]), ("共同财产", ["divorce"]),
        ("离婚", ["divorce"]), ("利息", ["private-loan", "bank-loan", "guarantee", "partnership"]), ("抵押", ["bank-loan"]),
        ("误工费", ["traffic"]), ("搬离", ["rent"]),
    ];

    private sealed record Scores(double Precision, double Recall, int Found)
    {
        public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    }

    private static Scores Score(IReadOnlyCollection<long> found, IReadOnlySet<long> relevant)
    {
        var hits = found.Count(relevant.Contains);
        return new Scores(found.Count == 0 ? 0 : hits / (double)found.Count, relevant.Count == 0 ? 1 : hits / (double)relevant.Count, found.Count);
    }

    [Fact]
    public void Word_segmentation_finds_what_people_mean_better_than_bigrams()
    {
        // The corpus: 3,000 judgments of every kind, creditors named as the demo names them.
        var names = new DemoDataGenerator(TimeProvider.System).Generate(3000, seed: 7).Select(l => l.Input!.Name ?? "").ToList();
        var random = new Random(7);
        var corpus = names.Select((name, i) => (Id: (long)i + 1, Kind: DemoDataGenerator.Obligations[i % DemoDataGenerator.Obligations.Count].Kind,
            Text: DemoDataGenerator.Obligations[i % DemoDataGenerator.Obligations.Count].Text(name, random.Next(1000, 900000).ToString()))).ToList();

        using var portal = new SearchIndex(ChineseAnalyzer.Instance);
        portal.Rebuild(corpus.Select(c => new SearchDocument(c.Id, "某", "person", "河南", "某法院", new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), [], null, [])
            { FullText = c.Text }));

        using var directory = new RAMDirectory();
        var bigrams = new CJKAnalyzer(FullTextAnalysis.Version);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(FullTextAnalysis.Version, bigrams)))
            foreach (var c in corpus)
                writer.AddDocument([new StringField("id", c.Id.ToString(), Field.Store.YES), new TextField("text", c.Text, Field.Store.NO)]);
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);

        List<long> ByBigrams(string query)
        {
            var all = new BooleanQuery();
            using var stream = bigrams.GetTokenStream("text", query);
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken()) all.Add(new TermQuery(new Term("text", term.ToString())), Occur.MUST);
            stream.End();
            return searcher.Search(all, corpus.Count).ScoreDocs.Select(d => long.Parse(searcher.Doc(d.Doc).Get("id"))).ToList();
        }

        var rows = new List<(string Query, Scores Words, Scores Bigrams)>();
        foreach (var (query, kinds) in Judged)
        {
            var relevant = corpus.Where(c => kinds.Contains(c.Kind)).Select(c => c.Id).ToHashSet();
            var words = portal.Search(new SearchQuery(query, [], Limit: corpus.Count) { InFullText = true }).Ids;
            rows.Add((query, Score(words, relevant), Score(ByBigrams(query), relevant)));
        }

        output.WriteLine("| query | SmartCn P / R (found) | bigrams P / R (found) |");
        output.WriteLine("|---|---|---|");
        foreach (var (query, w, b) in rows)
            output.WriteLine($"| {query} | {w.Precision:0.00} / {w.Recall:0.00} ({w.Found}) | {b.Precision:0.00} / {b.Recall:0.00} ({b.Found}) |");
        double Mean(Func<(string, Scores Words, Scores Bigrams), double> f) => rows.Average(r => f(r));
        var (wp, wr, wf) = (Mean(r => r.Words.Precision), Mean(r => r.Words.Recall), Mean(r => r.Words.F1));
        var (bp, br, bf) = (Mean(r => r.Bigrams.Precision), Mean(r => r.Bigrams.Recall), Mean(r => r.Bigrams.F1));
        output.WriteLine($"| mean of {rows.Count} queries | P {wp:0.000} R {wr:0.000} F1 {wf:0.000} | P {bp:0.000} R {br:0.000} F1 {bf:0.000} |");

        Assert.True(rows.Count >= 30);
        Assert.True(wr > br, $"word recall {wr:0.000} is not above the bigrams' {br:0.000}");
        Assert.True(wf > bf, $"word F1 {wf:0.000} is not above the bigrams' {bf:0.000}");
        // Queries typed as one run of characters are where bigrams fail and words do not.
        foreach (var query in (string[])["借款利息", "拖欠工资", "交通事故赔偿", "连带责任"])
        {
            var row = rows.Single(r => r.Query == query);
            Assert.True(row.Words.Recall == 1 && row.Bigrams.Recall == 0, $"{query}: words {row.Words}, bigrams {row.Bigrams}");
        }
    }
}
