using System.Net;
using Portal.Tests.Support;
using Portal.Web.Hosting;

namespace Portal.Tests.Privacy;

/// <summary>The data directory is the portal's alone, and its data is never served with keys other than those that wrote it.</summary>
public class DataDirectoryTests
{
    private const UnixFileMode OthersAndGroup = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>A data directory with one imported person in it, written by a portal that has stopped.</summary>
    private static async Task<TempDirectory> WrittenDataDirectory()
    {
        var dir = new TempDirectory();
        using var portal = new PortalFactory { DataDirectoryOf = dir.Path };
        await portal.ImportAsync(TestEntries.Person());
        await portal.WaitUntilReadyAsync();
        return dir;
    }

    /// <summary>Runs the real portal executable with these arguments on the directory; returns its exit code and stderr.</summary>
    private static async Task<(int ExitCode, string Error)> RunPortal(string dataDirectory, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Portal.Web.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add($"--Portal:DataDirectory={dataDirectory}");
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new Xunit.Sdk.XunitException("the portal kept running instead of refusing"); }
        return (process.ExitCode, await stderr);
    }

    /// <summary>Starts the real server on the directory; it must exit with 1 and say why on stderr.</summary>
    private static async Task<string> RefusalOf(string dataDirectory)
    {
        var (exitCode, error) = await RunPortal(dataDirectory, "--Urls=http://127.0.0.1:0", "--Portal:SeedDemoData=false");
        Assert.Equal(1, exitCode);
        Assert.StartsWith("门户未启动：", error);
        return error;
    }

    [Fact]
    public async Task The_directory_and_every_file_in_it_are_readable_by_the_portal_user_only()
    {
        using var dir = await WrittenDataDirectory();
        using var portal = new PortalFactory { DataDirectoryOf = dir.Path };
        await portal.ImportAsync(TestEntries.Organization()); // the database is open and written: WAL files exist
        var paths = new[] { dir.Path }.Concat(Directory.EnumerateFileSystemEntries(dir.Path, "*", SearchOption.AllDirectories)).ToList();
        Assert.Contains(paths, p => p.EndsWith("portal.db"));
        Assert.Contains(paths, p => p.EndsWith("id-hash.key"));
        Assert.Contains(paths, p => p.Contains("/keys/key-"));
        foreach (var path in paths) Assert.True((File.GetUnixFileMode(path) & OthersAndGroup) == 0, $"{path}: {File.GetUnixFileMode(path)}");
    }

    [Fact]
    public async Task A_fresh_directory_is_created_owner_only()
    {
        using var parent = new TempDirectory();
        var path = Path.Combine(parent.Path, "new-data");
        using var portal = new PortalFactory { DataDirectoryOf = path };
        await portal.ImportAsync(TestEntries.Person());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(path, "portal.db")));
    }

    [Fact]
    public async Task A_lost_id_hash_key_stops_the_portal_instead_of_answering_not_listed()
    {
        using var dir = await WrittenDataDirectory();
        File.Delete(Path.Combine(dir.Path, "id-hash.key"));
        Assert.Contains("id-hash.key", await RefusalOf(dir.Path));
        Assert.False(File.Exists(Path.Combine(dir.Path, "id-hash.key"))); // no new key was made in its place
    }

    [Fact]
    public async Task A_different_id_hash_key_stops_the_portal()
    {
        using var dir = await WrittenDataDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "id-hash.key"), Convert.ToBase64String(new byte[32]));
        Assert.Contains("密钥不同", await RefusalOf(dir.Path));
    }

    [Fact]
    public async Task The_data_protection_keys_are_encrypted_at_rest_and_the_portal_reads_them_again()
    {
        using var dir = await WrittenDataDirectory();
        var keys = Directory.GetFiles(Path.Combine(dir.Path, "keys"), "key-*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key);
            Assert.Contains("<encryptedSecret", xml); // encrypted with the certificate …
            Assert.DoesNotContain("<masterKey", xml.Split("<encryptedSecret")[0] + xml.Split("</encryptedSecret>")[^1]); // … the key itself nowhere in the clear
        }
        var certificate = Path.Combine(dir.Path, "keys", DataSafety.KeyCertificateFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate));

        // A restart reads the encrypted keys: the stored ID number still decrypts, so the key check passes and search works.
        using var again = new PortalFactory { DataDirectoryOf = dir.Path };
        await again.WaitUntilReadyAsync();
        var found = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(again.CreateClient(), "/api/v1/entries/search", new { q = "412702198403151512" });
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains("4127021984****1512", await found.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lost_data_protection_keys_stop_the_portal()
    {
        using var dir = await WrittenDataDirectory();
        Directory.Delete(Path.Combine(dir.Path, "keys"), recursive: true);
        Assert.Contains("数据保护密钥", await RefusalOf(dir.Path));
    }

    [Fact]
    public async Task A_lost_database_beside_its_keys_stops_the_portal_instead_of_seeding()
    {
        using var dir = await WrittenDataDirectory();
        foreach (var f in Directory.EnumerateFiles(dir.Path, "portal.db*")) File.Delete(f);
        Assert.Contains("没有数据库", await RefusalOf(dir.Path));
        Assert.False(File.Exists(Path.Combine(dir.Path, "portal.db")));
    }

    [Fact]
    public async Task A_command_line_verb_refuses_a_directory_whose_key_is_lost()
    {
        using var dir = await WrittenDataDirectory();
        File.Delete(Path.Combine(dir.Path, "id-hash.key"));
        var (exitCode, error) = await RunPortal(dir.Path, "audit", "verify");
        Assert.Equal(1, exitCode);
        Assert.Contains("id-hash.key", error);
    }

    [Fact]
    public async Task A_restart_with_the_same_keys_serves_the_data()
    {
        using var dir = await WrittenDataDirectory();
        using var restarted = new PortalFactory { DataDirectoryOf = dir.Path };
        var response = await restarted.CreateClient().PostAsync("/api/v1/entries/search",
            System.Net.Http.Json.JsonContent.Create(new { q = "412702198403151512" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("4127021984****1512", await response.Content.ReadAsStringAsync());
    }
}
