using System.Text;
using Ribat.Stix.Serialization;
using Ribat.Stix.Validation;

namespace Ribat.Stix.Tests;

public sealed class BadInputTests
{
    private const string Bundle = "bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33";
    private const string Identity = "identity--311b2d2d-f010-4473-83ec-1edf84858f4c";

    private static StixReadResult Read(string json, StixReadOptions? options = null) =>
        StixSerializer.Read(Encoding.UTF8.GetBytes(json), options, new StixValidator());

    private static string Wrap(string objectJson) => $$"""{"type":"bundle","id":"{{Bundle}}","objects":[{{objectJson}}]}""";

    private static string IdentityWith(string extra) =>
        $$"""{"type":"identity","spec_version":"2.1","id":"{{Identity}}","created":"2015-12-21T19:59:11.000Z","modified":"2015-12-21T19:59:11.000Z","name":"ACME"{{extra}}}""";

    [Fact]
    public void Every_truncation_of_a_file_is_an_error_not_an_exception()
    {
        var whole = Corpus.Read("indicator-for-c2-ip-address.json");
        var complete = Encoding.UTF8.GetString(whole).TrimEnd().Length;
        for (var length = 0; length < whole.Length; length++)
        {
            var result = StixSerializer.Read(whole.AsMemory(0, length), validator: new StixValidator());
            if (length < complete)
            {
                result.Errors.Should().ContainSingle().Which.Message.Should().StartWith("not valid JSON", $"{length} bytes");
            }
        }

        var large = Corpus.Read("apt1.json");
        for (var length = 0; length < large.Length; length += 211)
        {
            StixSerializer.Read(large.AsMemory(0, length)).Errors.Should().NotBeEmpty();
        }
    }

    [Fact]
    public void Mutated_and_random_documents_are_answered_without_exceptions()
    {
        var random = new Random(20_261_122);
        var original = Corpus.Read("poisonivy.json");
        var validator = new StixValidator();
        var readable = 0;
        var damaged = 0;
        for (var i = 0; i < 250; i++)
        {
            var copy = (byte[])original.Clone();
            for (var m = random.Next(1, 6); m > 0; m--)
            {
                copy[random.Next(copy.Length)] = (byte)"{}[]\":,0aZ-.\\ \u00ff"[random.Next(15)];
            }

            var result = StixSerializer.Read(copy, validator: validator);
            if (copy.Contains((byte)0xFF))
            {
                result.Errors.Should().ContainSingle().Which.Message.Should().StartWith("not UTF-8: invalid byte sequence at byte ");
            }

            if (result.Objects.Count > 0)
            {
                readable++;
                StixSerializer.WriteBundle(result.Bundle!).Should().NotBeEmpty();
            }

            damaged += result.Errors.Any() ? 1 : 0;
        }

        for (var i = 0; i < 400; i++)
        {
            var noise = new byte[random.Next(0, 2000)];
            random.NextBytes(noise);
            StixSerializer.Read(noise, validator: validator).Errors.Should().NotBeEmpty();
        }

        readable.Should().BeGreaterThan(0);
        damaged.Should().BeGreaterThan(125);
    }

    [Fact]
    public void Deep_nesting_is_refused_at_the_depth_limit()
    {
        var deep = new string('[', 100_000) + new string(']', 100_000);
        Read(deep).Errors.Should().ContainSingle().Which.Message.Should().Contain("depth");

        var nested = new StringBuilder(",\"x_deep\":");
        for (var i = 0; i < 70; i++)
        {
            nested.Append("{\"a\":");
        }

        nested.Append('1').Append('}', 70);
        var result = Read(Wrap(IdentityWith(nested.ToString())));
        result.Errors.Should().ContainSingle().Which.Message.Should().Contain("depth");
        Read(Wrap(IdentityWith(nested.ToString())), new StixReadOptions { MaxDepth = 128 }).Errors.Should().BeEmpty();
    }

    [Fact]
    public void Duplicate_properties_are_refused()
    {
        Read($$"""{"type":"bundle","id":"{{Bundle}}","id":"{{Bundle}}"}""").Errors.Should().ContainSingle().Which.Message.Should().Contain("Duplicate");
        Read(Wrap(IdentityWith(",\"name\":\"Other\""))).Errors.Should().ContainSingle().Which.Message.Should().Contain("Duplicate");
    }

