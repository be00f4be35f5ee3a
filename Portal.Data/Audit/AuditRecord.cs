using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Data.Audit;

/// <summary>
/// One action in the append-only audit log: who, when, what, why, and the fields it changed (before/after).
/// Each record's <see cref="Hash"/> covers its content and the previous record's hash, so editing or deleting
/// any past record breaks the chain. Never holds a full ID number.
/// </summary>
public sealed class AuditRecord
{
    public long Sequence { get; set; }
    public DateTime At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public long? EntryId { get; set; }
    public string? CaseNumber { get; set; }
    public string? Reason { get; set; }

    /// <summary>JSON object: field → [before, after].</summary>
    public string Changes { get; set; } = "{}";

    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";

    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public string ComputeHash()
    {
        var content = JsonSerializer.Serialize(new object?[]
        {
            Sequence, At.ToUniversalTime().Ticks, Actor, Action, EntryId, CaseNumber, Reason, Changes, PreviousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    // Chinese text stays readable (and a third of the size) instead of \uXXXX escapes.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public static string ChangesJson(IReadOnlyDictionary<string, (string? Before, string? After)> changes) =>
        JsonSerializer.Serialize(changes
            .Where(c => c.Value.Before != c.Value.After)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(c => c.Key, c => new[] { c.Value.Before, c.Value.After }), Json);

    /// <summary>
    /// A creation names what was created and fixes its full content by digest, instead of copying every field:
    /// the entry row holds the content, and any later change is recorded field by field.
    /// </summary>
    public static string CreationJson(IReadOnlyDictionary<string, string?> snapshot, params string[] keyFields)
    {
        var content = JsonSerializer.Serialize(snapshot.OrderBy(c => c.Key, StringComparer.Ordinal).ToDictionary(), Json);
        var record = keyFields.ToDictionary(k => k, k => snapshot.GetValueOrDefault(k));
        record["contentSha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        return JsonSerializer.Serialize(record, Json);
    }
}

/// <summary>The result of checking the chain: null when intact, else the first broken link and why.</summary>
public sealed record AuditBreak(long Sequence, string Problem);

public static class AuditChain
{
    /// <summary>Walks records in sequence order and names the first one that does not fit the chain.</summary>
    public static AuditBreak? Verify(IEnumerable<AuditRecord> ordered)
    {
        var previousHash = AuditRecord.GenesisHash;
        long expected = 1;
        foreach (var r in ordered)
        {
            if (r.Sequence != expected) return new AuditBreak(expected, $"缺少第{expected}条记录（下一条是第{r.Sequence}条）");
            if (r.PreviousHash != previousHash) return new AuditBreak(r.Sequence, "与前一条记录的哈希不衔接");
            if (r.ComputeHash() != r.Hash) return new AuditBreak(r.Sequence, "记录内容与其哈希不符（已被修改）");
            previousHash = r.Hash;
            expected++;
        }
        return null;
    }
}
