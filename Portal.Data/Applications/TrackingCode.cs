using System.Security.Cryptography;
using System.Text;

namespace Portal.Data.Applications;

/// <summary>
/// An applicant's key to their application: 16 characters of Crockford's base 32 (80 bits), shown as
/// <c>K7QM-2XGA-9RTB-4HNC</c>, typed in any case, with or without dashes, O for 0 and I or L for 1.
/// Derived from the submission with a server secret, so the same submission sent again gets the same code back,
/// while the database keeps only its hash.
/// </summary>
public static class TrackingCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 16;

    public static string For(byte[] secret, string submissionHash)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("tracking:" + submissionHash));
        var chars = new char[Length];
        ulong bits = 0;
        int have = 0, at = 0, next = 0;
        while (at < Length)
        {
            if (have < 5) { bits = (bits << 8) | mac[next++]; have += 8; }
            chars[at++] = Alphabet[(int)((bits >> (have - 5)) & 31)];
            have -= 5;
        }
        return new string(chars);
    }

    public static string Display(string code) => string.Join('-', code.Chunk(4).Select(c => new string(c)));

    /// <summary>The canonical code of what a person typed, or null when it cannot be one.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null) return null;
        var sb = new StringBuilder(Length);
        foreach (var raw in typed.Normalize(NormalizationForm.FormKC))
        {
            if (raw is '-' or ' ') continue;
            var c = char.ToUpperInvariant(raw) switch { 'O' => '0', 'I' or 'L' => '1', var u => u };
            if (Alphabet.IndexOf(c) < 0) return null;
            sb.Append(c);
        }
        return sb.Length == Length ? sb.ToString() : null;
    }

    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code)));
}
