using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Portal.Data.Entries;
using Portal.Data.Privacy;
using Portal.Search.Analysis;
using Portal.Web.Search;
using Spectre.Console;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Portal.Web.Cli;

/// <summary>
/// The search engine side by side with Lucene: one corpus and one query list (TSV files, written here with a fixed seed),
/// three engines, each built and queried in its own fresh process, in interleaved rounds: Lucene 8.7 in Java with CJK
/// bigrams (bench/compare/LuceneBench.java, Debian's liblucene8-java), Lucene.Net 4.8 with the same bigrams, and the
/// portal's own engine answering as the search page does (tiers, pinyin, highlights, exact totals, facets, the page's
/// content). Prints the table of issue 24 and one line of JSON.
/// </summary>
public static class SearchComparison
{
    public static readonly string[] Engines = ["java", "lucenenet", "portal"];
    private static readonly string[] Kinds = ["person", "org", "org-part", "case", "miss"];

    // ---- the corpus: 80 % persons (weighted common surnames, one or two given characters), 20 % organizations (city,
    // two brand characters, industry, legal form), 8 courts; 3,000 queries sampled from it and 300 misses.

    private static readonly (string Surname, double Weight)[] Surnames =
    [
        ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("黄", 2.2), ("赵", 2.0), ("吴", 2.0), ("周", 1.9),
        ("徐", 1.5), ("孙", 1.5), ("马", 1.3), ("朱", 1.3), ("胡", 1.2), ("郭", 1.2), ("何", 1.1), ("高", 1.1), ("林", 1.1), ("罗", 0.9),
        ("郑", 0.9), ("梁", 0.9), ("谢", 0.8), ("宋", 0.7), ("唐", 0.7), ("许", 0.7), ("韩", 0.7), ("冯", 0.7), ("邓", 0.7), ("曹", 0.6),
        ("彭", 0.6), ("曾", 0.6), ("肖", 0.6), ("田", 0.5), ("董", 0.5), ("袁", 0.5), ("潘", 0.5), ("于", 0.5), ("蒋", 0.5), ("蔡", 0.5),
        ("余", 0.4), ("杜", 0.4), ("叶", 0.4), ("程", 0.4), ("苏", 0.3), ("魏", 0.3), ("吕", 0.3), ("丁", 0.3), ("任", 0.3), ("欧阳", 0.05),
    ];

