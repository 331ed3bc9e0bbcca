using System.Text.Json;
using Ribat.Stix.Patterning;
using Ribat.Stix.Serialization;
using static Ribat.Stix.Validation.ObjectRules;

namespace Ribat.Stix.Validation;

/// <summary>Each type's own rules that join several properties (one of, not both, ordering, ranges).</summary>
internal static class TypeRules
{
    public static void Check(JsonElement value, string type, IssueSink sink, StixValidationOptions options)
    {
        switch (type)
        {
            case "campaign" or "intrusion-set" or "threat-actor" or "infrastructure" or "malware" or "sighting":
                Order(value, "first_seen", "last_seen", orEqual: true, sink, "MUST be later than or equal to first_seen");
                if (type == "malware" && IsTrue(value, "is_family") && !Has(value, "name"))
                {
                    sink.Error("name", "is required when is_family is true");
                }

                if (type == "sighting")
                {
                    Range(value, "count", 0, 999_999_999, sink);
                }

                break;
            case "indicator":
                Order(value, "valid_from", "valid_until", orEqual: false, sink, "MUST be later than valid_from");
                CheckPattern(value, sink, options);
                break;
            case "location":
                CheckLocation(value, sink);
                break;
            case "malware-analysis":
                if (!Has(value, "result") && !Has(value, "analysis_sco_refs"))
                {
                    sink.Error("result", "one of result or analysis_sco_refs MUST be present");
                }

                break;
            case "observed-data":
                Order(value, "first_observed", "last_observed", orEqual: true, sink, "MUST be later than or equal to first_observed");
                Range(value, "number_observed", 1, 999_999_999, sink);
                CheckObservedObjects(value, sink);
                break;
            case "relationship":
                Order(value, "start_time", "stop_time", orEqual: false, sink, "MUST be later than start_time");
                break;
            case "marking-definition":
                CheckMarkingDefinition(value, sink);
                break;
            case "language-content":
                CheckContents(value, sink);
                break;
            default:
                CheckObservable(value, type, sink);
                break;
        }
    }

    private static void CheckObservable(JsonElement value, string type, IssueSink sink)
    {
        switch (type)
        {
            case "artifact":
                if (Has(value, "payload_bin") && Has(value, "url"))
                {
                    sink.Error("url", "MUST NOT be present together with payload_bin");
                }

                if (Has(value, "url") && !Has(value, "hashes"))
                {
                    sink.Error("hashes", "is required when url is present");
                }

                break;
            case "email-message":
                CheckEmail(value, sink);
                break;
            case "file":
                if (!Has(value, "hashes") && !Has(value, "name"))
                {
                    sink.Error("name", "a file MUST have hashes or name");
                }

                break;
            case "network-traffic":
                CheckNetworkTraffic(value, sink);
                break;
        }
    }

