namespace Ribat.Forensics.Enrichment;

/// <summary>What a MaxMind-format database is opened to answer.</summary>
public enum GeoDatabaseRole
{
    Asn,
    Country,
    City,
}

internal static class GeoDatabaseRoles
{
    public static string Name(GeoDatabaseRole role) => role switch
    {
        GeoDatabaseRole.Asn => "ASN",
        GeoDatabaseRole.Country => "country",
        _ => "city",
    };

    /// <summary>
    /// Whether a database of <paramref name="databaseType"/> (its metadata's <c>database_type</c>, such as
    /// <c>GeoLite2-ASN</c>) holds the fields <paramref name="role"/> reads. A wrong file would otherwise answer every
    /// address with nulls, which looks like "unknown" rather than a mistake.
    /// </summary>
    public static bool Fits(GeoDatabaseRole role, string databaseType) => role switch
    {
        // ISP databases carry the same autonomous_system_* keys as the ASN ones.
        GeoDatabaseRole.Asn => Has(databaseType, "ASN") || Has(databaseType, "ISP"),

        // City and Enterprise records hold a country as well.
        GeoDatabaseRole.Country => Has(databaseType, "Country") || Has(databaseType, "City") || Has(databaseType, "Enterprise"),
        _ => Has(databaseType, "City") || Has(databaseType, "Enterprise"),
    };

    private static bool Has(string databaseType, string word) =>
        databaseType.Split('-').Contains(word, StringComparer.OrdinalIgnoreCase);
}
