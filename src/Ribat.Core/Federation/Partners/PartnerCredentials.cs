using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Ribat.Core.Federation.Partners;

/// <summary>
/// Encrypts the credential we present to a partner with ASP.NET Core Data Protection (keys in the database,
/// shared by every instance of the node). Only the outbound TAXII client reads it back, never a person.
/// </summary>
public sealed class PartnerCredentials(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Ribat.Federation.Partners.OutboundCredential.v1");

    internal string Protect(string credential) => _protector.Protect(credential);

    /// <summary>The plain credential, or null when the data-protection key that sealed it is gone.</summary>
    public string? Unprotect(Partner partner)
    {
        try
        {
            return _protector.Unprotect(partner.OutboundCredential);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
