using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Data.Persistence;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>The portal on a real PostgreSQL server (started by ./test.sh on loopback).</summary>
public class PostgresTests
{
    [Fact]
    public async Task A_fresh_postgres_database_matches_the_model()
    {
        using var database = PostgresDatabase.Create();
        await SchemaTests.AssertMatchesModel(DatabaseProviderKind.Postgres, database.ConnectionString);
    }

    [Fact]
    public async Task A_version_1_postgres_database_upgrades_to_the_model()
    {
        using var database = PostgresDatabase.Create();
        await SchemaTests.AssertMatchesModel(DatabaseProviderKind.Postgres, database.ConnectionString, upgradeFromVersion1: true);
    }

    [Fact]
    public async Task Import_search_and_detail_work_on_postgres()
    {
        using var portal = new PostgresPortalFactory();
        var shielded = TestEntries.Person("王小明", "11010519491231002X", "（2018）京0105执77号");
        shielded.Status = "shielded";
        var report = await portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), shielded);
        Assert.Empty(report.Rejected);
        await portal.WaitUntilReadyAsync();
        var client = portal.CreateClient();

        var byName = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("张三"));
        Assert.Equal(1, byName.GetProperty("total").GetInt64());
        var byId = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=412702840315151");
        Assert.Equal("张三", byId.GetProperty("items")[0].GetProperty("name").GetString());
        var byCase = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("(2020)豫0311执2001"));
        Assert.Equal("洛阳市恒达建筑工程有限公司", byCase.GetProperty("items")[0].GetProperty("name").GetString());
        var browse = await client.GetFromJsonAsync<JsonElement>("/api/v1/entries");
        Assert.Equal(2, browse.GetProperty("total").GetInt64());

        var publicId = byName.GetProperty("items")[0].GetProperty("publicId").GetString();
        var detail = await client.GetAsync($"/entries/{publicId}");
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.DoesNotContain("412702198403151512", await detail.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