    private const string Given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉玲萍红玉兰成林斌波宇浩凯鹏飞鑫俊峰海亮健欣雪琳颖晨阳婷慧梅燕莉云志春新荣东博彬龙宁丹倩佳嘉子思怡雨泽晓立德永福生金家振";
    private static readonly string[] Cities = ["洛阳", "郑州", "开封", "南阳", "北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "长沙", "济南", "青岛", "苏州", "宁波", "厦门", "福州", "合肥", "南昌", "昆明", "贵阳", "南宁", "太原", "沈阳", "大连", "天津", "重庆"];
    private const string Brand = "恒达鑫源华信宏图瑞丰嘉禾盛泰金鼎永安祥和天成博远新宇创联富通中兴众邦汇德东方海润隆昌光明佳美正大宝利晟凯锦程百川万合";
    private static readonly string[] Industries = ["建筑工程", "商贸", "房地产开发", "科技", "投资", "物流", "餐饮管理", "建材", "机械设备", "电子", "食品", "农业开发", "装饰工程", "化工", "纺织", "汽车销售", "医药", "文化传媒", "置业", "实业"];
    private static readonly (string Form, double Weight)[] Forms = [("有限公司", 60), ("有限责任公司", 25), ("股份有限公司", 10), ("合伙企业（有限合伙）", 5)];
    private static readonly (string Court, string Code, string Province)[] Courts =
    [
        ("河南省洛阳市中级人民法院", "豫03", "河南"), ("洛阳市老城区人民法院", "豫0302", "河南"), ("郑州市中原区人民法院", "豫0102", "河南"),
        ("北京市朝阳区人民法院", "京0105", "北京"), ("上海市浦东新区人民法院", "沪0115", "上海"), ("广州市天河区人民法院", "粤0106", "广东"),
        ("深圳市南山区人民法院", "粤0305", "广东"), ("杭州市西湖区人民法院", "浙0106", "浙江"),
    ];

    private static T Weighted<T>(Random r, (T Value, double Weight)[] choices)
    {
        var x = r.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
            if ((x -= weight) < 0) return value;
        return choices[^1].Value;
    }

    private static string PersonName(Random r) =>
        Weighted(r, Surnames) + Given[r.Next(Given.Length)] + (r.NextDouble() < 0.7 ? Given[r.Next(Given.Length)].ToString() : "");

    /// <summary>Writes corpus.tsv (id, P or O, name, court, case number) and queries.tsv (kind, text) into <paramref name="folder"/>.</summary>
    public static void WriteCorpus(string folder, int entries, int seed)
    {
        var r = new Random(seed);
        var names = new HashSet<string>();
        var sample = new List<(string Kind, string Text)>();
        var every = Math.Max(1, entries / 6000); // about twice what is kept, spread over the whole corpus
        using (var corpus = new StreamWriter(Path.Combine(folder, "corpus.tsv"), false, new UTF8Encoding(false)))
            for (var id = 1; id <= entries; id++)
            {
                var person = r.NextDouble() < 0.8;
                string name, part = "";
                if (person) name = PersonName(r);
                else
                {
                    part = $"{Brand[r.Next(Brand.Length)]}{Brand[r.Next(Brand.Length)]}{Industries[r.Next(Industries.Length)]}";
                    name = Cities[r.Next(Cities.Length)] + "市" + part + Weighted(r, Forms);
                }
                var (court, code, _) = Courts[r.Next(Courts.Length)];
                var caseNumber = $"（{2015 + r.Next(10)}）{code}执{id}号";
                corpus.Write($"{id}\t{(person ? 'P' : 'O')}\t{name}\t{court}\t{caseNumber}\n");
                names.Add(name);
                if (id % every != 0) continue;
                var pick = r.NextDouble();
                sample.Add(pick < 0.1 ? ("case", caseNumber) : person ? ("person", name) : pick < 0.55 ? ("org", name) : ("org-part", part));
            }
        // 3,000 sampled as 80 % persons and the rest organizations whole and in part and case numbers; 300 misses.
        var persons = sample.Where(s => s.Kind == "person").Take(2400).ToList();
        var others = sample.Where(s => s.Kind != "person").Take(3000 - persons.Count).ToList();
        var misses = new List<(string, string)>();
        while (misses.Count < 300)
        {
            var miss = r.NextDouble() < 0.8 ? PersonName(r) + Given[r.Next(Given.Length)] : "测试" + Brand[r.Next(Brand.Length)] + "无此" + Industries[r.Next(Industries.Length)];
            if (!names.Contains(miss)) misses.Add(("miss", miss));
        }
        var queries = persons.Concat(others).Concat(misses).OrderBy(_ => r.Next()).ToList();
        File.WriteAllLines(Path.Combine(folder, "queries.tsv"), queries.Select(q => $"{q.Item1}\t{q.Item2}"), new UTF8Encoding(false));
    }

    /// <summary>
    /// Passes over the whole list before the timed one, in every engine alike: Java's compiler needs thousands of calls of
    /// a method before it is fully compiled (with one pass its p99 was three times that with five).
    /// </summary>
    public const int WarmUpPasses = 5;

    private static IEnumerable<string[]> Rows(string path) => File.ReadLines(path).Select(l => l.Split('\t'));

    // ---- the engines of this process (each phase a process of its own, as the orchestrator starts it).

    /// <summary>Builds <paramref name="engine"/>'s index from the corpus; prints {"documents","seconds"}.</summary>
    public static void Build(string engine, string corpus, string folder)
    {
        var watch = Stopwatch.StartNew();
        long n = 0;
        if (engine == "portal")
        {
            using var index = new Portal.Search.Index.SearchIndex(ChineseAnalyzer.Instance, folder);
            index.Open();
            n = index.Rebuild(Rows(corpus).Select(PortalDocument));
            index.Commit(0, "bench");
        }
        else
        {
            using var directory = FSDirectory.Open(folder);
            using var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, new CJKAnalyzer(LuceneVersion.LUCENE_48))
                { OpenMode = OpenMode.CREATE, RAMBufferSizeMB = 256 });
            foreach (var f in Rows(corpus))
            {
                writer.AddDocument(new Document
                {
                    new StoredField("id", long.Parse(f[0], CultureInfo.InvariantCulture)),
                    new TextField("name", f[2], Field.Store.YES),
                    new StringField("court", f[3], Field.Store.YES),
                    new StringField("case", f[4], Field.Store.YES),
                });
                n++;
            }
            writer.ForceMerge(1);
            writer.Commit();
        }
        Console.WriteLine(JsonSerializer.Serialize(new { documents = n, seconds = watch.Elapsed.TotalSeconds }));
    }

    /// <summary>The corpus line as the portal indexes an entry: the public projection and every key, as IndexSync makes them.</summary>
    private static Portal.Search.Index.SearchDocument PortalDocument(string[] f)
    {
        var (court, code, province) = Courts.First(c => c.Court == f[3]);
        var published = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(long.Parse(f[0], CultureInfo.InvariantCulture) % 1800);
        return IndexSync.ToDocument(new Entry
        {
            Id = long.Parse(f[0], CultureInfo.InvariantCulture), PublicId = "b" + f[0], Name = f[2],
            SubjectType = f[1] == "P" ? SubjectType.Person : SubjectType.Organization,
            CaseNumber = f[4], CaseNumberKey = CaseNumber.Key(f[4]), Court = court, CourtCode = code, Province = province,
            Obligation = "偿还借款本金及利息", BasisIssuer = court, BasisDocumentNumber = f[4].Replace("执", "民初"),
            PerformanceStatus = PerformanceStatus.Unperformed, Circumstances = Circumstances.Evades | Circumstances.AssetReport,
            PublishedAt = published, CreatedAt = published, Status = EntryStatus.Published,
        });
    }

    /// <summary>
    /// Opens <paramref name="engine"/>'s index in this fresh process and answers the first query (the time since the
    /// process started is "first answer"), warms up with the whole list (<see cref="WarmUpPasses"/> times), then answers each query once more, timed, into
    /// <paramref name="times"/> (kind, microseconds, total). Prints {"firstAnswerMs","peakMB"}.
    /// </summary>
    public static void Query(string engine, string folder, string queries, string times)
    {
        var list = Rows(queries).ToList();
        Func<string, long> answer;
        IDisposable? open;
        if (engine == "portal")
        {
            var index = new Portal.Search.Index.SearchIndex(ChineseAnalyzer.Instance, folder);
            index.Open();
            var protection = new IdNumberProtection(new Privacy.DataProtectionIdNumberCipher(
                new Microsoft.AspNetCore.DataProtection.EphemeralDataProtectionProvider()), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            // As the search page asks: the first page of 20 with its content and facets, the total exact.
            answer = text =>
            {
                var result = index.Search(EntrySearch.Plan(text, protection, null, 0, 20).Query with { VisibleOn = today, WithContent = true });
                foreach (var hit in result.Hits)
                    if (hit.Content is null) throw new InvalidOperationException("a hit without its content");
                return result.Total;
            };
            open = index;
        }
        else
        {
            var directory = FSDirectory.Open(folder);
            var reader = DirectoryReader.Open(directory);
            var searcher = new IndexSearcher(reader);
            var analyzer = new CJKAnalyzer(LuceneVersion.LUCENE_48);
            answer = text =>
            {
                var top = searcher.Search(Bigrams(analyzer, text), 20);
                foreach (var hit in top.ScoreDocs)
                    if (searcher.Doc(hit.Doc).Get("name") is null) throw new InvalidOperationException("a hit without its name");
                return top.TotalHits;
            };
            open = reader;
        }
        answer(list[0][1]);
        var first = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        for (var pass = 0; pass < WarmUpPasses; pass++)
            foreach (var q in list) answer(q[1]);
        using (var output = new StreamWriter(times, false, new UTF8Encoding(false)))
            foreach (var q in list)
            {
                var started = Stopwatch.GetTimestamp();
                var total = answer(q[1]);
                output.Write($"{q[0]}\t{Stopwatch.GetElapsedTime(started).TotalMicroseconds.ToString("0.0", CultureInfo.InvariantCulture)}\t{total}\n");
            }
        Console.WriteLine(JsonSerializer.Serialize(new { firstAnswerMs = first, peakMB = Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0 }));
        open.Dispose();
    }

    /// <summary>The Java program's query, in Lucene.Net: a case number looked up whole, anything else its CJK bigrams, all required.</summary>
    private static Query Bigrams(CJKAnalyzer analyzer, string text)
    {
        if (text.Contains('执') && text.Any(char.IsAsciiDigit)) return new TermQuery(new Term("case", text));
        var all = new BooleanQuery();
        using var stream = analyzer.GetTokenStream("name", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) all.Add(new TermQuery(new Term("name", term.ToString())), Occur.MUST);
        stream.End();
        return all.Clauses.Count == 0 ? new BooleanQuery() : all;
    }

    // ---- the orchestration: corpus, then rounds of (build, query) per engine, each in a fresh process, in turn.

    private sealed record Round(string Engine, double DocumentsPerSecond, double SizeMB, double FirstAnswerMs, double PeakMB, List<(string Kind, double Micros, long Total)> Times);

    public static async Task<int> RunAsync(int entries, int rounds, int seed, string javaSource, string javaClassPath, CancellationToken ct)
    {
        var work = System.IO.Directory.CreateTempSubdirectory("portal-compare-").FullName;
        Console.WriteLine($"工作目录：{work}");
        try
        {
            var watch = Stopwatch.StartNew();
            WriteCorpus(work, entries, seed);
            Console.WriteLine($"语料 {entries:N0} 条、查询 {File.ReadLines(Path.Combine(work, "queries.tsv")).Count():N0} 条，用时 {watch.Elapsed.TotalSeconds:0.0} 秒");
            var classes = Path.Combine(work, "classes");
            System.IO.Directory.CreateDirectory(classes);
            await RunAsync("javac", ["-cp", javaClassPath, "-d", classes, javaSource], ct);
            var results = new List<Round>();
            for (var round = 0; round < rounds; round++)
                for (var k = 0; k < Engines.Length; k++)
                {
                    var engine = Engines[(k + round) % Engines.Length]; // each round starts with the next engine
                    var folder = Path.Combine(work, $"{engine}-{round}");
                    System.IO.Directory.CreateDirectory(folder);
                    var times = Path.Combine(work, $"{engine}-{round}.times.tsv");
                    var (program, prefix) = engine == "java"
                        ? ("java", new[] { "-cp", $"{classes}:{javaClassPath}", "LuceneBench" })
                        : Self();
                    var built = JsonDocument.Parse(await RunAsync(program, [.. prefix, .. engine == "java" ? ["build"] : BenchEngine(engine, "build"), Path.Combine(work, "corpus.tsv"), folder], ct)).RootElement;
                    var queried = JsonDocument.Parse(await RunAsync(program, [.. prefix, .. engine == "java" ? ["query"] : BenchEngine(engine, "query"), folder, Path.Combine(work, "queries.tsv"), times], ct)).RootElement;
                    var result = new Round(engine,
                        built.GetProperty("documents").GetDouble() / built.GetProperty("seconds").GetDouble(),
                        System.IO.Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length) / 1048576.0,
                        queried.GetProperty("firstAnswerMs").GetDouble(), queried.GetProperty("peakMB").GetDouble(),
                        Rows(times).Select(t => (t[0], double.Parse(t[1], CultureInfo.InvariantCulture), long.Parse(t[2], CultureInfo.InvariantCulture))).ToList());
                    results.Add(result);
                    Console.WriteLine($"第 {round + 1} 轮 {engine}: 建立 {result.DocumentsPerSecond:N0} 条/秒，{result.SizeMB:0.0} MB，首个回答 {result.FirstAnswerMs:N0} ms，" +
                                      $"p50 {P(result.Times.Select(t => t.Micros), 0.5) / 1000:0.000} ms，p99 {P(result.Times.Select(t => t.Micros), 0.99) / 1000:0.000} ms");
                    System.IO.Directory.Delete(folder, recursive: true);
                }
            Print(results, entries, rounds);
            return 0;
        }
        finally { System.IO.Directory.Delete(work, recursive: true); }
    }

    private static string[] BenchEngine(string engine, string phase) => ["bench", "engine", "--engine", engine, "--phase", phase];

    /// <summary>This program, as it was started: the apphost, or dotnet with this assembly.</summary>
    private static (string Program, string[] Prefix) Self()
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? (process, [typeof(SearchComparison).Assembly.Location]) : (process, []);
    }

    /// <summary>Runs a phase; its last line of output (one line of JSON) is the answer.</summary>
    private static async Task<string> RunAsync(string program, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await errors}");
        return (await output).TrimEnd().Split('\n')[^1];
    }

    private static double P(IEnumerable<double> xs, double p)
    {
        var sorted = xs.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
    }

    private static double Median(IEnumerable<double> xs) => P(xs, 0.5);

    /// <summary>Per engine, the median of the rounds for build, size, first answer and peak; percentiles over every round's timed queries.</summary>
    private static void Print(List<Round> results, int entries, int rounds)
    {
        var rows = new List<(string Name, Func<IEnumerable<Round>, double> Figure, string Format)>
        {
            ("build, documents/s", rs => Median(rs.Select(r => r.DocumentsPerSecond)), "N0"),
            ("index size, MB", rs => Median(rs.Select(r => r.SizeMB)), "0.0"),
            ("fresh process to first answer, s", rs => Median(rs.Select(r => r.FirstAnswerMs)) / 1000, "0.00"),
            ("peak memory of the query process, MB", rs => Median(rs.Select(r => r.PeakMB)), "N0"),
            ("p50, all queries, ms", rs => P(rs.SelectMany(r => r.Times).Select(t => t.Micros), 0.5) / 1000, "0.000"),
            ("p99, all queries, ms", rs => P(rs.SelectMany(r => r.Times).Select(t => t.Micros), 0.99) / 1000, "0.000"),
        };
        foreach (var kind in Kinds)
        {
            rows.Add(($"p50, {kind}, ms", rs => P(rs.SelectMany(r => r.Times).Where(t => t.Kind == kind).Select(t => t.Micros), 0.5) / 1000, "0.000"));
            rows.Add(($"p99, {kind}, ms", rs => P(rs.SelectMany(r => r.Times).Where(t => t.Kind == kind).Select(t => t.Micros), 0.99) / 1000, "0.000"));
        }
        var found = Engines.ToDictionary(e => e, e => results.Where(r => r.Engine == e).SelectMany(r => r.Times).Where(t => t.Kind != "miss").Count(t => t.Total > 0));
        var asked = results.Where(r => r.Engine == "java").SelectMany(r => r.Times).Count(t => t.Kind != "miss");
        var table = new Table().AddColumns($"{entries:N0} entries, {rounds} rounds", "Lucene 8.7 Java, CJK bigrams", "Lucene.Net 4.8, CJK bigrams", "the portal's engine", "portal ÷ Java");
        var json = new Dictionary<string, Dictionary<string, double>>();
        foreach (var (name, figure, format) in rows)
        {
            var values = Engines.Select(e => figure(results.Where(r => r.Engine == e))).ToArray();
            json[name] = Engines.Zip(values).ToDictionary(x => x.First, x => Math.Round(x.Second, 4));
            table.AddRow([name, .. values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)), (values[2] / values[0]).ToString("0.00", CultureInfo.InvariantCulture)]);
        }
        table.AddRow(["sampled queries answered", .. Engines.Select(e => $"{found[e]:N0} / {asked:N0}"), ""]);
        AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 150); // one line a row, also into a file
        AnsiConsole.Write(table);
        Console.WriteLine(JsonSerializer.Serialize(json));
    }
}
