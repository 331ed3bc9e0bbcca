using System.Net;
using System.Text.Json;
using Ribat.Forensics.Enrichment;

namespace Ribat.Forensics.Tests.Enrichment;

/// <summary>Every network of MaxMind's test databases, looked up at its first and last address, against the source JSON.</summary>
public sealed class GeoCorpusTests
{
    [Fact]
    public void Every_asn_network_answers_its_number_and_organisation()
    {
        using var enricher = Open(asn: GeoCorpus.AsnDatabase);
        var networks = GeoCorpus.Networks("GeoLite2-ASN-Test.json");
        networks.Should().HaveCount(720);

        foreach (var (network, record) in networks)
        {
            foreach (var address in Inside(network))
            {
                var origin = enricher.Lookup(address);
                var because = $"{address} is in {network}";
                origin.Asn.Should().Be(record.GetProperty("autonomous_system_number").GetInt64(), because);
                origin.AsOrganization.Should().Be(GeoCorpus.Text(record, "autonomous_system_organization"), because);
                ShouldHold(origin, network, because);
                origin.CountryCode.Should().BeNull(because);
                origin.City.Should().BeNull(because);
            }
        }
    }

    [Fact]
    public void Every_country_network_answers_its_country()
    {
        using var enricher = Open(country: GeoCorpus.CountryDatabase);
        var networks = GeoCorpus.Networks("GeoLite2-Country-Test.json");
        networks.Should().HaveCount(244);

        foreach (var (network, record) in networks)
        {
            foreach (var address in Inside(network))
            {
                var origin = enricher.Lookup(address);
                var because = $"{address} is in {network}";
                ShouldHaveCountry(origin, record, because);
                ShouldHold(origin, network, because);
                origin.Asn.Should().BeNull(because);
                origin.City.Should().BeNull(because);
            }
        }
    }

    [Fact]
    public void Every_city_network_answers_its_country_and_city()
    {
        using var enricher = Open(city: GeoCorpus.CityDatabase);
        var networks = GeoCorpus.Networks("GeoIP2-City-Test.json");
        networks.Should().HaveCount(251);
        networks.Count(n => n.Record.TryGetProperty("city", out _)).Should().Be(15, "the corpus has cities to check");

        foreach (var (network, record) in networks)
        {
            foreach (var address in Inside(network))
            {
                var origin = enricher.Lookup(address);
                var because = $"{address} is in {network}";
                ShouldHaveCountry(origin, record, because);
                origin.City.Should().Be(GeoCorpus.Text(record, "city", "names", "en"), because);
                ShouldHold(origin, network, because);
            }
        }
    }

    private static void ShouldHaveCountry(AddressOrigin origin, JsonElement record, string because)
    {
        origin.CountryCode.Should().Be(GeoCorpus.Text(record, "country", "iso_code"), because);
        origin.CountryName.Should().Be(GeoCorpus.Text(record, "country", "names", "en"), because);
    }

    /// <summary>
    /// The database's network is the source's, or wider where the database writer merged neighbours with equal records
    /// (12.84.0.0/15, 12.86.0.0/16 and the 12.87.0.0/16 pieces, all AS7018, are stored as 12.84.0.0/14).
    /// </summary>
    private static void ShouldHold(AddressOrigin origin, IPNetwork network, string because)
    {
        origin.Network.Should().NotBeNull(because);
        var held = origin.Network!.Value;
        held.PrefixLength.Should().BeLessThanOrEqualTo(network.PrefixLength, because);
        held.Contains(network.BaseAddress).Should().BeTrue($"{held} holds {network}");
    }

    private static IPAddress[] Inside(IPNetwork network) => [network.BaseAddress, GeoCorpus.LastAddress(network)];

    internal static AddressEnricher Open(string? asn = null, string? country = null, string? city = null)
    {
        var opened = AddressEnricher.Open(
            asn is null ? null : GeoCorpus.PathOf(asn),
            country is null ? null : GeoCorpus.PathOf(country),
            city is null ? null : GeoCorpus.PathOf(city));
        opened.Error.Should().BeNull();
        return opened.Enricher!;
    }
}
