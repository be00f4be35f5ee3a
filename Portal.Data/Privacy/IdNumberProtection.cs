using System.Security.Cryptography;
using System.Text;
using Portal.Data.Entries;

namespace Portal.Data.Privacy;

/// <summary>Encrypts full ID numbers at rest; the host supplies the implementation (ASP.NET Core Data Protection).</summary>
public interface IIdNumberCipher
{
    string Encrypt(string canonicalIdNumber);
    string Decrypt(string cipherText);
}

/// <summary>
/// Everything the portal does with a full ID number: encrypt it for storage, and derive the keyed hash
/// (HMAC-SHA256 of the canonical 18-digit form) used for exact lookup. A 15-digit legacy number and its
/// 18-digit form hash alike.
/// </summary>
public sealed class IdNumberProtection(IIdNumberCipher cipher, byte[] hashKey)
{
    public string Hash(IdNumber id) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(hashKey, Encoding.ASCII.GetBytes(id.Canonical)));

    /// <summary>
    /// A credit code's keyed hash, for a watched book that must not hold the numbers it watches (codes are public, but a
    /// bank's list of its customers' codes is not). Prefixed so that no code's hash can equal an ID number's.
    /// </summary>
    public string HashCreditCode(string normalizedCode) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(hashKey, Encoding.ASCII.GetBytes("credit:" + normalizedCode)));

    public string Encrypt(IdNumber id) => cipher.Encrypt(id.Canonical);

    public string Decrypt(string cipherText) => cipher.Decrypt(cipherText);

    /// <summary>A fixed sentence, encrypted: stored so that a later start can tell whether its keys still decrypt this data.</summary>
    public string EncryptCheck() => cipher.Encrypt("portal:cipher-key-check");

    /// <summary>The birth date in the entry's encrypted ID number (the only place it is kept), for the under-18 rule.</summary>
    public DateOnly? BirthDateOf(Entry e) =>
        e.IdNumberCipher is { } c && IdNumber.TryParse(Decrypt(c), out var id, out _) ? id.BirthDate : null;
}
