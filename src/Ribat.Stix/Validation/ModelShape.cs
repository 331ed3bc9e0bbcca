using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Ribat.Stix.Identifiers;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;

namespace Ribat.Stix.Validation;

/// <summary>
/// Checks an object's JSON against the model: each modelled property's JSON type, non-empty lists, no nulls, valid
/// timestamps and identifiers, reference targets and vocabularies, required properties, and the names of the
/// properties the model does not know (custom properties).
/// </summary>
internal static partial class ModelShape
{
    private static readonly ConcurrentDictionary<Type, FrozenDictionary<string, JsonPropertyInfo>> Properties = new();

    private static readonly FrozenDictionary<Type, string> Owners = new Dictionary<Type, string>
    {
        [typeof(ExternalReference)] = "external-reference",
        [typeof(KillChainPhase)] = "kill-chain-phase",
        [typeof(GranularMarking)] = "granular-marking",
        [typeof(EmailMimeComponent)] = "email-mime-part-type",
        [typeof(WindowsRegistryValue)] = "windows-registry-value-type",
        [typeof(AlternateDataStream)] = "alternate-data-stream",
        [typeof(WindowsPESection)] = "windows-pe-section",
        [typeof(ArchiveExtension)] = "archive-ext",
        [typeof(NtfsExtension)] = "ntfs-ext",
        [typeof(PdfExtension)] = "pdf-ext",
        [typeof(RasterImageExtension)] = "raster-image-ext",
        [typeof(WindowsPEBinaryExtension)] = "windows-pebinary-ext",
        [typeof(HttpRequestExtension)] = "http-request-ext",
        [typeof(IcmpExtension)] = "icmp-ext",
        [typeof(SocketExtension)] = "socket-ext",
        [typeof(TcpExtension)] = "tcp-ext",
        [typeof(WindowsProcessExtension)] = "windows-process-ext",
        [typeof(WindowsServiceExtension)] = "windows-service-ext",
        [typeof(UnixAccountExtension)] = "unix-account-ext",
        [typeof(MarkingDefinitionBody)] = "marking-definition-body",
        [typeof(X509V3Extensions)] = "x509-v3-extensions-type",
        [typeof(WindowsPEOptionalHeader)] = "windows-pe-optional-header-type",
    }.ToFrozenDictionary();

    [GeneratedRegex("^[a-z0-9_]{3,250}$", RegexOptions.CultureInvariant)]
    private static partial Regex CustomPropertyName();

    /// <summary>The modelled property names of a type, by JSON name.</summary>
    public static FrozenDictionary<string, JsonPropertyInfo> PropertiesOf(JsonTypeInfo info) =>
        Properties.GetOrAdd(info.Type, static (_, i) => i.Properties.Where(p => !p.IsExtensionData).ToFrozenDictionary(p => p.Name, StringComparer.Ordinal), info);

    public static void CheckObject(JsonElement value, JsonTypeInfo info, string owner, string path, IssueSink sink)
    {
        var known = PropertiesOf(info);
        foreach (var property in value.EnumerateObject())
        {
            var at = IssueSink.Join(path, property.Name);
            if (known.TryGetValue(property.Name, out var modelled))
            {
                CheckValue(property.Value, modelled.PropertyType, owner, property.Name, at, sink);
            }
            else if (!CustomPropertyName().IsMatch(property.Name))
            {
                sink.Error(at, "a custom property's name MUST be 3 to 250 characters of a-z, 0-9 and _");
            }
            else if (property.Value.ValueKind == JsonValueKind.Null)
            {
                sink.Error(at, "is null: STIX has no null values, leave the property out");
            }
        }

        if (StixSchema.Required.TryGetValue(owner, out var required))
        {
            foreach (var name in required)
            {
                if (!value.TryGetProperty(name, out _))
                {
                    sink.Error(IssueSink.Join(path, name), $"is required on {owner}");
                }
            }
        }
    }

