using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ribat.Stix.Serialization;

namespace Ribat.Stix.Signing;

/// <summary>Why a payload signature did not verify; each kind tells the receiver what to report.</summary>
public enum SignatureFailure
{
    /// <summary>No signature came with the payload.</summary>
    Missing,

    /// <summary>The header is not a detached compact JWS, or its protected header is not the JSON this scheme writes.</summary>
    Malformed,

    /// <summary>The JWS names an algorithm other than ES256, or critical extensions this scheme does not know.</summary>
    UnsupportedAlgorithm,

    /// <summary>The key id is not the fingerprint of the key the receiver holds for the sender.</summary>
    WrongKey,

    /// <summary>The body is not I-JSON (invalid JSON, duplicate member names, numbers RFC 8785 cannot write).</summary>
    BodyNotJson,

    /// <summary>The signature does not match the canonical body: it was changed, or signed by another key.</summary>
    Mismatch,
}

/// <summary>The outcome of <see cref="PayloadSignature.Verify"/>: valid, or the failure and a sentence naming it.</summary>
public sealed record SignatureCheck(SignatureFailure? Failure, string Message, string? KeyId)
{
    public bool IsValid => Failure is null;

    internal static SignatureCheck Fail(SignatureFailure failure, string message, string? keyId = null) => new(failure, message, keyId);
}

/// <summary>
/// Federation payload signatures (ADR 0012): a detached JWS (RFC 7515 appendix F) with ES256 over the RFC 8785
/// canonical form of the JSON body, carried in the <see cref="HeaderName"/> HTTP header. The key id is the
/// SHA-256 fingerprint of the signer's SubjectPublicKeyInfo, so a partner holding only the public key checks it;
/// re-ordering members or re-spacing the body on the way does not break it, changing any value does.
/// </summary>
public static class PayloadSignature
{
    public const string HeaderName = "Ribat-Signature";
    public const string Algorithm = "ES256";
    public const string MediaType = "ribat-payload+jws";

    /// <summary>A compact ES256 JWS with this scheme's header is about 250 characters; anything far longer is refused unread.</summary>
    public const int MaxHeaderLength = 1024;

    private const int SignatureBytes = 64;

    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>The key id: lower-case hex SHA-256 of the SubjectPublicKeyInfo, as the node key's fingerprint.</summary>
    public static string KeyIdOf(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    /// <summary>Signs <paramref name="jsonBody"/> with a P-256 private key; <see cref="ArgumentException"/> if the body is not I-JSON.</summary>
    public static string Sign(ReadOnlyMemory<byte> jsonBody, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.KeySize != 256)
        {
            throw new ArgumentException("Federation payloads are signed with a P-256 key.", nameof(privateKey));
        }

        var canonical = Canonical(jsonBody, out var problem) ?? throw new ArgumentException($"The body cannot be signed: {problem}", nameof(jsonBody));
        var header = JsonSerializer.SerializeToUtf8Bytes(new ProtectedHeader(Algorithm, KeyIdOf(privateKey), MediaType), SignatureJsonContext.Default.ProtectedHeader);
        var encodedHeader = Base64Url.EncodeToString(header);
        var signature = privateKey.SignData(SigningInput(encodedHeader, canonical), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{encodedHeader}..{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>
    /// Checks <paramref name="header"/> over <paramref name="jsonBody"/> with the sender's public key. Never throws on
    /// what the sender controls: every defect is a <see cref="SignatureCheck"/> failure.
    /// </summary>
    public static SignatureCheck Verify(ReadOnlyMemory<byte> jsonBody, string? header, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Fail(SignatureFailure.Missing, $"The payload carries no {HeaderName} header.");
        }

        if (header.Length > MaxHeaderLength)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, $"The {HeaderName} header is longer than {MaxHeaderLength} characters.");
        }

        var parts = header.Trim().Split('.');
        if (parts.Length != 3 || parts[1].Length != 0)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, $"The {HeaderName} header is not a detached compact JWS (header..signature).");
        }

        if (ReadHeader(parts[0]) is not { } jose)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, "The JWS protected header is not base64url-encoded JSON with alg and kid.");
        }

        if (jose.Alg != Algorithm || jose.Crit is not null)
        {
            return SignatureCheck.Fail(SignatureFailure.UnsupportedAlgorithm, $"The JWS uses {(jose.Crit is null ? $"alg '{jose.Alg}'" : "critical extensions")}; only {Algorithm} without extensions is accepted.", jose.Kid);
        }

        var expected = KeyIdOf(publicKey);
        if (!string.Equals(jose.Kid, expected, StringComparison.OrdinalIgnoreCase))
        {
            return SignatureCheck.Fail(SignatureFailure.WrongKey, $"The payload was signed by key {Shorten(jose.Kid)}, not by the sender's key {Shorten(expected)}.", jose.Kid);
        }

        var signature = new byte[SignatureBytes + 1];
        if (Base64Url.DecodeFromChars(parts[2], signature, out _, out var written) != System.Buffers.OperationStatus.Done || written != SignatureBytes)
        {
            return SignatureCheck.Fail(SignatureFailure.Malformed, $"The JWS signature is not {SignatureBytes} base64url-encoded bytes (ES256 R||S).", jose.Kid);
        }

        if (Canonical(jsonBody, out var problem) is not { } canonical)
        {
            return SignatureCheck.Fail(SignatureFailure.BodyNotJson, $"The signed body is not I-JSON: {problem}", jose.Kid);
        }

        var valid = publicKey.VerifyData(SigningInput(parts[0], canonical), signature.AsSpan(0, SignatureBytes), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return valid
            ? new SignatureCheck(null, "The signature is valid.", jose.Kid)
            : SignatureCheck.Fail(SignatureFailure.Mismatch, "The signature does not match the body: it was changed after signing or signed by another key.", jose.Kid);
    }

    private static byte[]? Canonical(ReadOnlyMemory<byte> json, out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(json, BodyOptions);
            problem = null;
            return JsonCanonicalizer.Canonicalize(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            problem = ex.Message;
            return null;
        }
    }

    private static byte[] SigningInput(string encodedHeader, byte[] canonicalBody)
    {
        // JWS signing input: ASCII(BASE64URL(header) || '.' || BASE64URL(payload)); the payload itself travels as the body.
        var payload = Base64Url.EncodeToString(canonicalBody);
        return Encoding.ASCII.GetBytes($"{encodedHeader}.{payload}");
    }

    private static ProtectedHeader? ReadHeader(string encoded)
    {
        if (encoded.Length is 0 or > MaxHeaderLength || !Base64Url.IsValid(encoded))
        {
            return null;
        }

        try
        {
            var header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(encoded), SignatureJsonContext.Default.ProtectedHeader);
            return header is { Alg.Length: > 0, Kid.Length: > 0 } ? header : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string? keyId) => keyId is null ? "(none)" : keyId.Length > 16 ? $"{keyId[..16]}…" : keyId;
}
