using System.Text;
using Microsoft.Data.Sqlite;
using Portal.Search.Analysis;

namespace Portal.Search.Index;

/// <summary>A document to index: the searchable name, filter values, and exact identifiers (already keyed by the caller).</summary>
public sealed record SearchDocument(
    long Id,
    string Name,
    string SubjectType,
    string Province,
    DateTime PublishedAt,
    IReadOnlyList<string> Identifiers);

/// <summary>
/// A query: either exact identifiers (ID hash, credit code, case number key) or free text for names, plus filters.
/// </summary>
public sealed record SearchQuery(
    string? Text,
    IReadOnlyList<string> Identifiers,
    string? SubjectType = null,
    string? Province = null,
    int Offset = 0,
    int Limit = 20);

public sealed record SearchResult(long Total, IReadOnlyList<long> Ids, bool NothingSearchable = false)
{
    public static readonly SearchResult Empty = new(0, []);
}

/// <summary>
/// The name index: an SQLite FTS5 file of its own, holding only what may be public. Tokens come from
/// <see cref="ChineseAnalyzer"/>; user text reaches FTS5 only as quoted tokens of letters and digits,
/// and every other value as a bound parameter, so nothing typed can alter the query.
/// </summary>
public sealed class SearchIndex
{
    private readonly string _connectionString;
    private readonly ChineseAnalyzer _analyzer;
    private readonly Lock _writeLock = new();

