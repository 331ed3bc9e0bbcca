namespace Ribat.Forensics.Ioc;

/// <summary>Segwit addresses: bech32 for witness version 0 (BIP 173), bech32m for versions 1–16 (BIP 350).</summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private const uint Bech32Constant = 1;
    private const uint Bech32mConstant = 0x2bc830a3;

    public static bool TryDecodeSegwit(string address, string expectedHrp, out int witnessVersion, out string reason)
    {
        witnessVersion = -1;
        if (address.Length > 90)
        {
            reason = "a segwit address has at most 90 characters.";
            return false;
        }

        var hasLower = false;
        var hasUpper = false;
        foreach (var c in address)
        {
            hasLower |= char.IsAsciiLetterLower(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
        }

        if (hasLower && hasUpper)
        {
            reason = "a bech32 address must not mix upper and lower case.";
            return false;
        }

        var text = address.ToLowerInvariant();
        var separator = text.LastIndexOf('1');
        if (separator < 1 || separator + 7 > text.Length)
        {
            reason = "a bech32 address needs a prefix, '1' and at least six checksum characters.";
            return false;
        }

        if (separator + 7 == text.Length)
        {
            reason = "the data part is empty: there is no witness version before the checksum.";
            return false;
        }

        var hrp = text[..separator];
        if (hrp != expectedHrp)
        {
            reason = $"the prefix '{hrp}' is not mainnet '{expectedHrp}'.";
            return false;
        }

        var data = new byte[text.Length - separator - 1];
        for (var i = 0; i < data.Length; i++)
        {
            var v = Charset.IndexOf(text[separator + 1 + i]);
            if (v < 0)
            {
                reason = $"'{text[separator + 1 + i]}' is not a bech32 character.";
                return false;
            }

            data[i] = (byte)v;
        }

        var checksum = Polymod(hrp, data);
        witnessVersion = data[0];
        var expected = witnessVersion == 0 ? Bech32Constant : Bech32mConstant;
        if (checksum != expected)
        {
            reason = checksum == Bech32Constant || checksum == Bech32mConstant
                ? $"witness version {witnessVersion} must use {(witnessVersion == 0 ? "bech32" : "bech32m")} (BIP 350)."
                : "the bech32 checksum does not match (a mistyped character?).";
            return false;
        }

        return IsValidProgram(witnessVersion, data.AsSpan(1, data.Length - 7), out reason);
    }

    private static bool IsValidProgram(int version, ReadOnlySpan<byte> fiveBit, out string reason)
    {
        if (version > 16)
        {
            reason = $"witness version {version} is above 16.";
            return false;
        }

        // Regroup 5-bit digits into bytes; leftover bits must be fewer than 5 and all zero.
        int accumulator = 0, bits = 0, length = 0;
        foreach (var d in fiveBit)
        {
            accumulator = (accumulator << 5) | d;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                length++;
            }
        }

        if (bits >= 5 || (accumulator & ((1 << bits) - 1)) != 0)
        {
            reason = "the witness program has invalid padding.";
            return false;
        }

        if (length is < 2 or > 40 || (version == 0 && length is not (20 or 32)))
        {
            reason = $"a version {version} witness program cannot be {length} bytes.";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    private static uint Polymod(string hrp, ReadOnlySpan<byte> data)
    {
        uint chk = 1;
        foreach (var c in hrp)
        {
            chk = Step(chk, (byte)(c >> 5));
        }

        chk = Step(chk, 0);
        foreach (var c in hrp)
        {
            chk = Step(chk, (byte)(c & 31));
        }

        foreach (var d in data)
        {
            chk = Step(chk, d);
        }

        return chk;
    }

    private static uint Step(uint chk, byte value)
    {
        var top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ value;
        if ((top & 1) != 0) chk ^= 0x3b6a57b2;
        if ((top & 2) != 0) chk ^= 0x26508e6d;
        if ((top & 4) != 0) chk ^= 0x1ea119fa;
        if ((top & 8) != 0) chk ^= 0x3d4233dd;
        if ((top & 16) != 0) chk ^= 0x2a1462b3;
        return chk;
    }
}
