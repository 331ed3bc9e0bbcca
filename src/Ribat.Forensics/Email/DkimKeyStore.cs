using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Ribat.Forensics.Email;

/// <summary>
/// DKIM public keys given by the operator, by record name (<c>selector._domainkey.example.com</c>). Ribat makes no DNS
/// query: a signature whose key is not here is reported as not checked. A key is the TXT record's text
/// (<c>v=DKIM1; k=rsa; p=MIIB…</c>) or an RSA public key in PEM (<c>-----BEGIN PUBLIC KEY-----</c>).
/// </summary>
public sealed class DkimKeyStore : DkimPublicKeyLocatorBase
{
    private readonly Dictionary<string, AsymmetricKeyParameter> _keys;

    private DkimKeyStore(Dictionary<string, AsymmetricKeyParameter> keys) => _keys = keys;

    public static DkimKeyStore Empty { get; } = new(new Dictionary<string, AsymmetricKeyParameter>());

    public int Count => _keys.Count;

    /// <summary>Builds a store; false names the first key that cannot be read.</summary>
    public static bool TryCreate(IEnumerable<KeyValuePair<string, string>> records, out DkimKeyStore store, out string reason)
    {
        var keys = new Dictionary<string, AsymmetricKeyParameter>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, text) in records)
        {
            var record = name.Trim().TrimEnd('.');
            if (record.IndexOf("._domainkey.", StringComparison.OrdinalIgnoreCase) <= 0)
            {
                store = Empty;
                reason = $"'{name}' is not a DKIM key name: expected selector._domainkey.domain.";
                return false;
            }

            try
            {
                keys[record] = GetPublicKey(AsTxtRecord(text));
            }
            catch (Exception ex) when (ex is ParseException or FormatException or ArgumentException or InvalidOperationException or IOException or InvalidCastException)
            {
                store = Empty;
                reason = $"the DKIM key for {record} cannot be read: {ex.Message.ReplaceLineEndings(" ")}";
                return false;
            }
        }

        store = new DkimKeyStore(keys);
        reason = string.Empty;
        return true;
    }

    public bool Has(string domain, string selector) => _keys.ContainsKey(Name(domain, selector));

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        _keys.TryGetValue(Name(domain, selector), out var key)
            ? key
            : throw new KeyNotFoundException($"no DKIM key for {Name(domain, selector)}.");

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));

    private static string Name(string domain, string selector) => $"{selector}._domainkey.{domain}";

    /// <summary>A PEM public key becomes the record an RSA key would have in DNS: its DER body is the p= value.</summary>
    private static string AsTxtRecord(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            // Zone-file copies split long records into quoted strings: "v=DKIM1; k=rsa; " "p=MIIB...".
            return trimmed.Replace("\"", string.Empty, StringComparison.Ordinal).ReplaceLineEndings(string.Empty);
        }

        var lines = trimmed.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var body = string.Concat(lines.Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        return "v=DKIM1; k=rsa; p=" + body;
    }
}
