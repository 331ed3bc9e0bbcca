namespace Ribat.Forensics.Ioc;

/// <summary>
/// The one entry point that turns user or extracted input into a <see cref="Canonical"/> value.
/// Invariant: for every accepted input, canonicalising <c>value.Value</c> again yields the same value.
/// </summary>
public static class Observables
{
    /// <summary>Inputs longer than this are refused before any parsing (a URL is the longest legitimate observable).</summary>
    public const int MaxInputLength = 8192;

    public static bool TryCanonicalise(ObservableType type, string? input, out Canonical value, out string reason)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(input))
        {
            reason = $"{type.ToName()} is empty.";
            return false;
        }

        if (input.Length > MaxInputLength)
        {
            reason = $"{type.ToName()} is longer than {MaxInputLength} characters.";
            return false;
        }

        var text = input.Trim();
        return type switch
        {
            ObservableType.IPv4 => IpCanonicaliser.TryIPv4(text, out value, out reason),
            ObservableType.IPv6 => IpCanonicaliser.TryIPv6(text, out value, out reason),
            ObservableType.Cidr => IpCanonicaliser.TryCidr(text, out value, out reason),
            ObservableType.Domain => HostCanonicaliser.TryDomain(text, ObservableType.Domain, out value, out reason),
            ObservableType.Hostname => HostCanonicaliser.TryDomain(text, ObservableType.Hostname, out value, out reason),
            ObservableType.Url => UrlCanonicaliser.TryUrl(text, out value, out reason),
            ObservableType.Email => UrlCanonicaliser.TryEmail(text, out value, out reason),
            ObservableType.Md5 => FingerprintCanonicaliser.TryHex(text, type, 32, out value, out reason),
            ObservableType.Sha1 => FingerprintCanonicaliser.TryHex(text, type, 40, out value, out reason),
            ObservableType.Sha256 => FingerprintCanonicaliser.TryHex(text, type, 64, out value, out reason),
            ObservableType.Sha512 => FingerprintCanonicaliser.TryHex(text, type, 128, out value, out reason),
            ObservableType.Ja3 => FingerprintCanonicaliser.TryHex(text, type, 32, out value, out reason),
            ObservableType.Ssdeep => FingerprintCanonicaliser.TrySsdeep(text, out value, out reason),
            ObservableType.Ja4 => FingerprintCanonicaliser.TryJa4(text, out value, out reason),
            ObservableType.Asn => IdentifierCanonicaliser.TryAsn(text, out value, out reason),
            ObservableType.FileName => IdentifierCanonicaliser.TryFileName(text, out value, out reason),
            ObservableType.Iban => IbanCanonicaliser.TryIban(text, out value, out reason),
            ObservableType.Phone => IdentifierCanonicaliser.TryPhone(text, out value, out reason),
            ObservableType.UserAccount => IdentifierCanonicaliser.TryUserAccount(text, out value, out reason),
            ObservableType.BitcoinAddress => CryptoAddressCanonicaliser.TryBitcoin(text, out value, out reason),
            ObservableType.EthereumAddress => CryptoAddressCanonicaliser.TryEthereum(text, out value, out reason),
            ObservableType.TronAddress => CryptoAddressCanonicaliser.TryTron(text, out value, out reason),
            ObservableType.LitecoinAddress => CryptoAddressCanonicaliser.TryLitecoin(text, out value, out reason),
            ObservableType.MoneroAddress => CryptoAddressCanonicaliser.TryMonero(text, out value, out reason),
            _ => Fail(out value, out reason, $"unknown observable type {(int)type}."),
        };
    }

    internal static bool Fail(out Canonical value, out string reason, string message)
    {
        value = default;
        reason = message;
        return false;
    }

    internal static bool Ok(out Canonical value, out string reason, Canonical result)
    {
        value = result;
        reason = string.Empty;
        return true;
    }
}
