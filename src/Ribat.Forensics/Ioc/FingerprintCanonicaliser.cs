namespace Ribat.Forensics.Ioc;

/// <summary>
/// Hex digests (MD5, SHA-1, SHA-256, SHA-512, JA3) as lower-case hex of the exact length; ssdeep as
/// <c>blocksize:hash:hash</c>; JA4 as <c>t13d1516h2_8daaf6152771_02713d6af862</c> (FoxIO JA4 specification).
/// </summary>
internal static class FingerprintCanonicaliser
{
    public static bool TryHex(string text, ObservableType type, int length, out Canonical value, out string reason)
    {
        if (text.Length != length)
        {
            return Observables.Fail(out value, out reason,
                $"not a valid {type.ToName()}: {text.Length} characters where {length} hex digits are needed.");
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return Observables.Fail(out value, out reason, $"not a valid {type.ToName()}: '{c}' is not a hex digit.");
            }
        }

        return Observables.Ok(out value, out reason, Canonical.Same(type, text.ToLowerInvariant()));
    }

    /// <summary>ssdeep block sizes are 3 doubled n times; each hash is up to 64 base64 characters (spamsum).</summary>
    public static bool TrySsdeep(string text, out Canonical value, out string reason)
    {
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            return Observables.Fail(out value, out reason, "not a valid ssdeep: expected 'blocksize:hash:hash'.");
        }

        if (parts[0].Length is 0 or > 10 || !ulong.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out var blockSize)
            || parts[0][0] == '0')
        {
            return Observables.Fail(out value, out reason, "not a valid ssdeep: the block size must be a positive number without leading zeros.");
        }

        if (blockSize % 3 != 0 || !ulong.IsPow2(blockSize / 3))
        {
            return Observables.Fail(out value, out reason, $"not a valid ssdeep: block size {blockSize} is not 3 × a power of two.");
        }

        for (var i = 1; i < 3; i++)
        {
            if (parts[i].Length > 64)
            {
                return Observables.Fail(out value, out reason, "not a valid ssdeep: a hash part is longer than 64 characters.");
            }

            foreach (var c in parts[i])
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '/'))
                {
                    return Observables.Fail(out value, out reason, $"not a valid ssdeep: '{c}' is not a base64 character.");
                }
            }
        }

        if (parts[1].Length == 0)
        {
            return Observables.Fail(out value, out reason, "not a valid ssdeep: the first hash part is empty.");
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.Ssdeep, text));
    }

    public static bool TryJa4(string text, out Canonical value, out string reason)
    {
        // a: protocol, TLS version, SNI, cipher count, extension count, ALPN first+last; b and c: 12 hex each.
        if (text.Length != 36 || text[10] != '_' || text[23] != '_')
        {
            return Observables.Fail(out value, out reason, "not a valid ja4: expected 10 characters, '_', 12 hex, '_', 12 hex.");
        }

        var lower = text.ToLowerInvariant();
        if (lower[0] is not ('t' or 'q' or 'd'))
        {
            return Observables.Fail(out value, out reason, "not a valid ja4: the protocol must be 't' (TLS), 'q' (QUIC) or 'd' (DTLS).");
        }

        if (lower.AsSpan(1, 2) is not ("13" or "12" or "11" or "10" or "s3" or "s2" or "d1" or "d2" or "d3" or "00"))
        {
            return Observables.Fail(out value, out reason, $"not a valid ja4: unknown TLS version '{text.Substring(1, 2)}'.");
        }

        if (lower[3] is not ('d' or 'i'))
        {
            return Observables.Fail(out value, out reason, "not a valid ja4: the SNI flag must be 'd' (domain) or 'i' (IP/none).");
        }

        for (var i = 4; i < 8; i++)
        {
            if (!char.IsAsciiDigit(lower[i]))
            {
                return Observables.Fail(out value, out reason, "not a valid ja4: cipher and extension counts must be two digits each.");
            }
        }

        if (!char.IsAsciiLetterOrDigit(text[8]) || !char.IsAsciiLetterOrDigit(text[9]))
        {
            return Observables.Fail(out value, out reason, "not a valid ja4: the ALPN marker must be two letters or digits ('00' when absent).");
        }

        for (var i = 11; i < 36; i++)
        {
            if (i != 23 && !char.IsAsciiHexDigit(lower[i]))
            {
                return Observables.Fail(out value, out reason, $"not a valid ja4: '{text[i]}' is not a hex digit in a hash part.");
            }
        }

        // The ALPN characters are copied from the wire and may legitimately differ in case; keep them.
        var canonical = string.Concat(lower.AsSpan(0, 8), text.AsSpan(8, 2), lower.AsSpan(10));
        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.Ja4, canonical));
    }
}
