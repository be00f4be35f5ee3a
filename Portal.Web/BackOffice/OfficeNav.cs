using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Portal.Web.BackOffice;

/// <summary>Puts a back-office page in the office's navigation, under this label, at this place.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OfficeNavAttribute(string label, int order) : Attribute
{
    public string Label => label;
    public int Order => order;
}

/// <summary>
/// The office's navigation, from the pages themselves: every page marked <see cref="OfficeNavAttribute"/>, offered to a
/// person only when the page's own authorization (its <c>[Authorize]</c> roles and policies) lets them in. There is no
/// second list of who may open what.
/// </summary>
public sealed class OfficeNav(IAuthorizationService authorization, IAuthorizationPolicyProvider policies)
{
    private static readonly IReadOnlyList<(string Href, string Label, int Order, IAuthorizeData[] Rules)> Pages = typeof(OfficeNav).Assembly.GetTypes()
        .Select(t => (Type: t, Nav: t.GetCustomAttribute<OfficeNavAttribute>(), Route: t.GetCustomAttributes<RouteAttribute>().FirstOrDefault()))
        .Where(p => p.Nav is not null && p.Route is not null)
        .Select(p => (p.Route!.Template, p.Nav!.Label, p.Nav.Order, p.Type.GetCustomAttributes(inherit: true).OfType<IAuthorizeData>().ToArray()))
        .OrderBy(p => p.Order).ToList();

    /// <summary>The pages this person may open, in order.</summary>
    public async Task<IReadOnlyList<(string Href, string Label)>> ForAsync(ClaimsPrincipal user)
    {
        var links = new List<(string, string)>();
        foreach (var (href, label, _, rules) in Pages)
            if (await AuthorizationPolicy.CombineAsync(policies, rules) is not { } policy || (await authorization.AuthorizeAsync(user, policy)).Succeeded)
                links.Add((href, label));
        return links;
    }
}
