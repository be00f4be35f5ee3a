using System.Security.Cryptography;
using Portal.Data.Applications;

namespace Portal.Data.Clients;

public enum KeyApplicationStatus { Pending, Approved, Refused }

/// <summary>
/// An institution's online request for an API key (issue #25): reviewed by an administrator, who approves (a client is
/// registered with the kind and scopes applied for) or refuses with a reason. The applicant follows it and collects the
/// key through a one-time link whose secret is stored only as a hash; the key, generated at approval, is kept encrypted
/// until it is collected and then erased.
/// </summary>
public sealed class KeyApplication
{
    public const int MaxInstitution = 200, MaxPerson = 50, MaxPurpose = 500, MaxReason = 500;

    public long Id { get; set; }
    public KeyApplicationStatus Status { get; set; }

    /// <summary>What the applicant and the office call it by (not a secret: it opens nothing).</summary>
    public string Reference { get; set; } = "";

    /// <summary>The same form sent again (double click, back button) finds this application.</summary>
    public string SubmissionHash { get; set; } = "";

    /// <summary>SHA-256 of the collection link's secret.</summary>
    public string TokenHash { get; set; } = "";

    public string Institution { get; set; } = "";
    public ClientKind Kind { get; set; }
    public string CreditCode { get; set; } = "";
    public string ContactPerson { get; set; } = "";
    public ContactChannel ContactChannel { get; set; }
    public string ContactCipher { get; set; } = "";
    public string ContactMasked { get; set; } = "";
    public string Purpose { get; set; } = "";

    /// <summary>Comma-separated <see cref="ClientScopes"/>.</summary>
    public string Scopes { get; set; } = "";

    public DateTime ReceivedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public string? DecidedBy { get; set; }

    /// <summary>Why it was refused, shown to the applicant.</summary>
    public string? RefusalReason { get; set; }

    /// <summary>The client registered on approval.</summary>
    public long? ClientId { get; set; }

    /// <summary>The key, encrypted, from approval until the applicant collects it; null before and after.</summary>
    public string? KeyCipher { get; set; }

    public DateTime? CollectedAt { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>The secret of a collection link: 256 random bits, base64url, kept by the applicant and hashed here.</summary>
public static class CollectionToken
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => ApiKeys.Hash(token);
}
