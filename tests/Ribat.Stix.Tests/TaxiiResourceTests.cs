using System.Text;
using System.Text.Json;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;
using Ribat.Stix.Taxii;

namespace Ribat.Stix.Tests;

public sealed class TaxiiResourceTests
{
    [Fact]
    public void Discovery_reads_the_specification_example_and_writes_it_back()
    {
        const string json = """
            {"title":"Some TAXII Server","description":"This TAXII Server contains a listing of","contact":"string containing contact information",
             "default":"https://example.com/api2/","api_roots":["https://example.com/api1/","https://example.com/api2/","https://example.net/trustgroup1/"]}
            """;
        var discovery = Read<TaxiiDiscovery>(json);
        discovery.Title.Should().Be("Some TAXII Server");
        discovery.ApiRoots.Should().HaveCount(3);
        SameJson(TaxiiJson.Write(discovery), json);
    }

    [Fact]
    public void Api_root_keeps_versions_and_max_content_length()
    {
        const string json = """{"title":"Malware Research Group","description":"A trust group","versions":["application/taxii+json;version=2.1"],"max_content_length":104857600}""";
        var root = Read<TaxiiApiRoot>(json);
        root.Versions.Should().Equal(TaxiiMediaTypes.Taxii21);
        root.MaxContentLength.Should().Be(104857600);
        SameJson(TaxiiJson.Write(root), json);
    }

    [Fact]
    public void Collections_write_their_permissions_and_leave_out_what_is_absent()
    {
        var collections = new TaxiiCollections([new TaxiiCollection("91a7b528-80eb-42ed-a74d-c6fbd5a26116", "High Value Indicator Collection", true, false, MediaTypes: [TaxiiMediaTypes.Stix21])]);
        var json = Encoding.UTF8.GetString(TaxiiJson.Write(collections));
        json.Should().Be("""{"collections":[{"id":"91a7b528-80eb-42ed-a74d-c6fbd5a26116","title":"High Value Indicator Collection","can_read":true,"can_write":false,"media_types":["application/stix+json;version=2.1"]}]}""");
        Encoding.UTF8.GetString(TaxiiJson.Write(new TaxiiCollections())).Should().Be("{}", "an empty list is never written");
    }

    [Fact]
    public void Manifest_records_keep_microsecond_date_added()
    {
        const string json = """{"more":true,"objects":[{"id":"indicator--29aba82c-5393-42a8-9edb-6a2cb1df070b","date_added":"2016-11-01T03:04:05.123456Z","version":"2016-11-03T12:30:59.000Z","media_type":"application/stix+json;version=2.1"}]}""";
        var manifest = Read<TaxiiManifest>(json);
        manifest.Objects![0].DateAdded.ToString().Should().Be("2016-11-01T03:04:05.123456Z");
        manifest.Objects[0].DateAdded.FractionDigits.Should().Be(6);
        SameJson(TaxiiJson.Write(manifest), json);
    }

    [Fact]
    public void Envelope_keeps_objects_whole_and_reads_them_into_the_model()
    {
        const string json = """
            {"more":true,"next":"d3a5b1","objects":[
              {"type":"indicator","spec_version":"2.1","id":"indicator--cd981c25-8042-4166-8945-51178443bdac","created":"2014-05-08T09:00:00.000Z","modified":"2014-05-08T09:00:00.000Z","name":"File hash","indicator_types":["file-hash-watchlist"],"pattern":"[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']","pattern_type":"stix","valid_from":"2014-05-08T09:00:00.000000Z","x_ribat_note":"kept"},
              {"type":"x-mitre-tactic","id":"x-mitre-tactic--1","created":"2020-01-01T00:00:00.000Z","modified":"2020-01-01T00:00:00.000Z","x_mitre_shortname":"evasion"},
              {"type":"indicator","id":42}
            ]}
            """;
        var envelope = Read<TaxiiEnvelope>(json);
        envelope.More.Should().BeTrue();
        envelope.Next.Should().Be("d3a5b1");
        SameJson(TaxiiJson.Write(envelope), json);

        var objects = envelope.ReadObjects(out var issues);
        objects.Should().HaveCount(2);
        objects[0].Should().BeOfType<Indicator>().Which.Custom!["x_ribat_note"].GetString().Should().Be("kept");
        objects[1].Should().BeOfType<CustomStixObject>().Which.Type.Should().Be("x-mitre-tactic");
        issues.Should().ContainSingle().Which.Property.Should().Be("id");
    }