    private static void CheckNetworkTraffic(JsonElement value, IssueSink sink)
    {
        if (!Has(value, "src_ref") && !Has(value, "dst_ref"))
        {
            sink.Error("src_ref", "a network-traffic MUST have src_ref or dst_ref");
        }

        Order(value, "start", "end", orEqual: true, sink, "MUST be later than or equal to start");
        if (IsTrue(value, "is_active") && Has(value, "end"))
        {
            sink.Error("end", "MUST NOT be present when is_active is true");
        }

        Range(value, "src_port", 0, 65535, sink);
        Range(value, "dst_port", 0, 65535, sink);
        if (value.TryGetProperty("protocols", out var protocols) && protocols.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var protocol in protocols.EnumerateArray())
            {
                if (protocol.ValueKind == JsonValueKind.String && protocol.GetString() is { } name && name != name.ToLowerInvariant())
                {
                    sink.Warning($"protocols[{index}]", "SHOULD be lower case");
                }

                index++;
            }
        }
    }

    private static void CheckPattern(JsonElement value, IssueSink sink, StixValidationOptions options)
    {
        if (!options.ValidatePatterns || StixSerializer.StringOrNull(value, "pattern_type") != "stix" || StixSerializer.StringOrNull(value, "pattern") is not { } pattern)
        {
            return;
        }

        var result = StixPattern.Parse(pattern);
        foreach (var problem in result.Problems)
        {
            sink.Add(problem.Severity, "pattern", problem.ToString());
        }
    }

    private static void CheckLocation(JsonElement value, IssueSink sink)
    {
        var hasLatitude = value.TryGetProperty("latitude", out var latitude);
        var hasLongitude = value.TryGetProperty("longitude", out var longitude);
        if (!Has(value, "region") && !Has(value, "country") && !(hasLatitude && hasLongitude))
        {
            sink.Error("region", "a location MUST have region, country, or latitude and longitude");
        }

        if (hasLatitude != hasLongitude)
        {
            sink.Error(hasLatitude ? "longitude" : "latitude", "latitude and longitude MUST be given together");
        }

        if (Has(value, "precision") && !(hasLatitude && hasLongitude))
        {
            sink.Error("precision", "MUST NOT be present without latitude and longitude");
        }

        if (hasLatitude && latitude.ValueKind == JsonValueKind.Number && Math.Abs(latitude.GetDouble()) > 90)
        {
            sink.Error("latitude", "MUST be between -90.0 and 90.0");
        }

        if (hasLongitude && longitude.ValueKind == JsonValueKind.Number && Math.Abs(longitude.GetDouble()) > 180)
        {
            sink.Error("longitude", "MUST be between -180.0 and 180.0");
        }
    }

    private static void CheckObservedObjects(JsonElement value, IssueSink sink)
    {
        var hasObjects = Has(value, "objects");
        var hasRefs = Has(value, "object_refs");
        if (hasObjects && hasRefs)
        {
            sink.Error("objects", "MUST NOT be present together with object_refs");
        }
        else if (!hasObjects && !hasRefs)
        {
            sink.Error("object_refs", "one of object_refs or objects MUST be present");
        }
        else if (hasObjects)
        {
            sink.Warning("objects", "is deprecated in STIX 2.1: use object_refs");
        }
    }

    private static void CheckEmail(JsonElement value, IssueSink sink)
    {
        var multipart = IsTrue(value, "is_multipart");
        if (multipart && Has(value, "body"))
        {
            sink.Error("body", "MUST NOT be present when is_multipart is true");
        }

        if (!multipart && Has(value, "body_multipart"))
        {
            sink.Error("body_multipart", "MUST NOT be present when is_multipart is false");
        }

        if (value.TryGetProperty("body_multipart", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var part in parts.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object && Has(part, "body") == Has(part, "body_raw_ref"))
                {
                    sink.Error($"body_multipart[{index}]", "a MIME part MUST have exactly one of body or body_raw_ref");
                }

                index++;
            }
        }
    }

    private static void CheckMarkingDefinition(JsonElement value, IssueSink sink)
    {
        var definitionType = StixSerializer.StringOrNull(value, "definition_type");
        var hasDefinition = value.TryGetProperty("definition", out var definition);
        if ((definitionType is null) != !hasDefinition)
        {
            sink.Error("definition", "definition and definition_type MUST be given together");
        }

        if (definitionType is null && !hasDefinition && !Has(value, "extensions"))
        {
            sink.Error("definition_type", "a marking definition MUST have definition_type and definition, or an extension");
        }

        if (definitionType == "tlp" && hasDefinition && StixSerializer.StringOrNull(definition, "tlp") is not ("white" or "green" or "amber" or "red"))
        {
            sink.Error("definition.tlp", "MUST be white, green, amber or red");
        }
        else if (definitionType == "statement" && hasDefinition && StixSerializer.StringOrNull(definition, "statement") is null)
        {
            sink.Error("definition.statement", "is required for a statement marking");
        }
    }

    /// <summary><c>contents</c> maps RFC 5646 language tags to objects of translated properties.</summary>
    private static void CheckContents(JsonElement value, IssueSink sink)
    {
        if (!value.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var language in contents.EnumerateObject())
        {
            if (!ObjectRules.IsLanguageTag(language.Name))
            {
                sink.Error($"contents.{language.Name}", "a contents key MUST be an RFC 5646 language tag");
            }

            if (language.Value.ValueKind != JsonValueKind.Object)
            {
                sink.Error($"contents.{language.Name}", "MUST be an object of translated properties");
            }
        }
    }

    private static void Range(JsonElement value, string name, long minimum, long maximum, IssueSink sink)
    {
        if (value.TryGetProperty(name, out var number) && number.ValueKind == JsonValueKind.Number && number.TryGetInt64(out var n) && (n < minimum || n > maximum))
        {
            sink.Error(name, $"MUST be {minimum:N0} to {maximum:N0}, not {n:N0}");
        }
    }
}
