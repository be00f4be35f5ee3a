using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    public static async Task<OfficeCircuit> SignInAsync(PortalFactory portal, string name, string role)
    {
        await Office.CreateUser(portal, name, role);
        var circuit = new OfficeCircuit(portal);
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = (await users.FindByNameAsync(name))!;
        var stampType = portal.Services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var auth = circuit.Context.AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(stampType, (await users.GetSecurityStampAsync(user))!));
        return circuit;
    }

    public IRenderedComponent<T> Render<T>() where T : Microsoft.AspNetCore.Components.IComponent => Context.Render<T>();

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
