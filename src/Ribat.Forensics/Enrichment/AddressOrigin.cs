using System.Net;

namespace Ribat.Forensics.Enrichment;

/// <summary>
/// Who announces an address and where it is placed, as the configured databases say. A field is null when no database
/// was given for it or the database has nothing for the address; a database's guess is never filled in from another's.
/// </summary>
/// <param name="Network">
/// The narrowest network any database matched. Matched networks all hold the address, so they nest, and every field
/// here holds for every address of the narrowest one.
/// </param>
public sealed record AddressOrigin(
    long? Asn,
    string? AsOrganization,
    string? CountryCode,
    string? CountryName,
    string? City,
    IPNetwork? Network)
{
    public static readonly AddressOrigin Unknown = new(null, null, null, null, null, null);
}
