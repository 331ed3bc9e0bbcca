using MimeKit;
using MimeKit.Cryptography;

namespace Ribat.Forensics.Email;

/// <summary>Reads a DKIM-Signature's tags and verifies it with MimeKit when its key is in the store.</summary>
internal static class DkimCheck
{
    public static DkimSignatureCheck Verify(MimeMessage message, Header header, DkimKeyStore keys)
    {
        var tags = Tags(header.Value);
        tags.TryGetValue("d", out var domain);
        tags.TryGetValue("s", out var selector);
        tags.TryGetValue("a", out var algorithm);
        if (domain is null || selector is null)
        {
            return new DkimSignatureCheck(domain, selector, algorithm, DkimStatus.Error, "the signature has no d= or s= tag.");
        }

        if (!keys.Has(domain, selector))
        {
            return new DkimSignatureCheck(domain, selector, algorithm, DkimStatus.NoKey, $"no key given for {selector}._domainkey.{domain}.");
        }

        try
        {
            var verifier = new DkimVerifier(keys);
            verifier.Enable(DkimSignatureAlgorithm.RsaSha1);
            return verifier.Verify(message, header)
                ? new DkimSignatureCheck(domain, selector, algorithm, DkimStatus.Pass, "the signature verifies with the given key.")
                : new DkimSignatureCheck(domain, selector, algorithm, DkimStatus.Fail, "the signature does not verify: the signed headers or the body changed, or the key is not the signer's.");
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or InvalidOperationException or Org.BouncyCastle.Crypto.CryptoException)
        {
            return new DkimSignatureCheck(domain, selector, algorithm, DkimStatus.Error, $"the signature cannot be checked: {ex.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static Dictionary<string, string> Tags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in value.Split(';'))
        {
            var equals = part.IndexOf('=');
            if (equals > 0)
            {
                var name = part[..equals].Trim();
                var text = string.Concat(part[(equals + 1)..].Where(c => !char.IsWhiteSpace(c)));
                tags.TryAdd(name, name is "d" or "s" or "a" ? text.ToLowerInvariant() : text);
            }
        }

        return tags;
    }
}
