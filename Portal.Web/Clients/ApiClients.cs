using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Audit;
using Portal.Data.Clients;
using Portal.Data.Persistence;

namespace Portal.Web.Clients;

/// <summary>What an administrator fills in to register a client.</summary>
public sealed class ClientRegistration
{
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Contact { get; set; }

    /// <summary>For a unit: its category (<see cref="Portal.Data.Measures.UnitCategories"/>).</summary>
    public string? Category { get; set; }
    public string? Scopes { get; set; }
    public string? WebhookUrl { get; set; }
    public string? PageUrlPattern { get; set; }
    public int? RatePerMinute { get; set; }
}

/// <summary>A new or rotated key, and for a new webhook client its signing secret: shown once, never stored readable.</summary>
public sealed record IssuedKey(ApiClient Client, string Key, string? WebhookSecret);

/// <summary>Registers, rotates and revokes API clients (audited), and finds the client a key belongs to.</summary>
public sealed class ApiClients(IDbContextFactory<PortalDbContext> dbFactory, IDataProtectionProvider protection, TimeProvider clock, Hosting.OutboundGuard outbound)
{
    private readonly IDataProtector _secrets = protection.CreateProtector("Portal.WebhookSecret.v1");

    public async Task<(IssuedKey? Issued, IReadOnlyList<string> Errors)> CreateAsync(ClientRegistration r, string actor, CancellationToken ct = default)
    {
        if (Check(r) is { Count: > 0 } errors) return (null, errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var issued = await AddAsync(db, r, actor, ct);
        await tx.CommitAsync(ct);
        return (issued, []);
    }

    /// <summary>The same within the caller's serialized transaction (an approved key application), committed by the caller.</summary>
    public async Task<(IssuedKey? Issued, IReadOnlyList<string> Errors)> CreateAsync(PortalDbContext db, ClientRegistration r, string actor, CancellationToken ct = default)
    {
        if (Check(r) is { Count: > 0 } errors) return (null, errors);
        return (await AddAsync(db, r, actor, ct), []);
    }

    private List<string> Check(ClientRegistration r)
    {
        var errors = new List<string>();
        var name = r.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200) errors.Add("请填写单位名称（不超过200字）");
        if (!ClientKinds.TryParse(r.Kind, out var kind)) errors.Add("类型应为 bank（银行）、unit（联合惩戒单位）、reprinter（转载网站）、media（媒体）或 display（户外显示屏运营方）");
        var (scopes, scopeError) = ClientScopes.Parse(r.Scopes);
        if (scopeError is not null) errors.Add(scopeError);
        if (scopes is not null && ClientScopes.Refusal(kind, scopes) is { } scopeRefusal) errors.Add(scopeRefusal);
        var category = Blank(r.Category);
        if (category is not null && (kind != ClientKind.Unit || !Portal.Data.Measures.UnitCategories.Labels.ContainsKey(category)))
            errors.Add($"单位类别只用于联合惩戒单位，应为 {string.Join("、", Portal.Data.Measures.UnitCategories.Labels.Keys)} 之一");
        var webhook = Blank(r.WebhookUrl);
        if (webhook is not null && outbound.Refusal(webhook) is { } webhookRefusal) errors.Add("推送地址（webhook）：" + webhookRefusal);
        var pattern = Blank(r.PageUrlPattern);
        if (pattern is not null && !(pattern.Contains("{publicId}") || pattern.Contains("{caseNumber}")))
            errors.Add("转载页面地址须为网址，并含 {publicId} 或 {caseNumber} 占位符");
        else if (pattern is not null && outbound.Refusal(pattern.Replace("{publicId}", "x").Replace("{caseNumber}", "x")) is { } pageRefusal)
            errors.Add("转载页面地址：" + pageRefusal);
        if (r.RatePerMinute is < 1 or > 1_000_000) errors.Add("每分钟请求上限应在1到1000000之间");
        if ((r.Contact?.Length ?? 0) > 200) errors.Add("联系方式不超过200字");
        return errors;
    }