    public SearchIndex(string path, ChineseAnalyzer analyzer)
    {
        Path = path;
        _analyzer = analyzer;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var c = Open();
        Execute(c, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS docs(
                id INTEGER PRIMARY KEY,
                name_key TEXT NOT NULL,
                subject_type TEXT NOT NULL,
                province TEXT NOT NULL,
                published INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS idents(key TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY(key, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS idents_by_id ON idents(id);
            CREATE VIRTUAL TABLE IF NOT EXISTS names USING fts5(tokens, content='', contentless_delete=1, tokenize='ascii');
            """);
    }

    public string Path { get; }

    public ChineseAnalyzer Analyzer => _analyzer;

    public long Count()
    {
        using var c = Open();
        return Scalar<long>(c, "SELECT count(*) FROM docs");
    }

    /// <summary>Every indexed document id, for consistency checks against the database.</summary>
    public IReadOnlySet<long> Ids()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM docs";
        using var r = cmd.ExecuteReader();
        var ids = new HashSet<long>();
        while (r.Read()) ids.Add(r.GetInt64(0));
        return ids;
    }

    public string? GetMeta(string key)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT value FROM meta WHERE key = $k";
        cmd.Parameters.AddWithValue("$k", key);
        return cmd.ExecuteScalar() as string;
    }

    public void SetMeta(string key, string value)
    {
        lock (_writeLock)
        {
            using var c = Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO meta(key, value) VALUES($k, $v) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$v", value);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Adds or replaces documents, and removes the ids in <paramref name="removeIds"/>, in one transaction.</summary>
    public void Apply(IEnumerable<SearchDocument> upserts, IEnumerable<long> removeIds)
    {
        lock (_writeLock)
        {
            using var c = Open();
            using var tx = c.BeginTransaction();
            using var writer = new Writer(c, tx, _analyzer);
            foreach (var id in removeIds) writer.Remove(id);
            foreach (var doc in upserts) writer.Upsert(doc);
            tx.Commit();
        }
    }

    /// <summary>Replaces the whole content with <paramref name="documents"/>, reporting progress every batch.</summary>
    public long Rebuild(IEnumerable<SearchDocument> documents, Action<long>? progress = null)
    {
        lock (_writeLock)
        {
            using var c = Open();
            using var tx = c.BeginTransaction();
            Execute(c, "DELETE FROM docs; DELETE FROM idents; DELETE FROM names;", tx);
            using var writer = new Writer(c, tx, _analyzer);
            long n = 0;
            foreach (var doc in documents)
            {
                writer.Insert(doc);
                if (++n % 1000 == 0) progress?.Invoke(n);
            }
            progress?.Invoke(n);
            tx.Commit();
            Execute(c, "INSERT INTO names(names) VALUES('optimize');");
            return n;
        }
    }

    public SearchResult Search(SearchQuery query)
    {
        var where = new StringBuilder();
        using var c = Open();
        using var count = c.CreateCommand();
        using var page = c.CreateCommand();
        void Bind(string name, object value)
        {
            count.Parameters.AddWithValue(name, value);
            page.Parameters.AddWithValue(name, value);
        }
        if (query.SubjectType is { Length: > 0 } type) { where.Append(" AND d.subject_type = $type"); Bind("$type", type); }
        if (query.Province is { Length: > 0 } province) { where.Append(" AND d.province = $province"); Bind("$province", province); }
        page.Parameters.AddWithValue("$limit", Math.Clamp(query.Limit, 0, 1000));
        page.Parameters.AddWithValue("$offset", Math.Max(query.Offset, 0));

        if (query.Identifiers.Count > 0)
        {
            var keys = string.Join(",", query.Identifiers.Select((_, i) => "$k" + i));
            for (var i = 0; i < query.Identifiers.Count; i++) Bind("$k" + i, query.Identifiers[i]);
            var from = $"FROM docs d WHERE d.id IN (SELECT id FROM idents WHERE key IN ({keys})){where}";
            count.CommandText = $"SELECT count(*) {from}";
            page.CommandText = $"SELECT d.id {from} ORDER BY d.published DESC, d.id DESC LIMIT $limit OFFSET $offset";
        }
        else
        {
            var tokens = _analyzer.QueryTokens(query.Text);
            if (tokens.Count == 0) return new SearchResult(0, [], NothingSearchable: true);
            Bind("$match", string.Join(' ', tokens.Select(t => "\"" + t.Replace("\"", "\"\"") + "\"")));
            page.Parameters.AddWithValue("$exact", NameKey(query.Text));
            var from = $"FROM names JOIN docs d ON d.id = names.rowid WHERE names MATCH $match{where}";
            count.CommandText = $"SELECT count(*) {from}";
            page.CommandText = $"SELECT d.id {from} ORDER BY (d.name_key = $exact) DESC, names.rank, d.published DESC, d.id DESC LIMIT $limit OFFSET $offset";
        }

        var total = (long)count.ExecuteScalar()!;
        var ids = new List<long>();
        if (total > 0)
        {
            using var reader = page.ExecuteReader();
            while (reader.Read()) ids.Add(reader.GetInt64(0));
        }
        return new SearchResult(total, ids);
    }

    /// <summary>The whole name, normalized and without spaces: what an exact name match compares.</summary>
    public string NameKey(string? name) => _analyzer.Normalize(name, ChineseAnalyzer.MaxQueryLength).Replace(" ", "");

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private static void Execute(SqliteConnection c, string sql, SqliteTransaction? tx = null)
    {
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return (T)Convert.ChangeType(cmd.ExecuteScalar()!, typeof(T));
    }

    /// <summary>Prepared statements for writing many documents in one transaction.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly ChineseAnalyzer _analyzer;
        private readonly SqliteCommand _deleteName, _deleteDoc, _deleteIdents, _insertName, _insertDoc, _insertIdent;

        public Writer(SqliteConnection c, SqliteTransaction tx, ChineseAnalyzer analyzer)
        {
            _analyzer = analyzer;
            _deleteName = Command(c, tx, "DELETE FROM names WHERE rowid = $id", "$id");
            _deleteDoc = Command(c, tx, "DELETE FROM docs WHERE id = $id", "$id");
            _deleteIdents = Command(c, tx, "DELETE FROM idents WHERE id = $id", "$id");
            _insertName = Command(c, tx, "INSERT INTO names(rowid, tokens) VALUES($id, $tokens)", "$id", "$tokens");
            _insertDoc = Command(c, tx,
                "INSERT INTO docs(id, name_key, subject_type, province, published) VALUES($id, $key, $type, $province, $published)",
                "$id", "$key", "$type", "$province", "$published");
            _insertIdent = Command(c, tx, "INSERT OR IGNORE INTO idents(key, id) VALUES($key, $id)", "$key", "$id");
        }

        public void Remove(long id)
        {
            foreach (var cmd in new[] { _deleteName, _deleteDoc, _deleteIdents })
            {
                cmd.Parameters["$id"].Value = id;
                cmd.ExecuteNonQuery();
            }
        }

        public void Upsert(SearchDocument doc)
        {
            Remove(doc.Id);
            Insert(doc);
        }

        public void Insert(SearchDocument doc)
        {
            var tokens = _analyzer.IndexTokens(doc.Name);
            _insertName.Parameters["$id"].Value = doc.Id;
            _insertName.Parameters["$tokens"].Value = string.Join(' ', tokens);
            _insertName.ExecuteNonQuery();
            _insertDoc.Parameters["$id"].Value = doc.Id;
            _insertDoc.Parameters["$key"].Value = _analyzer.Normalize(doc.Name).Replace(" ", "");
            _insertDoc.Parameters["$type"].Value = doc.SubjectType;
            _insertDoc.Parameters["$province"].Value = doc.Province;
            _insertDoc.Parameters["$published"].Value = doc.PublishedAt.Ticks;
            _insertDoc.ExecuteNonQuery();
            foreach (var key in doc.Identifiers)
            {
                _insertIdent.Parameters["$key"].Value = key;
                _insertIdent.Parameters["$id"].Value = doc.Id;
                _insertIdent.ExecuteNonQuery();
            }
        }

        private static SqliteCommand Command(SqliteConnection c, SqliteTransaction tx, string sql, params string[] parameters)
        {
            var cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter(p, null));
            cmd.Prepare();
            return cmd;
        }

        public void Dispose()
        {
            foreach (var cmd in new[] { _deleteName, _deleteDoc, _deleteIdents, _insertName, _insertDoc, _insertIdent }) cmd.Dispose();
        }
    }
}
