using System.Text.Json;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Stix.Validation;

/// <summary>How strict the validator is where the spec leaves a choice to the consumer.</summary>
public sealed record StixValidationOptions
{
    /// <summary>How to report a reference to an object the bundle does not hold (the predefined TLP markings always resolve).</summary>
    public StixSeverity DanglingReferences { get; init; } = StixSeverity.Warning;

    /// <summary>Parse the patterns of indicators whose pattern_type is <c>stix</c>.</summary>
    public bool ValidatePatterns { get; init; } = true;

    public static StixValidationOptions Default { get; } = new();
}

/// <summary>
/// Checks STIX 2.1 JSON against the specification: MUST rules are errors, SHOULD rules warnings, each naming the object
/// id and the property. A bundle is also checked for referential integrity.
/// </summary>
public sealed class StixValidator(StixValidationOptions? options = null)
{
    private readonly StixValidationOptions _options = options ?? StixValidationOptions.Default;

    /// <summary>Validates one object.</summary>
    public IReadOnlyList<StixIssue> ValidateObject(JsonElement value)
    {
        var issues = new List<StixIssue>();
        ValidateObject(value, issues);
        return issues;
    }

    /// <summary>Validates a typed object (as it would be written).</summary>
    public IReadOnlyList<StixIssue> Validate(StixObject value) => ValidateObject(StixSerializer.ToElement(value));

    /// <summary>Validates a typed bundle (as it would be written).</summary>
    public IReadOnlyList<StixIssue> Validate(StixBundle bundle)
    {
        using var document = JsonDocument.Parse(StixSerializer.WriteBundle(bundle));
        return ValidateBundle(document.RootElement);
    }

    /// <summary>Validates a bundle: its shape, every object, and that every reference resolves inside it.</summary>
    public IReadOnlyList<StixIssue> ValidateBundle(JsonElement bundle)
    {
        var issues = new List<StixIssue>();
        var bundleId = StixSerializer.StringOrNull(bundle, "id");
        var sink = new IssueSink(bundleId, issues);
        if (bundle.ValueKind != JsonValueKind.Object)
        {
            sink.Error(null, $"a bundle is a JSON object, not {StixSerializer.Describe(bundle.ValueKind)}");
            return issues;
        }

        CheckBundleShape(bundle, bundleId, sink);
        if (!bundle.TryGetProperty("objects", out var objects) || objects.ValueKind != JsonValueKind.Array)
        {
            return issues;
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        var versions = new HashSet<(string, string?)>();
        foreach (var value in objects.EnumerateArray())
        {
            ValidateObject(value, issues);
            if (StixSerializer.StringOrNull(value, "id") is { } id)
            {
                known.Add(id);
                if (!versions.Add((id, StixSerializer.StringOrNull(value, "modified"))))
                {
                    issues.Add(new StixIssue(StixSeverity.Warning, id, "modified", "the bundle holds this version of the object more than once"));
                }
            }
        }

        foreach (var value in objects.EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                var objectSink = new IssueSink(StixSerializer.StringOrNull(value, "id"), issues);
                FindDangling(value, string.Empty, known, objectSink);
            }
        }

        return issues;
    }

    private static void CheckBundleShape(JsonElement bundle, string? bundleId, IssueSink sink)
    {
        if (StixSerializer.StringOrNull(bundle, "type") != "bundle")
        {
            sink.Error("type", "a bundle's type MUST be \"bundle\"");
        }

        if (bundleId is null || !StixIdentifier.TrySplit(bundleId, out var type, out _) || type != "bundle")
        {
            sink.Error("id", "a bundle's id MUST be bundle--UUID");
        }

        foreach (var property in bundle.EnumerateObject())
        {
            switch (property.Name)
            {
                case "type" or "id":
                    break;
                case "objects":
                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        sink.Error("objects", "MUST be a list of STIX objects");
                    }
                    else if (property.Value.GetArrayLength() == 0)
                    {
                        sink.Error("objects", "is an empty list: leave the property out instead");
                    }

                    break;
                case "spec_version":
                    sink.Warning("spec_version", "a STIX 2.1 bundle has no spec_version (it is a STIX 2.0 property)");
                    break;
                default:
                    sink.Warning(property.Name, "is not a bundle property; consumers will ignore it");
                    break;
            }
        }
    }

    private void ValidateObject(JsonElement value, List<StixIssue> issues)
    {
        var id = StixSerializer.StringOrNull(value, "id");
        var sink = new IssueSink(id, issues);
        if (value.ValueKind != JsonValueKind.Object)
        {
            sink.Error(null, $"a STIX object is a JSON object, not {StixSerializer.Describe(value.ValueKind)}");
            return;
        }

        if (StixSerializer.StringOrNull(value, "type") is not { } type)
        {
            sink.Error("type", "is required and must be a string");
            return;
        }

        var kind = StixTypes.KindOf(type);
        ModelShape.CheckObject(value, StixTypes.TypeInfoFor(type), type, string.Empty, sink);
        ObjectRules.CheckCommon(value, type, kind, sink);
        TypeRules.Check(value, type, sink, _options);
    }

    private void FindDangling(JsonElement value, string path, HashSet<string> known, IssueSink sink)
    {
        foreach (var property in value.EnumerateObject())
        {
            var at = IssueSink.Join(path, property.Name);
            var child = property.Value;
            if (property.Name.EndsWith("_ref", StringComparison.Ordinal) && child.ValueKind == JsonValueKind.String)
            {
                Resolve(child.GetString()!, at, known, sink);
            }
            else if (property.Name.EndsWith("_refs", StringComparison.Ordinal) && child.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in child.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        Resolve(item.GetString()!, $"{at}[{index}]", known, sink);
                    }

                    index++;
                }
            }
            else
            {
                Descend(child, at, known, sink);
            }
        }
    }

    private void Descend(JsonElement value, string path, HashSet<string> known, IssueSink sink)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            FindDangling(value, path, known, sink);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Descend(item, $"{path}[{index++}]", known, sink);
            }
        }
    }

    private void Resolve(string reference, string path, HashSet<string> known, IssueSink sink)
    {
        if (reference.Length == 0)
        {
            sink.Add(_options.DanglingReferences, path, "is an empty reference");
        }
        else if (!known.Contains(reference) && !TlpMarkings.All.Contains(reference))
        {
            sink.Add(_options.DanglingReferences, path, $"refers to {ModelShape.Shorten(reference)}, which is not in the bundle");
        }
    }
}
