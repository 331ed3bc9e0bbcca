using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// Address parsing for the look-up path. CIDR blocks (read when a set is built) go through <c>IpCanonicaliser</c>;
/// addresses, read for every candidate token, have their own parsers here because the canonicaliser's explain failures in
/// strings, parse octets with culture-aware number parsing and, for IPv6, go through <see cref="System.Net.IPAddress"/>,
/// which allocates. They accept exactly what the canonicaliser accepts (tests compare both on random input).
/// </summary>
internal static class IpText
{
    /// <summary>A strict dotted quad, as the canonicaliser reads it: four parts of 0–255, no leading zero.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        if (text.Length is < 7 or > 15)
        {
            return false;
        }

        var parts = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var octet = 0;
            while (i < text.Length && i - start < 4 && (uint)(text[i] - '0') <= 9)
            {
                octet = (octet * 10) + (text[i] - '0');
                i++;
            }

            var digits = i - start;
            if (digits is 0 or > 3 || octet > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }

            address = (address << 8) | (uint)octet;
            if (++parts == 4)
            {
                return i == text.Length;
            }

            if (i == text.Length || text[i] != '.')
            {
                return false;
            }

            i++;
        }
    }

    public static bool TryParseCidr(ReadOnlySpan<char> text, out UInt128 first, out UInt128 last, out bool isV6)
    {
        first = last = 0;
        isV6 = false;
        if (text.Length > 43 || !IpCanonicaliser.TryParseCidr(text, out var block, out _))
        {
            return false;
        }

        (first, last, isV6) = (block.First, block.Last, block.IsV6);
        return true;
    }

    public static bool TryParseIPv6(ReadOnlySpan<char> text, out UInt128 address)
    {
        address = 0;
        if (text.Length is < 2 or > 45)
        {
            return false;
        }

        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var gap = -1;
        var i = 0;
        if (text[0] == ':')
        {
            if (text[1] != ':')
            {
                return false;
            }

            gap = 0;
            i = 2;
        }

        while (i < text.Length)
        {
            if (count == 8)
            {
                return false;
            }

            var start = i;
            var value = 0;
            while (i < text.Length && i - start < 5 && HexValue(text[i]) is var digit and >= 0)
            {
                value = (value << 4) | digit;
                i++;
            }

            if (i < text.Length && text[i] == '.')
            {
                // An embedded IPv4 address ends the address and fills two groups.
                if (count > 6 || !TryParseIPv4(text[start..], out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                i = text.Length;
                break;
            }

            if (i == start || i - start > 4)
            {
                return false;
            }

            groups[count++] = (ushort)value;
            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ':' || (i + 1 == text.Length && text[i - 1] != ':'))
            {
                return false;
            }

            i++;
            if (i < text.Length && text[i] == ':')
            {
                if (gap >= 0)
                {
                    return false;
                }

                gap = count;
                i++;
            }
        }

        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        var shift = gap < 0 ? 0 : 8 - count;
        for (var g = 0; g < count; g++)
        {
            var position = gap >= 0 && g >= gap ? g + shift : g;
            address |= (UInt128)groups[g] << (16 * (7 - position));
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
