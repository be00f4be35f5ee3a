using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Site;

/// <summary>/metrics: request figures from the framework's meters, the index's lag and the webhook backlog; only for who may read it.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task The_machine_itself_reads_the_figures()
    {
        using var portal = new PortalFactory { RemoteAddress = IPAddress.Loopback };
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected);
        await portal.WaitUntilReadyAsync();
        var http = portal.CreateClient();
        for (var i = 0; i < 5; i++) await http.GetAsync("/api/v1/entries?q=" + Uri.EscapeDataString("张三"));
        await portal.ShieldAsync("（2019）豫0311执1234号");

        // The committing request refreshed the index; the follower records the event as applied within a second.
        var metrics = await http.GetFromJsonAsync<JsonElement>("/metrics");
        for (var i = 0; i < 50 && metrics.GetProperty("index").GetProperty("behind").GetInt64() > 0; i++)
        {
            await Task.Delay(100);
            metrics = await http.GetFromJsonAsync<JsonElement>("/metrics");
        }
        Assert.True(metrics.GetProperty("ready").GetBoolean());
        Assert.True(metrics.GetProperty("requests").GetProperty("total").GetInt64() >= 5);
        Assert.True(metrics.GetProperty("requests").GetProperty("latencyMs").GetProperty("p99").GetDouble() > 0);
        var index = metrics.GetProperty("index");
        Assert.True(index.GetProperty("newestChangeEvent").GetInt64() >= 2); // published, shielded
        Assert.Equal(0, index.GetProperty("behind").GetInt64());
        Assert.Equal(0, metrics.GetProperty("webhooks").GetProperty("pending").GetInt32());
        Assert.DoesNotContain("张三", metrics.GetRawText());
    }

    [Fact]
    public async Task Anyone_else_gets_404_unless_their_network_is_allowed()
    {
        using (var outside = new PortalFactory { RemoteAddress = IPAddress.Parse("203.0.113.7") })
            Assert.Equal(HttpStatusCode.NotFound, (await outside.CreateClient().GetAsync("/metrics")).StatusCode);
        using var monitoring = new PortalFactory
        {
            RemoteAddress = IPAddress.Parse("203.0.113.7"), Settings = new() { ["Metrics:AllowedNetworks:0"] = "203.0.113.0/24" },
        };
        Assert.Equal(HttpStatusCode.OK, (await monitoring.CreateClient().GetAsync("/metrics")).StatusCode);
    }
}
