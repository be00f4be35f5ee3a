using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Data.Persistence;
using Portal.Data.Privacy;

namespace Portal.Web.Hosting;

/// <summary>The portal refuses to start: the data and the keys it was written with do not belong together.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);

/// <summary>What the data directory held when this process first looked, before it wrote anything.</summary>
public sealed record DataDirectoryState(string Path, bool WasFresh);

/// <summary>
/// The data directory and the secrets in it: readable by the portal's user only, a key generated only together with a
/// new database, and a database never served with keys other than those it was written with. A lost key must stop the
/// portal: with a new one every ID search and bank check would answer "not listed", which looks like a real answer.
/// </summary>
public static class DataSafety
{
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const string HashKeyFile = "id-hash.key";
    public const string KeysFolder = "keys";

    /// <summary>
    /// Present from the first moment of a first start until its schema and key check are committed. Found at a start,
    /// it means a first start was killed midway (keys written, database not yet): nothing but that start's own files
    /// can be here, so they are cleared and the start begins again, instead of refusing forever as for a lost database.
    /// </summary>
    public const string FirstStartMarker = "first-start.incomplete";

    /// <summary>Creates the directory, or tightens an existing one and everything in it, to the owner alone.</summary>
    public static DataDirectoryState Prepare(string dataDirectory, bool embeddedDatabase)
    {
        var marker = Path.Combine(dataDirectory, FirstStartMarker);
        if (embeddedDatabase && File.Exists(marker)) // never with a server database, whose keys other nodes may share
        {
            foreach (var file in Directory.GetFiles(dataDirectory).Where(f => Path.GetFileName(f) != FirstStartMarker)) File.Delete(file);
            if (Directory.Exists(Path.Combine(dataDirectory, KeysFolder))) Directory.Delete(Path.Combine(dataDirectory, KeysFolder), recursive: true);
        }
        var database = Path.Combine(dataDirectory, "portal.db");
        var hasDatabase = File.Exists(database) && new FileInfo(database).Length > 0;
        var hasKeys = File.Exists(Path.Combine(dataDirectory, HashKeyFile))
                      || (Directory.Exists(Path.Combine(dataDirectory, KeysFolder)) && Directory.EnumerateFiles(Path.Combine(dataDirectory, KeysFolder)).Any());
        if (embeddedDatabase && hasKeys && !hasDatabase)
            throw new StartupRefusedException(
                $"数据目录 {dataDirectory} 中有密钥，但没有数据库 portal.db。可能是数据库文件丢失：请从备份恢复 portal.db；" +
                "若要重新开始，请使用一个空的数据目录（不会向已有密钥的目录写入演示数据）。");
        Tighten(dataDirectory);
        var fresh = !hasDatabase && !hasKeys;
        if (fresh && embeddedDatabase) File.WriteAllText(marker, "");
        if (!OperatingSystem.IsWindows()) Directory.CreateDirectory(Path.Combine(dataDirectory, KeysFolder), OwnerDirectory);
        return new DataDirectoryState(dataDirectory, WasFresh: fresh);
    }

    public const string KeyCertificateFile = "key-encryption.pfx";

    /// <summary>
    /// The password of the generated certificate: in the data directory, beside the keys folder, not in it, so that a
    /// backup (which copies the keys folder) can leave it out and the two secrets travel apart.
    /// </summary>
    public const string KeyCertificatePasswordFile = "key-encryption.password";

