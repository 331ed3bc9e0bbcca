using System.Security.Cryptography;

namespace Ribat.Stix.Signing;

/// <summary>Reads a partner's public key from PEM and says plainly what is wrong with one that will not do.</summary>
public static class PublicKeys
{
    /// <summary>A PEM public key is a few hundred characters; a certificate chain or a pasted file is refused before parsing.</summary>
    public const int MaxPemLength = 4096;

    /// <summary>
    /// An ECDSA P-256 public key from a <c>-----BEGIN PUBLIC KEY-----</c> (SubjectPublicKeyInfo) block, or the reason
    /// there is none. A private key is refused: a partner's private key must never be handed over.
    /// </summary>
    public static ECDsa? TryReadP256(string? pem, out string? problem)
    {
        problem = null;
        var text = pem?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "the public key is required (PEM, -----BEGIN PUBLIC KEY-----).";
            return null;
        }

        if (text.Length > MaxPemLength)
        {
            problem = $"the public key is longer than {MaxPemLength} characters; paste the one PEM block only.";
            return null;
        }

        if (!PemEncoding.TryFind(text, out var fields))
        {
            problem = "the public key is not PEM (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----).";
            return null;
        }

        var label = text[fields.Label];
        if (label.Contains("PRIVATE", StringComparison.Ordinal))
        {
            problem = "this is a private key: ask the partner for its public key only, and have it replace the key it sent.";
            return null;
        }

        if (label != "PUBLIC KEY")
        {
            problem = $"the PEM block is a '{label}', not a PUBLIC KEY.";
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text[fields.Base64Data]), out _);
            var curve = key.ExportParameters(false).Curve;
            if (key.KeySize != 256 || !curve.IsNamed || (curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value && curve.Oid.FriendlyName is not ("nistP256" or "ECDSA_P256")))
            {
                problem = $"the key is not on the P-256 curve (it is {key.KeySize}-bit{(curve.IsNamed ? $" {curve.Oid.FriendlyName ?? curve.Oid.Value}" : string.Empty)}); Ribat nodes sign with ECDSA P-256.";
                key.Dispose();
                return null;
            }

            return key;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or PlatformNotSupportedException)
        {
            // A damaged curve OID surfaces as "curve not supported on this platform": damaged data all the same.
            key.Dispose();
            problem = "the PEM block is not an elliptic-curve public key (an RSA key, or damaged data).";
            return null;
        }
    }
}
