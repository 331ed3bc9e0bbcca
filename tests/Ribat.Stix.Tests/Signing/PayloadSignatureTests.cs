using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ribat.Stix.Signing;

namespace Ribat.Stix.Tests.Signing;

public sealed class PayloadSignatureTests : IDisposable
{
    private const string Envelope = """
        {"more":false,"objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created":"2016-04-06T20:03:48.000Z","modified":"2016-04-06T20:03:48.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']",
        "pattern_type":"stix","valid_from":"2016-01-01T00:00:00Z","confidence":85,"labels":["c2","apt"]}]}
        """;

    // RFC 8785 escapes only what JSON requires; the default encoder would also escape the pattern's quotes.
    private static readonly System.Text.Json.JsonSerializerOptions Raw = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private ECDsa PublicOf(ECDsa key)
    {
        var copy = ECDsa.Create();
        copy.ImportSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
        return copy;
    }

    [Fact]
    public void A_signed_body_verifies_with_only_the_public_key_and_names_its_key()
    {
        var header = PayloadSignature.Sign(Bytes(Envelope), _key);
        using var publicKey = PublicOf(_key);
        var check = PayloadSignature.Verify(Bytes(Envelope), header, publicKey);
        check.IsValid.Should().BeTrue(check.Message);
        check.KeyId.Should().Be(Convert.ToHexStringLower(SHA256.HashData(_key.ExportSubjectPublicKeyInfo())));

        var parts = header.Split('.');
        parts[1].Should().BeEmpty("the payload is detached: the body travels as the HTTP body");
        var jose = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        jose["alg"]!.GetValue<string>().Should().Be("ES256");
        jose["kid"]!.GetValue<string>().Should().Be(check.KeyId);
        Base64Url.DecodeFromChars(parts[2]).Should().HaveCount(64, "ES256 signatures are R||S, 32 bytes each");
    }

    [Fact]
    public void The_signature_is_plain_ES256_over_the_canonical_body_so_any_JWS_library_can_check_it()
    {
        var header = PayloadSignature.Sign(Bytes(Envelope), _key);
        var parts = header.Split('.');

        // Re-derive the signing input by hand: sorted members, no whitespace (RFC 8785 for this document).
        var canonical = JsonNode.Parse(Envelope)!;
        var sorted = Sort(canonical)!.ToJsonString(Raw);
        var input = Encoding.ASCII.GetBytes($"{parts[0]}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(sorted))}");
        _key.VerifyData(input, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256).Should().BeTrue();
    }

    [Fact]
    public void Re_ordered_members_and_other_whitespace_still_verify()
    {
        var header = PayloadSignature.Sign(Bytes(Envelope), _key);
        var reordered = Reverse(JsonNode.Parse(Envelope)!)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        reordered.Should().NotBe(Envelope);
        reordered.IndexOf("\"objects\"", StringComparison.Ordinal).Should().BeLessThan(reordered.IndexOf("\"more\"", StringComparison.Ordinal));
        PayloadSignature.Verify(Bytes(reordered), header, _key).IsValid.Should().BeTrue();
        PayloadSignature.Verify(Bytes("\n  " + Envelope.Replace(",", " , ", StringComparison.Ordinal) + "\r\n"), header, _key).IsValid.Should().BeTrue();
    }

    [Theory]
    [InlineData("198.51.100.1", "198.51.100.2")]
    [InlineData("\"confidence\":85", "\"confidence\":86")]
    [InlineData("\"more\":false", "\"more\":true")]
    [InlineData("[\"c2\",\"apt\"]", "[\"apt\",\"c2\"]")]
    [InlineData("\"labels\"", "\"label5\"")]
    public void A_changed_value_name_or_array_order_is_a_mismatch(string from, string to)
    {
        var header = PayloadSignature.Sign(Bytes(Envelope), _key);
        var tampered = Envelope.Replace(from, to, StringComparison.Ordinal);
        tampered.Should().NotBe(Envelope);
        var check = PayloadSignature.Verify(Bytes(tampered), header, _key);
        check.Failure.Should().Be(SignatureFailure.Mismatch);
        check.Message.Should().Contain("changed after signing");
    }

    [Fact]
    public void Another_key_is_refused_whether_it_claims_its_own_id_or_the_expected_one()
    {
        var byOther = PayloadSignature.Sign(Bytes(Envelope), _other);
        var check = PayloadSignature.Verify(Bytes(Envelope), byOther, _key);
        check.Failure.Should().Be(SignatureFailure.WrongKey);
        check.Message.Should().Contain(PayloadSignature.KeyIdOf(_other)[..16]).And.Contain(PayloadSignature.KeyIdOf(_key)[..16]);

        // The other key's signature under a header that names the expected key id: the signature itself fails.
        var parts = byOther.Split('.');
        var forgedHeader = Base64Url.EncodeToString(Bytes($$"""{"alg":"ES256","kid":"{{PayloadSignature.KeyIdOf(_key)}}","typ":"ribat-payload+jws"}"""));
        var canonical = Bytes(Sort(JsonNode.Parse(Envelope))!.ToJsonString(Raw));
        var forgedSignature = _other.SignData(Encoding.ASCII.GetBytes($"{forgedHeader}.{Base64Url.EncodeToString(canonical)}"), HashAlgorithmName.SHA256);
        PayloadSignature.Verify(Bytes(Envelope), $"{forgedHeader}..{Base64Url.EncodeToString(forgedSignature)}", _key).Failure.Should().Be(SignatureFailure.Mismatch);
        parts[2].Should().NotBe(Base64Url.EncodeToString(forgedSignature));
    }

