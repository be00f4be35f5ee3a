using System.Security.Cryptography;

namespace Portal.Data.Entries;

/// <summary>Public identifiers reveal nothing: 80 random bits, base32 without look-alike characters.</summary>
public static class PublicIds
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz023456789"; // 32 characters, no i, l, o or 1

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[16];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[bytes[i] & 31];
        return new string(chars);
    }

    public static bool LooksValid(string? id) =>
        id is { Length: 16 } && id.All(c => Alphabet.Contains(c));
}
