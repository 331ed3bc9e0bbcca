using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ribat.Core.Federation;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;
using Ribat.Stix.Signing;

namespace Ribat.Core.Cooperation;

/// <summary>
/// The delivery receipt of a request that crossed to another node. The receiving node signs, with its node key, the
/// canonical JSON (RFC 8785) of <c>{"request","version","sha256","received_at","node"}</c>; the sender checks it against
/// the key it pinned for that partner. Re-ordering or re-spacing on the way does not break it, changing any value does.
/// </summary>
public static class DeliveryReceipts
{
    /// <summary>What the receiving node signs.</summary>
    public sealed record Statement(Guid Request, string Version, string Sha256, DateTimeOffset ReceivedAt, Guid Node);

    /// <summary>The signature status a reader sees: valid against the pinned key, or why not.</summary>
    public sealed record Check(bool Valid, string Message, string? KeyId);

    /// <summary>
    /// SHA-256 (lower-case hex) of the canonical JSON of one object version, so both nodes compute the same digest:
    /// without the <c>recipients</c> of Ribat's sharing-terms extension, which egress writes for each partner node and
    /// the stored version does not carry.
    /// </summary>
    public static string Digest(JsonElement stix) => Digest(stix.GetRawText());

    public static string Digest(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (node["extensions"]?[RibatStixExtension.Id] is JsonObject ours)
        {
            ours.Remove("recipients");
        }

        using var document = JsonDocument.Parse(node.ToJsonString());
        return Convert.ToHexStringLower(SHA256.HashData(JsonCanonicalizer.Canonicalize(document.RootElement)));
    }

    /// <summary>The exact bytes the signature covers.</summary>
    public static byte[] Body(Statement statement)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("node", statement.Node.ToString());
            writer.WriteString("received_at", Timestamp(statement.ReceivedAt));
            writer.WriteString("request", statement.Request.ToString());
            writer.WriteString("sha256", statement.Sha256);
            writer.WriteString("version", statement.Version);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Checks a receipt's signature against the partner's pinned public key (PEM); never throws on what the partner sent.</summary>
    public static Check Verify(Statement statement, string? signature, string publicKeyPem)
    {
        using var key = PublicKeys.TryReadP256(publicKeyPem, out var problem);
        if (key is null)
        {
            return new Check(false, $"the partner's pinned public key cannot be read: {problem}", null);
        }

        var check = PayloadSignature.Verify(Body(statement), signature, key);
        return new Check(check.IsValid, check.IsValid ? "signed by the partner node's pinned key" : check.Message, check.KeyId);
    }

    /// <summary>A STIX timestamp with milliseconds, UTC, as every object of the exchange spells instants.</summary>
    public static string Timestamp(DateTimeOffset at) => StixTimestamp.FromDateTime(at.UtcDateTime, 3).ToString();
}