    [Theory]
    [InlineData(null, SignatureFailure.Missing)]
    [InlineData("", SignatureFailure.Missing)]
    [InlineData("   ", SignatureFailure.Missing)]
    [InlineData("abc", SignatureFailure.Malformed)]
    [InlineData("a.b.c", SignatureFailure.Malformed)]
    [InlineData("a..b..c", SignatureFailure.Malformed)]
    [InlineData("!!!..AAAA", SignatureFailure.Malformed)]
    [InlineData("e30..AAAA", SignatureFailure.Malformed)]
    [InlineData("bm90IGpzb24..AAAA", SignatureFailure.Malformed)]
    public void Malformed_headers_are_refused_with_the_reason(string? header, SignatureFailure expected)
    {
        var check = PayloadSignature.Verify(Bytes(Envelope), header, _key);
        check.Failure.Should().Be(expected);
        check.Message.Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Other_algorithms_critical_extensions_short_signatures_and_huge_headers_are_refused()
    {
        var valid = PayloadSignature.Sign(Bytes(Envelope), _key);
        var signature = valid.Split('.')[2];
        string With(string json) => $"{Base64Url.EncodeToString(Bytes(json))}..{signature}";
        var kid = PayloadSignature.KeyIdOf(_key);

        PayloadSignature.Verify(Bytes(Envelope), With($$"""{"alg":"none","kid":"{{kid}}"}"""), _key).Failure.Should().Be(SignatureFailure.UnsupportedAlgorithm);
        PayloadSignature.Verify(Bytes(Envelope), With($$"""{"alg":"HS256","kid":"{{kid}}"}"""), _key).Failure.Should().Be(SignatureFailure.UnsupportedAlgorithm);
        PayloadSignature.Verify(Bytes(Envelope), With($$"""{"alg":"ES256","kid":"{{kid}}","crit":["b64"],"b64":false}"""), _key).Failure.Should().Be(SignatureFailure.UnsupportedAlgorithm);
        PayloadSignature.Verify(Bytes(Envelope), With($$"""{"alg":"ES256","alg":"none","kid":"{{kid}}"}"""), _key).Failure.Should().Be(SignatureFailure.Malformed);
        PayloadSignature.Verify(Bytes(Envelope), With("""{"alg":"ES256"}"""), _key).Failure.Should().Be(SignatureFailure.Malformed);
        PayloadSignature.Verify(Bytes(Envelope), valid[..^4], _key).Failure.Should().Be(SignatureFailure.Malformed);
        PayloadSignature.Verify(Bytes(Envelope), valid + "AAAA", _key).Failure.Should().Be(SignatureFailure.Malformed);
        PayloadSignature.Verify(Bytes(Envelope), valid + new string('A', 2000), _key).Failure.Should().Be(SignatureFailure.Malformed);
    }

    [Fact]
    public void Every_truncation_and_random_damage_of_a_header_is_a_failure_never_an_exception()
    {
        var valid = PayloadSignature.Sign(Bytes(Envelope), _key);
        for (var length = 0; length < valid.Length; length++)
        {
            PayloadSignature.Verify(Bytes(Envelope), valid[..length], _key).IsValid.Should().BeFalse($"{length} characters");
        }

        var random = new Random(12);
        for (var i = 0; i < 300; i++)
        {
            var chars = valid.ToCharArray();
            chars[random.Next(chars.Length)] = "A_-.=+/ \u00e9"[random.Next(9)];
            var damaged = new string(chars);
            if (damaged != valid)
            {
                PayloadSignature.Verify(Bytes(Envelope), damaged, _key).IsValid.Should().BeFalse(damaged);
            }
        }
    }

    [Theory]
    [InlineData("{\"a\":1,")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1e400}")]
    [InlineData("\u00ff")]
    public void A_body_that_is_not_I_JSON_fails_to_verify_and_cannot_be_signed(string body)
    {
        var header = PayloadSignature.Sign(Bytes(Envelope), _key);
        PayloadSignature.Verify(Bytes(body), header, _key).Failure.Should().Be(SignatureFailure.BodyNotJson);
        FluentActions.Invoking(() => PayloadSignature.Sign(Bytes(body), _key)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Only_a_P256_key_signs()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        FluentActions.Invoking(() => PayloadSignature.Sign(Bytes(Envelope), p384)).Should().Throw<ArgumentException>().WithMessage("*P-256*");
    }

    public void Dispose()
    {
        _key.Dispose();
        _other.Dispose();
    }

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(i => Sort(i?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };

    private static JsonNode? Reverse(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, Reverse(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(i => Reverse(i?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };
}
