using System.Net;
using System.Numerics;
using System.Text.Json;

namespace Ribat.Forensics.Tests.Enrichment;

/// <summary>
/// MaxMind's test databases and the JSON they were built from (maxmind/MaxMind-DB @ 2f18851d), read from
/// ../shared/corpus/geoip/ relative to the repository root and never copied into it.
/// </summary>
internal static class GeoCorpus
{
    public const string AsnDatabase = "GeoLite2-ASN-Test.mmdb";
    public const string CountryDatabase = "GeoLite2-Country-Test.mmdb";
    public const string CityDatabase = "GeoIP2-City-Test.mmdb";
    public const string AnonymousIpDatabase = "GeoIP2-Anonymous-IP-Test.mmdb";

    public static string PathOf(string file) =>
        SharedCorpus.Path("geoip", file);

    /// <summary>
    /// The source's networks with their records. The file is a list of one-key objects, the key a network in CIDR
    /// notation and the value the record stored for it.
    /// </summary>
    public static List<(IPNetwork Network, JsonElement Record)> Networks(string jsonFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(PathOf(jsonFile)));
        var networks = new List<(IPNetwork, JsonElement)>();
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            foreach (var property in entry.EnumerateObject())
            {
                networks.Add((IPNetwork.Parse(property.Name), property.Value.Clone()));
            }
        }

        return networks;
    }

    /// <summary>The network's last address, so a lookup must follow the whole prefix and no further.</summary>
    public static IPAddress LastAddress(IPNetwork network)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        var hostBits = bytes.Length * 8 - network.PrefixLength;
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true) | ((BigInteger.One << hostBits) - 1);
        var last = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[bytes.Length];
        last.CopyTo(padded, padded.Length - last.Length);
        return new IPAddress(padded);
    }

    public static string? Text(JsonElement record, params string[] path)
    {
        foreach (var key in path)
        {
            if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty(key, out record))
            {
                return null;
            }
        }

        return record.GetString();
    }
}
