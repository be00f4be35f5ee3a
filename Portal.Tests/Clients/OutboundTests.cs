using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Data.Clients;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Clients;
using Portal.Web.Hosting;

namespace Portal.Tests.Clients;

/// <summary>The portal never sends a request to an internal address: not by name, not by redirect, unless allow-listed.</summary>
public sealed class OutboundTests
{
    private static OutboundGuard Guard(params string[] allowed) => new(Options.Create(new OutboundOptions { AllowedNetworks = [.. allowed] }));

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.5", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)] // a cloud's metadata service
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:127.0.0.1", false)] // IPv4 loopback written as IPv6
    [InlineData("::7f00:1", false)]              // IPv4-compatible (::/96): 127.0.0.1
    [InlineData("::808:808", false)]             // IPv4-compatible, deprecated: never a real destination
    [InlineData("64:ff9b::7f00:1", false)]       // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::a9fe:a9fe", false)]    // NAT64 of 169.254.169.254
    [InlineData("64:ff9b::808:808", true)]       // NAT64 of a public address
    [InlineData("64:ff9b:1::808:808", false)]    // local-use NAT64 (64:ff9b:1::/48)
    [InlineData("2002:7f00:1::1", false)]        // 6to4 of 127.0.0.1
    [InlineData("2002:c0a8:101::1", false)]      // 6to4 of 192.168.1.1
    [InlineData("2002:808:808::1", true)]        // 6to4 of a public address
    [InlineData("fec0::1", false)]               // site-local
    [InlineData("::ffff:0:7f00:1", false)]       // SIIT (IPv4-translated) of 127.0.0.1
    [InlineData("::ffff:0:808:808", true)]       // SIIT of a public address
    [InlineData("2001:0:4136:e378::1", false)]   // Teredo: the embedded address is obfuscated, so never
    [InlineData("203.0.113.7", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    public void Internal_addresses_are_refused_and_public_ones_permitted(string address, bool permitted) =>
        Assert.Equal(permitted, Guard().Permits(IPAddress.Parse(address)));

    [Fact]
    public void An_allow_list_opens_exactly_its_networks()
    {
        var guard = Guard("10.20.0.0/16");
        Assert.True(guard.Permits(IPAddress.Parse("10.20.3.4")));
        Assert.False(guard.Permits(IPAddress.Parse("10.21.3.4")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/latest/meta-data")]
    [InlineData("http://[2002:7f00:1::1]:8080/hook")]
    [InlineData("http://[fec0::1]/hook")]
    [InlineData("http://[::7f00:1]/hook")]
    [InlineData("ftp://hooks.example.com/")]
    [InlineData("file:///etc/passwd")]
    public async Task Registering_an_internal_or_non_http_address_is_refused_in_chinese(string url)
    {
        using var portal = new PortalFactory();
        _ = portal.Server;
        var (issued, errors) = await portal.Services.GetRequiredService<ApiClients>().CreateAsync(new ClientRegistration
        {
            Name = "某单位", Kind = "unit", Scopes = "feed", WebhookUrl = url,
        }, "admin");
        Assert.Null(issued);
        Assert.StartsWith("推送地址（webhook）：", Assert.Single(errors));
    }

    private static async Task<WebhookDelivery> Settled(PortalFactory portal)
    {
        for (var i = 0; i < 300; i++)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().WebhookDeliveries.AsNoTracking().ToListAsync();
            if (rows is [{ Status: not DeliveryStatus.Pending } done]) return done;
            await Task.Delay(50);
        }
        throw new TimeoutException("the delivery did not settle");
    }

    private static Dictionary<string, string> Fast(string? allowed) => new()
    {
        ["Webhooks:PollSeconds"] = "0.05", ["Webhooks:RetryBaseSeconds"] = "0.05", ["Webhooks:MaxAttempts"] = "2",
        ["Outbound:AllowedNetworks:0"] = allowed ?? "203.0.113.0/24", // a documentation network: allows nothing here
    };

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        await using var receiver = await LoopbackServer.StartAsync();
        using var portal = new PortalFactory { Settings = Fast(null) };
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected);
        await portal.WaitUntilReadyAsync();
        var port = new Uri(receiver.BaseUrl).Port;
        await ClientSupport.Register(portal, "unit", "feed", webhook: $"http://localhost:{port}/hook"); // a name: allowed to register
        await portal.ShieldAsync("（2019）豫0311执1234号");

        var delivery = await Settled(portal);
        Assert.Equal(DeliveryStatus.Dead, delivery.Status);
        Assert.Contains("internal", delivery.LastError);
        Assert.Empty(receiver.Requests); // nothing reached the loopback receiver
    }

    [Fact]
    public async Task A_redirect_to_an_internal_address_is_refused_too()
    {
        await using var inside = await LoopbackServer.StartAsync(address: "127.0.0.2");
        await using var allowed = await LoopbackServer.StartAsync();
        allowed.RedirectTo = inside.BaseUrl + "/steal";
        using var portal = new PortalFactory { Settings = Fast("127.0.0.1/32") }; // only the first receiver is allow-listed
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected);
        await portal.WaitUntilReadyAsync();
        await ClientSupport.Register(portal, "unit", "feed", webhook: allowed.BaseUrl + "/hook");
        await portal.ShieldAsync("（2019）豫0311执1234号");

        var delivery = await Settled(portal);
        Assert.NotEqual(DeliveryStatus.Delivered, delivery.Status);
        Assert.NotEmpty(allowed.Requests); // the allowed receiver was asked …
        Assert.Empty(inside.Requests);     // … and its redirect was not followed to the internal one
    }
}
