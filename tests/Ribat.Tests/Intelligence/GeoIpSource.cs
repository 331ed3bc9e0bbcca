using System.Net;
using System.Text.Json.Nodes;

namespace Ribat.Tests.Intelligence;

/// <summary>
/// What the corpus's MaxMind test databases were written from (their JSON source): the narrowest network holding an
/// address and its record, so tests compare what Ribat shows with the source rather than with a copy of the answer.
/// </summary>
internal sealed class GeoIpSource
{
    private readonly List<(IPNetwork Network, JsonObject Record)> _records = [];

    public GeoIpSource(string jsonFile)
    {
        foreach (var entry in JsonNode.Parse(File.ReadAllText(jsonFile))!.AsArray())
        {
            var (network, record) = entry!.AsObject().Single();
            _records.Add((IPNetwork.Parse(network), record!.AsObject()));
        }
    }

    public static GeoIpSource Asn { get; } = new(SharedCorpus.Path("geoip", "GeoLite2-ASN-Test.json"));

    public static GeoIpSource City { get; } = new(SharedCorpus.Path("geoip", "GeoIP2-City-Test.json"));

    /// <summary>The record of the narrowest network holding <paramref name="address"/> (an IPv4 address also as <c>::a.b.c.d</c>).</summary>
    public JsonObject? Find(string address)
    {
        var ip = IPAddress.Parse(address);
        var forms = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? new[] { ip, new IPAddress([.. new byte[12], .. ip.GetAddressBytes()]) }
            : [ip];
        return _records.Where(r => forms.Any(r.Network.Contains)).OrderByDescending(r => r.Network.PrefixLength).Select(r => r.Record).FirstOrDefault();
    }
}
