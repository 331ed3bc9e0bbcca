using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests.Intelligence;

/// <summary>A node whose indicators are shown with the corpus's GeoIP ASN and City test databases.</summary>
public abstract class OriginsFactory(bool postgres) : RibatFactory(postgres)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Ribat:GeoIpAsn", SharedCorpus.Path("geoip", "GeoLite2-ASN-Test.mmdb"));
        builder.UseSetting("Ribat:GeoIpCity", SharedCorpus.Path("geoip", "GeoIP2-City-Test.mmdb"));
    }
}

public sealed class OriginsSqliteFactory() : OriginsFactory(postgres: false);

public sealed class OriginsPostgresFactory() : OriginsFactory(postgres: true);

/// <summary>The indicator API carries an IP indicator's origin, looked up when shown, and nothing for other values.</summary>
public abstract class IndicatorOriginApiTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : RibatFactory
{
    private static async Task<Guid> RecordAsync(HttpClient client, string type, string value)
    {
        var response = await client.PostAsJsonAsync("/api/v1/indicators", new { type, value, sharing = new { tlp = "amber" } });
        return (await response.ShouldBeAsync<JsonObject>(HttpStatusCode.Created))["ids"]!.AsArray().Single()!.GetValue<Guid>();
    }

    [DbFact]
    public async Task An_ip_indicator_carries_the_origin_the_database_source_holds()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        await ExpectOriginAsync(client, "ipv4", "214.78.120.1", "214.78.120.1");
        await ExpectOriginAsync(client, "ipv6", "2001:1c00::1", "2001:1c00::1");
        await ExpectOriginAsync(client, "cidr", "214.78.120.0/22", "214.78.120.0");
    }

    private static async Task ExpectOriginAsync(HttpClient client, string type, string value, string address)
    {
        var id = await RecordAsync(client, type, value);

        var read = await (await client.GetAsync($"/api/v1/indicators/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
        var listed = (await (await client.GetAsync($"/api/v1/indicators?type={type}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK))["items"]!
            .AsArray().Single(i => i!["id"]!.GetValue<Guid>() == id)!;

        var asn = GeoIpSource.Asn.Find(address);
        var place = GeoIpSource.City.Find(address);
        foreach (var origin in new[] { read["origin"]!, listed["origin"]! })
        {
            origin["asn"]?.GetValue<long>().Should().Be(asn?["autonomous_system_number"]?.GetValue<long>());
            origin["asOrganization"]?.GetValue<string>().Should().Be(asn?["autonomous_system_organization"]?.GetValue<string>());
            origin["countryCode"]?.GetValue<string>().Should().Be(place?["country"]?["iso_code"]?.GetValue<string>());
            origin["countryName"]?.GetValue<string>().Should().Be(place?["country"]?["names"]?["en"]?.GetValue<string>());
            origin["city"]?.GetValue<string>().Should().Be(place?["city"]?["names"]?["en"]?.GetValue<string>());
            IPNetwork.Parse(origin["network"]!.GetValue<string>()).Contains(IPAddress.Parse(address)).Should().BeTrue();
            (origin["asn"] is null).Should().Be(asn is null);
            (origin["city"] is null).Should().Be(place?["city"] is null);
        }

        read["origin"]!["asn"].Should().NotBeNull("every address picked has an AS in the source");
    }

    [DbFact]
    public async Task An_address_linked_to_an_incident_by_hand_is_grouped_under_the_network_the_databases_give_it()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        var incident = (await Incidents.IncidentApiTests<TFactory>.OpenAsync(client, Incidents.IncidentApiTests<TFactory>.Outbreak()))["id"]!.GetValue<Guid>();
        foreach (var value in new[] { "214.78.120.1", "198.51.100.7" })
        {
            var id = await RecordAsync(client, "ipv4", value);
            (await client.PostAsJsonAsync($"/api/v1/incidents/{incident}/links", new { kind = "indicator", targetId = id })).IsSuccessStatusCode.Should().BeTrue();
        }

        // An address linked as the incident's own value (not an indicator of the store) is grouped the same way.
        (await client.PostAsJsonAsync($"/api/v1/incidents/{incident}/links", new { kind = "value", type = "ipv4", value = "214.78.120[.]2" })).IsSuccessStatusCode.Should().BeTrue();
        (await client.PostAsJsonAsync($"/api/v1/incidents/{incident}/links", new { kind = "value", type = "domain", value = "evil.example" })).IsSuccessStatusCode.Should().BeTrue();

        var networks = await (await client.GetAsync($"/api/v1/incidents/{incident}/networks")).ShouldBeAsync<JsonArray>(HttpStatusCode.OK);

        var known = networks.Single(g => g!["addresses"]!.AsArray().Any(a => a!.GetValue<string>() == "214.78.120.1"))!;
        known["asn"]!.GetValue<long>().Should().Be(GeoIpSource.Asn.Find("214.78.120.1")!["autonomous_system_number"]!.GetValue<long>());
        known["country"]?.GetValue<string>().Should().Be(GeoIpSource.City.Find("214.78.120.1")?["country"]?["iso_code"]?.GetValue<string>());
        known["packets"].Should().BeNull("no capture saw it");
        var valued = networks.Single(g => g!["addresses"]!.AsArray().Any(a => a!.GetValue<string>() == "214.78.120.2"))!;
        valued["asn"]!.GetValue<long>().Should().Be(GeoIpSource.Asn.Find("214.78.120.2")!["autonomous_system_number"]!.GetValue<long>());
        networks.SelectMany(g => g!["addresses"]!.AsArray()).Select(a => a!.GetValue<string>()).Should().NotContain("evil.example", "only addresses have a network");
        var unknown = networks.Single(g => g!["addresses"]!.AsArray().Any(a => a!.GetValue<string>() == "198.51.100.7"))!;
        unknown["asn"].Should().BeNull("the databases do not know a documentation address");
    }

    [DbFact]
    public async Task A_value_that_is_no_address_or_that_the_databases_do_not_know_has_no_origin()
    {
        var tenant = await factory.CreateTenantAsync();
        var client = factory.ClientWith(tenant.AnalystSecret);
        foreach (var (type, value) in new[] { ("sha256", Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))), ("ipv4", "198.51.100.7"), ("domain", "evil.example") })
        {
            var id = await RecordAsync(client, type, value);
            var read = await (await client.GetAsync($"/api/v1/indicators/{id}")).ShouldBeAsync<JsonObject>(HttpStatusCode.OK);
            read.ContainsKey("origin").Should().BeFalse(value);
        }
    }
}

public sealed class IndicatorOriginApiTestsSqlite(OriginsSqliteFactory factory) : IndicatorOriginApiTests<OriginsSqliteFactory>(factory);

public sealed class IndicatorOriginApiTestsPostgres(OriginsPostgresFactory factory) : IndicatorOriginApiTests<OriginsPostgresFactory>(factory);
