using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Data.Persistence;

namespace Portal.Web.Hosting;

/// <summary>
/// Backs up and restores the embedded default: a consistent copy of the SQLite database taken while the portal serves
/// (SQLite's online backup), with what the data cannot be read without (the ID hash key, the Data Protection keys) and
/// the calendar overrides. The search index is not needed: it is rebuilt from the database at start. A PostgreSQL
/// deployment is backed up with pg_dump, and its keys from wherever the nodes share them. The password of the
/// certificate that encrypts the keys is never copied: with it beside them a stolen backup would open; it is kept apart
/// and put back at a restore.
/// </summary>
public static class DataBackup
{
    public const string Manifest = "backup.json";
    private static readonly string[] Folders = [DataSafety.KeysFolder, "calendar"];

    public sealed record Summary(DateTime At, int SchemaVersion, long Entries, string[] Files);

    /// <summary>What a backup leaves out on purpose and where it is, in words for the operator (null when nothing is).</summary>
    public static string? Withheld(PortalOptions options, string dataDirectory) => options.KeyEncryptionCertificate is { Length: > 0 } configured
        ? $"未复制：密钥加密证书 {configured}（由 Portal:KeyEncryptionCertificate 配置）及其口令。keys/ 中的数据保护密钥由它加密，请另行保管，不要与本备份放在一起。"
        : $"未复制：密钥加密证书的口令 {Path.Combine(dataDirectory, DataSafety.KeyCertificatePasswordFile)}。keys/ 中的数据保护密钥由证书 keys/{DataSafety.KeyCertificateFile} 加密，" +
          "证书受这一口令保护：请把口令另行保管（离线介质或密码管理器），不要与本备份放在一起；恢复后把它放回数据目录" +
          $"（{DataSafety.KeyCertificatePasswordFile}），或以 Portal:KeyEncryptionCertificatePassword 提供，门户才能读出数据。";

    public static async Task<Summary> BackupAsync(string dataDirectory, string target, TimeProvider clock, CancellationToken ct = default)
    {
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
            throw new StartupRefusedException($"备份目录 {target} 不是空的；请指定一个新的或空的目录");
        DataSafety.Tighten(target);
        await using (var source = new SqliteConnection(DatabaseProvider.SqliteConnectionString(dataDirectory)))
        await using (var copy = new SqliteConnection(DatabaseProvider.SqliteConnectionString(target)))
        {
            await source.OpenAsync(ct);
            await copy.OpenAsync(ct);
            source.BackupDatabase(copy); // pages copied under SQLite's lock: consistent while writers go on
        }
        SqliteConnection.ClearAllPools();
        File.Copy(Path.Combine(dataDirectory, DataSafety.HashKeyFile), Path.Combine(target, DataSafety.HashKeyFile));
        foreach (var folder in Folders.Where(f => Directory.Exists(Path.Combine(dataDirectory, f))))
        {
            Directory.CreateDirectory(Path.Combine(target, folder));
            foreach (var file in Directory.GetFiles(Path.Combine(dataDirectory, folder)))
                File.Copy(file, Path.Combine(target, folder, Path.GetFileName(file)));
        }
        long entries;
        int version;
        await using (var db = new PortalDbContext(DatabaseProvider.Options(DatabaseProviderKind.Sqlite, DatabaseProvider.SqliteConnectionString(target))))
        {
            entries = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.LongCountAsync(db.Entries, ct);
            version = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.MaxAsync(db.SchemaVersions, v => v.Version, ct);
        }
        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(target, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(target, f)).Order().ToArray();
        var summary = new Summary(clock.GetUtcNow().UtcDateTime, version, entries, files);
        await File.WriteAllTextAsync(Path.Combine(target, Manifest), JsonSerializer.Serialize(summary, JsonSerializerOptions.Web), ct);
        DataSafety.Tighten(target);
        return summary;
    }

    /// <summary>
    /// Restores a backup into a data directory that holds no data yet (never over a live one), with the certificate's
    /// password from where it was kept apart (<paramref name="certificatePassword"/>, a file), if given.
    /// </summary>
    public static Summary Restore(string backup, string dataDirectory, string? certificatePassword = null)
    {
        var manifest = Path.Combine(backup, Manifest);
        if (!File.Exists(manifest) || !File.Exists(Path.Combine(backup, "portal.db")) || !File.Exists(Path.Combine(backup, DataSafety.HashKeyFile)))
            throw new StartupRefusedException($"{backup} 不是门户的备份（缺少 {Manifest}、portal.db 或 {DataSafety.HashKeyFile}）");
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
            throw new StartupRefusedException($"数据目录 {dataDirectory} 已有内容；恢复只写入空的数据目录，请先移走现有数据或换一个目录");
        DataSafety.Tighten(dataDirectory);
        foreach (var file in Directory.GetFiles(backup, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) != Manifest))
        {
            var to = Path.Combine(dataDirectory, Path.GetRelativePath(backup, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        if (certificatePassword is not null) File.Copy(certificatePassword, Path.Combine(dataDirectory, DataSafety.KeyCertificatePasswordFile));
        DataSafety.Tighten(dataDirectory);
        return JsonSerializer.Deserialize<Summary>(File.ReadAllText(manifest), JsonSerializerOptions.Web)!;
    }
}
