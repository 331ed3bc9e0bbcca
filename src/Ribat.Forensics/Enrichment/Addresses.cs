using System.Buffers.Binary;
using System.Net;
using Ribat.Forensics.Pcap;

namespace Ribat.Forensics.Enrichment;

/// <summary>Conversions between <see cref="IPAddress"/> and <see cref="NetworkAddress"/> for lookups.</summary>
internal static class Addresses
{
    public static NetworkAddress ToNetworkAddress(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            throw new ArgumentException("not an IPv4 or IPv6 address", nameof(address));
        }

        return Unmap(written == 4 ? NetworkAddress.FromIPv4(bytes) : NetworkAddress.FromIPv6(bytes));
    }

    /// <summary>
    /// <c>::ffff:a.b.c.d</c> is an IPv4 address seen through an IPv6 socket: it is answered, cached and shown as the
    /// IPv4 address, so both spellings give the same origin and network.
    /// </summary>
    public static NetworkAddress Unmap(NetworkAddress address) =>
        !address.IsIPv4 && address.Value >> 32 == 0xFFFF ? new NetworkAddress(address.Value & uint.MaxValue, true) : address;

    public static IPAddress ToIPAddress(NetworkAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.IsIPv4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)address.Value);
            return new IPAddress(bytes[..4]);
        }

        BinaryPrimitives.WriteUInt128BigEndian(bytes, address.Value);
        return new IPAddress(bytes);
    }

    /// <summary>The network of <paramref name="prefixLength"/> bits holding <paramref name="address"/>.</summary>
    public static IPNetwork NetworkOf(NetworkAddress address, int prefixLength)
    {
        var bits = address.IsIPv4 ? 32 : 128;
        prefixLength = Math.Clamp(prefixLength, 0, bits);
        // A shift by 128 would wrap to a shift by 0, so the whole-space network is its own case.
        var mask = prefixLength == 0 ? UInt128.Zero : UInt128.MaxValue << (bits - prefixLength);
        var first = new NetworkAddress(address.Value & mask, address.IsIPv4);
        return new IPNetwork(ToIPAddress(first), prefixLength);
    }
}
