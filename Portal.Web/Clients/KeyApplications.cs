using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Applications;
using Portal.Data.Audit;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Data.Privacy;
using Portal.Web.Hosting;

namespace Portal.Web.Clients;

/// <summary>What an institution fills in on <c>/keys/apply</c>.</summary>
public sealed record KeyApplicationForm(
    string? Institution, string? Kind, string? CreditCode, string? ContactPerson, string? Contact, string? Purpose, IReadOnlyList<string> Scopes)
{
    /// <summary>The form's one-time field: the same form sent again finds the first application.</summary>
    public string? SubmissionKey { get; init; }
}

/// <summary>
/// The application's reference and, the first time only, the collection link's secret (null when the same form came again).
/// </summary>
public sealed record KeyApplicationReceipt(KeyApplication Application, string? Token);

/// <summary>
/// API keys applied for online (issue #25): takes an institution's application, lets an administrator approve it (the
/// client is registered through <see cref="ApiClients"/>, its key kept encrypted for the applicant) or refuse it with a
/// reason, and hands the key out once through the applicant's link.
/// </summary>
public sealed class KeyApplications(
    IDbContextFactory<PortalDbContext> dbFactory, ApiClients clients, IIdNumberCipher cipher, IdHashKeyBytes hashKey,
    IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _keys = protection.CreateProtector("Portal.KeyApplication.Key.v1");

    /// <summary>The form's fields in the order they are shown, with their labels.</summary>
    public static readonly IReadOnlyList<(string Field, string Label)> Fields =
    [
        ("institution", "机构名称"), ("kind", "机构类型"), ("creditCode", "统一社会信用代码"), ("contactPerson", "联系人"),
        ("contact", "联系电话或电子邮箱"), ("purpose", "用途"), ("scopes", "申请的权限"),
    ];

    /// <summary>Stores the application, or says per field what is wrong (and stores nothing).</summary>
    public async Task<(KeyApplicationReceipt? Receipt, IReadOnlyDictionary<string, string> Errors)> SubmitAsync(KeyApplicationForm f, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        var institution = f.Institution?.Trim() ?? "";
        if (institution.Length == 0) errors["institution"] = "请填写机构名称";
        else if (institution.Length > KeyApplication.MaxInstitution) errors["institution"] = $"机构名称最多 {KeyApplication.MaxInstitution} 字";
        if (!ClientKinds.TryParse(f.Kind, out var kind)) errors["kind"] = "请选择机构类型";
        if (!CreditCode.TryParse(f.CreditCode, out var creditCode, out var codeError)) errors["creditCode"] = codeError ?? "统一社会信用代码无效";
        else if (creditCode.Length != 18) errors["creditCode"] = "请填写18位统一社会信用代码（旧版组织机构代码不能用于申请）";
        var person = f.ContactPerson?.Trim() ?? "";
        if (person.Length == 0) errors["contactPerson"] = "请填写联系人姓名";
        else if (person.Length > KeyApplication.MaxPerson) errors["contactPerson"] = $"联系人姓名最多 {KeyApplication.MaxPerson} 字";
        var (contact, channel, contactError) = ApplicationContact.Parse(f.Contact);
        if (contactError is not null) errors["contact"] = contactError;
        var purpose = f.Purpose?.Trim() ?? "";
        if (purpose.Length == 0) errors["purpose"] = "请说明使用接口的用途，例如：贷前核查借款人及其法定代表人";
        else if (purpose.Length > KeyApplication.MaxPurpose) errors["purpose"] = $"用途最多 {KeyApplication.MaxPurpose} 字，您写了 {purpose.Length} 字";
        var (scopes, scopeError) = ClientScopes.Parse(string.Join(',', f.Scopes));
        if (scopeError is not null) errors["scopes"] = f.Scopes.Count == 0 ? "请至少选择一项权限" : scopeError;
        else if (!errors.ContainsKey("kind") && ClientScopes.Refusal(kind, scopes!) is { } refusal) errors["scopes"] = refusal;
        else if (!errors.ContainsKey("kind") && scopes!.FirstOrDefault(x => !ClientScopes.OpenToApplicants(kind).Contains(x)) is { } notOpen)
            errors["scopes"] = $"{kind.Label()}可在线申请的权限为{string.Join("、", ClientScopes.OpenToApplicants(kind).Select(x => ClientScopes.Labels[x]))}；" +
                               $"“{ClientScopes.Labels.GetValueOrDefault(notOpen, notOpen)}”请与门户管理员联系";
        if (errors.Count > 0) return (null, errors);

        var submission = ApiKeys.Hash($"key-application|{creditCode}|{(string.IsNullOrWhiteSpace(f.SubmissionKey) ? Guid.NewGuid().ToString("N") : f.SubmissionKey.Trim())}");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.KeyApplications.AsNoTracking().FirstOrDefaultAsync(a => a.SubmissionHash == submission, ct) is { } earlier)
            return (new KeyApplicationReceipt(earlier, null), errors);
        var token = CollectionToken.New();
        var application = new KeyApplication
        {
            Status = KeyApplicationStatus.Pending, SubmissionHash = submission, TokenHash = CollectionToken.Hash(token),
            Reference = TrackingCode.Display(TrackingCode.For(hashKey.Key, "key-application:" + submission)),
            Institution = institution, Kind = kind, CreditCode = creditCode, ContactPerson = person, ContactChannel = channel,
            ContactCipher = cipher.Encrypt(contact!), ContactMasked = ApplicationContact.Mask(contact!, channel), Purpose = purpose,
            Scopes = string.Join(',', scopes!), ReceivedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.KeyApplications.Add(application);
        await db.SaveChangesAsync(ct);
        return (new KeyApplicationReceipt(application, token), errors);
    }

    /// <summary>The applications waiting for an administrator, oldest first.</summary>
    public async Task<IReadOnlyList<KeyApplication>> PendingAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.KeyApplications.AsNoTracking().Where(a => a.Status == KeyApplicationStatus.Pending).OrderBy(a => a.ReceivedAt).ThenBy(a => a.Id).ToListAsync(ct);
    }

    /// <summary>Registers the client applied for (audited as any client is) and keeps its key encrypted for the applicant; null or why not.</summary>
    public async Task<string?> ApproveAsync(long id, string actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var a = await db.KeyApplications.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return $"没有编号为 {id} 的密钥申请";
        if (a.Status != KeyApplicationStatus.Pending) return $"申请 {a.Reference} 已经处理过了";
        var registration = new ClientRegistration
        {
            Name = a.Institution, Kind = a.Kind.Code(), Scopes = a.Scopes,
            Contact = $"{a.ContactPerson} {a.ContactMasked}（在线申请 {a.Reference}，统一社会信用代码 {a.CreditCode}）",
        };
        var (issued, errors) = await clients.CreateAsync(db, registration, actor, ct);
        if (issued is null) return string.Join("；", errors);
        var now = clock.GetUtcNow().UtcDateTime;
        (a.Status, a.DecidedAt, a.DecidedBy, a.ClientId, a.KeyCipher) = (KeyApplicationStatus.Approved, now, actor, issued.Client.Id, _keys.Protect(issued.Key));
        await AuditLog.AppendAsync(db, [new AuditRecord { At = now, Actor = actor, Action = "approve-key-application", Reason = $"密钥申请 {a.Reference}“{a.Institution}”：登记为客户端 {issued.Client.Id}" }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>Refuses with a reason the applicant will read; null or why not.</summary>
    public async Task<string?> RefuseAsync(long id, string? reason, string actor, CancellationToken ct = default)
    {
        var why = reason?.Trim() ?? "";
        if (why.Length == 0) return "请填写驳回理由，申请人将看到它";
        if (why.Length > KeyApplication.MaxReason) return $"驳回理由最多 {KeyApplication.MaxReason} 字";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await DatabaseProvider.BeginSerializedAsync(db, ct);
        var a = await db.KeyApplications.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (a is null) return $"没有编号为 {id} 的密钥申请";
        if (a.Status != KeyApplicationStatus.Pending) return $"申请 {a.Reference} 已经处理过了";
        var now = clock.GetUtcNow().UtcDateTime;
        (a.Status, a.DecidedAt, a.DecidedBy, a.RefusalReason) = (KeyApplicationStatus.Refused, now, actor, why);
        await AuditLog.AppendAsync(db, [new AuditRecord { At = now, Actor = actor, Action = "refuse-key-application", Reason = $"密钥申请 {a.Reference}“{a.Institution}”：{why}" }], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>The application a collection link belongs to, or null.</summary>
    public async Task<KeyApplication?> FindAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return null;
        var hash = CollectionToken.Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.KeyApplications.AsNoTracking().SingleOrDefaultAsync(a => a.TokenHash == hash, ct);
    }

    /// <summary>
    /// Hands the approved key out once: the stored copy is erased in the same statement that reads it as present, so two
    /// visits at the same moment cannot both receive it. Null key when there is none to hand out (pending, refused, collected).
    /// </summary>
    public async Task<(KeyApplication? Application, string? Key)> CollectAsync(string? token, CancellationToken ct = default)
    {
        if (await FindAsync(token, ct) is not { } a) return (null, null);
        if (a is not { Status: KeyApplicationStatus.Approved, KeyCipher: { } stored }) return (a, null);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var erased = await db.KeyApplications.Where(x => x.Id == a.Id && x.KeyCipher == stored)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.KeyCipher, (string?)null).SetProperty(x => x.CollectedAt, now), ct);
        a.KeyCipher = null;
        a.CollectedAt ??= now;
        return erased == 1 ? (a, _keys.Unprotect(stored)) : (a, null);
    }
}