    private static void CheckValue(JsonElement value, Type type, string owner, string name, string path, IssueSink sink)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            sink.Error(path, "is null: STIX has no null values, leave the property out");
            return;
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!CheckScalar(value, type, owner, name, path, sink))
        {
            CheckComposite(value, type, owner, name, path, sink);
        }
    }

    /// <summary>Checks strings, timestamps, numbers and booleans; false when <paramref name="type"/> is none of them.</summary>
    private static bool CheckScalar(JsonElement value, Type type, string owner, string name, string path, IssueSink sink)
    {
        if (type == typeof(string))
        {
            if (Expect(value, JsonValueKind.String, "a string", path, sink))
            {
                CheckString(value.GetString()!, owner, name, path, sink);
            }
        }
        else if (type == typeof(StixTimestamp))
        {
            if (Expect(value, JsonValueKind.String, "a timestamp string", path, sink) && !StixTimestamp.TryParse(value.GetString(), out _, out var error))
            {
                sink.Error(path, $"'{Shorten(value.GetString()!)}' is not a STIX timestamp: {error}");
            }
        }
        else if (type == typeof(long) || type == typeof(int))
        {
            if (Expect(value, JsonValueKind.Number, "an integer", path, sink) && !(type == typeof(int) ? value.TryGetInt32(out _) : value.TryGetInt64(out _)))
            {
                sink.Error(path, $"must be an integer in range, not {Shorten(value.GetRawText())}");
            }
        }
        else if (type == typeof(double))
        {
            Expect(value, JsonValueKind.Number, "a number", path, sink);
        }
        else if (type == typeof(bool))
        {
            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                sink.Error(path, $"must be a boolean, not {StixSerializer.Describe(value.ValueKind)}");
            }
        }
        else
        {
            return false;
        }

        return true;
    }

    private static void CheckComposite(JsonElement value, Type type, string owner, string name, string path, IssueSink sink)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            CheckList(value, type.GetGenericArguments()[0], owner, name, path, sink);
        }
        else if (type == typeof(Dictionary<string, string>))
        {
            CheckStringDictionary(value, name, path, sink);
        }
        else if (type == typeof(JsonObject))
        {
            Expect(value, JsonValueKind.Object, "an object", path, sink);
        }
        else if (type == typeof(StixExtensions))
        {
            if (Expect(value, JsonValueKind.Object, "an object", path, sink))
            {
                CheckExtensions(value, owner, path, sink);
            }
        }
        else if (Expect(value, JsonValueKind.Object, "an object", path, sink))
        {
            var info = StixJsonContext.Default.GetTypeInfo(type)!;
            CheckObject(value, info, Owners[type], path, sink);
        }
    }

    private static void CheckList(JsonElement value, Type element, string owner, string name, string path, IssueSink sink)
    {
        if (!Expect(value, JsonValueKind.Array, "a list", path, sink))
        {
            return;
        }

        if (value.GetArrayLength() == 0)
        {
            sink.Error(path, "is an empty list: leave the property out instead");
            return;
        }

        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            CheckValue(item, element, owner, name, $"{path}[{index++}]", sink);
        }
    }

    private static void CheckStringDictionary(JsonElement value, string name, string path, IssueSink sink)
    {
        if (!Expect(value, JsonValueKind.Object, "an object", path, sink))
        {
            return;
        }

        var count = 0;
        foreach (var entry in value.EnumerateObject())
        {
            count++;
            var at = $"{path}.{entry.Name}";
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                sink.Error(at, $"must be a string, not {StixSerializer.Describe(entry.Value.ValueKind)}");
            }

            if (entry.Name.Length > 250)
            {
                sink.Error(at, "a dictionary key MUST be no longer than 250 characters");
            }

            if (name.EndsWith("hashes", StringComparison.Ordinal) && !Vocabulary.HashingAlgorithm.Values.Contains(entry.Name))
            {
                sink.Warning(at, $"'{Shorten(entry.Name)}' is not in hashing-algorithm-ov");
            }
        }

        if (count == 0)
        {
            sink.Error(path, "is an empty dictionary: leave the property out instead");
        }
    }

    private static void CheckExtensions(JsonElement value, string owner, string path, IssueSink sink)
    {
        foreach (var extension in value.EnumerateObject())
        {
            var at = $"{path}.{extension.Name}";
            if (StixSchema.ExtensionOwners.TryGetValue(extension.Name, out var extensionOwner))
            {
                if (extensionOwner != owner)
                {
                    sink.Error(at, $"the {extension.Name} extension belongs on {extensionOwner}, not {owner}");
                }

                var property = PropertiesOf(StixJsonContext.Default.StixExtensions)[extension.Name];
                CheckValue(extension.Value, property.PropertyType, extension.Name, extension.Name, at, sink);
            }
            else if (extension.Name.StartsWith("extension-definition--", StringComparison.Ordinal))
            {
                if (!StixIdentifier.TrySplit(extension.Name, out _, out _))
                {
                    sink.Error(at, "an extension key naming an extension definition is extension-definition--UUID");
                }

                Expect(extension.Value, JsonValueKind.Object, "an object", at, sink);
            }
            else
            {
                sink.Warning(at, "custom extensions not defined by an extension-definition are deprecated in STIX 2.1");
                Expect(extension.Value, JsonValueKind.Object, "an object", at, sink);
            }
        }
    }

    private static void CheckString(string text, string owner, string name, string path, IssueSink sink)
    {
        if (name.EndsWith("_ref", StringComparison.Ordinal) || name.EndsWith("_refs", StringComparison.Ordinal))
        {
            CheckReference(text, owner, name, path, sink);
        }

        var vocabulary = StixSchema.VocabularyOf(owner, name);
        if (vocabulary is not null && !vocabulary.Values.Contains(text))
        {
            if (vocabulary.Closed)
            {
                sink.Error(path, $"'{Shorten(text)}' is not one of {vocabulary.Name}");
            }
            else
            {
                sink.Warning(path, $"'{Shorten(text)}' is not in {vocabulary.Name}");
            }
        }
    }

    private static void CheckReference(string text, string owner, string name, string path, IssueSink sink)
    {
        if (!StixIdentifier.TrySplit(text, out var type, out _))
        {
            sink.Error(path, $"'{Shorten(text)}' is not an identifier (type--UUID)");
            return;
        }

        var allowed = StixSchema.RefTargetsOf(owner, name);
        if (allowed is null || allowed.Length == 0 || TypeAllowed(type, allowed))
        {
            return;
        }

        sink.Error(path, $"must refer to {string.Join(" or ", allowed.Select(Readable))}, not {type}");
    }

    internal static bool TypeAllowed(string type, string[] allowed)
    {
        var kind = StixTypes.KindOf(type);
        foreach (var candidate in allowed)
        {
            if (candidate == type
                || (candidate == StixSchema.AnyDomain && kind == StixObjectKind.Domain)
                || (candidate == StixSchema.AnyObservable && kind == StixObjectKind.Observable)
                || (candidate == StixSchema.AnyCustom && kind == StixObjectKind.Custom && type != "bundle"))
            {
                return true;
            }
        }

        return false;
    }

    private static string Readable(string allowed) => allowed switch
    {
        StixSchema.AnyDomain => "an SDO",
        StixSchema.AnyObservable => "an SCO",
        StixSchema.AnyCustom => "a custom object",
        _ => allowed,
    };

    private static bool Expect(JsonElement value, JsonValueKind kind, string what, string path, IssueSink sink)
    {
        if (value.ValueKind == kind)
        {
            return true;
        }

        sink.Error(path, $"must be {what}, not {StixSerializer.Describe(value.ValueKind)}");
        return false;
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "…");
}
