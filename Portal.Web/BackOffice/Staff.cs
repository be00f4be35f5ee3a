using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Portal.Web.BackOffice;

/// <summary>A court staff member who signs in to the back office.</summary>
public sealed class StaffUser : IdentityUser
{
    /// <summary>Set for a generated initial password: the first sign-in must change it.</summary>
    public bool MustChangePassword { get; set; }
}

/// <summary>Staff accounts and roles (ASP.NET Core Identity), in the portal's own database.</summary>
public sealed class StaffDbContext(DbContextOptions<StaffDbContext> options) : IdentityDbContext<StaffUser>(options)
{
    public const string MarkerTable = "AspNetUsers";
}

/// <summary>The back office roles, by what each may do.</summary>
public static class StaffRoles
{
    public const string Clerk = "clerk";         // enters and edits drafts, records risk notices and events
    public const string Reviewer = "reviewer";   // publishes, shields, revokes
    public const string Superior = "superior";   // decides reconsiderations
    public const string Admin = "admin";         // users and settings

    public static readonly string[] All = [Clerk, Reviewer, Superior, Admin];

    public static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        [Clerk] = "书记员", [Reviewer] = "审核人", [Superior] = "上级法院", [Admin] = "管理员",
    };

    /// <summary>The claim carrying a court staff member's court code.</summary>
    public const string CourtClaim = "portal:court";

    /// <summary>Issued only by the staff sign-in (<see cref="StaffClaimsFactory"/>), never to an API client.</summary>
    public const string StaffClaim = "portal:staff";

    /// <summary>The policy of every back-office page, download and action: a signed-in staff member with a staff role.</summary>
    public const string Policy = "staff";

    /// <summary>Court staff act within their court; administrators are not court staff and have no scope.</summary>
    public static bool IsCourtStaff(string role) => role is Clerk or Reviewer or Superior;

    /// <summary>
    /// A staff member signed in to the back office with one of its roles. An API client, however it authenticated, is not:
    /// its identity carries neither the staff mark nor a staff role.
    /// </summary>
    public static bool IsStaff(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true } identity && identity.AuthenticationType != Clients.ApiKeyAuthentication.SchemeName
        && user.HasClaim(StaffClaim, "true") && All.Any(user.IsInRole);

    /// <summary>
    /// The records a person sees in the back office: their court's (a superior court: the courts below it), every court's
    /// for administrators, nothing for anyone else (an API client, court staff without a court).
    /// </summary>
    public static Portal.Data.Courts.CourtView ViewOf(System.Security.Claims.ClaimsPrincipal user, Portal.Data.Courts.CourtDirectory courts)
    {
        if (!IsStaff(user)) return Portal.Data.Courts.CourtView.Nothing;
        if (All.Any(r => IsCourtStaff(r) && user.IsInRole(r))) return ScopeOf(user).ViewIn(courts);
        return user.IsInRole(Admin) ? Portal.Data.Courts.CourtView.Everything : Portal.Data.Courts.CourtView.Nothing;
    }

    /// <summary>What the signed-in person may act on (<see cref="Portal.Data.Courts.CourtScope.Unassigned"/> when no court was assigned).</summary>
    public static Portal.Data.Courts.CourtScope ScopeOf(System.Security.Claims.ClaimsPrincipal user) =>
        IsStaff(user) && user.FindFirst(CourtClaim)?.Value is { Length: > 0 } code ? new(code) : Portal.Data.Courts.CourtScope.Unassigned;
}

