using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Web.Publication;

namespace Portal.Web.Clients;

/// <summary>
/// Authenticates API clients by the <c>X-Api-Key</c> header. Without a valid key for the endpoint's scope the answer
/// is 401 (no or unknown key) or 403 (key without that scope) as ProblemDetails.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiClients clients)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string ClientIdClaim = "client_id";
    public const string KindClaim = "client_kind";
    public const string ScopeClaim = "scope";
    public const string RateClaim = "client_rate";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count == 0) return AuthenticateResult.NoResult();
        var client = await clients.FindByKeyAsync(values[0]?.Trim(), Context.RequestAborted);
        if (client is null) return AuthenticateResult.Fail("unknown or revoked key");
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, client.Name), new(ClientIdClaim, client.Id.ToString()), new(KindClaim, client.Kind.Code()),
        };
        claims.AddRange(client.ScopeList.Select(s => new Claim(ScopeClaim, s)));
        if (client.RatePerMinute is { } rate) claims.Add(new Claim(RateClaim, rate.ToString()));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var hasKey = Request.Headers.ContainsKey(Header);
        await EntriesApi.Problem(StatusCodes.Status401Unauthorized, "需要有效的 API 密钥",
            hasKey ? "X-Api-Key 中的密钥无效或已吊销。" : "请在请求头 X-Api-Key 中提供管理员发放的密钥。",
            hasKey ? "api_key_invalid" : "api_key_missing").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await EntriesApi.Problem(StatusCodes.Status403Forbidden, "密钥无此权限", "该密钥未获授权调用此接口，请联系管理员开通相应权限。",
            "scope_missing").ExecuteAsync(Context);

    /// <summary>Endpoint policy: an API client whose key carries <paramref name="scope"/>.</summary>
    public static void AddScopePolicies(AuthorizationOptions o)
    {
        foreach (var scope in ClientScopes.All)
            o.AddPolicy(PolicyFor(scope), p => p.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser().RequireClaim(ScopeClaim, scope));
    }

    public static string PolicyFor(string scope) => "api-scope-" + scope;

    public static long ClientId(ClaimsPrincipal user) => long.Parse(user.FindFirstValue(ClientIdClaim)!);

    public static bool IsClient(ClaimsPrincipal user) => user.Identity?.AuthenticationType == SchemeName;
}
