using MaxMind.Db;

namespace Ribat.Forensics.Enrichment;

// Only the keys Ribat shows are decoded; the reader skips the rest of each record.

internal sealed class AsnRecord
{
    [Constructor]
    public AsnRecord(
        [MapKey("autonomous_system_number")] long? number,
        [MapKey("autonomous_system_organization")] string? organization)
    {
        Number = number;
        Organization = organization;
    }

    public long? Number { get; }

    public string? Organization { get; }
}

internal sealed class LocationRecord
{
    [Constructor]
    public LocationRecord([MapKey("country")] PlaceRecord? country, [MapKey("city")] PlaceRecord? city)
    {
        Country = country;
        City = city;
    }

    public PlaceRecord? Country { get; }

    public PlaceRecord? City { get; }
}

internal sealed class PlaceRecord
{
    [Constructor]
    public PlaceRecord([MapKey("iso_code")] string? isoCode, [MapKey("names")] IDictionary<string, string>? names)
    {
        IsoCode = isoCode;
        EnglishName = names is not null && names.TryGetValue("en", out var name) ? name : null;
    }

    public string? IsoCode { get; }

    public string? EnglishName { get; }
}
