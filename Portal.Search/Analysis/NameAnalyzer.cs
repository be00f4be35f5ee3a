using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace Portal.Search.Analysis;

/// <summary>
/// The Lucene analysis of a name, one definition for indexing and querying. Every field starts from the name's key
/// (<see cref="NameTokenizer"/>: ICU normalization of width and case, Traditional to Simplified, spaces, dots and
/// zero-width characters out); then per field: the key itself, its character unigrams and bigrams, an organization's
/// distinctive part, or the readings of that part (syllables, consecutive pairs, the whole reading that is also the homophone key, and
/// initials). People and organizations differ in two places: an organization's readings are those of its distinctive
/// part, and a person's surname takes its surname reading (单 is shan). A query is read like a person's name.
/// </summary>
public sealed class NameAnalyzer(ChineseAnalyzer chinese, NameAnalyzer.Subject subject) : Analyzer(PER_FIELD_REUSE_STRATEGY)
{
    public enum Subject { Person, Organization, Query }

    public static class Fields
    {
        public const string Key = "key", Core = "core", Gram = "gram", Syllable = "syl", Pair = "pair", Reading = "py", Initials = "ini";
    }

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new NameTokenizer(chinese, reader);
        TokenStream core = fieldName is Fields.Key or Fields.Gram ? source : new CoreFilter(source, subject);
        return new TokenStreamComponents(source, fieldName switch
        {
            Fields.Key or Fields.Core => core,
            Fields.Gram => new GramFilter(source),
            Fields.Syllable => new ReadingFilter(core, chinese, subject, ReadingFilter.Output.Syllables),
            Fields.Pair => new ReadingFilter(core, chinese, subject, ReadingFilter.Output.Pairs),
            Fields.Reading => new ReadingFilter(subject == Subject.Query ? source : core, chinese, subject, ReadingFilter.Output.Whole),
            Fields.Initials => new ReadingFilter(core, chinese, subject, ReadingFilter.Output.Initials),
            _ => throw new ArgumentException($"No analysis for field {fieldName}", nameof(fieldName)),
        });
    }

    /// <summary>The terms this analysis gives <paramref name="text"/> in <paramref name="field"/>.</summary>
    public List<string> Terms(string field, string? text)
    {
        var terms = new List<string>();
        using var stream = GetTokenStream(field, text ?? "");
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    /// <summary>
    /// A gram as a term: characters outside the Basic Multilingual Plane are two UTF-16 units, and a lone unit is not
    /// valid in a term (UTF-8 would turn every one into U+FFFD), so each surrogate unit gets a private-use stand-in.
    /// </summary>
    public static string GramTerm(ReadOnlySpan<char> units)
    {
        Span<char> term = stackalloc char[units.Length];
        for (var i = 0; i < units.Length; i++) term[i] = char.IsSurrogate(units[i]) ? (char)(units[i] - 0xD800 + 0xE800) : units[i];
        return new string(term);
    }
}

/// <summary>The whole input as one token: its key (<see cref="ChineseAnalyzer.Key"/>); nothing for an empty key.</summary>
public sealed class NameTokenizer : Tokenizer
{
    private readonly ChineseAnalyzer _chinese;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private bool _done;

    public NameTokenizer(ChineseAnalyzer chinese, TextReader reader) : base(reader)
    {
        _chinese = chinese;
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
    }

    public override bool IncrementToken()
    {
        if (_done) return false;
        _done = true;
        ClearAttributes();
        var text = m_input.ReadToEnd();
        var key = KeyOf(text);
        if (key.Length == 0) return false;
        _term.SetEmpty().Append(key);
        _offset.SetOffset(0, CorrectOffset(text.Length));
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _done = false;
    }

    // Every field of a document starts from the same text: the key is worked out once per thread and text.
    [ThreadStatic] private static (string Text, string Key) _last;

    private string KeyOf(string text)
    {
        if (ReferenceEquals(_last.Text, text) || _last.Text == text) return _last.Key;
        var key = _chinese.Key(text, text.Length);
        _last = (text, key);
        return key;
    }
}

