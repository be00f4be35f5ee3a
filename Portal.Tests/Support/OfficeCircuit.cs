using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Portal.Web.BackOffice;

namespace Portal.Tests.Support;

/// <summary>
/// An interactive back-office circuit under bUnit, on a test portal's real services and database, signed in as a real
/// staff account (its id, roles and security stamp), so that the server-side re-checks run as they do in production.
/// </summary>
public sealed class OfficeCircuit : IAsyncDisposable
{
    public BunitContext Context { get; } = new();

    private OfficeCircuit(PortalFactory portal)
    {
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.Services.AddMudServices();
        Context.Services.AddFallbackServiceProvider(portal.Services);
    }

    public static async Task<OfficeCircuit> SignInAsync(PortalFactory portal, string name, string role, string? court = null)
    {
        await Office.CreateUser(portal, name, role, court);
        var circuit = new OfficeCircuit(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByNameAsync(name))!;
        // The claims a real sign-in issues (id, security stamp, roles, court), from the portal's own factory.
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<StaffUser>>().CreateAsync(user);
        var auth = circuit.Context.AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetRoles(principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray());
        auth.SetClaims(principal.Claims.Where(c => c.Type is not (ClaimTypes.Role or ClaimTypes.Name)).ToArray());
        // A circuit, as the office runs in (set last: it reads the services, after which none may be added).
        circuit.Context.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        return circuit;
    }

    public IRenderedComponent<T> Render<T>() where T : Microsoft.AspNetCore.Components.IComponent => Context.Render<T>();

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
