using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ribat.Stix.Taxii;

/// <summary>
/// Reads and writes the TAXII resources. Reading never throws: a body that is not JSON, lacks a required property or
/// has one of the wrong type is an error naming the property.
/// </summary>
public static class TaxiiJson
{
    /// <summary>Deepest nesting accepted in a TAXII resource other than an envelope's objects.</summary>
    public const int MaxDepth = 64;

    // Media types hold '+', which the default encoder writes as \u002B: valid, but not what a reader of the wire expects.
    // The relaxed encoder still escapes what JSON requires; TAXII bodies are never embedded in HTML.
    private static readonly JsonWriterOptions Writer = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a resource as UTF-8 JSON.</summary>
    public static byte[] Write<T>(T value)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Writer))
        {
            JsonSerializer.Serialize(writer, value, TypeInfo<T>());
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a resource to <paramref name="writer"/>.</summary>
    public static void Write<T>(Utf8JsonWriter writer, T value) => JsonSerializer.Serialize(writer, value, TypeInfo<T>());

    /// <summary>Reads a resource; <paramref name="error"/> says what is wrong with the body otherwise.</summary>
    public static bool TryRead<T>(ReadOnlySpan<byte> utf8Json, out T? value, out string? error)
        where T : class
    {
        value = null;
        error = null;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            value = JsonSerializer.Deserialize(ref reader, TypeInfo<T>());
            if (value is null)
            {
                error = "the body is null, not a TAXII resource";
                return false;
            }

            return true;
        }
        catch (JsonException exception)
        {
            error = exception.Path is { Length: > 1 } path
                ? $"{path.TrimStart('$', '.')}: {FirstLine(exception.Message)}"
                : FirstLine(exception.Message);
            value = null;
            return false;
        }
    }

    private static string FirstLine(string message)
    {
        // System.Text.Json appends the path and position after the reason; the path is given separately.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        TaxiiJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not a TAXII resource");
}

/// <summary>Source-generated metadata for the TAXII resources (snake_case names, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    MaxDepth = 1024)]
[JsonSerializable(typeof(TaxiiDiscovery))]
[JsonSerializable(typeof(TaxiiApiRoot))]
[JsonSerializable(typeof(TaxiiCollection))]
[JsonSerializable(typeof(TaxiiCollections))]
[JsonSerializable(typeof(TaxiiManifest))]
[JsonSerializable(typeof(TaxiiManifestRecord))]
[JsonSerializable(typeof(TaxiiEnvelope))]
[JsonSerializable(typeof(TaxiiVersions))]
[JsonSerializable(typeof(TaxiiStatus))]
[JsonSerializable(typeof(TaxiiStatusDetails))]
[JsonSerializable(typeof(TaxiiError))]
internal sealed partial class TaxiiJsonContext : JsonSerializerContext;
