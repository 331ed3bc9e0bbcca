using System.Text.Json;
using System.Text.Json.Nodes;
using Ribat.Stix.Model;
using Ribat.Stix.Validation;

namespace Ribat.Stix.Tests;

public sealed class ValidatorTests
{
    private const string IndicatorId = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    private static JsonObject Indicator() => new()
    {
        ["type"] = "indicator",
        ["spec_version"] = "2.1",
        ["id"] = IndicatorId,
        ["created"] = "2016-04-06T20:03:48.000Z",
        ["modified"] = "2016-04-06T20:03:48.000Z",
        ["indicator_types"] = new JsonArray("malicious-activity"),
        ["pattern"] = "[ipv4-addr:value = '198.51.100.1']",
        ["pattern_type"] = "stix",
        ["valid_from"] = "2016-01-01T00:00:00Z",
    };

    private static IReadOnlyList<StixIssue> Validate(JsonNode value)
    {
        using var document = JsonDocument.Parse(value.ToJsonString());
        return new StixValidator().ValidateObject(document.RootElement);
    }

    [Fact]
    public void A_correct_indicator_has_no_findings()
    {
        Validate(Indicator()).Should().BeEmpty();
    }

    public static TheoryData<string, string?, string, string> Breakages() => new()
    {
        // property to set (JSON), its value (JSON, or null to remove), expected property, expected message fragment
        { "id", "\"indicator--not-a-uuid\"", "id", "is not type--UUID" },
        { "id", "\"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"", "id", "not the object's type" },
        { "id", "\"indicator--8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f\"", "id", "RFC 4122" },
        { "spec_version", "\"2.0\"", "spec_version", "MUST be \"2.1\"" },
        { "spec_version", null, "spec_version", "is required" },
        { "created", null, "created", "is required" },
        { "modified", "\"2016-04-06T20:03:47.999Z\"", "modified", "later than or equal to created" },
        { "created", "\"2016-04-06 20:03:48\"", "created", "is not a STIX timestamp" },
        { "confidence", "101", "confidence", "0 to 100" },
        { "confidence", "\"50\"", "confidence", "must be an integer" },
        { "lang", "\"not a tag\"", "lang", "RFC 5646" },
        { "labels", "[]", "labels", "empty list" },
        { "labels", "[1]", "labels[0]", "must be a string" },
        { "name", "null", "name", "null" },
        { "created_by_ref", "\"malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"", "created_by_ref", "must refer to identity" },
        { "object_marking_refs", "[\"identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"]", "object_marking_refs[0]", "must refer to marking-definition" },
        { "indicator_types", "[\"suspicious\"]", "indicator_types[0]", "not in indicator-type-ov" },
        { "valid_until", "\"2016-01-01T00:00:00Z\"", "valid_until", "later than valid_from" },
        { "pattern", "null", "pattern", "null" },
        { "pattern", "\"[ipv4-addr:value = '1.2.3.4'\"", "pattern", "at 28: expected ']'" },
        { "pattern", "\"[x-acme:value = '1']\"", "pattern", "not an SCO type STIX defines" },
        { "pattern_type", null, "pattern_type", "is required" },
        { "Bad-Name", "1", "Bad-Name", "custom property's name" },
        { "xy", "1", "xy", "custom property's name" },
        { "external_references", "[{\"source_name\":\"capec\",\"external_id\":\"163\"}]", "external_references[0].external_id", "CAPEC-<number>" },
        { "external_references", "[{\"source_name\":\"cve\",\"external_id\":\"CVE-16-1\"}]", "external_references[0].external_id", "CVE-<year>-<number>" },
        { "external_references", "[{\"source_name\":\"acme\"}]", "external_references[0]", "at least one of description, url or external_id" },
        { "external_references", "[{\"url\":\"https://example.com\"}]", "external_references[0].source_name", "is required" },
        { "kill_chain_phases", "[{\"kill_chain_name\":\"Lockheed Martin\",\"phase_name\":\"recon\"}]", "kill_chain_phases[0].kill_chain_name", "lower case" },
        { "granular_markings", "[{\"marking_ref\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\",\"selectors\":[\"description\"]}]", "granular_markings[0].selectors[0]", "does not select" },
        { "granular_markings", "[{\"marking_ref\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\",\"lang\":\"en\",\"selectors\":[\"pattern\"]}]", "granular_markings[0]", "exactly one of marking_ref or lang" },
        { "extensions", "{\"archive-ext\":{\"contains_refs\":[\"file--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f\"]}}", "extensions.archive-ext", "belongs on file" },
        { "extensions", "{\"x-acme-ext\":{\"a\":1}}", "extensions.x-acme-ext", "deprecated" },
    };

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Each_broken_rule_is_reported_with_the_object_id_and_the_property(string property, string? json, string expectedProperty, string fragment)
    {
        var indicator = Indicator();
        if (json is null)
        {
            indicator.Remove(property);
        }
        else
        {
            indicator[property] = JsonNode.Parse(json);
        }

        var issues = Validate(indicator);
        var id = property == "id" ? indicator["id"]!.GetValue<string>() : IndicatorId;
        issues.Should().Contain(i => i.ObjectId == id && i.Property == expectedProperty && i.Message.Contains(fragment),
            "{0} should be reported, found: {1}", fragment, string.Join(" | ", issues));
    }

    [Fact]
    public void Musts_are_errors_and_shoulds_warnings()
    {
        var indicator = Indicator();
        indicator["indicator_types"] = new JsonArray("suspicious");
        indicator["confidence"] = 101;
        var issues = Validate(indicator);
        issues.Single(i => i.Property == "indicator_types[0]").Severity.Should().Be(StixSeverity.Warning);
        issues.Single(i => i.Property == "confidence").Severity.Should().Be(StixSeverity.Error);
    }

    public static TheoryData<string, string, string> TypeSpecific() => new()
    {
        { """{"type":"location","spec_version":"2.1","id":"location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","latitude":91.0,"longitude":2.0}""", "latitude", "between -90.0 and 90.0" },
        { """{"type":"location","spec_version":"2.1","id":"location--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","city":"Rabat"}""", "region", "region, country, or latitude and longitude" },
        { """{"type":"malware","spec_version":"2.1","id":"malware--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","is_family":true}""", "name", "is required when is_family is true" },
        { """{"type":"observed-data","spec_version":"2.1","id":"observed-data--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","first_observed":"2016-04-06T20:03:00Z","last_observed":"2016-04-06T20:03:00Z","number_observed":0,"object_refs":["ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4"]}""", "number_observed", "1 to 999,999,999" },
        { """{"type":"relationship","spec_version":"2.1","id":"relationship--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","relationship_type":"uses","source_ref":"bundle--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","target_ref":"tool--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"}""", "source_ref", "must refer to an SDO or an SCO" },
        { """{"type":"sighting","spec_version":"2.1","id":"sighting--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","sighting_of_ref":"indicator--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","where_sighted_refs":["malware--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"]}""", "where_sighted_refs[0]", "identity or location" },
        { """{"type":"opinion","spec_version":"2.1","id":"opinion--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","opinion":"maybe","object_refs":["indicator--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64"]}""", "opinion", "not one of opinion-enum" },
        { """{"type":"network-traffic","id":"network-traffic--21fb682d-8acd-5691-b4d4-101141ec8c81","protocols":["ipv4","tcp"],"dst_port":70000}""", "src_ref", "src_ref or dst_ref" },
        { """{"type":"network-traffic","id":"network-traffic--21fb682d-8acd-5691-b4d4-101141ec8c81","protocols":["ipv4","tcp"],"src_ref":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4","dst_port":70000}""", "dst_port", "0 to 65,535" },
        { """{"type":"email-message","id":"email-message--21fb682d-8acd-5691-b4d4-101141ec8c81","is_multipart":true,"body":"x"}""", "body", "MUST NOT be present when is_multipart is true" },
        { """{"type":"email-message","id":"email-message--21fb682d-8acd-5691-b4d4-101141ec8c81","is_multipart":true,"body_multipart":[{"content_type":"text/plain"}]}""", "body_multipart[0]", "exactly one of body or body_raw_ref" },
        { """{"type":"artifact","id":"artifact--21fb682d-8acd-5691-b4d4-101141ec8c81","url":"https://example.com/x"}""", "hashes", "required when url is present" },
        { """{"type":"file","id":"file--21fb682d-8acd-5691-b4d4-101141ec8c81","size":3}""", "name", "hashes or name" },
        { """{"type":"file","id":"file--02c74237-f6bc-5e2e-bcbe-e9bf3d69ac64","hashes":{"SHA256":"aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f"}}""", "hashes.SHA256", "not in hashing-algorithm-ov" },
        { """{"type":"file","id":"file--02c74237-f6bc-5e2e-bcbe-e9bf3d69ac64","name":"a","extensions":{"windows-pebinary-ext":{"pe_type":"exe","sections":[{"size":1}]}}}""", "extensions.windows-pebinary-ext.sections[0].name", "is required" },
        { """{"type":"process","id":"process--21fb682d-8acd-4691-b4d4-101141ec8c81","extensions":{"windows-process-ext":{"integrity_level":"root"}}}""", "extensions.windows-process-ext.integrity_level", "not one of windows-integrity-level-enum" },
        { """{"type":"ipv4-addr","id":"ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c5","value":"198.51.100.3"}""", "id", "not the one its ID contributing properties give" },
        { """{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","definition_type":"tlp","definition":{"tlp":"purple"}}""", "definition.tlp", "white, green, amber or red" },
        { """{"type":"extension-definition","spec_version":"2.1","id":"extension-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","modified":"2017-01-20T00:00:00.000Z","name":"x","schema":"https://example.com","version":"1.0","extension_types":["new-thing"]}""", "created_by_ref", "is required" },
        { """{"type":"extension-definition","spec_version":"2.1","id":"extension-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","modified":"2017-01-20T00:00:00.000Z","name":"x","schema":"https://example.com","version":"1.0","extension_types":["new-thing"]}""", "extension_types[0]", "not one of extension-type-enum" },
        { """{"type":"acme-widget","spec_version":"2.1","id":"acme-widget--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","modified":"2017-01-20T00:00:00.000Z"}""", "type", "SHOULD start with x-" },
        { """{"type":"autonomous-system","id":"autonomous-system--3aa27478-50b5-5ab8-9da9-cdc12b657fff","number":1e400}""", "number", "must be an integer in range" },
        { """{"type":"language-content","spec_version":"2.1","id":"language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d","created":"2017-01-20T00:00:00.000Z","modified":"2017-01-20T00:00:00.000Z","object_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","contents":{"french language":{"name":"x"},"de":"y"}}""", "contents.french language", "RFC 5646 language tag" },
        { """{"type":"language-content","spec_version":"2.1","id":"language-content--b86bd89f-98bb-4fa9-8cb2-9ad421da981d","created":"2017-01-20T00:00:00.000Z","modified":"2017-01-20T00:00:00.000Z","object_ref":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","contents":{"de":"y"}}""", "contents.de", "object of translated properties" },
        { """{"type":"x--bad","spec_version":"2.1","id":"x--bad--34098fce-860f-48ae-8e50-ebd3cc5e41da","created":"2017-01-20T00:00:00.000Z","modified":"2017-01-20T00:00:00.000Z"}""", "type", "with no --" },
    };

    [Theory]
    [MemberData(nameof(TypeSpecific))]
    public void Type_rules_are_reported(string json, string property, string fragment)
    {
        var issues = Validate(JsonNode.Parse(json)!);
        issues.Should().Contain(i => i.Property == property && i.Message.Contains(fragment), "found: {0}", string.Join(" | ", issues));
    }

    [Fact]
    public void A_bundle_reports_dangling_references_with_the_configured_severity_and_its_own_shape()
    {
        var bundle = $$"""
            {"type":"bundle","id":"bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33","spec_version":"2.1","objects":[
              {{Indicator().ToJsonString()}},
              {"type":"relationship","spec_version":"2.1","id":"relationship--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","created":"2016-04-06T20:03:00.000Z","modified":"2016-04-06T20:03:00.000Z","relationship_type":"indicates","source_ref":"{{IndicatorId}}","target_ref":"malware--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64","object_marking_refs":["{{TlpMarkings.Green}}"]}
            ]}
            """;
        using var document = JsonDocument.Parse(bundle);
        var relaxed = new StixValidator().ValidateBundle(document.RootElement);
        relaxed.Should().ContainSingle(i => i.Property == "target_ref" && i.Severity == StixSeverity.Warning && i.Message.Contains("not in the bundle"));
        relaxed.Should().ContainSingle(i => i.Property == "spec_version" && i.ObjectId == "bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33");
        var strict = new StixValidator(new StixValidationOptions { DanglingReferences = StixSeverity.Error }).ValidateBundle(document.RootElement);
        strict.Should().ContainSingle(i => i.Property == "target_ref" && i.Severity == StixSeverity.Error && i.ObjectId == "relationship--a6e9345f-5a15-4c29-8bb3-7dcc5d168d64");
    }

    [Fact]
    public void A_statement_marking_built_in_code_is_valid_and_an_object_without_id_is_not_read()
    {
        var marking = MarkingDefinition.Statement("Copyright 2026 CERT-MA", StixTimestamp.Parse("2026-11-22T10:00:00.000Z"));
        new StixValidator().Validate(marking).Should().BeEmpty();
        System.Text.Encoding.UTF8.GetString(Serialization.StixSerializer.WriteObject(marking)).Should().Contain("\"definition\":{\"statement\":\"Copyright 2026 CERT-MA\"}");

        var noId = Serialization.StixSerializer.ReadObject("""{"type":"x-acme-widget","spec_version":"2.1"}"""u8.ToArray(), out var issues);
        noId.Should().BeNull();
        issues.Should().ContainSingle(i => i.Property == "id" && i.Message.Contains("is required"));
    }

    [Fact]
    public void Typed_objects_built_in_code_validate_as_they_will_be_written()
    {
        var created = StixTimestamp.Parse("2026-11-22T10:00:00.000Z");
        var indicator = new Indicator
        {
            SpecVersion = StixVersion.Current,
            Id = IndicatorId,
            Created = created,
            Modified = created,
            Pattern = "[domain-name:value = 'example.com']",
            PatternType = "stix",
            ValidFrom = created,
            ObjectMarkingRefs = [TlpMarkings.AmberStrict],
        };
        new StixValidator().Validate(indicator).Should().BeEmpty();
        indicator.SpecVersion = null;
        new StixValidator().Validate(indicator).Should().ContainSingle(i => i.Property == "spec_version");
    }
}
