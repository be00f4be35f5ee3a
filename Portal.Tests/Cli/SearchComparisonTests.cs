using Portal.Tests.Support;
using Portal.Web.Cli;

namespace Portal.Tests.Cli;

/// <summary>
/// The comparison with Lucene (bench compare): its corpus keeps the rules the comparison is read by, and the engines of
/// this process answer the sampled queries from indexes built in real folders. (The Java side runs in bench/compare.sh,
/// where Debian's Lucene is installed; not here.)
/// </summary>
public sealed class SearchComparisonTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static List<string[]> Rows(string path) => File.ReadLines(path).Select(l => l.Split('\t')).ToList();

    [Fact]
    public void The_corpus_and_queries_follow_their_rules_and_the_seed()
    {
        SearchComparison.WriteCorpus(_dir.Path, 20_000, seed: 24);
        var corpus = Rows(_dir.File("corpus.tsv"));
        var queries = Rows(_dir.File("queries.tsv"));

        Assert.Equal(20_000, corpus.Count);
        Assert.InRange(corpus.Count(f => f[1] == "P") / 20_000.0, 0.78, 0.82);
        Assert.Equal(8, corpus.Select(f => f[3]).Distinct().Count());
        Assert.Equal(corpus.Count, corpus.Select(f => f[4]).Distinct().Count()); // case numbers are unique
        Assert.All(corpus.Where(f => f[1] == "P"), f => Assert.InRange(f[2].Length, 2, 4));
        Assert.All(corpus.Where(f => f[1] == "O"), f => Assert.Matches("^..市..[^市]+(有限公司|有限责任公司|股份有限公司|合伙企业（有限合伙）)$", f[2]));
        // The commonest surnames come first, as in the population: 王 far more often than 蔡.
        Assert.True(corpus.Count(f => f[1] == "P" && f[2].StartsWith('王')) > 5 * corpus.Count(f => f[1] == "P" && f[2].StartsWith('蔡')));

        Assert.Equal(3_300, queries.Count);
        Assert.Equal(2_400, queries.Count(q => q[0] == "person"));
        Assert.Equal(300, queries.Count(q => q[0] == "miss"));
        Assert.All(["org", "org-part", "case"], kind => Assert.Contains(queries, q => q[0] == kind));
        var names = corpus.Select(f => f[2]).ToHashSet();
        Assert.All(queries.Where(q => q[0] is "person" or "org"), q => Assert.Contains(q[1], names));
        Assert.All(queries.Where(q => q[0] == "miss"), q => Assert.DoesNotContain(q[1], names));
        var organizations = corpus.Where(f => f[1] == "O").Select(f => f[2]).ToList();
        Assert.All(queries.Where(q => q[0] == "org-part").Take(20), q => Assert.Contains(organizations, o => o.Contains(q[1])));

        // The same seed writes the same files; another seed other ones.
        using var again = new TempDirectory();
        SearchComparison.WriteCorpus(again.Path, 20_000, seed: 24);
        Assert.Equal(File.ReadAllBytes(_dir.File("corpus.tsv")), File.ReadAllBytes(again.File("corpus.tsv")));
        Assert.Equal(File.ReadAllBytes(_dir.File("queries.tsv")), File.ReadAllBytes(again.File("queries.tsv")));
        using var other = new TempDirectory();
        SearchComparison.WriteCorpus(other.Path, 20_000, seed: 25);
        Assert.NotEqual(File.ReadAllBytes(_dir.File("corpus.tsv")), File.ReadAllBytes(other.File("corpus.tsv")));
    }

    [Theory]
    [InlineData("lucenenet")]
    [InlineData("portal")]
    public void An_engine_built_from_the_corpus_answers_every_sampled_query_and_times_each(string engine)
    {
        SearchComparison.WriteCorpus(_dir.Path, 20_000, seed: 24);
        var index = Directory.CreateDirectory(_dir.File(engine)).FullName;
        SearchComparison.Build(engine, _dir.File("corpus.tsv"), index);
        Assert.NotEmpty(Directory.EnumerateFiles(index));
        SearchComparison.Query(engine, index, _dir.File("queries.tsv"), _dir.File("times.tsv"));

        var queries = Rows(_dir.File("queries.tsv"));
        var times = Rows(_dir.File("times.tsv"));
        Assert.Equal(queries.Select(q => q[0]), times.Select(t => t[0])); // one line per query, in order
        Assert.All(times, t => Assert.True(double.Parse(t[1], System.Globalization.CultureInfo.InvariantCulture) > 0));
        Assert.All(times.Where(t => t[0] != "miss"), t => Assert.True(long.Parse(t[2]) > 0, $"{t[0]} not found"));
        // A case number is one entry's; bigrams all required find no name that is not in the corpus.
        Assert.All(times.Where(t => t[0] == "case"), t => Assert.Equal("1", t[2]));
        if (engine == "lucenenet") Assert.All(times.Where(t => t[0] == "miss"), t => Assert.Equal("0", t[2]));
    }

    public void Dispose() => _dir.Dispose();
}
