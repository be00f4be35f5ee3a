// The reference for the search comparison (bench/compare.sh): Lucene 8.7 (Debian's liblucene8-java) with CJK bigrams,
// on the same corpus and queries as the portal's engine. Two phases, each its own process:
//   java LuceneBench build <corpus.tsv> <index folder>    indexes the corpus; prints one line of JSON (documents, seconds)
//   java LuceneBench query <index folder> <queries.tsv> <times.tsv>
//       opens the index, answers the first query (the time from the process's start to that answer is "first answer"),
//       warms up with the whole list five times, then answers each query once more, timed, writing "kind<TAB>microseconds<TAB>total"
//       per query to times.tsv; prints one line of JSON.
// An answer is what a search page needs: the top 20 by score, each hit's stored name and case number read, and the total.
// Case numbers are looked up whole (a keyword field); everything else is analysed into CJK bigrams, all required.
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

public final class LuceneBench {
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("build")) build(args[1], args[2]);
        else if (args.length == 4 && args[0].equals("query")) query(args[1], args[2], args[3]);
        else {
            System.err.println("usage: LuceneBench build <corpus.tsv> <index> | query <index> <queries.tsv> <times.tsv>");
            System.exit(2);
        }
    }

    private static void build(String corpus, String folder) throws Exception {
        long start = System.nanoTime();
        long n = 0;
        Analyzer analyzer = new CJKAnalyzer();
        IndexWriterConfig config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(256);
        try (IndexWriter writer = new IndexWriter(FSDirectory.open(Paths.get(folder)), config);
             BufferedReader reader = Files.newBufferedReader(Paths.get(corpus), StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                String[] f = line.split("\t", -1); // id, type, name, court, case number
                Document d = new Document();
                d.add(new StoredField("id", Long.parseLong(f[0])));
                d.add(new TextField("name", f[2], Field.Store.YES));
                d.add(new StringField("court", f[3], Field.Store.YES));
                d.add(new StringField("case", f[4], Field.Store.YES));
                writer.addDocument(d);
                n++;
            }
            writer.forceMerge(1);
            writer.commit();
        }
        System.out.printf("{\"documents\":%d,\"seconds\":%.3f}%n", n, (System.nanoTime() - start) / 1e9);
    }

    private static Query parse(Analyzer analyzer, String text) throws Exception {
        if (text.indexOf('执') >= 0 && text.chars().anyMatch(Character::isDigit)) return new TermQuery(new Term("case", text));
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int terms = 0;
        try (TokenStream ts = analyzer.tokenStream("name", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                all.add(new TermQuery(new Term("name", term.toString())), BooleanClause.Occur.MUST);
                terms++;
            }
            ts.end();
        }
        return terms == 0 ? new MatchNoDocsQuery() : all.build();
    }

    private static long answer(IndexSearcher searcher, Analyzer analyzer, String text) throws Exception {
        TopDocs top = searcher.search(parse(analyzer, text), 20);
        for (ScoreDoc hit : top.scoreDocs) {
            Document d = searcher.doc(hit.doc);
            if (d.get("name") == null || d.get("case") == null) throw new IllegalStateException("a hit without its name");
        }
        return top.totalHits.value;
    }

    private static void query(String folder, String queries, String times) throws Exception {
        List<String[]> list = new ArrayList<>();
        for (String line : Files.readAllLines(Paths.get(queries), StandardCharsets.UTF_8)) list.add(line.split("\t", -1));
        Analyzer analyzer = new CJKAnalyzer();
        IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(FSDirectory.open(Paths.get(folder))));
        answer(searcher, analyzer, list.get(0)[1]);
        long first = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        for (int pass = 0; pass < 5; pass++) // warm-up: as many passes as the .NET side (SearchComparison.WarmUpPasses)
            for (String[] q : list) answer(searcher, analyzer, q[1]);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Paths.get(times), StandardCharsets.UTF_8))) {
            for (String[] q : list) {
                long t = System.nanoTime();
                long total = answer(searcher, analyzer, q[1]);
                out.printf("%s\t%.1f\t%d%n", q[0], (System.nanoTime() - t) / 1e3, total);
            }
        }
        // The process's peak resident memory (as the .NET side reports its peak working set), from the kernel.
        long peakKB = 0;
        for (String line : Files.readAllLines(Paths.get("/proc/self/status")))
            if (line.startsWith("VmHWM:")) peakKB = Long.parseLong(line.replaceAll("[^0-9]", ""));
        System.out.printf("{\"firstAnswerMs\":%d,\"peakMB\":%.1f}%n", first, peakKB / 1024.0);
    }
}
