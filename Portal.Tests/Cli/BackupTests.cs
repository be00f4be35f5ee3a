using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data.Entries;
using Portal.Tests.Support;
using Portal.Web.Cli;
using Portal.Web.Lifecycle;

namespace Portal.Tests.Cli;

/// <summary>backup while the portal serves and writes, restore into an empty directory, and the portal runs on the copy.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly TempDirectory _backups = new(), _restored = new();

    public void Dispose()
    {
        _backups.Dispose();
        _restored.Dispose();
    }

    [Fact]
    public async Task A_backup_taken_while_the_portal_writes_restores_to_a_portal_that_reads_everything()
    {
        using var portal = new PortalFactory();
        Assert.Empty((await portal.ImportAsync(TestEntries.Person(), TestEntries.Organization(), TestEntries.Person("王五", "440304199001011233", "（2021）粤0305执10号"))).Rejected);
        await portal.WaitUntilReadyAsync();
        await portal.ShieldAsync("（2020）豫0311执2001号");
        var bankKey = (await Portal.Tests.Clients.ClientSupport.Register(portal, "bank", "verify")).Key;

        // The portal keeps writing (shield, re-publish, again and again) while the backup copies the database.
        var actions = portal.Services.GetRequiredService<EntryActions>();
        var id = await portal.IdOfAsync("（2019）豫0311执1234号");
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await actions.ApplyAsync(id, EntryActions.Shield(RemovalGround.Performed, ChinaTime.Today(TimeProvider.System)), "rev");
                await actions.ApplyAsync(id, EntryActions.Republish("测试"), "rev");
            }
        });
        var target = Path.Combine(_backups.Path, "b1");
        Assert.Equal(0, await PortalCommands.RunAsync(["backup", target, $"--Portal:DataDirectory={portal.DataDirectory}"]));
        await stop.CancelAsync();
        await writer;
        Assert.True(File.Exists(Path.Combine(target, "backup.json")));
        Assert.NotEqual(0, await PortalCommands.RunAsync(["backup", target, $"--Portal:DataDirectory={portal.DataDirectory}"])); // never over a backup

        // The certificate's password stays apart from the keys it protects: not in the backup.
        var password = Path.Combine(portal.DataDirectory, "key-encryption.password");
        Assert.True(File.Exists(password));
        Assert.True(File.Exists(Path.Combine(target, "keys", "key-encryption.pfx")));
        Assert.Empty(Directory.GetFiles(target, "*password*", SearchOption.AllDirectories));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(target, "keys", "key-encryption.pfx"), null));

        // Restored without it, the copy cannot be opened and says why; with it, everything reads.
        var withoutPassword = Path.Combine(_backups.Path, "without-password");
        Assert.Equal(1, await PortalCommands.RunAsync(["restore", target, $"--Portal:DataDirectory={withoutPassword}"]));
        Assert.Equal(0, await PortalCommands.RunAsync(["restore", target, "--certificate-password", password, $"--Portal:DataDirectory={_restored.Path}"]));
        Assert.Equal(2, await PortalCommands.RunAsync(["restore", target, $"--Portal:DataDirectory={_restored.Path}"])); // never over data
        Assert.Equal(0, await PortalCommands.RunAsync(["audit", "verify", $"--Portal:DataDirectory={_restored.Path}"])); // the hash chain is whole

        using var copy = new PortalFactory { DataDirectoryOf = _restored.Path };
        await copy.WaitUntilReadyAsync();
        var http = copy.CreateClient();
        // The keys came along: an exact ID number is found by a bank (keyed hash) and the entry reads (encrypted ID decrypts to its mask).
        http.DefaultRequestHeaders.Add("X-Api-Key", bankKey);
        var byId = await (await http.PostAsJsonAsync("/api/v1/entries/search", new { q = "440304199001011233" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, byId.GetProperty("total").GetInt64());
        Assert.Equal("4403041990****1233", byId.GetProperty("items")[0].GetProperty("idNumberMasked").GetString());
        var company = await http.GetFromJsonAsync<JsonElement>("/api/v1/entries?q=" + Uri.EscapeDataString("恒达建筑"));
        Assert.Equal(0, company.GetProperty("total").GetInt64()); // still shielded in the copy
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
    }
}