    /// <summary>
    /// The certificate that encrypts the Data Protection keys at rest: the configured one, or the keys folder's own,
    /// generated once (RSA 2048, self-signed, owner-only file) under a random password kept in
    /// <see cref="KeyCertificatePasswordFile"/> (or given as <c>Portal:KeyEncryptionCertificatePassword</c>). A certificate
    /// generated before it had a password gets one at this start. Every node sharing the keys folder needs both.
    /// </summary>
    public static X509Certificate2 KeyEncryptionCertificate(PortalOptions options, string dataDirectory)
    {
        if (options.KeyEncryptionCertificate is { Length: > 0 } configured)
            return X509CertificateLoader.LoadPkcs12FromFile(configured, options.KeyEncryptionCertificatePassword);
        var path = Path.Combine(dataDirectory, KeysFolder, KeyCertificateFile);
        var passwordPath = Path.Combine(dataDirectory, KeyCertificatePasswordFile);
        string? password = options.KeyEncryptionCertificatePassword is { Length: > 0 } given ? given
            : File.Exists(passwordPath) ? File.ReadAllText(passwordPath).Trim() : null;
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=portal data protection keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
            password ??= WritePassword(passwordPath);
            WriteOwnerOnly(path, created.Export(X509ContentType.Pkcs12, password));
        }
        try { return X509CertificateLoader.LoadPkcs12FromFile(path, password); }
        catch (CryptographicException) when (password is not null && TryLoad(path, null) is { } unprotected)
        {
            // Written by an earlier version without a password: protect it now (the password first, so a crash between the
            // two writes leaves a certificate that still opens without one and is protected at the next start).
            using (unprotected)
            {
                WriteOwnerOnly(path, unprotected.Export(X509ContentType.Pkcs12, password));
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }
        }
        catch (CryptographicException) when (password is null)
        {
            if (TryLoad(path, null) is { } unprotected)
            {
                using (unprotected) WriteOwnerOnly(path, unprotected.Export(X509ContentType.Pkcs12, password = WritePassword(passwordPath)));
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }
            throw new StartupRefusedException(
                $"密钥加密证书 {path} 受口令保护，但数据目录中没有口令文件 {KeyCertificatePasswordFile}，也未配置 Portal:KeyEncryptionCertificatePassword。" +
                "备份不含这一口令：请把另行保管的口令文件放回数据目录，或以 Portal:KeyEncryptionCertificatePassword 提供。");
        }
        catch (CryptographicException)
        {
            throw new StartupRefusedException($"无法用数据目录中的口令文件 {KeyCertificatePasswordFile}（或 Portal:KeyEncryptionCertificatePassword）打开密钥加密证书 {path}：口令不是这个证书的。");
        }
    }

    private static X509Certificate2? TryLoad(string path, string? password)
    {
        try { return X509CertificateLoader.LoadPkcs12FromFile(path, password); }
        catch (CryptographicException) { return null; }
    }

    private static string WritePassword(string path)
    {
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        WriteOwnerOnly(path, Encoding.ASCII.GetBytes(password));
        return password;
    }

    /// <summary>Whole or not at all, readable by the owner only from the first byte.</summary>
    private static void WriteOwnerOnly(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, content);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, OwnerFile);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The first start's schema and key check are committed: from now on keys without a database mean a lost database.</summary>
    public static void FirstStartCompleted(string dataDirectory)
    {
        if (File.Exists(Path.Combine(dataDirectory, FirstStartMarker))) File.Delete(Path.Combine(dataDirectory, FirstStartMarker));
    }

    /// <summary>
    /// Owner-only modes for the directory and every file below it; files this process creates from now on are
    /// owner-only from the start (new SQLite files inherit the database file's mode, but the search index's segment
    /// files are created by Lucene with the process's file mode mask).
    /// </summary>
    public static void Tighten(string dataDirectory)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(dataDirectory); return; }
        _ = Umask(0b000_111_111); // 077

        if (!Directory.Exists(dataDirectory)) Directory.CreateDirectory(dataDirectory, OwnerDirectory);
        File.SetUnixFileMode(dataDirectory, OwnerDirectory);
        foreach (var dir in Directory.EnumerateDirectories(dataDirectory, "*", SearchOption.AllDirectories)) SetMode(dir, OwnerDirectory);
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories)) SetMode(file, OwnerFile);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);

    // SQLite may remove a journal file between the listing and the change of its mode.
    private static void SetMode(string path, UnixFileMode mode)
    {
        try { File.SetUnixFileMode(path, mode); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { }
    }

    /// <summary>
    /// The secret of the keyed ID hash: configured (required with PostgreSQL), or the data directory's own file,
    /// generated only for a fresh directory, together with an empty owner-only database file.
    /// </summary>
    public static byte[] IdHashKey(PortalOptions options, DatabaseProviderKind provider, DataDirectoryState state)
    {
        if (!string.IsNullOrWhiteSpace(options.IdHashKey))
        {
            byte[] key;
            try { key = Convert.FromBase64String(options.IdHashKey); }
            catch (FormatException) { throw new StartupRefusedException("Portal:IdHashKey 不是有效的 Base64 文本"); }
            if (key.Length < 32) throw new StartupRefusedException("Portal:IdHashKey 至少需要32字节（Base64编码）");
            return key;
        }
        if (provider != DatabaseProviderKind.Sqlite)
            throw new StartupRefusedException("使用 PostgreSQL 或 SQL Server 时须配置 Portal:IdHashKey（Base64，至少32字节），各节点须一致");
        var path = Path.Combine(state.Path, HashKeyFile);
        if (!File.Exists(path))
        {
            if (!state.WasFresh)
                throw new StartupRefusedException(
                    $"数据目录 {state.Path} 中有数据库，但缺少身份证号码散列密钥 {HashKeyFile}。请从备份恢复该文件。" +
                    "不能以新密钥代替：已有条目的身份证号码将再也查不到，查询和银行核验会错误地答复“未列入”。");
            var database = Path.Combine(state.Path, "portal.db");
            if (!OperatingSystem.IsWindows())
            {
                using (File.Create(database)) { }
                File.SetUnixFileMode(database, OwnerFile);
            }
            File.WriteAllText(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, OwnerFile);
        }
        try { return Convert.FromBase64String(File.ReadAllText(path).Trim()); }
        catch (FormatException) { throw new StartupRefusedException($"{path} 已损坏（不是 Base64 文本），请从备份恢复"); }
    }

    /// <summary>
    /// Checks that the keys in use are those the data was written with, and records checks on first use: a keyed hash
    /// of a constant for the ID hash key, and a sentence encrypted with the Data Protection keys.
    /// </summary>
    public static async Task VerifyKeysAsync(PortalDbContext db, IdNumberProtection protection, byte[] hashKey, CancellationToken ct = default)
    {
        var settings = await db.Settings.ToDictionaryAsync(s => s.Name, s => s.Value, ct);
        var hashCheck = Convert.ToHexStringLower(HMACSHA256.HashData(hashKey, Encoding.ASCII.GetBytes("portal:id-hash-key-check")));
        if (settings.TryGetValue(PortalSetting.IdHashKeyCheck, out var storedHash) && storedHash != hashCheck)
            throw new StartupRefusedException(
                "身份证号码散列密钥（Portal:IdHashKey 或 id-hash.key）与写入这些数据时的密钥不同。请使用原来的密钥；" +
                "否则已有条目的身份证号码将查不到，查询和银行核验会错误地答复“未列入”。");
        if (settings.TryGetValue(PortalSetting.CipherKeyCheck, out var sentence))
        {
            if (!CanDecrypt(protection, sentence))
                throw new StartupRefusedException(
                    "无法用现有的数据保护密钥（数据目录下的 keys 文件夹）解密本库中的数据：密钥丢失或不是写入数据时的密钥。请从备份恢复 keys 文件夹；" +
                    "多个节点须共用同一套密钥。");
        }
        else if (await db.Entries.Where(e => e.IdNumberCipher != null).Select(e => e.IdNumberCipher).FirstOrDefaultAsync(ct) is { } existing
                 && !CanDecrypt(protection, existing))
            throw new StartupRefusedException("无法用现有的数据保护密钥解密已有条目的身份证号码：密钥丢失或不是写入数据时的密钥。请从备份恢复 keys 文件夹。");

        if (!settings.ContainsKey(PortalSetting.IdHashKeyCheck)) db.Settings.Add(new PortalSetting { Name = PortalSetting.IdHashKeyCheck, Value = hashCheck });
        if (!settings.ContainsKey(PortalSetting.CipherKeyCheck)) db.Settings.Add(new PortalSetting { Name = PortalSetting.CipherKeyCheck, Value = protection.EncryptCheck() });
        await db.SaveChangesAsync(ct);
    }

    private static bool CanDecrypt(IdNumberProtection protection, string cipherText)
    {
        try { protection.Decrypt(cipherText); return true; }
        catch (CryptographicException) { return false; }
    }
}
