using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Tests.Support;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Clients;

/// <summary>The OpenAPI document has an example for every operation, and the examples have the shape the API really answers with.</summary>
public class ApiDocumentationTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();
    private JsonElement _doc;

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person(), TestEntries.Organization())).Rejected);
        await _portal.WaitUntilReadyAsync();
        _doc = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        _doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));

    private JsonElement ResponseExample(string operationId)
    {
        var responses = Operations().Single(o => o.Operation.GetProperty("operationId").GetString() == operationId).Operation.GetProperty("responses");
        var ok = responses.TryGetProperty("200", out var found) ? found : responses.GetProperty("201"); // an operation that only creates answers 201
        return ok.GetProperty("content").EnumerateObject().First().Value.GetProperty("example");
    }

    /// <summary>Property paths of a JSON value (array elements merged), e.g. "results[].matches[].court".</summary>
    private static SortedSet<string> Shape(JsonElement e, string prefix = "")
    {
        var paths = new SortedSet<string>();
        if (e.ValueKind == JsonValueKind.Object)
            foreach (var p in e.EnumerateObject())
            {
                paths.Add(prefix + p.Name);
                paths.UnionWith(Shape(p.Value, prefix + p.Name + "."));
            }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray()) paths.UnionWith(Shape(item, prefix.TrimEnd('.') + "[]."));
        return paths;
    }

    private static void AssertSameShape(JsonElement documented, JsonElement actual)
    {
        var (doc, real) = (Shape(documented), Shape(actual));
        Assert.True(doc.SetEquals(real), $"only documented: {string.Join(", ", doc.Except(real))}; only real: {string.Join(", ", real.Except(doc))}");
    }

    [Fact]
    public void Every_api_operation_has_an_example_and_client_operations_name_the_key()
    {
        var api = Operations().Where(o => o.Path.StartsWith("/api/v1")).ToList();
        Assert.True(api.Count >= 10, $"{api.Count} operations");
        foreach (var (path, method, op) in api)
        {
            Assert.True(op.TryGetProperty("operationId", out _), $"{method} {path} has no operationId");
            Assert.Contains(ResponseExample(op.GetProperty("operationId").GetString()!).ValueKind, new[] { JsonValueKind.Object, JsonValueKind.Array, JsonValueKind.String });
            var secured = op.TryGetProperty("security", out _);
            Assert.Equal(path is "/api/v1/changes" or "/api/v1/export" or "/api/v1/takedowns" or "/api/v1/takedowns/{id}/ack" or "/api/v1/verify"
                or "/api/v1/verify/closures" or "/api/v1/verify/receipts/{id}/check"
                || (path.StartsWith("/api/v1/measures", StringComparison.Ordinal) && path != "/api/v1/measures/catalogue")
                || path.StartsWith("/api/v1/watchlist", StringComparison.Ordinal), secured);
            if (secured) Assert.True(op.GetProperty("responses").TryGetProperty("401", out _), $"{path} does not document 401");
        }
        Assert.Equal("X-Api-Key", _doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_verify_example_request_works_and_the_answer_has_the_documented_shape()
    {
        var bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify")).Key);
        var example = Portal.Web.Hosting.ApiDocumentation.RequestExamples["Verify"];
        var response = await bank.PostAsync("/api/v1/verify", new StringContent(example, Encoding.UTF8, "application/json"));
        var actual = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["listed", "listed", "invalid"], actual.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        var documented = ResponseExample("Verify");
        Assert.Equal(Shape(documented), Shape(actual).Union(Shape(documented).Where(p => p.EndsWith("errorCode") || p.EndsWith(".error"))).ToHashSet().Order().ToHashSet());
    }

    [Fact]
    public async Task The_application_example_request_is_received_and_both_answers_have_the_documented_shape()
    {
        // The example applies to a listing of 2019: under the 2017 provisions there is no period for applying.
        using var portal = new PortalFactory { Settings = new() { ["Applications:Rules"] = "spc2017" } };
        Assert.Empty((await portal.ImportAsync(TestEntries.Person())).Rejected);
        await portal.WaitUntilReadyAsync();
        var response = await portal.CreateClient().PostAsync("/api/v1/applications",
            new StringContent(Portal.Web.Hosting.ApiDocumentation.RequestExamples["SubmitApplication"], Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        AssertSameShape(ResponseExample("SubmitApplication"), created);
        var tracked = await portal.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/applications/{created.GetProperty("trackingCode").GetString()}");
        AssertSameShape(ResponseExample("GetApplication"), tracked);
    }

    [Fact]
    public async Task The_feed_takedown_and_notice_examples_have_the_shape_of_real_answers()
    {
        var reprinter = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "reprinter", "feed,takedown")).Key);
        await reprinter.GetAsync("/api/v1/changes");
        await _portal.ShieldAsync("（2019）豫0311执1234号");
        var feed = await reprinter.GetFromJsonAsync<JsonElement>("/api/v1/changes");
        AssertSameShape(ResponseExample("GetChanges"), feed);
        var takedowns = await reprinter.GetFromJsonAsync<JsonElement>("/api/v1/takedowns");
        AssertSameShape(ResponseExample("ListTakedowns"), takedowns);
        var notices = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/notices");
        AssertSameShape(ResponseExample("GetRemovalNotices"), notices);
        var entries = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("恒达"));
        // A name that is a debtor's and an organization's legal representative's: both parts of the answer.
        var namesake = TestEntries.Person("王建国", "110101194912310016", "（2021）豫0105执9号");
        (namesake.PerformanceStatus, namesake.PerformedPart) = ("partial", new Portal.Data.Entries.PartInput(10000m, "已扣划存款"));
        Assert.Empty((await _portal.ImportAsync(namesake)).Rejected);
        AssertSameShape(ResponseExample("SearchEntries"), await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("王建国")));
        var another = TestEntries.Organization();
        another.CaseNumber = "（2021）豫0311执77号";
        Assert.Empty((await _portal.ImportAsync(another)).Rejected);
        var id = entries.GetProperty("items")[0].GetProperty("publicId").GetString();
        var related = await _portal.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/entries/{id}/related");
        AssertSameShape(ResponseExample("GetRelatedEntries"), related);
    }

    [Fact]
    public async Task The_receipt_check_and_closure_examples_have_the_shape_of_real_answers()
    {
        var bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "verify")).Key);
        var verified = await (await bank.PostAsync("/api/v1/verify", new StringContent(Portal.Web.Hosting.ApiDocumentation.RequestExamples["Verify"], Encoding.UTF8, "application/json")))
            .Content.ReadFromJsonAsync<JsonElement>();
        var check = await bank.PostAsync($"/api/v1/verify/receipts/{verified.GetProperty("receipt").GetProperty("id").GetString()}/check",
            new StringContent(Portal.Web.Hosting.ApiDocumentation.RequestExamples["CheckVerificationReceipt"], Encoding.UTF8, "application/json"));
        AssertSameShape(ResponseExample("CheckVerificationReceipt"), await check.Content.ReadFromJsonAsync<JsonElement>());

        foreach (var day in new[] { "0316", "0317", "0318" }) // three wrong numbers of 张三's family close it for this bank
        {
            var first17 = $"41270219840{day[1..]}151";
            await bank.PostAsJsonAsync("/api/v1/entries/search", new { q = first17 + IdNumber.CheckCharacter(first17) });
        }
        AssertSameShape(ResponseExample("ListIdFamilyClosures"), await bank.GetFromJsonAsync<JsonElement>("/api/v1/verify/closures"));
    }

    [Fact]
    public async Task The_measure_examples_work_and_every_answer_has_the_documented_shape()
    {
        var (issued, errors) = await _portal.Services.GetRequiredService<Portal.Web.Clients.ApiClients>().CreateAsync(
            new Portal.Web.Clients.ClientRegistration { Name = "某民航管理局", Kind = "unit", Scopes = "measures", Category = "transport" }, "admin");
        Assert.True(issued is not null, string.Join("；", errors));
        var unit = ClientSupport.WithKey(_portal, issued!.Key);
        var today = ChinaTime.Today(TimeProvider.System).ToString("yyyy-MM-dd");
        AssertSameShape(ResponseExample("GetMeasureCatalogue"), await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/measures/catalogue"));

        var publicId = (await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("张三"))).GetProperty("items")[0].GetProperty("publicId").GetString()!;
        string Example(string id) => Portal.Web.Hosting.ApiDocumentation.RequestExamples[id].Replace("4ds3sgyb5cnp7j5t", publicId).Replace("2026-11-19", today).Replace("2026-11-23", today);
        var recorded = await unit.PostAsync("/api/v1/measures", new StringContent(Example("RecordMeasure"), Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, recorded.StatusCode);
        var measure = await recorded.Content.ReadFromJsonAsync<JsonElement>();
        AssertSameShape(ResponseExample("RecordMeasure"), measure);
        AssertSameShape(ResponseExample("ListMeasures"), await unit.GetFromJsonAsync<JsonElement>("/api/v1/measures"));
        var batch = await unit.PostAsync("/api/v1/measures/batch", new StringContent($"publicId,measure,appliedOn\n{publicId},high-speed-rail,{today}\n{publicId},tendering,{today}\n", Encoding.UTF8, "text/csv"));
        var batched = await batch.Content.ReadFromJsonAsync<JsonElement>();
        AssertSameShape(ResponseExample("RecordMeasureBatch"), batched);
        var withdrawn = await unit.DeleteAsync($"/api/v1/measures/{batched.GetProperty("measures")[1].GetProperty("id").GetInt64()}");
        AssertSameShape(ResponseExample("WithdrawMeasure"), await withdrawn.Content.ReadFromJsonAsync<JsonElement>());
        var objection = await unit.PostAsync($"/api/v1/measures/{batched.GetProperty("measures")[0].GetProperty("id").GetInt64()}/objection",
            new StringContent(Example("ForwardObjection"), Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, objection.StatusCode);
        AssertSameShape(ResponseExample("ForwardObjection"), await objection.Content.ReadFromJsonAsync<JsonElement>());

        await _portal.ShieldAsync("（2019）豫0311执1234号");
        var lifts = await unit.GetFromJsonAsync<JsonElement>("/api/v1/measures/lifts");
        AssertSameShape(ResponseExample("ListMeasureLifts"), lifts);
        AssertSameShape(ResponseExample("GetMeasureEvents"), await unit.GetFromJsonAsync<JsonElement>("/api/v1/measures/events"));
        var ack = await unit.PostAsync($"/api/v1/measures/lifts/{lifts[0].GetProperty("id").GetInt64()}/ack", new StringContent(Example("AcknowledgeMeasureLift"), Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, ack.StatusCode);
        AssertSameShape(ResponseExample("AcknowledgeMeasureLift"), await ack.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task The_watch_examples_work_and_every_answer_has_the_documented_shape()
    {
        var bank = ClientSupport.WithKey(_portal, (await ClientSupport.Register(_portal, "bank", "watch")).Key);
        var registered = await bank.PostAsync("/api/v1/watchlist", new StringContent(Portal.Web.Hosting.ApiDocumentation.RequestExamples["RegisterWatchedSubjects"], Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, registered.StatusCode);
        var done = await registered.Content.ReadFromJsonAsync<JsonElement>();
        AssertSameShape(ResponseExample("RegisterWatchedSubjects"), done);
        Assert.Equal(2, done.GetProperty("alreadyListed").GetInt32()); // the example's two subjects are the fixture's listed person and company
        var csv = await bank.PostAsync("/api/v1/watchlist/batch", new StringContent("reference,name,idNumber\nC-9,李四,110101199003074514\n", Encoding.UTF8, "text/csv"));
        AssertSameShape(ResponseExample("RegisterWatchedSubjectsCsv"), await csv.Content.ReadFromJsonAsync<JsonElement>());
        AssertSameShape(ResponseExample("ListWatchedSubjects"), await bank.GetFromJsonAsync<JsonElement>("/api/v1/watchlist?limit=1"));
        AssertSameShape(ResponseExample("GetWatchedSubject"), await bank.GetFromJsonAsync<JsonElement>("/api/v1/watchlist/C-000123"));
        var events = await bank.GetFromJsonAsync<JsonElement>("/api/v1/watchlist/events");
        AssertSameShape(ResponseExample("GetWatchEvents"), events);
        AssertSameShape(ResponseExample("RemoveWatchedSubject"), await (await bank.DeleteAsync("/api/v1/watchlist/C-9")).Content.ReadFromJsonAsync<JsonElement>());
        AssertSameShape(ResponseExample("ClearWatchedSubjects"), await (await bank.DeleteAsync("/api/v1/watchlist")).Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task The_display_screen_example_has_the_shape_of_a_real_answer()
    {
        var screen = await _portal.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/display/" + Uri.EscapeDataString("豫03") + "?per=1");
        Assert.Equal(1, screen.GetProperty("items").GetArrayLength()); // the shape is read from a real item
        AssertSameShape(ResponseExample("GetCourtScreen"), screen);
    }
}
