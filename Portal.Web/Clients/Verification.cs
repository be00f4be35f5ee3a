using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Search.Analysis;

namespace Portal.Web.Clients;

/// <summary>A person who must be checked with a borrower (授信限制): its legal representative, controller, directors, supervisors, managers.</summary>
public sealed record RelatedPerson(string? Role, string? Name, string? IdNumber);

public sealed record VerifySubject(string? Name, string? IdNumber, string? CreditCode, IReadOnlyList<RelatedPerson>? Related = null);

public static class RelatedRoles
{
    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["legalRepresentative"] = "法定代表人", ["controller"] = "实际控制人", ["director"] = "董事", ["supervisor"] = "监事", ["manager"] = "高级管理人员",
    };

    public const int MaxPerSubject = 50;
}

/// <summary>
/// How a related person stands: listed as a debtor (<c>listed</c>, by ID number only), the legal representative of a
/// listed organization (<c>legal_representative</c>: <see cref="Exact"/> when by ID number, otherwise by the name alone,
/// which a namesake shares), <c>not_found</c>, <c>name_mismatch</c>, <c>invalid</c> or <c>unverifiable</c>.
/// </summary>
public sealed record RelatedResult(int Index, string Role, string Status, bool Exact, IReadOnlyList<VerifyMatch> Matches,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorCode = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <param name="Threshold">For subjects screened by name alone: the lowest score a candidate is given at (0–1, default <see cref="NameScreening.DefaultThreshold"/>).</param>
public sealed record VerifyRequest(IReadOnlyList<VerifySubject>? Subjects, double? Threshold = null);

/// <summary>An entry a subject is listed under (given only when the name agrees).</summary>
public sealed record VerifyMatch(string PublicId, string CaseNumber, string Court, DateTime? PublishedAt);

public static class VerifyStatus
{
    public const string Listed = "listed";
    public const string NotListed = "not_listed";
    /// <summary>
    /// The identifier is listed, under a different name: reported, never matched silently, and without the entry
    /// (which would name the listed person to anyone holding just a number).
    /// </summary>
    public const string NameMismatch = "name_mismatch";
    public const string Invalid = "invalid";

    /// <summary>A subject with a name and no number: candidates by name screening, scored (<see cref="NameScreening"/>).</summary>
    public const string PossibleMatch = "possible_match";
    /// <summary>A subject with a name and no number that no listed name comes near (at the threshold asked).</summary>
    public const string NoMatch = "no_match";

    /// <summary>A related person who is the legal representative of a listed organization.</summary>
    public const string LegalRepresentative = "legal_representative";
    public const string NotFound = "not_found";

    /// <summary>Not checked: too many numbers of this one's family were tried without a match (<see cref="Privacy.ExactIdGuard"/>).</summary>
    public const string Unverifiable = "unverifiable";
}

public sealed record VerifyResult(int Index, string Status, IReadOnlyList<VerifyMatch> Matches,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ErrorCode = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null)
{
    /// <summary>For a subject screened by name alone: the entries it may be, best first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<ScreeningCandidate>? Candidates { get; init; }

    /// <summary>One result per related person the subject carried, in their order; absent when it carried none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RelatedResult>? Related { get; init; }
}

/// <summary>The receipt as shown to anyone: no names, no ID numbers.</summary>
public sealed record ReceiptView(string Id, DateTime At, string Client, int Subjects, int Listed, int NameMismatches, int Invalid,
    string RequestDigest, string ResultDigest, string Signature, string Url);

public sealed record VerifyResponse(ReceiptView Receipt, IReadOnlyList<VerifyResult> Results);

/// <summary>A bank's check of a receipt's digests: the SHA-256 of what it sent and of the result lines it received.</summary>
public sealed record ReceiptDigestCheck(string? RequestSha256, string? ResultSha256);

public sealed record ReceiptDigestAnswer(bool RequestMatches, bool ResultMatches);

/// <summary>
/// Signs verification receipts and keys their digests, with keys derived from the portal's secret hash key. A receipt
/// is public, and what it digests can be guessed (an ID number has a few dozen candidates once its masked form is known;
/// public ids can be listed): so a digest is an HMAC under the portal's key over the SHA-256 the bank computes itself,
/// which only the portal can compare (for the bank that made the check, <see cref="Verification.CheckDigestsAsync"/>).
/// </summary>
public sealed class ReceiptSigner(byte[] signingKey, byte[] digestKey)
{
    /// <summary>The receipt's digest of a SHA-256 the bank computed over what it sent or received.</summary>
    public string Digest(ReadOnlySpan<byte> sha256) => Convert.ToHexStringLower(HMACSHA256.HashData(digestKey, sha256));

    public string Sign(VerificationReceipt r) => Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(string.Join('|',
        r.Id, r.At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture), r.ClientId, r.ClientName,
        r.Subjects, r.Listed, r.NameMismatches, r.Invalid, r.RequestDigest, r.ResultDigest))));

    public bool IsGenuine(VerificationReceipt r) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(r)), Encoding.ASCII.GetBytes(r.Signature));

    /// <summary>A query certificate's signature: "certificate" first, so that no receipt's signature can pass for one.</summary>
    public string Sign(Portal.Data.Publication.QueryCertificate c) => Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(string.Join('|',
        "certificate", c.Id, c.At.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
        c.DataAsOf?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture) ?? "", c.Query, c.Scope, c.Total, c.Items))));

    public bool IsGenuine(Portal.Data.Publication.QueryCertificate c) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(c)), Encoding.ASCII.GetBytes(c.Signature));
}

