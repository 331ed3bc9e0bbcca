using System.Text;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// Cryptocurrency addresses, each checked against its own checksum so a typo is refused rather than shared:
/// Bitcoin mainnet (base58check P2PKH 0x00 / P2SH 0x05; bech32/bech32m segwit, canonical lower-case),
/// Ethereum (canonical lower-case, EIP-55 mixed case for display; a mixed-case input must carry a valid EIP-55
/// checksum), Tron (base58check, version byte 0x41), Litecoin mainnet (base58check P2PKH 0x30 'L', P2SH 0x32 'M' or
/// the legacy 0x05 '3'; bech32/bech32m under 'ltc'), Monero (standard, integrated and sub-addresses in Monero's block
/// base58, with the Keccak-256 checksum).
/// </summary>
internal static class CryptoAddressCanonicaliser
{
    public static bool TryBitcoin(string text, out Canonical value, out string reason)
    {
        // Longer than any base58 address and holding a separator: a segwit address, perhaps of another network.
        if (text.StartsWith("bc1", StringComparison.OrdinalIgnoreCase) || (text.Length > 35 && text.Contains('1')))
        {
            if (!Bech32.TryDecodeSegwit(text, "bc", out _, out reason))
            {
                return Observables.Fail(out value, out reason, "not a valid btc-address: " + reason);
            }

            return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.BitcoinAddress, text.ToLowerInvariant()));
        }

        if (text.Length is < 25 or > 35)
        {
            return Observables.Fail(out value, out reason, "not a valid btc-address: base58 addresses have 25 to 35 characters.");
        }

        if (!Base58Check.TryDecode(text, out var payload, out reason))
        {
            return Observables.Fail(out value, out reason, "not a valid btc-address: " + reason);
        }

        if (payload.Length != 21 || payload[0] is not (0x00 or 0x05))
        {
            return Observables.Fail(out value, out reason, payload.Length == 21
                ? $"not a valid btc-address: version byte 0x{payload[0]:x2} is not mainnet P2PKH (0x00) or P2SH (0x05)."
                : "not a valid btc-address: the payload is not 21 bytes.");
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.BitcoinAddress, text));
    }

    public static bool TryLitecoin(string text, out Canonical value, out string reason)
    {
        if (text.StartsWith("ltc1", StringComparison.OrdinalIgnoreCase))
        {
            if (!Bech32.TryDecodeSegwit(text, "ltc", out _, out reason))
            {
                return Observables.Fail(out value, out reason, "not a valid ltc-address: " + reason);
            }

            return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.LitecoinAddress, text.ToLowerInvariant()));
        }

        if (text.Length is < 26 or > 35)
        {
            return Observables.Fail(out value, out reason, "not a valid ltc-address: base58 addresses have 26 to 35 characters.");
        }

        if (!Base58Check.TryDecode(text, out var payload, out reason))
        {
            return Observables.Fail(out value, out reason, "not a valid ltc-address: " + reason);
        }

        if (payload.Length != 21 || payload[0] is not (0x30 or 0x32 or 0x05))
        {
            return Observables.Fail(out value, out reason, payload.Length == 21
                ? $"not a valid ltc-address: version byte 0x{payload[0]:x2} is not mainnet P2PKH (0x30) or P2SH (0x32, 0x05)."
                : "not a valid ltc-address: the payload is not 21 bytes.");
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.LitecoinAddress, text));
    }

    /// <summary>
    /// Monero mainnet: network byte 18 (standard, 95 characters), 19 (integrated with an 8-byte payment id, 106) or 42
    /// (sub-address, 95), two 32-byte public keys, and the first four bytes of Keccak-256 over everything before them.
    /// </summary>
    public static bool TryMonero(string text, out Canonical value, out string reason)
    {
        if (text.Length is not (MoneroStandardLength or MoneroIntegratedLength))
        {
            return Observables.Fail(out value, out reason,
                $"not a valid xmr-address: expected {MoneroStandardLength} characters (standard or sub-address) or {MoneroIntegratedLength} (integrated).");
        }

        if (!MoneroBase58.TryDecode(text, out var data, out reason))
        {
            return Observables.Fail(out value, out reason, "not a valid xmr-address: " + reason);
        }

        var expectedNetwork = text.Length == MoneroIntegratedLength ? (byte)19 : data[0] == 42 ? (byte)42 : (byte)18;
        if (data[0] != expectedNetwork)
        {
            return Observables.Fail(out value, out reason,
                $"not a valid xmr-address: network byte {data[0]} is not mainnet standard (18), integrated (19) or sub-address (42).");
        }

        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(data.AsSpan(0, data.Length - 4), hash);
        if (!hash[..4].SequenceEqual(data.AsSpan(data.Length - 4)))
        {
            return Observables.Fail(out value, out reason, "not a valid xmr-address: the Keccak checksum does not match (a mistyped character?).");
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.MoneroAddress, text));
    }

    internal const int MoneroStandardLength = 95;
    internal const int MoneroIntegratedLength = 106;

    public static bool TryTron(string text, out Canonical value, out string reason)
    {
        if (text.Length != 34 || text[0] != 'T')
        {
            return Observables.Fail(out value, out reason, "not a valid tron-address: expected 34 characters starting with 'T'.");
        }

        if (!Base58Check.TryDecode(text, out var payload, out reason))
        {
            return Observables.Fail(out value, out reason, "not a valid tron-address: " + reason);
        }

        if (payload.Length != 21 || payload[0] != 0x41)
        {
            return Observables.Fail(out value, out reason, "not a valid tron-address: the version byte is not 0x41.");
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.TronAddress, text));
    }

    public static bool TryEthereum(string text, out Canonical value, out string reason)
    {
        if (text.Length != 42 || text[0] != '0' || (text[1] is not ('x' or 'X')))
        {
            return Observables.Fail(out value, out reason, "not a valid eth-address: expected '0x' and 40 hex digits.");
        }

        var hex = text.AsSpan(2);
        bool hasLower = false, hasUpper = false;
        foreach (var c in hex)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return Observables.Fail(out value, out reason, $"not a valid eth-address: '{c}' is not a hex digit.");
            }

            hasLower |= char.IsAsciiLetterLower(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
        }

        var lower = "0x" + hex.ToString().ToLowerInvariant();
        var checksummed = ToEip55(lower);
        if (hasLower && hasUpper && !string.Equals(checksummed, "0x" + hex.ToString(), StringComparison.Ordinal))
        {
            return Observables.Fail(out value, out reason, "not a valid eth-address: mixed case that fails the EIP-55 checksum (a mistyped character?).");
        }

        return Observables.Ok(out value, out reason, new Canonical(ObservableType.EthereumAddress, lower, checksummed));
    }

    /// <summary>EIP-55: upper-case a hex letter when the matching nibble of Keccak-256(lower-case hex) is 8 or more.</summary>
    internal static string ToEip55(string lowerWithPrefix)
    {
        var hex = lowerWithPrefix.AsSpan(2);
        Span<byte> ascii = stackalloc byte[40];
        Encoding.ASCII.GetBytes(hex, ascii);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(ascii, hash);
        Span<char> result = stackalloc char[42];
        result[0] = '0';
        result[1] = 'x';
        for (var i = 0; i < 40; i++)
        {
            var nibble = (i % 2 == 0) ? hash[i / 2] >> 4 : hash[i / 2] & 0x0F;
            result[i + 2] = nibble >= 8 ? char.ToUpperInvariant(hex[i]) : hex[i];
        }

        return result.ToString();
    }
}