    [Fact]
    public void Versions_are_timestamps_with_their_precision()
    {
        const string json = """{"more":false,"versions":["2016-01-01T01:01:01.000Z","2018-08-08T08:08:08.123456Z"]}""";
        var versions = Read<TaxiiVersions>(json);
        versions.Versions!.Select(v => v.ToString()).Should().Equal("2016-01-01T01:01:01.000Z", "2018-08-08T08:08:08.123456Z");
        SameJson(TaxiiJson.Write(versions), json);
    }

    [Fact]
    public void Status_carries_counts_and_details()
    {
        const string json = """
            {"id":"2d086da7-4bdc-4f91-900e-d77486753710","status":"pending","request_timestamp":"2016-11-02T12:34:34.123456Z","total_count":4,"success_count":1,
             "successes":[{"id":"indicator--c410e480-e42b-47d1-9476-85307c12bcbf","version":"2018-05-27T12:02:41.312Z"}],
             "failure_count":1,"failures":[{"id":"malware--664fa29d-bf65-4f28-a667-bdb76f29ec98","version":"2018-05-28T14:03:42.543Z","message":"Unable to process object"}],
             "pending_count":2,"pendings":[{"id":"indicator--252c7c11-daf2-42bd-843b-be65edca9f61","version":"2018-05-18T20:16:21.148Z"},{"id":"relationship--045585ad-a22f-4333-af33-bfd503a683b5","version":"2018-05-15T10:13:32.579Z"}]}
            """;
        var status = Read<TaxiiStatus>(json);
        status.Status.Should().Be(TaxiiStatus.Pending);
        status.Failures![0].Message.Should().Be("Unable to process object");
        SameJson(TaxiiJson.Write(status), json);
    }

    [Fact]
    public void Error_http_status_is_a_string()
    {
        var error = new TaxiiError("Collection not found", "No collection with that id is readable here", HttpStatus: "404", Details: new Dictionary<string, string> { ["collection"] = "x" });
        var json = Encoding.UTF8.GetString(TaxiiJson.Write(error));
        json.Should().Contain("\"http_status\":\"404\"").And.Contain("\"details\":{\"collection\":\"x\"}");
        Read<TaxiiError>(json).Should().BeEquivalentTo(error);
    }

    [Theory]
    [InlineData("""{"description":"no title"}""", "title")]
    [InlineData("""{"title":"t","versions":["v"]}""", "max_content_length")]
    [InlineData("""{"title":"t","versions":"v","max_content_length":1}""", "versions")]
    [InlineData("""{"title":null,"versions":["v"],"max_content_length":1}""", "title")]
    [InlineData("""{"title":"t","versions":["v"],"max_content_length":"big"}""", "max_content_length")]
    public void Api_root_without_a_required_property_or_of_the_wrong_type_is_refused_naming_it(string json, string property)
    {
        TaxiiJson.TryRead<TaxiiApiRoot>(Encoding.UTF8.GetBytes(json), out var value, out var error).Should().BeFalse();
        value.Should().BeNull();
        error.Should().Contain(property);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("""{"objects":[{"id":"indicator--1","date_added":"yesterday","version":"v"}]}""")]
    [InlineData("""{"title":"a","title":"b"}""")]
    public void Malformed_bodies_are_errors_not_exceptions(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var read = TaxiiJson.TryRead<TaxiiManifest>(bytes, out _, out var error) && TaxiiJson.TryRead<TaxiiDiscovery>(bytes, out _, out error);
        read.Should().BeFalse();
        error.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Nesting_past_the_limit_is_refused()
    {
        var deep = new string('[', 200) + new string(']', 200);
        var json = "{\"title\":\"t\",\"api_roots\":" + deep + "}";
        TaxiiJson.TryRead<TaxiiDiscovery>(Encoding.UTF8.GetBytes(json), out _, out var error).Should().BeFalse();
        error.Should().Contain("depth");
    }

    [Fact]
    public void Truncated_envelopes_are_refused()
    {
        var bytes = TaxiiJson.Write(new TaxiiEnvelope(false, null, [JsonDocument.Parse("""{"type":"x-a","id":"x-a--1"}""").RootElement]));
        for (var length = 0; length < bytes.Length; length++)
        {
            TaxiiJson.TryRead<TaxiiEnvelope>(bytes.AsSpan(0, length), out _, out var error).Should().BeFalse();
            error.Should().NotBeNull();
        }
    }

    private static T Read<T>(string json)
        where T : class
    {
        TaxiiJson.TryRead<T>(Encoding.UTF8.GetBytes(json), out var value, out var error).Should().BeTrue(error);
        return value!;
    }

    private static void SameJson(byte[] written, string expected)
    {
        using var a = JsonDocument.Parse(written);
        using var b = JsonDocument.Parse(expected);
        JsonSemantic.Equals(a.RootElement, b.RootElement).Should().BeTrue(Encoding.UTF8.GetString(written));
    }
}