/// <summary>
/// Bank verification: up to 10,000 subjects matched exactly on the keyed hash of the ID number or on the credit code
/// against the public list, with name mismatches and invalid identifiers reported per subject, and a signed receipt.
/// </summary>
public sealed class Verification(
    IDbContextFactory<PortalDbContext> dbFactory, IdNumberProtection protection, ChineseAnalyzer analyzer, ReceiptSigner signer,
    Privacy.ExactIdGuard guard, NameScreening screening, TimeProvider clock)
{
    public const int MaxSubjects = 10_000;

    public async Task<VerifyResponse> VerifyAsync(long clientId, string clientName, IReadOnlyList<VerifySubject> subjects, byte[] requestBody,
        Func<string, string> receiptUrl, CancellationToken ct = default, double threshold = NameScreening.DefaultThreshold)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        var keys = new (string? Hash, string? Code, VerifyResult? Invalid, IdNumber? Id)[subjects.Count];
        for (var i = 0; i < subjects.Count; i++) keys[i] = KeyOf(i, subjects[i]);

        // First only whether each number is listed (public entries' hashes, a small indexed read), then the guard, then the
        // entries themselves for the numbers whose answer may be given: a closed family's hit and miss do the same work.
        var listedHashes = new HashSet<string>();
        var byCode = new Dictionary<string, List<Entry>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // By the hash's index alone, the public rule applied to the rows found (with the rule in the query SQLite walks
            // every published entry: Status is the first index it sees).
            foreach (var chunk in keys.Where(k => k.Hash is not null).Select(k => k.Hash!).Distinct().Chunk(1000))
                listedHashes.UnionWith((await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.IdNumberHash!)).ToListAsync(ct))
                    .Where(e => e.IsPublic(today)).Select(e => e.IdNumberHash!));
            foreach (var chunk in keys.Where(k => k.Code is not null).Select(k => k.Code!).Distinct().Chunk(1000))
                foreach (var e in await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.CreditCode!)).ToListAsync(ct))
                    if (e.IsPublic(today)) Add(byCode, e.CreditCode!, e);
        }

        var withId = Enumerable.Range(0, subjects.Count).Where(i => keys[i].Id is not null).ToList();
        var answerable = await guard.MayAnswerAsync(Privacy.IdLookupCaller.Client(clientId, clientName),
            withId.Select(i => new Privacy.ExactIdLookup(keys[i].Id!.Value, listedHashes.Contains(keys[i].Hash!))).ToList(), ct);
        var closed = withId.Where((_, n) => !answerable[n]).ToHashSet();

        var byHash = new Dictionary<string, List<Entry>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            foreach (var chunk in withId.Where(i => !closed.Contains(i) && listedHashes.Contains(keys[i].Hash!)).Select(i => keys[i].Hash!).Distinct().Chunk(1000))
                foreach (var e in await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.IdNumberHash!)).ToListAsync(ct))
                    if (e.IsPublic(today)) Add(byHash, e.IdNumberHash!, e);

        var results = new VerifyResult[subjects.Count];
        for (var i = 0; i < subjects.Count; i++)
        {
            var (hash, code, invalid, _) = keys[i];
            if (invalid is not null) { results[i] = invalid; continue; }
            if (hash is null && code is null)
            {
                // A name and no number: screened by name, never "listed" or "not listed" on a name alone.
                var candidates = screening.Screen(subjects[i].Name!, threshold);
                results[i] = new VerifyResult(i, candidates.Count > 0 ? VerifyStatus.PossibleMatch : VerifyStatus.NoMatch, []) { Candidates = candidates };
                continue;
            }
            if (closed.Contains(i))
            {
                results[i] = new VerifyResult(i, VerifyStatus.Unverifiable, [], "id_lookup_closed",
                    "与该号码可见部分相同的号段已有多个不同号码核验未命中，为防止推算他人完整身份证号码，已暂停对这一号段的核验；这不表示未被列入名单，请向执行法院核实");
                continue;
            }
            var found = (hash is not null ? byHash.GetValueOrDefault(hash) : byCode.GetValueOrDefault(code!)) ?? [];
            if (found.Count == 0) { results[i] = new VerifyResult(i, VerifyStatus.NotListed, []); continue; }
            var name = NameKey(subjects[i].Name);
            var named = found.Where(e => NameKey(e.Name) == name).ToList();
            results[i] = named.Count == 0
                ? new VerifyResult(i, VerifyStatus.NameMismatch, [], "name_mismatch", "该号码已列入名单，但登记的姓名或名称与所填不同，请核对客户身份后向执行法院查询")
                : new VerifyResult(i, VerifyStatus.Listed, named.OrderByDescending(e => e.PublishedAt)
                    .Select(e => new VerifyMatch(e.PublicId, e.CaseNumber, e.Court, e.PublishedAt)).ToList());
        }

        await CheckRelatedAsync(clientId, clientName, subjects, results, today, ct);

        var receipt = new VerificationReceipt
        {
            Id = PublicIds.New(), ClientId = clientId, ClientName = clientName,
            At = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMicrosecond, DateTimeKind.Utc),
            Subjects = subjects.Count,
            Listed = results.Count(r => r.Status == VerifyStatus.Listed),
            NameMismatches = results.Count(r => r.Status == VerifyStatus.NameMismatch),
            Invalid = results.Count(r => r.Status == VerifyStatus.Invalid),
            RequestDigest = signer.Digest(SHA256.HashData(requestBody)),
            ResultDigest = signer.Digest(ResultSha256(results)),
        };
        receipt.Signature = signer.Sign(receipt);
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            db.VerificationReceipts.Add(receipt);
            await db.SaveChangesAsync(ct);
        }
        return new VerifyResponse(View(receipt, receiptUrl(receipt.Id)), results);
    }

    /// <summary>
    /// SHA-256 over one line per subject, <c>index TAB status TAB publicIds-comma-joined LF</c>, each followed by one line
    /// per related person, <c>index.n TAB status TAB publicIds LF</c>, so a holder of the response can recompute it (and
    /// have the portal compare it with the receipt's keyed digest): the receipt covers every person checked.
    /// </summary>
    public static byte[] ResultSha256(IEnumerable<VerifyResult> results)
    {
        var text = new StringBuilder();
        foreach (var r in results)
        {
            text.Append(r.Index.ToString(CultureInfo.InvariantCulture)).Append('\t').Append(r.Status).Append('\t')
                .Append(string.Join(',', r.Matches.Select(m => m.PublicId).Concat((r.Candidates ?? []).Select(c => c.PublicId)))).Append('\n');
            foreach (var p in r.Related ?? [])
                text.Append(r.Index.ToString(CultureInfo.InvariantCulture)).Append('.').Append(p.Index.ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(p.Status).Append('\t').Append(string.Join(',', p.Matches.Select(m => m.PublicId))).Append('\n');
        }
        return SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// The related persons of every subject: by ID number against debtors and recorded legal representatives (through
    /// the same guard as a subject's number), and by name against the legal representatives of listed organizations
    /// (unless the court recorded that representative's number and it is another one).
    /// </summary>
    private async Task CheckRelatedAsync(long clientId, string clientName, IReadOnlyList<VerifySubject> subjects, VerifyResult[] results,
        DateOnly today, CancellationToken ct)
    {
        var people = new List<(int Subject, int N, RelatedPerson Person, string? Hash, IdNumber? Id)>();
        var related = new Dictionary<int, RelatedResult[]>();
        for (var i = 0; i < subjects.Count; i++)
        {
            if (subjects[i].Related is not { Count: > 0 } list) continue;
            related[i] = new RelatedResult[list.Count];
            for (var n = 0; n < list.Count; n++)
            {
                var p = list[n];
                var role = p.Role?.Trim() ?? "";
                RelatedResult Bad(string code, string message) => new(n, role, VerifyStatus.Invalid, false, [], code, message);
                if (!RelatedRoles.Labels.ContainsKey(role))
                    related[i][n] = Bad("unknown_role", $"未知的身份“{p.Role}”，应为 {string.Join("、", RelatedRoles.Labels.Select(l => $"{l.Key}（{l.Value}）"))} 之一");
                else if (string.IsNullOrWhiteSpace(p.Name)) related[i][n] = Bad("related_name_required", $"请提供{RelatedRoles.Labels[role]}的姓名");
                else if (string.IsNullOrWhiteSpace(p.IdNumber)) people.Add((i, n, p with { Role = role }, null, null));
                else if (IdNumber.TryParse(p.IdNumber, out var id, out var error)) people.Add((i, n, p with { Role = role }, protection.Hash(id), id));
                else related[i][n] = Bad("invalid_id_number", $"{RelatedRoles.Labels[role]}的身份证号码：{error}");
            }
        }
        if (related.Count == 0) return;

        var hashes = people.Where(p => p.Hash is not null).Select(p => p.Hash!).Distinct().ToList();
        var names = people.SelectMany(p => new[] { p.Person.Name!.Trim(), analyzer.Normalize(p.Person.Name).Trim() }).Distinct().ToList();
        var debtors = new Dictionary<string, List<Entry>>();
        var represented = new Dictionary<string, List<Entry>>();
        var byName = new Dictionary<string, List<Entry>>();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var visible = db.Entries.AsNoTracking().Where(EntryVisibility.IsPublicOn(today));
            foreach (var chunk in hashes.Chunk(1000))
            {
                foreach (var e in await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.IdNumberHash!)).ToListAsync(ct)) if (e.IsPublic(today)) Add(debtors, e.IdNumberHash!, e);
                foreach (var e in await db.Entries.AsNoTracking().Where(e => chunk.Contains(e.LegalRepresentativeIdHash!)).ToListAsync(ct))
                    if (e.IsPublic(today)) Add(represented, e.LegalRepresentativeIdHash!, e);
            }
            foreach (var chunk in names.Chunk(1000))
                foreach (var e in await visible.Where(e => e.SubjectType == SubjectType.Organization && chunk.Contains(e.LegalRepresentative!)).ToListAsync(ct))
                    Add(byName, NameKey(e.LegalRepresentative), e);
        }

        // A number is answered only within the client's allowance, as a subject's is: a related person is no way around it.
        var withId = people.Where(p => p.Id is not null).ToList();
        var answerable = await guard.MayAnswerAsync(Privacy.IdLookupCaller.Client(clientId, clientName),
            withId.Select(p => new Privacy.ExactIdLookup(p.Id!.Value, debtors.ContainsKey(p.Hash!) || represented.ContainsKey(p.Hash!))).ToList(), ct);
        var closed = withId.Where((_, k) => !answerable[k]).Select(p => (p.Subject, p.N)).ToHashSet();

        static List<VerifyMatch> Matches(IEnumerable<Entry> entries) =>
            entries.OrderByDescending(e => e.PublishedAt).Select(e => new VerifyMatch(e.PublicId, e.CaseNumber, e.Court, e.PublishedAt)).ToList();
        foreach (var (i, n, person, hash, _) in people)
        {
            var role = person.Role!;
            var name = NameKey(person.Name);
            if (closed.Contains((i, n)))
            {
                related[i][n] = new RelatedResult(n, role, VerifyStatus.Unverifiable, false, [], "id_lookup_closed",
                    "与该号码可见部分相同的号段已有多个不同号码核验未命中，已暂停对这一号段的核验；这不表示未被列入名单");
                continue;
            }
            if (hash is not null && (debtors.GetValueOrDefault(hash) ?? []) is { Count: > 0 } listed)
            {
                var named = listed.Where(e => NameKey(e.Name) == name).ToList();
                related[i][n] = named.Count == 0
                    ? new RelatedResult(n, role, VerifyStatus.NameMismatch, true, [], "name_mismatch", "该号码已列入名单，但登记的姓名与所填不同，请核对后向执行法院查询")
                    : new RelatedResult(n, role, VerifyStatus.Listed, true, Matches(named));
                continue;
            }
            if (hash is not null && (represented.GetValueOrDefault(hash) ?? []) is { Count: > 0 } organizations)
            {
                // As for a debtor: a number recorded under another name is reported without the entries (which would name
                // the representative and the company to anyone holding just a number).
                var named = organizations.Where(e => NameKey(e.LegalRepresentative) == name).ToList();
                related[i][n] = named.Count == 0
                    ? new RelatedResult(n, role, VerifyStatus.NameMismatch, true, [], "name_mismatch", "该号码登记为某一已列入名单单位的法定代表人，但姓名与所填不同，请核对")
                    : new RelatedResult(n, role, VerifyStatus.LegalRepresentative, true, Matches(named));
                continue;
            }
            // By the name alone: a namesake is possible, so it is marked as such (exact: false); a representative whose
            // recorded number is another one is not this person.
            var namesakes = (byName.GetValueOrDefault(name) ?? []).Where(e => hash is null || e.LegalRepresentativeIdHash is null).ToList();
            related[i][n] = namesakes.Count > 0
                ? new RelatedResult(n, role, VerifyStatus.LegalRepresentative, false, Matches(namesakes))
                : new RelatedResult(n, role, VerifyStatus.NotFound, false, []);
        }
        foreach (var (i, list) in related) results[i] = results[i] with { Related = list };
    }

    /// <summary>
    /// Compares what the bank says it sent and received (their SHA-256, hex) with the receipt's keyed digests. Only the
    /// client that made the check may ask (null for anyone else, as for an unknown receipt): for it the answer tells
    /// nothing it does not know, for anyone else it would be a way to test guesses.
    /// </summary>
    public async Task<ReceiptDigestAnswer?> CheckDigestsAsync(long clientId, string id, ReceiptDigestCheck check, CancellationToken ct = default)
    {
        if (await FindReceiptAsync(id, ct) is not { Genuine: true } found || found.Receipt.ClientId != clientId) return null;
        bool Matches(string? hex, string digest) =>
            hex is { Length: 64 } && hex.All(char.IsAsciiHexDigit)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signer.Digest(Convert.FromHexString(hex))), Encoding.ASCII.GetBytes(digest));
        return new ReceiptDigestAnswer(Matches(check.RequestSha256, found.Receipt.RequestDigest), Matches(check.ResultSha256, found.Receipt.ResultDigest));
    }

    /// <summary>
    /// Receipts written before their digests were keyed held plain SHA-256 values, which an outsider can match against
    /// guesses: each becomes the keyed digest of that same SHA-256 (what <see cref="CheckDigestsAsync"/> compares) and is
    /// signed again. Runs once, in one transaction; a setting records that it ran.
    /// </summary>
    public static async Task KeyOlderDigestsAsync(PortalDbContext db, ReceiptSigner signer, CancellationToken ct = default)
    {
        const string Done = "receipt-digests-keyed";
        if (await db.Settings.AnyAsync(s => s.Name == Done, ct)) return;
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct); // two nodes starting at once: one rewrites
        if (await db.Settings.AnyAsync(s => s.Name == Done, ct)) return;
        foreach (var r in await db.VerificationReceipts.ToListAsync(ct))
        {
            r.RequestDigest = signer.Digest(Convert.FromHexString(r.RequestDigest));
            r.ResultDigest = signer.Digest(Convert.FromHexString(r.ResultDigest));
            r.Signature = signer.Sign(r);
        }
        db.Settings.Add(new PortalSetting { Name = Done, Value = "1" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public async Task<(VerificationReceipt Receipt, bool Genuine)?> FindReceiptAsync(string id, CancellationToken ct = default)
    {
        if (!PublicIds.LooksValid(id)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var receipt = await db.VerificationReceipts.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
        return receipt is null ? null : (receipt, signer.IsGenuine(receipt));
    }

    public static ReceiptView View(VerificationReceipt r, string url) => new(r.Id, r.At, r.ClientName, r.Subjects, r.Listed, r.NameMismatches,
        r.Invalid, r.RequestDigest, r.ResultDigest, r.Signature, url);

    private (string? Hash, string? Code, VerifyResult? Invalid, IdNumber? Id) KeyOf(int index, VerifySubject s)
    {
        VerifyResult Bad(string code, string message) => new(index, VerifyStatus.Invalid, [], code, message);
        if (string.IsNullOrWhiteSpace(s.Name)) return (null, null, Bad("name_required", "请提供姓名或名称，用于核对是否同名"), null);
        var hasId = !string.IsNullOrWhiteSpace(s.IdNumber);
        var hasCode = !string.IsNullOrWhiteSpace(s.CreditCode);
        if (hasId && hasCode) return (null, null, Bad("identifier_required", "身份证号码和统一社会信用代码只能提供其一"), null);
        if (!hasId && !hasCode) return (null, null, null, null); // screened by name
        if (hasId)
            return IdNumber.TryParse(s.IdNumber, out var id, out var error)
                ? (protection.Hash(id), null, null, id)
                : (null, null, Bad("invalid_id_number", error!), null);
        return CreditCode.TryParse(s.CreditCode, out var code, out var codeError)
            ? (null, code, null, null)
            : (null, null, Bad("invalid_credit_code", codeError!), null);
    }

    private string NameKey(string? name) => analyzer.Normalize(name).Replace(" ", "");

    private static void Add(Dictionary<string, List<Entry>> map, string key, Entry e)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(e);
    }
}
