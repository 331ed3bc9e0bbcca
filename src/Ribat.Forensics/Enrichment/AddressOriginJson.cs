using System.Globalization;
using System.Text.Json;

namespace Ribat.Forensics.Enrichment;

/// <summary>How an enriched address is written in JSON, the same wherever Ribat writes one (enrich, pcap, hunt, server).</summary>
public static class AddressOriginJson
{
    /// <summary>The fields every enriched address carries: <c>asn</c>, <c>as_organization</c>, <c>country</c>, <c>country_name</c>, <c>city</c>.</summary>
    public static void Write(Utf8JsonWriter json, AddressOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(origin);
        if (origin.Asn is { } asn)
        {
            json.WriteNumber("asn", asn);
        }
        else
        {
            json.WriteNull("asn");
        }

        json.WriteString("as_organization", origin.AsOrganization);
        json.WriteString("country", origin.CountryCode);
        json.WriteString("country_name", origin.CountryName);
        json.WriteString("city", origin.City);
    }

    /// <summary>One line when some lookups met a damaged record and were answered as unknown; null when none did.</summary>
    public static string? DamageNote(AddressEnricher? enricher) =>
        enricher is { Failures: > 0 }
            ? string.Create(CultureInfo.InvariantCulture, $"{enricher.Failures:N0} address lookups met a damaged database record and were answered as unknown")
            : null;
}