    /// <summary>Registers a checked registration and audits it, in the caller's transaction.</summary>
    private async Task<IssuedKey> AddAsync(PortalDbContext db, ClientRegistration r, string actor, CancellationToken ct)
    {
        ClientKinds.TryParse(r.Kind, out var kind);
        var scopes = ClientScopes.Parse(r.Scopes).Scopes!;
        var webhook = Blank(r.WebhookUrl);
        var (key, prefix, hash) = ApiKeys.New();
        var secret = webhook is null ? null : ApiKeys.NewSecret();
        var now = clock.GetUtcNow().UtcDateTime;
        var client = new ApiClient
        {
            Name = r.Name!.Trim(), Kind = kind, Contact = Blank(r.Contact), Category = Blank(r.Category), Scopes = string.Join(',', scopes), WebhookUrl = webhook,
            WebhookSecretCipher = secret is null ? null : _secrets.Protect(secret), PageUrlPattern = Blank(r.PageUrlPattern), RatePerMinute = r.RatePerMinute,
            KeyPrefix = prefix, KeyHash = hash, CreatedAt = now, CreatedBy = actor,
            // A webhook starts with what happens from now on; the history is in the change feed.
            WebhookCursor = await db.EntryEvents.MaxAsync(e => (long?)e.Id, ct) ?? 0,
        };
        db.ApiClients.Add(client);
        await db.SaveChangesAsync(ct);
        await AuditAsync(db, actor, "create-client", client, $"{kind.Code()}，权限 {client.Scopes}", now, ct);
        await db.SaveChangesAsync(ct);
        return new IssuedKey(client, key, secret);
    }

    /// <summary>A new key replaces the old one at once.</summary>
    public async Task<(IssuedKey? Issued, string? Error)> RotateAsync(long id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var client = await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (client is null) return (null, $"没有编号为 {id} 的客户端");
        if (!client.IsActive) return (null, "该客户端已吊销，不能更换密钥");
        var (key, prefix, hash) = ApiKeys.New();
        var now = clock.GetUtcNow().UtcDateTime;
        (client.KeyPrefix, client.KeyHash, client.KeyRotatedAt) = (prefix, hash, now);
        await AuditAsync(db, actor, "rotate-client-key", client, null, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (new IssuedKey(client, key, null), null);
    }

    public async Task<string?> RevokeAsync(long id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var client = await db.ApiClients.SingleOrDefaultAsync(c => c.Id == id, ct);
        if (client is null) return $"没有编号为 {id} 的客户端";
        if (!client.IsActive) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        client.RevokedAt = now;
        await AuditAsync(db, actor, "revoke-client", client, null, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    public async Task<IReadOnlyList<ApiClient>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiClients.AsNoTracking().OrderBy(c => c.Id).ToListAsync(ct);
    }

    /// <summary>The active client holding this key, or null.</summary>
    public async Task<ApiClient?> FindByKeyAsync(string? key, CancellationToken ct = default)
    {
        if (ApiKeys.PrefixOf(key) is not { } prefix) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var client = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.KeyPrefix == prefix, ct);
        return client is { IsActive: true } && ApiKeys.Matches(key!, client.KeyHash) ? client : null;
    }

    public string WebhookSecret(ApiClient client) =>
        _secrets.Unprotect(client.WebhookSecretCipher ?? throw new InvalidOperationException("该客户端没有推送地址"));

    private static Task AuditAsync(PortalDbContext db, string actor, string action, ApiClient client, string? detail, DateTime now, CancellationToken ct) =>
        AuditLog.AppendAsync(db, [new AuditRecord
        {
            At = now, Actor = actor, Action = action,
            Reason = $"客户端 {client.Id}“{client.Name}”" + (detail is null ? "" : "：" + detail),
        }], ct);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