/// <summary>
/// An organization's distinctive part (<see cref="ChineseAnalyzer.OrganizationCore"/>: no leading place names, no legal
/// form); a query's when it is four characters or longer; a person's name unchanged.
/// </summary>
public sealed class CoreFilter(TokenStream input, NameAnalyzer.Subject subject) : TokenFilter(input)
{
    private readonly ICharTermAttribute _term = input.AddAttribute<ICharTermAttribute>();

    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken()) return false;
        if (subject == NameAnalyzer.Subject.Person) return true;
        var key = _term.ToString();
        var core = subject == NameAnalyzer.Subject.Organization || (key.Length >= 4 && !key.Any(char.IsAsciiLetter)) ? CoreOf(key) : key;
        if (!ReferenceEquals(core, key)) _term.SetEmpty().Append(core);
        return true;
    }

    // Four fields of an organization take its distinctive part: worked out once per thread and key.
    [ThreadStatic] private static (string Key, string Core) _last;

    private static string CoreOf(string key)
    {
        if (_last.Key == key) return _last.Core;
        var core = ChineseAnalyzer.OrganizationCore(key);
        _last = (key, core);
        return core;
    }
}

/// <summary>Every character and every pair of neighbouring characters of a token, as <see cref="NameAnalyzer.GramTerm"/>s.</summary>
public sealed class GramFilter(TokenStream input) : TokenFilter(input)
{
    private readonly ICharTermAttribute _term = input.AddAttribute<ICharTermAttribute>();
    private readonly Queue<string> _pending = new();

    public override bool IncrementToken()
    {
        while (_pending.Count == 0)
        {
            if (!m_input.IncrementToken()) return false;
            var text = _term.ToString();
            for (var i = 0; i < text.Length; i++)
            {
                _pending.Enqueue(NameAnalyzer.GramTerm(text.AsSpan(i, 1)));
                if (i + 1 < text.Length) _pending.Enqueue(NameAnalyzer.GramTerm(text.AsSpan(i, 2)));
            }
        }
        _term.SetEmpty().Append(_pending.Dequeue());
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _pending.Clear();
    }
}

/// <summary>
/// The toneless reading of a token (<see cref="ChineseAnalyzer.Syllables"/>, the surname reading for a person): each
/// syllable, each pair of consecutive syllables ("zhang san"), the whole reading (Latin letters stand for themselves;
/// in a query v, typed for ü, is read as u), or the initials.
/// </summary>
public sealed class ReadingFilter(TokenStream input, ChineseAnalyzer chinese, NameAnalyzer.Subject subject, ReadingFilter.Output output) : TokenFilter(input)
{
    public enum Output { Syllables, Pairs, Whole, Initials }

    private readonly ICharTermAttribute _term = input.AddAttribute<ICharTermAttribute>();
    private readonly Queue<string> _pending = new();

    public override bool IncrementToken()
    {
        while (_pending.Count == 0)
        {
            if (!m_input.IncrementToken()) return false;
            var syllables = SyllablesOf(_term.ToString(), person: subject != NameAnalyzer.Subject.Organization);
            switch (output)
            {
                case Output.Syllables:
                    foreach (var s in syllables) _pending.Enqueue(s);
                    break;
                case Output.Pairs:
                    for (var i = 0; i + 1 < syllables.Length; i++) _pending.Enqueue(syllables[i] + " " + syllables[i + 1]);
                    break;
                case Output.Whole:
                    var whole = string.Concat(syllables);
                    _pending.Enqueue(subject == NameAnalyzer.Subject.Query ? whole.Replace('v', 'u') : whole);
                    break;
                default:
                    _pending.Enqueue(string.Concat(syllables.Select(s => s[0])));
                    break;
            }
        }
        _term.SetEmpty().Append(_pending.Dequeue());
        return true;
    }

    public override void Reset()
    {
        base.Reset();
        _pending.Clear();
    }

    // Four fields read the same text: its syllables are worked out once per thread, text and kind of subject.
    [ThreadStatic] private static (string Text, bool Person, string[] Syllables) _last;

    private string[] SyllablesOf(string text, bool person)
    {
        if (_last.Person == person && _last.Text == text) return _last.Syllables;
        var syllables = chinese.Syllables(text, person);
        _last = (text, person, syllables);
        return syllables;
    }
}
