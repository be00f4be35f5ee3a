using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Portal.Data.Clients;

/// <summary>Who a client is: the kinds of organization the list is pushed to or checked by.</summary>
public enum ClientKind
{
    [JsonStringEnumMemberName("bank")] Bank,
    [JsonStringEnumMemberName("unit")] Unit,
    [JsonStringEnumMemberName("reprinter")] Reprinter,
    [JsonStringEnumMemberName("media")] Media,

    /// <summary>Runs a court's outdoor LED screens or kiosks: must take a removed entry off within minutes.</summary>
    [JsonStringEnumMemberName("display")] Display,
}

/// <summary>What a key may do: read the change feed (and receive webhooks), acknowledge takedowns, verify borrowers.</summary>
public static class ClientScopes
{
    public const string Feed = "feed";
    public const string Takedown = "takedown";
    public const string Verify = "verify";

    /// <summary>A joint-punishment unit reports its measures, confirms their lifting and forwards objections.</summary>
    public const string Measures = "measures";

    /// <summary>A bank or unit keeps a watched book of its customers and is told when one of them is listed or changes.</summary>
    public const string Watch = "watch";

    public static readonly string[] All = [Feed, Takedown, Verify, Measures, Watch];

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Feed] = "变更推送", [Takedown] = "删除通知回执", [Verify] = "批量核查", [Measures] = "惩戒措施反馈", [Watch] = "名单监测",
    };

    /// <summary>What each scope lets an institution do, in a clerk's words (the key application form).</summary>
    public static readonly IReadOnlyDictionary<string, string> Explanations = new Dictionary<string, string>
    {
        [Feed] = "接收名单的每一项变更（新列入、更新、移出）",
        [Takedown] = "确认已按删除通知删除转载的条目",
        [Verify] = "一次核查一批借款人等对象是否被列入名单，并取得核查回执",
        [Measures] = "反馈本单位实施的惩戒措施，接收解除通知",
        [Watch] = "登记要持续关注的客户名单，客户被列入或移出名单时收到提醒",
    };

    /// <summary>Parses "feed,verify" (any case, commas or spaces); null with a message when a scope is unknown.</summary>
    public static (IReadOnlyList<string>? Scopes, string? Error) Parse(string? text)
    {
        var parts = (text ?? "").Split([',', ' ', '，'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).Distinct().ToList();
        var unknown = parts.FirstOrDefault(p => !All.Contains(p));
        if (unknown is not null) return (null, $"未知的权限“{unknown}”，应为 feed、takedown、verify、measures、watch 之一或多个");
        if (parts.Count == 0) return (null, "至少需要一项权限：feed、takedown、verify、measures、watch");
        return (parts, null);
    }

    /// <summary>Why a kind of client may not hold these scopes, or null.</summary>
    public static string? Refusal(ClientKind kind, IEnumerable<string> scopes) =>
        scopes.Contains(Measures) && kind != ClientKind.Unit ? "惩戒措施反馈权限（measures）只发给联合惩戒单位（unit）"
        : scopes.Contains(Watch) && kind is not (ClientKind.Bank or ClientKind.Unit) ? "名单监测权限（watch）只发给银行（bank）和联合惩戒单位（unit）"
        : null;

    /// <summary>
    /// What an institution may apply for online, by kind (an administrator registering a client may grant more): a bank
    /// checks borrowers, a unit receives the list and reports measures, a reprinter, a medium or a screen operator keeps
    /// a copy and confirms deletions.
    /// </summary>
    public static IReadOnlyList<string> OpenToApplicants(ClientKind kind) => kind switch
    {
        ClientKind.Bank => [Verify, Feed, Watch],
        ClientKind.Unit => [Feed, Verify, Measures, Watch],
        _ => [Feed, Takedown],
    };
}

public static class ClientKinds
{
    public static string Code(this ClientKind k) => k.ToString().ToLowerInvariant();

    public static string Label(this ClientKind k) => k switch
    {
        ClientKind.Bank => "银行",
        ClientKind.Unit => "联合惩戒单位",
        ClientKind.Reprinter => "转载网站",
        ClientKind.Display => "户外显示屏运营方",
        _ => "媒体",
    };

    public static bool TryParse(string? text, out ClientKind kind) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);

    /// <summary>
    /// Reprinters, media and display operators keep copies of entries (reprints, datasets, screens): what they receive is
    /// recorded, and each removal of an entry they hold gives them a takedown notice, due 3 working days later, or
    /// within minutes for a display operator (<see cref="TakesDownInMinutes"/>).
    /// </summary>
    public static bool KeepsCopies(this ClientKind kind) => kind is ClientKind.Reprinter or ClientKind.Media or ClientKind.Display;

    /// <summary>A screen in a public place shows an entry to everyone passing by: its removal cannot wait for working days.</summary>
    public static bool TakesDownInMinutes(this ClientKind kind) => kind is ClientKind.Display;
}

/// <summary>
/// An organization that uses the machine interface. Its API key is stored only as a SHA-256 hash (keys are 256-bit
/// random, so a plain hash cannot be reversed by guessing); the short prefix finds the row. The webhook secret must be
/// usable to sign, so it is stored encrypted.
/// </summary>
public sealed class ApiClient
{
    public long Id { get; set; }
    public string Name { get; set; } = "";
    public ClientKind Kind { get; set; }
    public string? Contact { get; set; }

    /// <summary>A unit's category (<see cref="Measures.UnitCategories"/>), for the measures counted per category.</summary>
    public string? Category { get; set; }

    /// <summary>Comma-separated <see cref="ClientScopes"/>.</summary>
    public string Scopes { get; set; } = "";

    public string? WebhookUrl { get; set; }
    public string? WebhookSecretCipher { get; set; }

    /// <summary>Where a reprinter shows an entry, with {publicId} or {caseNumber} in it; used by the takedown re-check.</summary>
    public string? PageUrlPattern { get; set; }

    /// <summary>Requests per minute for this key; null uses the configured default.</summary>
    public int? RatePerMinute { get; set; }

    public string KeyPrefix { get; set; } = "";
    public string KeyHash { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
    public DateTime? KeyRotatedAt { get; set; }
    public DateTime? RevokedAt { get; set; }

    /// <summary>The last change-feed event queued for this client's webhook.</summary>
    public long WebhookCursor { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public bool Has(string scope) => ScopeList.Contains(scope);

    public bool IsActive => RevokedAt is null;
}

/// <summary>API keys: <c>pk_{prefix}_{secret}</c>, 256 random bits, shown once.</summary>
public static class ApiKeys
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz023456789";

    public static (string Key, string Prefix, string Hash) New()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var prefix = string.Create(8, bytes.ToArray(), (span, b) => { for (var i = 0; i < span.Length; i++) span[i] = Alphabet[b[i] & 31]; });
        var key = $"pk_{prefix}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        return (key, prefix, Hash(key));
    }

    public static string NewSecret() => "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The prefix of a well-formed key, or null.</summary>
    public static string? PrefixOf(string? key) =>
        key is { Length: > 12 } && key.StartsWith("pk_", StringComparison.Ordinal) && key[11] == '_' ? key[3..11] : null;

    public static bool Matches(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(key)), Encoding.ASCII.GetBytes(storedHash));

    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