    [Theory]
    [InlineData(",\"confidence\":\"high\"", "confidence")]
    [InlineData(",\"revoked\":\"yes\"", "revoked")]
    [InlineData(",\"labels\":\"one\"", "labels")]
    [InlineData(",\"external_references\":[{\"source_name\":5}]", "external_references[0].source_name")]
    [InlineData(",\"confidence\":1e3", "confidence")]
    [InlineData(",\"confidence\":99999999999", "confidence")]
    public void An_object_with_a_wrongly_typed_property_is_skipped_and_named(string extra, string property)
    {
        var result = Read(Wrap(IdentityWith(extra) + "," + IdentityWith(string.Empty).Replace("311b2d2d", "411b2d2d", StringComparison.Ordinal)));
        result.SkippedObjects.Should().Be(1);
        result.Objects.Should().ContainSingle().Which.Id.Should().StartWith("identity--411b2d2d");
        result.Issues.Should().Contain(i => i.Severity == StixSeverity.Error && i.ObjectId == Identity && i.Property == property && i.Message.StartsWith("object 0 not read", StringComparison.Ordinal),
            "found {0}", string.Join(" | ", result.Issues));
        result.Issues.Should().Contain(i => i.Severity == StixSeverity.Error && i.ObjectId == Identity && i.Property == property && !i.Message.StartsWith("object 0", StringComparison.Ordinal),
            "the validator names the same property: {0}", string.Join(" | ", result.Issues));
    }

    [Theory]
    [InlineData("\"created\":\"2015-12-21T19:59:11.000Z\"", "\"created\":\"2015-12-21 19:59:11\"", "created")]
    [InlineData("\"created\":\"2015-12-21T19:59:11.000Z\"", "\"created\":\"2015-13-21T19:59:11.000Z\"", "created")]
    [InlineData("\"created\":\"2015-12-21T19:59:11.000Z\"", "\"created\":1450727951", "created")]
    public void Invalid_timestamps_name_the_object_and_the_property(string good, string bad, string property)
    {
        var result = Read(Wrap(IdentityWith(string.Empty).Replace(good, bad, StringComparison.Ordinal)));
        result.Issues.Should().Contain(i => i.Severity == StixSeverity.Error && i.ObjectId == Identity && i.Property == property);
    }

    [Theory]
    [InlineData("identity--311b2d2d-f010-4473-83ec", "is not type--UUID")]
    [InlineData("identity--311b2d2d-f010-4473-83ec-1edf84858f4g", "is not type--UUID")]
    [InlineData("311b2d2d-f010-4473-83ec-1edf84858f4c", "is not type--UUID")]
    public void Invalid_ids_are_errors_on_the_id(string id, string fragment)
    {
        var result = Read(Wrap(IdentityWith(string.Empty).Replace(Identity, id, StringComparison.Ordinal)));
        result.Issues.Should().Contain(i => i.Severity == StixSeverity.Error && i.ObjectId == id && i.Property == "id" && i.Message.Contains(fragment),
            "found {0}", string.Join(" | ", result.Issues));
    }

    [Fact]
    public void Huge_strings_and_arrays_are_read_and_limits_are_errors()
    {
        var description = new string('x', 5_000_000);
        var huge = Read(Wrap(IdentityWith($",\"description\":\"{description}\"")));
        huge.Errors.Should().BeEmpty();
        ((Model.Identity)huge.Objects[0]).Description.Should().HaveLength(5_000_000);

        var labels = string.Join(',', Enumerable.Repeat("\"l\"", 200_000));
        Read(Wrap(IdentityWith($",\"labels\":[{labels}]"))).Errors.Should().BeEmpty();

        var bytes = Encoding.UTF8.GetBytes(Wrap(IdentityWith(string.Empty)));
        StixSerializer.Read(bytes, new StixReadOptions { MaxBytes = 100 }).Errors.Should().ContainSingle().Which.Message.Should().Contain("more than the 100 accepted");

        var many = Wrap(string.Join(',', Enumerable.Repeat(IdentityWith(string.Empty), 5)));
        var capped = StixSerializer.Read(Encoding.UTF8.GetBytes(many), new StixReadOptions { MaxObjects = 3 });
        capped.Objects.Should().HaveCount(3);
        capped.SkippedObjects.Should().Be(2);
        capped.Errors.Should().ContainSingle().Which.Message.Should().Contain("more than 3 objects");
    }

    [Theory]
    [InlineData("[]", "a bundle is a JSON object, not an array")]
    [InlineData("\"bundle\"", "a bundle is a JSON object, not a string")]
    [InlineData("42", "a bundle is a JSON object, not a number")]
    [InlineData("{\"type\":\"bundle\",\"id\":\"bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33\",\"objects\":[1]}", "a STIX object is a JSON object, not a number")]
    [InlineData("{\"type\":\"bundle\",\"id\":\"bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33\",\"objects\":{}}", "has the wrong JSON type (an object)")]
    [InlineData("{\"type\":\"bundle\",\"id\":\"bundle--5330e3e3-8f58-4d21-9f4b-793a054c0d33\",\"objects\":[{\"id\":\"x\"}]}", "is required and must be a string")]
    [InlineData("\uFEFF{}", "a bundle's id MUST be bundle--UUID")]
    public void Documents_that_are_not_bundles_say_why(string json, string fragment)
    {
        Read(json).Errors.Should().Contain(i => i.Message.Contains(fragment), "found {0}", string.Join(" | ", Read(json).Issues));
    }
}
