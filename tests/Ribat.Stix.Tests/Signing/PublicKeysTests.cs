using System.Security.Cryptography;
using Ribat.Stix.Signing;

namespace Ribat.Stix.Tests.Signing;

public sealed class PublicKeysTests
{
    [Fact]
    public void A_P256_public_key_is_read_and_its_fingerprint_is_the_key_id()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var read = PublicKeys.TryReadP256("\n" + key.ExportSubjectPublicKeyInfoPem() + "\n", out var problem);
        problem.Should().BeNull();
        PayloadSignature.KeyIdOf(read!).Should().Be(PayloadSignature.KeyIdOf(key));
    }

    [Fact]
    public void Wrong_keys_and_damaged_PEM_are_refused_with_a_reason_a_person_can_act_on()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        var pem = p256.ExportSubjectPublicKeyInfoPem();

        Problem(null).Should().Contain("required");
        Problem("   ").Should().Contain("required");
        Problem("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE").Should().Contain("not PEM");
        Problem(p384.ExportSubjectPublicKeyInfoPem()).Should().Contain("not on the P-256 curve");
        Problem(rsa.ExportSubjectPublicKeyInfoPem()).Should().Contain("not an elliptic-curve public key");
        Problem(p256.ExportPkcs8PrivateKeyPem()).Should().Contain("private key");
        Problem(p256.ExportECPrivateKeyPem()).Should().Contain("private key");
        Problem(pem.Replace("PUBLIC KEY", "CERTIFICATE", StringComparison.Ordinal)).Should().Contain("CERTIFICATE");
        Problem(pem[..(pem.Length / 2)]).Should().Contain("not PEM");
        Problem(pem.Replace(pem.Split('\n')[1][..20], new string('A', 20), StringComparison.Ordinal)).Should().NotBeNull();
        Problem(pem + new string('x', 5000)).Should().Contain("longer than");
    }

    [Fact]
    public void Random_text_never_throws()
    {
        var random = new Random(7);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = p256.ExportSubjectPublicKeyInfoPem();
        for (var i = 0; i < 300; i++)
        {
            var chars = pem.ToCharArray();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                chars[random.Next(chars.Length)] = "A/+=-\n x"[random.Next(8)];
            }

            using var key = PublicKeys.TryReadP256(new string(chars), out var problem);
            (key is null).Should().Be(problem is not null);
        }
    }

    private static string? Problem(string? pem)
    {
        using var key = PublicKeys.TryReadP256(pem, out var problem);
        return problem;
    }
}
