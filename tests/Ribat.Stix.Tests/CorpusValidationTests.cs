using Ribat.Stix.Serialization;
using Ribat.Stix.Validation;
using Xunit.Abstractions;

namespace Ribat.Stix.Tests;

public sealed class CorpusValidationTests(ITestOutputHelper output)
{
    /// <summary>
    /// Every finding on the corpus, asserted whole. None is an error: every file keeps every MUST. The warnings are
    /// true: the OASIS infrastructure example gives its SCOs random ids where the spec says SHOULD use UUIDv5, and
    /// ATT&amp;CK for ICS 18.1 leaves five data components' x_mitre_data_source_ref empty.
    /// </summary>
    private static readonly Dictionary<string, string[]> Expected = new()
    {
        ["apt1.json"] = [],
        ["poisonivy.json"] = [],
        ["indicator-for-c2-ip-address.json"] = [],
        ["indicator-to-campaign-relationship.json"] = [],
        ["indicators-for-C2-with-COA.json"] = [],
        ["interop-objectmarking-test.json"] = [],
        ["malicious-email-indicator-with-attachment.json"] = [],
        ["infrastructure.json"] =
        [
            "warning: ipv4-addr--1e4ffad7-0b88-41d4-ba4d-77d27490b956 id: an SCO's id SHOULD be a UUIDv5 from its ID contributing properties (ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4)",
            "warning: domain-name--ecb120bf-2694-4902-a737-62b74539a41b id: an SCO's id SHOULD be a UUIDv5 from its ID contributing properties (domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7)",
        ],
        ["ics-attack-18.1.json"] =
        [
            "warning: x-mitre-data-component--2b3bfe19-d59a-460d-93bb-2f546adc2d2c x_mitre_data_source_ref: is an empty reference",
            "warning: x-mitre-data-component--3d20385b-24ef-40e1-9f56-f39750379077 x_mitre_data_source_ref: is an empty reference",
            "warning: x-mitre-data-component--4dcd8ba3-2075-4f8b-941e-39884ffaac08 x_mitre_data_source_ref: is an empty reference",
            "warning: x-mitre-data-component--7b375092-3a61-448d-900a-77c9a4bde4dc x_mitre_data_source_ref: is an empty reference",
            "warning: x-mitre-data-component--da85d358-741a-410d-9433-20d6269a6170 x_mitre_data_source_ref: is an empty reference",
        ],
    };

    public static TheoryData<string> Files() => [.. Corpus.Files];

    [Theory]
    [MemberData(nameof(Files))]
    public void Corpus_files_validate_with_exactly_the_known_findings(string name)
    {
        var result = StixSerializer.Read(Corpus.Read(name), validator: new StixValidator());
        foreach (var issue in result.Issues)
        {
            output.WriteLine(issue.ToString());
        }

        result.Issues.Select(i => i.ToString()).Should().BeEquivalentTo(Expected[name]);
    }

    [Fact]
    public void Every_reference_of_the_attack_bundle_resolves_inside_it()
    {
        var strict = new StixValidator(new StixValidationOptions { DanglingReferences = StixSeverity.Error });
        var result = StixSerializer.Read(Corpus.Read("ics-attack-18.1.json"), validator: strict);
        result.Objects.Should().HaveCount(1826);
        result.Objects.Select(o => o.Type).Should().Contain(["x-mitre-tactic", "x-mitre-matrix", "x-mitre-collection", "attack-pattern", "relationship"]);
        result.Errors.Should().OnlyContain(e => e.Message == "is an empty reference").And.HaveCount(5);
    }
}
