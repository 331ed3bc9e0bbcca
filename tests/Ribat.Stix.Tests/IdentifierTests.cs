using System.Text.Json;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Stix.Tests;

public sealed class IdentifierTests
{
    [Fact]
    public void The_spec_example_ipv4_address_gets_the_published_id()
    {
        // STIX 2.1 OS, section 2.9 (identifier), example: {"type": "ipv4-addr", "value": "198.51.100.3"}.
        var address = new IPv4Address { Value = "198.51.100.3" };
        StixIdentifier.Deterministic(address).Should().Be("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4");
    }

    [Theory]
    // Expected ids computed with Python 3.11.7: uuid.uuid5(ns, json.dumps(props, separators=(',', ':'), sort_keys=True,
    // ensure_ascii=False)), which is RFC 8785 for these values.
    [InlineData("""{"type":"domain-name","value":"example.com"}""", "domain-name--bedb4899-d24b-5401-bc86-8f6b4cc18ec7")]
    [InlineData("""{"type":"autonomous-system","number":15139,"name":"not contributing"}""", "autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff")]
    [InlineData("""{"type":"url","value":"https://example.com/a?b=1&c=é"}""", "url--e2397552-ad5a-5f7d-a4fc-c4fd118aa02a")]
    [InlineData("""{"type":"file","name":"dropper.exe","size":1,"hashes":{"SHA-256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f","MD5":"8a431b0e7ae8cb1c0d1f6d1e3a4d7f5b"}}""", "file--d95a694f-3c73-5d1c-aa6f-544cf51fd89d")]
    [InlineData("""{"type":"file","hashes":{"SHA-256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"}}""", "file--02c74237-f6bc-5e2e-bcbe-e9bf3d69ac64")]
    [InlineData("""{"type":"network-traffic","protocols":["ipv4","tcp"],"dst_port":443,"src_ref":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","src_byte_count":9}""", "network-traffic--21fb682d-8acd-5691-b4d4-101141ec8c81")]
    public void Observables_get_the_uuid5_of_their_contributing_properties_only(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        StixIdentifier.Deterministic(document.RootElement).Should().Be(expected);
    }

    [Fact]
    public void The_short_derivations_give_the_general_one_for_any_text()
    {
        var random = new Random(20261124);
        string[] fixedValues = ["", "198.51.100.3", "quote \" back \\ slash", "\u0000\u0001\b\t\n\f\r\u001f\u007f", "é ü 中文 \u2028 \u2029 😀", "<script>&'</script>"];
        var values = fixedValues.Concat(Enumerable.Range(0, 2000).Select(_ => new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(4) switch
        {
            0 => (char)random.Next(0, 0x20),
            1 => (char)random.Next(0x20, 0x7f),
            2 => (char)random.Next(0x80, 0xd800),
            _ => "\"\\/"[random.Next(3)],
        })])));
        foreach (var value in values)
        {
            StixIdentifier.OfString("domain-name", "value", value).Should().Be(StixIdentifier.Deterministic(new DomainName { Value = value }), value);
            StixIdentifier.OfString("file", "name", value).Should().Be(StixIdentifier.Deterministic(new StixFile { Name = value }), value);
            StixIdentifier.OfString("user-account", "account_login", value).Should().Be(StixIdentifier.Deterministic(new UserAccount { AccountLogin = value }), value);
            StixIdentifier.OfHash("file", "SSDEEP", value).Should().Be(StixIdentifier.Deterministic(new StixFile { Hashes = new Dictionary<string, string> { ["SSDEEP"] = value } }), value);
        }

        foreach (var number in new long[] { 0, 1, -1, 15139, 4_294_967_295, (1L << 53) - 1, -(1L << 53) + 1 })
        {
            StixIdentifier.OfNumber("autonomous-system", "number", number).Should().Be(StixIdentifier.Deterministic(new AutonomousSystem { Number = number }), $"{number}");
        }

        StixIdentifier.OfString("ipv4-addr", "value", "198.51.100.3").Should().Be("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4", "the spec's example");
    }

    [Fact]
    public void An_observable_without_contributing_properties_has_no_deterministic_id()
    {
        StixIdentifier.Deterministic(new StixProcess { Pid = 4 }).Should().BeNull();
        StixIdentifier.Deterministic(new StixFile { Size = 10 }).Should().BeNull();
        var random = StixIdentifier.NewRandom("process");
        StixIdentifier.TrySplit(random, out var type, out var uuid).Should().BeTrue();
        type.Should().Be("process");
        uuid.Version.Should().Be(4);
    }

    [Theory]
    // RFC 8785 appendix B and section 3.2.2.3 number examples.
    [InlineData(1e21, "1e+21")]
    [InlineData(1e30, "1e+30")]
    [InlineData(333333333.33333329, "333333333.3333333")]
    [InlineData(4.50, "4.5")]
    [InlineData(2e-3, "0.002")]
    [InlineData(0.000000000000000000000000001, "1e-27")]
    [InlineData(-0.0, "0")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(-5e-324, "-5e-324")]
    public void Numbers_are_written_as_ecmascript_prints_them(double value, string expected)
    {
        JsonCanonicalizer.FormatNumber(value).Should().Be(expected);
    }

    [Fact]
    public void Canonical_json_sorts_by_utf16_code_units_and_escapes_minimally()
    {
        // RFC 8785 section 3.2.3's sorting example, plus escapes.
        using var document = JsonDocument.Parse("""{"\u20ac":"Euro","\r":"CR","\ufb33":"Hebrew","1":"One","\ud83d\ude00":"Smiley","\u0080":"Control","\u00f6":"Latin","x":["a\"b\\c\n\u0001é",1.0,true,null]}""");
        JsonCanonicalizer.CanonicalString(document.RootElement).Should().Be(
            "{\"\\r\":\"CR\",\"1\":\"One\",\"x\":[\"a\\\"b\\\\c\\n\\u0001é\",1,true,null],\"\u0080\":\"Control\",\"ö\":\"Latin\",\"€\":\"Euro\",\"😀\":\"Smiley\",\"\ufb33\":\"Hebrew\"}");
    }

    [Theory]
    [InlineData("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", true)]
    [InlineData("indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f", false)]
    [InlineData("--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", false)]
    [InlineData("indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", false)]
    [InlineData("indicator--{8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f}", false)]
    public void Identifiers_are_type_and_uuid(string id, bool valid)
    {
        StixIdentifier.TrySplit(id, out _, out _).Should().Be(valid);
    }
}
