using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Web.BackOffice;

/// <summary>
/// Re-checks a signed-in staff member against the account as it is now, before every interactive action: a circuit
/// outlives the request that opened it, so a lock, a role change, a new password or a sign-out elsewhere (all of which
/// change the security stamp) refuse the next action. Reads through a fresh scope: a circuit's own database context
/// would answer from what it loaded earlier.
/// </summary>
public sealed class StaffGate(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
{
    /// <summary>Null when the person may act (in <paramref name="role"/>, if given); else why not, in words for them.</summary>
    public async Task<string?> RefuseAsync(ClaimsPrincipal user, string? role = null)
    {
        if (!StaffRoles.IsStaff(user)) return "请先登录";
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var account = await users.GetUserAsync(user);
        if (account is null) return "账号已不存在，请重新登录";
        if (user.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) != await users.GetSecurityStampAsync(account))
            return "登录已失效：账号的角色、密码或状态已变更，请重新登录";
        if (await users.IsLockedOutAsync(account)) return "账号已被锁定";
        if (role is not null && !await users.IsInRoleAsync(account, role)) return $"您没有{StaffRoles.Labels[role]}角色，不能进行这项操作";
        return null;
    }
}

/// <summary>Ends an open back-office circuit's sign-in within a minute of the account changing.</summary>
public sealed class StaffRevalidation(ILoggerFactory loggers, StaffGate gate) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        state.User.Identity?.IsAuthenticated != true || await gate.RefuseAsync(state.User) is null;
}