/// <summary>Creates staff accounts with a generated initial password; there is no default account.</summary>
public sealed class StaffAccounts(
    UserManager<StaffUser> users,
    RoleManager<IdentityRole> roles,
    IDbContextFactory<Portal.Data.Persistence.PortalDbContext> dbFactory,
    Courts.CourtRegistry courts,
    TimeProvider clock)
{
    public static void ConfigureIdentity(IdentityOptions o)
    {
        o.Password.RequiredLength = 12;
        o.Password.RequireNonAlphanumeric = false;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = false;
    }

    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        // At least one of each kind Identity asks for.
        chars[0] = "abcdefghjkmnpqrstuvwxyz"[RandomNumberGenerator.GetInt32(23)];
        chars[1] = "ABCDEFGHJKLMNPQRSTUVWXYZ"[RandomNumberGenerator.GetInt32(24)];
        chars[2] = "23456789"[RandomNumberGenerator.GetInt32(8)];
        return new string(chars);
    }

    /// <summary>Creates the user and returns the initial password, or the reasons it could not.</summary>
    public async Task<(string? Password, IReadOnlyList<string> Errors)> CreateAsync(string name, string role, string? court, string actor = "cli")
    {
        if (!StaffRoles.All.Contains(role)) return (null, [$"角色应为 {string.Join("、", StaffRoles.All)} 之一"]);
        if (string.IsNullOrWhiteSpace(name)) return (null, ["请提供用户名"]);
        string? courtCode = null;
        if (StaffRoles.IsCourtStaff(role))
        {
            var (code, courtError) = courts.Current.ResolveStaffCourt(court, role == StaffRoles.Superior);
            if (code is null) return (null, [courtError!]);
            courtCode = code;
        }
        if (await users.FindByNameAsync(name) is not null) return (null, [$"用户“{name}”已存在"]);
        foreach (var r in StaffRoles.All)
            if (!await roles.RoleExistsAsync(r)) await roles.CreateAsync(new IdentityRole(r));
        var password = GeneratePassword();
        var user = new StaffUser { UserName = name, MustChangePassword = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return (null, created.Errors.Select(e => e.Description).ToList());
        await users.AddToRoleAsync(user, role);
        if (courtCode is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.StaffCourts.Add(new Portal.Data.Courts.StaffCourt { UserName = name, CourtCode = courtCode });
            await db.SaveChangesAsync();
        }
        await AuditAsync(actor, "create-user", courtCode is null ? $"{name}（{role}）" : $"{name}（{role}，{courts.Current.NameOf(courtCode)}）");
        return (password, []);
    }

    /// <summary>Locks an account until unlocked, or unlocks it; refuses to lock the last administrator out.</summary>
    public async Task<string?> SetLockedAsync(string name, bool locked, string actor)
    {
        var user = await users.FindByNameAsync(name);
        if (user is null) return $"用户“{name}”不存在";
        if (locked && name == actor) return "不能锁定自己的账号";
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        if (!locked) await users.ResetAccessFailedCountAsync(user);
        else await users.UpdateSecurityStampAsync(user); // open sessions end with the lock
        await AuditAsync(actor, locked ? "lock-user" : "unlock-user", name);
        return null;
    }

    /// <summary>Gives the user exactly this role; sessions opened under the old role end.</summary>
    public async Task<string?> SetRoleAsync(string name, string role, string actor)
    {
        if (!StaffRoles.All.Contains(role)) return $"角色应为 {string.Join("、", StaffRoles.All)} 之一";
        var user = await users.FindByNameAsync(name);
        if (user is null) return $"用户“{name}”不存在";
        if (name == actor && role != StaffRoles.Admin) return "不能取消自己的管理员角色";
        foreach (var r in StaffRoles.All)
            if (!await roles.RoleExistsAsync(r)) await roles.CreateAsync(new IdentityRole(r));
        await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user));
        await users.AddToRoleAsync(user, role);
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, "set-role", $"{name}（{role}）");
        return null;
    }

    public async Task<IReadOnlyList<(StaffUser User, IList<string> Roles, bool Locked)>> ListAsync()
    {
        var list = new List<(StaffUser, IList<string>, bool)>();
        foreach (var u in users.Users.OrderBy(u => u.UserName).ToList())
            list.Add((u, await users.GetRolesAsync(u), await users.IsLockedOutAsync(u)));
        return list;
    }

    private async Task AuditAsync(string actor, string action, string subject)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await Portal.Data.Audit.AuditLog.RecordAsync(db, actor, action, subject, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Moves a court staff member to another court; sessions opened for the old court end.</summary>
    public async Task<string?> SetCourtAsync(string name, string? court, string actor)
    {
        var user = await users.FindByNameAsync(name);
        if (user is null) return $"用户“{name}”不存在";
        var role = (await users.GetRolesAsync(user)).FirstOrDefault(StaffRoles.IsCourtStaff);
        if (role is null) return "管理员不是法院工作人员，不指定所在法院";
        var (code, error) = courts.Current.ResolveStaffCourt(court, role == StaffRoles.Superior);
        if (code is null) return error;
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var row = await db.StaffCourts.SingleOrDefaultAsync(s => s.UserName == name);
            if (row is null) db.StaffCourts.Add(new Portal.Data.Courts.StaffCourt { UserName = name, CourtCode = code });
            else row.CourtCode = code;
            await db.SaveChangesAsync();
        }
        await users.UpdateSecurityStampAsync(user);
        await AuditAsync(actor, "set-court", $"{name}（{courts.Current.NameOf(code)}）");
        return null;
    }

    /// <summary>Every staff member's court code, by user name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CourtsAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.StaffCourts.ToDictionaryAsync(s => s.UserName, s => s.CourtCode);
    }

    /// <summary>The court a staff member may act within (the command line's counterpart of <see cref="StaffRoles.ScopeOf"/>).</summary>
    public async Task<Portal.Data.Courts.CourtScope> ScopeOfAsync(string name)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.StaffCourts.Where(s => s.UserName == name).Select(s => s.CourtCode).FirstOrDefaultAsync() is { } code
            ? new(code) : Portal.Data.Courts.CourtScope.Unassigned;
    }

    /// <summary>Null when <paramref name="name"/> is a staff member with <paramref name="role"/>, else why not.</summary>
    public async Task<string?> CheckRoleAsync(string? name, string role)
    {
        if (string.IsNullOrWhiteSpace(name)) return "请用 --user 指定操作人";
        var user = await users.FindByNameAsync(name);
        if (user is null) return $"用户“{name}”不存在";
        if (await users.IsLockedOutAsync(user)) return $"用户“{name}”已被锁定";
        return await users.IsInRoleAsync(user, role) ? null : $"用户“{name}”没有{StaffRoles.Labels[role]}（{role}）角色";
    }
}

