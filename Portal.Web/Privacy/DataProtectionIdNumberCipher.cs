using Microsoft.AspNetCore.DataProtection;
using Portal.Data.Privacy;

namespace Portal.Web.Privacy;

/// <summary>Encrypts ID numbers with ASP.NET Core Data Protection (keys in the data directory by default).</summary>
public sealed class DataProtectionIdNumberCipher(IDataProtectionProvider provider) : IIdNumberCipher
{
    private readonly IDataProtector _protector = provider.CreateProtector("Portal.IdNumber.v1");

    public string Encrypt(string canonicalIdNumber) => _protector.Protect(canonicalIdNumber);

    public string Decrypt(string cipherText) => _protector.Unprotect(cipherText);
}
