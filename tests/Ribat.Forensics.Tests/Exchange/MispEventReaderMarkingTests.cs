using Ribat.Forensics.Exchange;
using static Ribat.Forensics.Tests.Exchange.ExchangeCorpus;

namespace Ribat.Forensics.Tests.Exchange;

public class MispEventReaderMarkingTests
{
    private static string Tags(params string[] names) => "\"Tag\": [" + string.Join(",", names.Select(n => $"{{\"name\": \"{n.Replace("\"", "\\\"", StringComparison.Ordinal)}\"}}")) + "],";

    [Fact]
    public void Tlp_and_pap_are_taken_from_event_tags_in_any_case_and_kept_as_written()
    {
        var report = ReadSingle(EventWith("", Tags("TLP:AMBER+STRICT", "PAP:green", "tlp:ex:chr", "osint:certainty=\"50\"")));

        report.Tlp.Should().Be("TLP:AMBER+STRICT");
        report.Pap.Should().Be("PAP:green");
        report.Tags.Should().Equal("tlp:ex:chr", "osint:certainty=\"50\"");
    }

    [Theory]
    [InlineData("tlp:white")]
    [InlineData("tlp:clear")]
    [InlineData("tlp:green")]
    [InlineData("tlp:amber")]
    [InlineData("tlp:red")]
    public void Every_tlp_level_including_tlp_1_white_is_a_marking(string tag)
    {
        ReadSingle(EventWith("", Tags(tag))).Tlp.Should().Be(tag);
    }

    [Fact]
    public void Two_tlp_levels_resolve_to_the_more_restrictive_and_say_so()
    {
        var result = ReadMisp(EventWith("", Tags("tlp:red", "tlp:green")));

        result.Value!.Single().Tlp.Should().Be("tlp:red");
        result.Issues.Should().ContainSingle().Which.Should().Be(
            new ImportIssue(1, "Event.Tag", "both 'tlp:red' and 'tlp:green' are present; the more restrictive 'tlp:red' applies."));
    }

    [Fact]
    public void An_attribute_carries_its_own_tlp_and_pap()
    {
        var report = ReadSingle(EventWith("""{"type": "domain", "value": "a.example", "Tag": [{"name": "tlp:red"}, {"name": "PAP:RED"}, {"name": "kill-chain:Delivery"}]}"""));

        var indicator = report.Indicators.Single();
        indicator.Tlp.Should().Be("tlp:red");
        indicator.Pap.Should().Be("PAP:RED");
        indicator.Tags.Should().Equal("kill-chain:Delivery");
        report.Tlp.Should().BeNull("an attribute's marking is not the event's");
    }

    [Fact]
    public void Actor_family_and_techniques_come_from_galaxy_tags()
    {
        var report = ReadSingle(EventWith("", Tags(
            "misp-galaxy:mitre-malware=\"X-Agent - S0161\"",
            "misp-galaxy:malpedia=\"Sofacy\"",
            "misp-galaxy:mitre-intrusion-set=\"APT28 - G0007\"",
            "misp-galaxy:mitre-attack-pattern=\"Spearphishing Attachment - T1566.001\"",
            "misp-galaxy:mitre-enterprise-attack-attack-pattern=\"Command-Line Interface - T1059\"",
            "misp-galaxy:mitre-attack-pattern=\"Phishing\"")));

        report.ThreatActor.Should().Be("APT28", "the MITRE id is not part of the name");
        report.MalwareFamily.Should().Be("Sofacy", "Malpedia names families more precisely than MITRE");
        report.AttackTechniques.Should().Equal("T1566.001", "T1059");
    }

    [Fact]
    public void Galaxy_clusters_give_actor_and_techniques_from_their_external_ids()
    {
        var report = ReadSingle("""
            {"Event": {"info": "x", "Galaxy": [
              {"type": "threat-actor", "GalaxyCluster": [{"value": "Sofacy", "meta": {"synonyms": ["APT28"]}}]},
              {"type": "mitre-attack-pattern", "GalaxyCluster": [
                 {"type": "mitre-attack-pattern", "value": "Phishing", "meta": {"external_id": ["T1566", "CAPEC-98"]}}]}
            ]}}
            """);

        report.ThreatActor.Should().Be("Sofacy");
        report.AttackTechniques.Should().Equal("T1566");
    }
}
