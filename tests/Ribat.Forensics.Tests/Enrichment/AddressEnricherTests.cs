using System.Net;
using Ribat.Forensics.Enrichment;
using Ribat.Forensics.Pcap;

namespace Ribat.Forensics.Tests.Enrichment;

public sealed class AddressEnricherTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("ribat-enrich-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    public void An_address_in_no_network_is_unknown_in_every_field(string address)
    {
        using var enricher = GeoCorpusTests.Open(GeoCorpus.AsnDatabase, GeoCorpus.CountryDatabase, GeoCorpus.CityDatabase);

        enricher.Lookup(IPAddress.Parse(address)).Should().Be(AddressOrigin.Unknown);
    }

    [Fact]
    public void All_three_databases_together_fill_every_field_and_give_the_narrowest_network()
    {
        using var enricher = GeoCorpusTests.Open(GeoCorpus.AsnDatabase, GeoCorpus.CountryDatabase, GeoCorpus.CityDatabase);

        // The sources hold 89.160.20.112 in 89.160.20.112/29 (ASN, stored merged with its neighbour as a /28), /28
        // (country) and ::89.160.20.112/124 (city, a /28 of the IPv4 space).
        var origin = enricher.Lookup(IPAddress.Parse("89.160.20.112"));

        origin.Should().Be(new AddressOrigin(29518, "Bredband2 AB", "SE", "Sweden", "Linköping", IPNetwork.Parse("89.160.20.112/28")));
    }

    [Fact]
    public void A_city_database_answers_the_country_when_no_country_database_is_given()
    {
        using var enricher = GeoCorpusTests.Open(city: GeoCorpus.CityDatabase);

        var origin = enricher.Lookup(IPAddress.Parse("2001:218::1"));

        origin.CountryCode.Should().Be("JP");
        origin.CountryName.Should().Be("Japan");
    }

    [Fact]
    public void An_ipv4_mapped_address_is_answered_as_the_ipv4_address()
    {
        using var enricher = GeoCorpusTests.Open(GeoCorpus.AsnDatabase);

        var mapped = enricher.Lookup(IPAddress.Parse("::ffff:1.0.0.1"));

        mapped.Should().Be(enricher.Lookup(IPAddress.Parse("1.0.0.1")));
        mapped.Asn.Should().Be(15169);
        mapped.Network.Should().Be(IPNetwork.Parse("1.0.0.0/24"));
    }

    [Fact]
    public void A_capture_address_is_answered_like_the_same_ip_address_and_cached()
    {
        using var enricher = GeoCorpusTests.Open(GeoCorpus.AsnDatabase);

        var fromCapture = enricher.Lookup(NetworkAddress.FromIPv4([1, 0, 0, 1]));

        fromCapture.Should().Be(enricher.Lookup(IPAddress.Parse("1.0.0.1")));
        enricher.Lookup(NetworkAddress.FromIPv4([1, 0, 0, 1])).Should().BeSameAs(fromCapture, "a repeated address is not looked up again");
    }

    [Fact]
    public void The_cache_stays_bounded_and_answers_stay_right_after_it_is_emptied()
    {
        using var enricher = GeoCorpusTests.Open(GeoCorpus.AsnDatabase);

        for (uint i = 0; i <= AddressEnricher.MaxCached; i++)
        {
            enricher.Lookup(new NetworkAddress(0x0A000000u + i, true));
        }

        enricher.CachedCount.Should().BeLessThanOrEqualTo(AddressEnricher.MaxCached);
        enricher.Lookup(IPAddress.Parse("1.0.0.1")).Asn.Should().Be(15169);
    }

    [Fact]
    public void A_missing_database_is_an_error_naming_the_file()
    {
        var missing = Path.Combine(_scratch, "GeoLite2-ASN.mmdb");

        var opened = AddressEnricher.Open(asnPath: missing);

        opened.Enricher.Should().BeNull();
        opened.Error.Should().Contain(missing).And.Contain("does not exist");
    }

    [Fact]
    public void A_file_that_is_not_a_maxmind_database_is_an_error_naming_the_file()
    {
        var text = Path.Combine(_scratch, "notes.mmdb");
        File.WriteAllText(text, "not a database at all\n");
        var cut = Path.Combine(_scratch, "cut.mmdb");
        var bytes = File.ReadAllBytes(GeoCorpus.PathOf(GeoCorpus.CityDatabase));
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);

        foreach (var path in new[] { text, cut })
        {
            var opened = AddressEnricher.Open(cityPath: path);
            opened.Enricher.Should().BeNull();
            opened.Error.Should().Contain(path).And.Contain("not a readable MaxMind database");
        }
    }

    [Fact]
    public void A_database_of_the_wrong_type_is_refused_and_nothing_stays_open()
    {
        var asnAsCity = AddressEnricher.Open(cityPath: GeoCorpus.PathOf(GeoCorpus.AsnDatabase));
        asnAsCity.Error.Should().Contain("GeoLite2-ASN-Test.mmdb").And.Contain("'GeoLite2-ASN'").And.Contain("city");

        var anonymousAsAsn = AddressEnricher.Open(asnPath: GeoCorpus.PathOf(GeoCorpus.AnonymousIpDatabase), countryPath: GeoCorpus.PathOf(GeoCorpus.CountryDatabase));
        anonymousAsAsn.Enricher.Should().BeNull();
        anonymousAsAsn.Error.Should().Contain("GeoIP2-Anonymous-IP").And.Contain("ASN");

        AddressEnricher.Open(countryPath: GeoCorpus.PathOf(GeoCorpus.AsnDatabase)).Error.Should().Contain("country");
        AddressEnricher.Open(countryPath: GeoCorpus.PathOf(GeoCorpus.CityDatabase)).Error.Should().BeNull("a City database holds countries too");
    }

    [Fact]
    public void Opening_without_any_database_is_an_error()
    {
        AddressEnricher.Open().Error.Should().Contain("no ASN, country or city database");
    }
}
