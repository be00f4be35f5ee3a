using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;
using Portal.Web.Clients;

namespace Portal.Tests.Clients;

/// <summary>Registers API clients on a test portal the way an administrator does.</summary>
public static class ClientSupport
{
    public static async Task<IssuedKey> Register(PortalFactory portal, string kind, string scopes, string? webhook = null, string? pagePattern = null,
        int? rate = null, string? name = null)
    {
        _ = portal.Server;
        var (issued, errors) = await portal.Services.GetRequiredService<ApiClients>().CreateAsync(new ClientRegistration
        {
            Name = name ?? $"测试{kind}{Guid.NewGuid():N}"[..12], Kind = kind, Scopes = scopes, WebhookUrl = webhook, PageUrlPattern = pagePattern, RatePerMinute = rate,
        }, "test-admin");
        Assert.True(issued is not null, string.Join("；", errors));
        return issued!;
    }

    public static HttpClient WithKey(PortalFactory portal, string key)
    {
        var client = portal.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
