using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Clients;
using Portal.Data.Entries;
using Portal.Data.Persistence;
using Portal.Tests.Clients;
using Portal.Tests.Support;
using Portal.Web.Clients;

namespace Portal.Tests.Measures;

/// <summary>
/// A unit's lift notices as signed webhooks to a real receiver on loopback, and the loop counted on the public
/// statistics page and its CSV files (numbers only).
/// </summary>
public class MeasureFeedTests : IAsyncLifetime
{
    private const string Zhang = "（2019）豫0311执1234号";
    private const string Hengda = "（2020）豫0311执2001号";

    private LoopbackServer _receiver = default!;

    private readonly PortalFactory _portal = new()
    {
        Settings = new()
        {
            ["Outbound:AllowedNetworks:0"] = "127.0.0.0/8", ["Webhooks:PollSeconds"] = "0.05", ["Webhooks:RetryBaseSeconds"] = "0.1",
        },
    };

    public async Task InitializeAsync()
    {
        _receiver = await LoopbackServer.StartAsync();
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        _portal.Dispose();
        await _receiver.DisposeAsync();
    }

    private async Task<(HttpClient Http, IssuedKey Issued)> Unit(string name, string category, string? webhook = null)
    {
        var (issued, errors) = await _portal.Services.GetRequiredService<ApiClients>().CreateAsync(new ClientRegistration
        {
            Name = name, Kind = "unit", Scopes = "feed,measures", Category = category, WebhookUrl = webhook,
        }, "test-admin");
        Assert.True(issued is not null, string.Join("；", errors));
        return (ClientSupport.WithKey(_portal, issued!.Key), issued);
    }

    private async Task<string> PublicIdOf(string caseNumber)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        var key = CaseNumber.Key(caseNumber);
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Entries.Where(e => e.CaseNumberKey == key).Select(e => e.PublicId).SingleAsync();
    }

    private async Task<long> Record(HttpClient unit, string caseNumber, string measure, string? reference = null, string? subject = null)
    {
        var response = await unit.PostAsJsonAsync("/api/v1/measures",
            new { publicId = await PublicIdOf(caseNumber), measure, appliedOn = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd"), reference, subject });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task A_lift_notice_reaches_the_units_webhook_signed_once_apart_from_the_public_feed()
    {
        var (unit, issued) = await Unit("某市交通运输局", "transport", _receiver.BaseUrl + "/hooks/measures");
        var measure = await Record(unit, Zhang, "flight");
        await _portal.ShieldAsync(Zhang);

        // The unit also reads the public feed (scope feed): the shielded event and the lift arrive, each once.
        var received = await _receiver.WaitForAsync(r => r.Count >= 2);
        await Task.Delay(500); // time for a duplicate, if there were going to be one
        var lift = Assert.Single(_receiver.Requests, r => r.Headers["X-Portal-Event"] == "measure.lift");
        Assert.Single(_receiver.Requests, r => r.Headers["X-Portal-Event"] == "shielded");
        var timestamp = lift.Headers["X-Portal-Timestamp"];
        var signed = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(lift.Body).ToArray();
        Assert.Equal("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(issued.WebhookSecret!), signed)), lift.Headers["X-Portal-Signature"]);
        var body = JsonDocument.Parse(lift.Body).RootElement;
        Assert.Equal($"measure-{body.GetProperty("id").GetInt64()}", lift.Headers["X-Portal-Event-Id"]);
        Assert.Equal(("lift", measure, "shielded"), (body.GetProperty("type").GetString(), body.GetProperty("measure").GetProperty("id").GetInt64(),
            body.GetProperty("lift").GetProperty("cause").GetString()));
        Assert.Equal(body.GetRawText(), (await unit.GetFromJsonAsync<JsonElement>("/api/v1/measures/events")).GetProperty("events")[0].GetRawText());
        Assert.DoesNotContain("张三", Encoding.UTF8.GetString(lift.Body));
        Assert.NotNull(received);
    }

    [Fact]
    public async Task The_statistics_count_measures_per_kind_category_and_month_and_the_lift_delay_without_any_subject_or_reference()
    {
        var (rail, _) = await Unit("某铁路局集团公司", "transport");
        var (bank, _) = await Unit("某银行业监督管理分局", "finance");
        await Record(rail, Zhang, "high-speed-rail", reference: "铁限〔2026〕88号");
        await Record(rail, Hengda, "high-speed-rail", reference: "铁限〔2026〕89号", subject: "legal-representative"); // the company's legal representative rides the train
        await Record(bank, Hengda, "credit-strict-review");
        await _portal.ShieldAsync(Hengda);
        var lift = (await rail.GetFromJsonAsync<JsonElement>("/api/v1/measures/lifts"))[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await rail.PostAsJsonAsync($"/api/v1/measures/lifts/{lift}/ack",
            new { liftedOn = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd") })).StatusCode);

        var http = _portal.CreateClient();
        var kinds = await http.GetStringAsync("/statistics/measures-kinds.csv");
        Assert.Contains("限制乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位和列车软卧,2,1,1,100.0%", kinds);
        Assert.Contains("融资授信从严审核,1,0,0,—", kinds);
        var categories = await http.GetStringAsync("/statistics/measures-categories.csv");
        Assert.Contains("交通出行,2,1,1,100.0%", categories);
        Assert.Contains("金融监管与金融机构,1,0,0,—", categories);
        var delay = (await http.GetStringAsync("/statistics/measures-lift-delay.csv")).Split("\r\n");
        Assert.Equal("2,1,0,0,1,0,0,100.0%", delay[1]); // two notices: one lifted the same day, one not yet due
        var month = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM");
        Assert.Contains($"{month},3,2,1", await http.GetStringAsync("/statistics/measures-months.csv"));

        var page = await http.GetStringAsync("/statistics");
        Assert.Contains("联合惩戒措施的实施与解除", page);
        Assert.Contains("/statistics/measures-lift-delay.csv", page);
        foreach (var text in new[] { page, kinds, categories, string.Join("\n", delay) })
            foreach (var secret in new[] { "铁限", "张三", "恒达", Zhang, Hengda, await PublicIdOf(Hengda), "某铁路局" })
                Assert.DoesNotContain(secret, text);
    }
}
