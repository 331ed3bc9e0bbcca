using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// IPv4, IPv6 and CIDR. IPv4 is a strict dotted quad: a leading zero (<c>010.1.1.1</c>) is refused because tools
/// disagree on whether it is octal. IPv6 is written compressed per RFC 5952. A CIDR's host bits are cleared
/// (<c>10.1.2.3/8</c> becomes <c>10.0.0.0/8</c>): the block is what is being shared, and one block must have one spelling.
/// </summary>
internal static class IpCanonicaliser
{
    public static bool TryIPv4(string text, out Canonical value, out string reason)
    {
        if (!TryParseIPv4(text, out var address, out reason))
        {
            value = default;
            return false;
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.IPv4, FormatIPv4(address)));
    }

    public static bool TryIPv6(string text, out Canonical value, out string reason)
    {
        if (!TryParseIPv6(text, out var address, out reason))
        {
            value = default;
            return false;
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.IPv6, FormatIPv6(address)));
    }

    public static bool TryCidr(string text, out Canonical value, out string reason)
    {
        if (!TryParseCidr(text, out var block, out reason))
        {
            value = default;
            return false;
        }

        return Observables.Ok(out value, out reason, Canonical.Same(ObservableType.Cidr, block.ToString()));
    }

    internal static bool TryParseCidr(ReadOnlySpan<char> text, out IpBlock block, out string reason)
    {
        block = default;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            reason = "not a valid CIDR block: missing '/prefix-length'.";
            return false;
        }

        var addressText = text[..slash];
        var prefixText = text[(slash + 1)..];
        var isV6 = addressText.Contains(':');
        var maxPrefix = isV6 ? 128 : 32;
        if (prefixText.IsEmpty || prefixText.Length > 3 || !IsAllDigits(prefixText) || (prefixText.Length > 1 && prefixText[0] == '0')
            || int.Parse(prefixText) > maxPrefix)
        {
            reason = $"not a valid CIDR block: prefix length must be a number from 0 to {maxPrefix}.";
            return false;
        }

        var prefix = int.Parse(prefixText);
        if (isV6)
        {
            if (!TryParseIPv6(addressText, out var v6, out reason))
            {
                return false;
            }

            block = IpBlock.FromPrefix(v6, prefix, isV6: true);
        }
        else
        {
            if (!TryParseIPv4(addressText, out var v4, out reason))
            {
                return false;
            }

            block = IpBlock.FromPrefix(v4, prefix, isV6: false);
        }

        reason = string.Empty;
        return true;
    }

    internal static bool TryParseIPv4(ReadOnlySpan<char> text, out uint address, out string reason)
    {
        address = 0;
        var part = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '.')
            {
                if (!char.IsAsciiDigit(text[i]))
                {
                    reason = $"not a valid IPv4 address: unexpected character '{text[i]}'.";
                    return false;
                }

                continue;
            }

            var octet = text[start..i];
            if (part == 4)
            {
                reason = "not a valid IPv4 address: more than four parts.";
                return false;
            }

            if (octet.IsEmpty)
            {
                reason = "not a valid IPv4 address: empty part.";
                return false;
            }

            if (octet.Length > 1 && octet[0] == '0')
            {
                reason = "not a valid IPv4 address: leading zero in a part is ambiguous (octal or decimal).";
                return false;
            }

            if (octet.Length > 3 || int.Parse(octet) > 255)
            {
                reason = "not a valid IPv4 address: part greater than 255.";
                return false;
            }

            address = (address << 8) | uint.Parse(octet);
            part++;
            start = i + 1;
        }

        if (part != 4)
        {
            reason = "not a valid IPv4 address: it needs four dot-separated parts.";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    internal static bool TryParseIPv6(ReadOnlySpan<char> text, out UInt128 address, out string reason)
    {
        address = 0;
        if (!IsPlausibleIPv6(text, out reason))
        {
            return false;
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            reason = "not a valid IPv6 address.";
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        parsed.TryWriteBytes(bytes, out _);
        address = BinaryPrimitives.ReadUInt128BigEndian(bytes);
        return true;
    }

    /// <summary>Explains what is wrong before handing the text to <see cref="IPAddress"/>, which only says yes or no.</summary>
    private static bool IsPlausibleIPv6(ReadOnlySpan<char> text, out string reason)
    {
        var doubleColon = text.IndexOf("::");
        if (doubleColon >= 0 && text[(doubleColon + 1)..].IndexOf("::") >= 0)
        {
            reason = "not a valid IPv6 address: more than one '::'.";
            return false;
        }

        if (text.Contains(":::", StringComparison.Ordinal))
        {
            reason = "not a valid IPv6 address: ':::' is not allowed.";
            return false;
        }

        var groups = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != ':')
            {
                var c = text[i];
                if (c == '%')
                {
                    reason = "not a valid IPv6 address: zone ids ('%') are local to one machine and not accepted.";
                    return false;
                }

                if (!char.IsAsciiHexDigit(c) && c != '.')
                {
                    reason = $"not a valid IPv6 address: unexpected character '{c}'.";
                    return false;
                }

                continue;
            }

            var group = text[start..i];
            start = i + 1;
            if (group.IsEmpty)
            {
                continue;
            }

            if (group.Contains('.'))
            {
                if (i != text.Length)
                {
                    reason = "not a valid IPv6 address: an embedded IPv4 address may only end the address.";
                    return false;
                }

                if (!TryParseIPv4(group, out _, out var v4Reason))
                {
                    reason = "not a valid IPv6 address: embedded " + v4Reason;
                    return false;
                }

                groups += 2;
                continue;
            }

            if (group.Length > 4)
            {
                reason = "not a valid IPv6 address: a group has more than four hex digits.";
                return false;
            }

            groups++;
        }

        if (text.Length > 0 && ((text[0] == ':' && !text.StartsWith("::")) || (text[^1] == ':' && !text.EndsWith("::"))))
        {
            reason = "not a valid IPv6 address: a single ':' cannot start or end the address.";
            return false;
        }

        if (doubleColon < 0 ? groups != 8 : groups > 7)
        {
            reason = doubleColon < 0
                ? $"not a valid IPv6 address: {groups} groups where 8 are needed without '::'."
                : "not a valid IPv6 address: too many groups around '::'.";
            return false;
        }

        reason = string.Empty;
        return true;
    }

    internal static string FormatIPv4(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xFF}.{(address >> 8) & 0xFF}.{address & 0xFF}";

    internal static string FormatIPv6(UInt128 address)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, address);

        // .NET's formatting follows RFC 5952: lower-case, leading zeros dropped, the longest zero run compressed.
        return new IPAddress(bytes).ToString();
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>An IPv4 or IPv6 block as an inclusive numeric range; IPv4 values live in the low 32 bits.</summary>
internal readonly record struct IpBlock(UInt128 First, UInt128 Last, int Prefix, bool IsV6)
{
    public static IpBlock FromPrefix(UInt128 address, int prefix, bool isV6)
    {
        var width = isV6 ? 128 : 32;
        var hostBits = width - prefix;
        UInt128 hostMask = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        var first = address & ~hostMask;
        return new IpBlock(first, first | hostMask, prefix, isV6);
    }

    public override string ToString() =>
        (IsV6 ? IpCanonicaliser.FormatIPv6(First) : IpCanonicaliser.FormatIPv4((uint)First)) + "/" + Prefix;
}
