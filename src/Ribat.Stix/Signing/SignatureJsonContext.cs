using System.Text.Json.Serialization;

namespace Ribat.Stix.Signing;

/// <summary>The JWS protected header this scheme writes; <c>crit</c> is read only to refuse it.</summary>
internal sealed record ProtectedHeader(
    [property: JsonPropertyName("alg")] string? Alg,
    [property: JsonPropertyName("kid")] string? Kid,
    [property: JsonPropertyName("typ")] string? Typ,
    [property: JsonPropertyName("crit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string[]? Crit = null);

[JsonSourceGenerationOptions(AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ProtectedHeader))]
internal sealed partial class SignatureJsonContext : JsonSerializerContext;
