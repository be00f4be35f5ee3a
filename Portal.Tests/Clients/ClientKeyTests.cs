using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Persistence;
using Portal.Tests.Support;
using Portal.Web.Cli;
using Portal.Web.Clients;

namespace Portal.Tests.Clients;

/// <summary>API keys: shown once, stored hashed, scoped, rotated and revoked; 401/403 as ProblemDetails; limits per key.</summary>
public class ClientKeyTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();

    public async Task InitializeAsync()
    {
        Assert.Empty((await _portal.ImportAsync(TestEntries.Person())).Rejected);
        await _portal.WaitUntilReadyAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", problem.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task Without_a_valid_key_for_the_scope_the_answer_is_401_or_403()
    {
        var bank = await ClientSupport.Register(_portal, "bank", "verify");
        await AssertProblem(await _portal.CreateClient().GetAsync("/api/v1/changes"), HttpStatusCode.Unauthorized, "api_key_missing");
        await AssertProblem(await ClientSupport.WithKey(_portal, "pk_abcdefgh_notakey").GetAsync("/api/v1/changes"), HttpStatusCode.Unauthorized, "api_key_invalid");
        var forged = bank.Key[..^3] + (bank.Key[^3..] == "AAA" ? "BBB" : "AAA");
        await AssertProblem(await ClientSupport.WithKey(_portal, forged).GetAsync("/api/v1/changes"), HttpStatusCode.Unauthorized, "api_key_invalid");
        await AssertProblem(await ClientSupport.WithKey(_portal, bank.Key).GetAsync("/api/v1/changes"), HttpStatusCode.Forbidden, "scope_missing");
        await AssertProblem(await ClientSupport.WithKey(_portal, bank.Key).PostAsync("/api/v1/takedowns/1/ack", null), HttpStatusCode.Forbidden, "scope_missing");
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, bank.Key).PostAsJsonAsync("/api/v1/verify",
            new { subjects = new[] { new { name = "张三", idNumber = "412702198403151512" } } })).StatusCode);
    }

    [Fact]
    public async Task The_key_is_stored_only_as_a_hash()
    {
        var unit = await ClientSupport.Register(_portal, "unit", "feed", webhook: "https://hooks.example.com/portal");
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, unit.Key).GetAsync("/api/v1/changes")).StatusCode);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiClients.AsNoTracking().SingleAsync(c => c.Id == unit.Client.Id);
            Assert.NotEqual(unit.Key, row.KeyHash);
            Assert.DoesNotContain(unit.WebhookSecret!, row.WebhookSecretCipher);
        }
        // Nothing in the data directory holds the key or the webhook secret as written.
        var secret = unit.WebhookSecret!;
        foreach (var file in Directory.GetFiles(_portal.DataDirectory, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            catch (FileNotFoundException) { continue; } // a SQLite side file that went away meanwhile
            var text = Encoding.ASCII.GetString(bytes);
            Assert.DoesNotContain(unit.Key, text);
            Assert.DoesNotContain(unit.Key[12..], text);
            Assert.DoesNotContain(secret[6..], text);
        }
    }

    [Fact]
    public async Task Rotating_replaces_the_key_at_once_and_revoking_ends_it()
    {
        var media = await ClientSupport.Register(_portal, "media", "feed");
        var clients = _portal.Services.GetRequiredService<ApiClients>();
        var (rotated, error) = await clients.RotateAsync(media.Client.Id, "test-admin");
        Assert.Null(error);
        Assert.NotEqual(media.Key, rotated!.Key);
        await AssertProblem(await ClientSupport.WithKey(_portal, media.Key).GetAsync("/api/v1/changes"), HttpStatusCode.Unauthorized, "api_key_invalid");
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, rotated.Key).GetAsync("/api/v1/changes")).StatusCode);

        Assert.Null(await clients.RevokeAsync(media.Client.Id, "test-admin"));
        await AssertProblem(await ClientSupport.WithKey(_portal, rotated.Key).GetAsync("/api/v1/changes"), HttpStatusCode.Unauthorized, "api_key_invalid");
        Assert.NotNull((await clients.RotateAsync(media.Client.Id, "test-admin")).Error);

        await using var scope = _portal.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.Select(r => r.Action).ToListAsync();
        Assert.Contains("create-client", actions);
        Assert.Contains("rotate-client-key", actions);
        Assert.Contains("revoke-client", actions);
    }

    [Theory]
    [InlineData("", "unit", "feed", "单位名称")]
    [InlineData("某行", "bakery", "feed", "类型")]
    [InlineData("某行", "bank", "feed,print", "未知的权限")]
    [InlineData("某行", "bank", "", "至少需要一项权限")]
    public async Task A_bad_registration_is_refused_in_chinese_and_stores_nothing(string name, string kind, string scopes, string message)
    {
        _ = _portal.Server;
        var (issued, errors) = await _portal.Services.GetRequiredService<ApiClients>().CreateAsync(
            new ClientRegistration { Name = name, Kind = kind, Scopes = scopes }, "test-admin");
        Assert.Null(issued);
        Assert.Contains(errors, e => e.Contains(message));
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiClients.CountAsync());
    }

    [Fact]
    public async Task Each_key_has_its_own_rate_limit()
    {
        var limited = await ClientSupport.Register(_portal, "media", "feed", rate: 3);
        var other = await ClientSupport.Register(_portal, "media", "feed", rate: 3);
        var client = ClientSupport.WithKey(_portal, limited.Key);
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/changes")).StatusCode);
        var refused = await client.GetAsync("/api/v1/changes");
        await AssertProblem(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single()) > 0);
        // Another key, and anonymous callers from the same address, are not held back by it.
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(_portal, other.Key).GetAsync("/api/v1/changes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _portal.CreateClient().GetAsync("/api/v1/entries")).StatusCode);
    }
}

/// <summary>The <c>client</c> verb, as a script would run it.</summary>
public class ClientCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(int Exit, string Out)> Run(params string[] args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try { return (await PortalCommands.RunAsync([.. args, $"--Portal:DataDirectory={_dir.Path}"]), output.ToString()); }
        finally { Console.SetOut(original); }
    }

    [Fact]
    public async Task Client_create_prints_the_key_alone_on_the_last_line_and_the_key_works()
    {
        var (exit, output) = await Run("client", "create", "--kind", "reprinter", "--name", "某某信用网");
        Assert.Equal(0, exit);
        var key = output.TrimEnd().Split('\n')[^1].Trim();
        Assert.Matches("^pk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$", key);

        using var portal = new PortalFactory { DataDirectoryOf = _dir.Path };
        await portal.WaitUntilReadyAsync();
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(portal, key).GetAsync("/api/v1/changes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ClientSupport.WithKey(portal, key).GetAsync("/api/v1/takedowns")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ClientSupport.WithKey(portal, key).PostAsJsonAsync("/api/v1/verify", new { subjects = Array.Empty<object>() })).StatusCode);
    }

    [Fact]
    public async Task Client_create_with_a_bad_kind_exits_2()
    {
        var (exit, output) = await Run("client", "create", "--kind", "bakery", "--name", "某店");
        Assert.Equal(2, exit);
        Assert.DoesNotContain("pk_", output);
    }
}
