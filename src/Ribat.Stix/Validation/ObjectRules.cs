using System.Text.Json;
using System.Text.RegularExpressions;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Stix.Validation;

/// <summary>The rules of STIX 2.1 that tie properties together: common properties, then each type's own.</summary>
internal static partial class ObjectRules
{
    [GeneratedRegex("^[a-z0-9-]{3,250}$", RegexOptions.CultureInvariant)]
    private static partial Regex TypeName();

    // RFC 5646 language tag, in the shape that matters here: a primary subtag and optional subtags.
    [GeneratedRegex("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageTag();

    [GeneratedRegex(@"^CAPEC-\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex CapecId();

    [GeneratedRegex(@"^CVE-\d{4}-(0\d{3}|[1-9]\d{3,})$", RegexOptions.CultureInvariant)]
    private static partial Regex CveId();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex LowercaseHyphenated();

    public static void CheckCommon(JsonElement value, string type, StixObjectKind kind, IssueSink sink)
    {
        if (!TypeName().IsMatch(type) || type.Contains("--", StringComparison.Ordinal))
        {
            sink.Error("type", "MUST be 3 to 250 characters of a-z, 0-9 and -, with no --");
        }
        else if (kind == StixObjectKind.Custom && !type.StartsWith("x-", StringComparison.Ordinal))
        {
            sink.Warning("type", "a custom object's type SHOULD start with x- (other names may be taken by a future STIX version)");
        }

        CheckId(value, type, kind, sink);
        var specVersion = StixSerializer.StringOrNull(value, "spec_version");
        if (specVersion is null && kind != StixObjectKind.Observable)
        {
            sink.Error("spec_version", $"is required on {type}");
        }
        else if (specVersion is not null && specVersion != StixVersion.Current)
        {
            sink.Error("spec_version", $"MUST be \"2.1\", not \"{ModelShape.Shorten(specVersion)}\"");
        }

        if (kind is StixObjectKind.Domain or StixObjectKind.Relationship or StixObjectKind.LanguageContent or StixObjectKind.ExtensionDefinition or StixObjectKind.Custom)
        {
            foreach (var name in (ReadOnlySpan<string>)["created", "modified"])
            {
                if (!value.TryGetProperty(name, out _))
                {
                    sink.Error(name, $"is required on {type}");
                }
            }

            Order(value, "created", "modified", orEqual: true, sink, "MUST be later than or equal to created");
        }

        if (value.TryGetProperty("confidence", out var confidence) && confidence.ValueKind == JsonValueKind.Number && confidence.TryGetInt32(out var level) && level is < 0 or > 100)
        {
            sink.Error("confidence", $"MUST be 0 to 100, not {level}");
        }

        if (StixSerializer.StringOrNull(value, "lang") is { } lang && !LanguageTag().IsMatch(lang))
        {
            sink.Error("lang", $"'{ModelShape.Shorten(lang)}' is not an RFC 5646 language tag");
        }

        CheckExternalReferences(value, sink);
        CheckKillChainPhases(value, sink);
        GranularMarkings.Check(value, sink);
    }

    private static void CheckId(JsonElement value, string type, StixObjectKind kind, IssueSink sink)
    {
        var id = StixSerializer.StringOrNull(value, "id");
        if (id is null)
        {
            sink.Error("id", "is required and must be a string");
            return;
        }

        if (!StixIdentifier.TrySplit(id, out var idType, out var uuid))
        {
            sink.Error("id", $"'{ModelShape.Shorten(id)}' is not type--UUID");
            return;
        }

        if (idType != type)
        {
            sink.Error("id", $"starts with {idType}, not the object's type {type}");
        }

        var version = uuid.Version;
        if ((uuid.Variant & 0xC) != 0x8)
        {
            sink.Error("id", "the UUID MUST be an RFC 4122 UUID (its variant bits are not 10)");
        }
        else if (kind == StixObjectKind.Observable)
        {
            var expected = StixIdentifier.Deterministic(value);
            if (expected is not null && version != 5)
            {
                sink.Warning("id", $"an SCO's id SHOULD be a UUIDv5 from its ID contributing properties ({expected})");
            }
            else if (expected is not null && expected != id)
            {
                sink.Warning("id", $"is a UUIDv5, but not the one its ID contributing properties give ({expected})");
            }
        }
        else if (version != 4 && kind is StixObjectKind.Domain or StixObjectKind.Relationship)
        {
            sink.Warning("id", $"an SDO's or SRO's id SHOULD be a UUIDv4, not a UUIDv{version}");
        }
    }

    private static void CheckExternalReferences(JsonElement value, IssueSink sink)
    {
        if (!value.TryGetProperty("external_references", out var references) || references.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var reference in references.EnumerateArray())
        {
            var path = $"external_references[{index++}]";
            if (reference.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            if (!reference.TryGetProperty("description", out _) && !reference.TryGetProperty("url", out _) && !reference.TryGetProperty("external_id", out _))
            {
                sink.Error(path, "MUST have at least one of description, url or external_id");
            }

            var source = StixSerializer.StringOrNull(reference, "source_name");
            var externalId = StixSerializer.StringOrNull(reference, "external_id");
            if (source == "capec" && (externalId is null || !CapecId().IsMatch(externalId)))
            {
                sink.Error($"{path}.external_id", "a capec reference's external_id MUST be CAPEC-<number>");
            }
            else if (source == "cve" && (externalId is null || !CveId().IsMatch(externalId)))
            {
                sink.Error($"{path}.external_id", "a cve reference's external_id MUST be CVE-<year>-<number>");
            }
        }
    }

    private static void CheckKillChainPhases(JsonElement value, IssueSink sink)
    {
        if (!value.TryGetProperty("kill_chain_phases", out var phases) || phases.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        var index = 0;
        foreach (var phase in phases.EnumerateArray())
        {
            var path = $"kill_chain_phases[{index++}]";
            foreach (var name in (ReadOnlySpan<string>)["kill_chain_name", "phase_name"])
            {
                if (StixSerializer.StringOrNull(phase, name) is { } text && !LowercaseHyphenated().IsMatch(text))
                {
                    sink.Warning($"{path}.{name}", "SHOULD be lower case with hyphens between words");
                }
            }
        }
    }

    /// <summary>Reports when <paramref name="later"/> comes before <paramref name="earlier"/> (or equals it, unless allowed).</summary>
    internal static void Order(JsonElement value, string earlier, string later, bool orEqual, IssueSink sink, string message)
    {
        if (Timestamp(value, earlier) is { } first && Timestamp(value, later) is { } second && (second < first || (!orEqual && second == first)))
        {
            sink.Error(later, message);
        }
    }

    internal static StixTimestamp? Timestamp(JsonElement value, string name) =>
        StixSerializer.StringOrNull(value, name) is { } text && StixTimestamp.TryParse(text, out var parsed, out _) ? parsed : null;

    internal static bool IsLanguageTag(string text) => LanguageTag().IsMatch(text);

    internal static bool Has(JsonElement value, string name) => value.TryGetProperty(name, out _);

    internal static bool IsTrue(JsonElement value, string name) => value.TryGetProperty(name, out var flag) && flag.ValueKind == JsonValueKind.True;
}
