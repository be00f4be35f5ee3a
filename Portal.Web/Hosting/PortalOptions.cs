using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Hosting;

/// <summary>The <c>Portal</c> configuration section.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Where the embedded database, the search index and the keys live.</summary>
    [Required] public string DataDirectory { get; set; } = "./data";

    /// <summary>Seed an empty embedded database with demo entries on first start.</summary>
    public bool SeedDemoData { get; set; } = true;

    [Range(0, 10_000_000)] public int DemoDataCount { get; set; } = 20_000;

    /// <summary>
    /// Base64 secret (at least 32 bytes) for the keyed hash of ID numbers. Required with PostgreSQL, where
    /// several nodes must agree; generated once into the data directory for the embedded default.
    /// </summary>
    public string? IdHashKey { get; set; }

    /// <summary>
    /// A PKCS#12 file whose certificate encrypts the Data Protection keys at rest (with its password, if any). Without
    /// one, a certificate is generated once into the keys folder (owner-only), so the keys folder travels whole.
    /// </summary>
    public string? KeyEncryptionCertificate { get; set; }
    public string? KeyEncryptionCertificatePassword { get; set; }

    public string FullDataDirectory => Path.GetFullPath(DataDirectory);
}