/// <summary>
/// Staff administration for interactive pages: each call gets its own scope, because a circuit's scope lives for hours
/// and its database context would answer from entities it loaded earlier.
/// </summary>
public sealed class StaffAdministration(IServiceScopeFactory scopes)
{
    public async Task<T> RunAsync<T>(Func<StaffAccounts, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<StaffAccounts>());
    }
}

/// <summary>Adds the "must change password" mark to the sign-in cookie, so the gate needs no database read.</summary>
public sealed class StaffClaimsFactory(UserManager<StaffUser> users, RoleManager<IdentityRole> roles, Microsoft.Extensions.Options.IOptions<IdentityOptions> options,
    IDbContextFactory<Portal.Data.Persistence.PortalDbContext> dbFactory)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(users, roles, options)
{
    public const string MustChangePassword = "portal:must-change-password";

    protected override async Task<System.Security.Claims.ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new System.Security.Claims.Claim(StaffRoles.StaffClaim, "true"));
        if (user.MustChangePassword) identity.AddClaim(new System.Security.Claims.Claim(MustChangePassword, "true"));
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.StaffCourts.Where(s => s.UserName == user.UserName).Select(s => s.CourtCode).FirstOrDefaultAsync() is { } court)
            identity.AddClaim(new System.Security.Claims.Claim(StaffRoles.CourtClaim, court));
        return identity;
    }
}
