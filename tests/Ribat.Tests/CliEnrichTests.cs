using System.Text.Json.Nodes;
using Ribat.Tests.Infrastructure;

namespace Ribat.Tests;

/// <summary>
/// <c>ribat enrich</c> and the enriched <c>ribat analyze pcap</c> as subprocesses, on MaxMind's test databases
/// (maxmind/MaxMind-DB @ 2f18851d) read from ../shared/corpus/geoip/; the expected values are in the JSON they were
/// built from.
/// </summary>
public sealed class CliEnrichTests
{
    private static string Corpus(string folder, string file) =>
        SharedCorpus.Path(folder, file);

    private static string Asn => Corpus("geoip", "GeoLite2-ASN-Test.mmdb");

    private static string City => Corpus("geoip", "GeoIP2-City-Test.mmdb");

    [Fact]
    public async Task Json_answers_a_known_ipv4_and_ipv6_address_as_the_source_says()
    {
        var result = await RibatProcess.RunAsync("enrich", "1.0.0.1", "2001:480:10::1", "192.0.2.1", "--asn-db", Asn, "--city-db", City, "--format", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        var rows = JsonNode.Parse(result.Stdout)!.AsArray();
        rows.Should().HaveCount(3);

        var google = rows[0]!;
        google["address"]!.GetValue<string>().Should().Be("1.0.0.1");
        google["asn"]!.GetValue<long>().Should().Be(15169);
        google["as_organization"]!.GetValue<string>().Should().Be("Google Inc.");
        google["country"].Should().BeNull();
        google["network"]!.GetValue<string>().Should().Be("1.0.0.0/24");

        var sanDiego = rows[1]!;
        sanDiego["asn"].Should().BeNull();
        sanDiego["country"]!.GetValue<string>().Should().Be("US");
        sanDiego["country_name"]!.GetValue<string>().Should().Be("United States");
        sanDiego["city"]!.GetValue<string>().Should().Be("San Diego");
        sanDiego["network"]!.GetValue<string>().Should().Be("2001:480:10::/48");

        var nowhere = rows[2]!.AsObject();
        nowhere.Select(p => p.Key).Should().Equal("address", "asn", "as_organization", "country", "country_name", "city", "network");
        nowhere.Where(p => p.Key != "address").Should().OnlyContain(p => p.Value == null);
    }

    [Fact]
    public async Task Table_reads_the_database_paths_from_the_environment()
    {
        var result = await RibatProcess.RunAsync(new Dictionary<string, string> { ["RIBAT_GEOIP_ASN"] = Asn }, "enrich", "2001:1700::1");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("ADDRESS").And.Contain("6730").And.Contain("Sunrise Communications AG").And.Contain("2001:1700::/27");
    }

    [Fact]
    public async Task A_bad_address_no_database_or_an_unfit_database_is_a_one_line_error()
    {
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("enrich", "1.0.0.1", "not-an-ip", "--asn-db", Asn), 2, "'not-an-ip'", "not an IP address");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("enrich", "1.0.0.1"), 2, "no database", "--asn-db");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("enrich", "1.0.0.1", "--city-db", Asn), 2, "GeoLite2-ASN-Test.mmdb", "city");
        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("enrich", "1.0.0.1", "--asn-db", "/nonexistent/asn.mmdb"), 2, "/nonexistent/asn.mmdb", "does not exist");
    }

    [Fact]
    public async Task Analyze_pcap_with_an_asn_database_fills_the_asn_field_of_top_addresses()
    {
        var result = await RibatProcess.RunAsync("analyze", "pcap", Corpus("pcap", "amp.UDP.isakmp.pcap"), "--format", "json", "--asn-db", Asn);

        result.ExitCode.Should().Be(0, result.ToString());
        var json = JsonNode.Parse(result.Stdout)!;
        var talkers = json["top_sources"]!.AsArray().Concat(json["top_destinations"]!.AsArray()).Select(t => t!.AsObject()).ToList();
        talkers.Should().NotBeEmpty();

        // The test databases cover none of the capture's addresses; the field is there and null or a number.
        talkers.Should().OnlyContain(t => t.ContainsKey("asn") && t.ContainsKey("country"));
        talkers.Should().OnlyContain(t => t["asn"] == null || t["asn"]!.GetValueKind() == System.Text.Json.JsonValueKind.Number);

        CliAdminTests.ShouldFailWithOneLine(await RibatProcess.RunAsync("analyze", "pcap", Corpus("pcap", "amp.UDP.isakmp.pcap"), "--country-db", Asn), 2, "GeoLite2-ASN-Test.mmdb");
    }

    [Fact]
    public async Task A_damaged_record_is_answered_as_unknown_with_a_warning_and_the_other_addresses_still_answer()
    {
        // The control byte before "Google Inc." made an extended type that does not exist: 1.0.0.1's record is damaged.
        var bytes = await File.ReadAllBytesAsync(Asn);
        var at = bytes.AsSpan().IndexOf("Google Inc."u8);
        at.Should().BePositive();
        bytes[at - 1] = 0x0B;
        var damaged = Path.Combine(Path.GetTempPath(), $"ribat-damaged-{Guid.NewGuid():N}.mmdb");
        await File.WriteAllBytesAsync(damaged, bytes);
        try
        {
            var result = await RibatProcess.RunAsync("enrich", "1.0.0.1", "1.128.0.1", "--asn-db", damaged, "--format", "json");

            result.ExitCode.Should().Be(0, result.ToString());
            var rows = JsonNode.Parse(result.Stdout)!.AsArray();
            rows[0]!["asn"].Should().BeNull();
            rows[1]!["asn"]!.GetValue<long>().Should().Be(1221);
            result.Stderr.Trim().Should().Be("warning: 1 address lookups met a damaged database record and were answered as unknown");
        }
        finally
        {
            File.Delete(damaged);
        }
    }
}
