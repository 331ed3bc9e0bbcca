using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

public static partial class PacketDecoder
{
    private const byte HopByHop = 0;
    private const byte Routing = 43;
    private const byte FragmentHeader = 44;
    private const byte AuthenticationHeader = 51;
    private const byte DestinationOptions = 60;

    /// <summary>More extension headers than this is an attack on decoders, not a packet; stopping bounds the walk.</summary>
    private const int MaxExtensionHeaders = 16;

    private static void DecodeIPv4(ReadOnlySpan<byte> data, int offset, ref DecodedPacket decoded)
    {
        if (data.Length < offset + 20)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        var header = data[offset..];
        var headerLength = (header[0] & 0x0F) * 4;
        if (header[0] >> 4 != 4 || headerLength < 20)
        {
            decoded.Flags |= PacketFlags.Malformed;
            return;
        }

        decoded.Network = NetworkProtocol.IPv4;
        decoded.IpHeaderLength = headerLength;
        decoded.IpTotalLength = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        decoded.Ttl = header[8];
        decoded.IpProtocol = header[9];
        decoded.Source = NetworkAddress.FromIPv4(header[12..]);
        decoded.Destination = NetworkAddress.FromIPv4(header[16..]);
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(header[6..]);
        decoded.FragmentOffset = (fragment & 0x1FFF) * 8;
        decoded.MoreFragments = (fragment & 0x2000) != 0;
        if (!MarkFragment(ref decoded))
        {
            return;
        }

        // Ethernet pads short frames; the IP total length says where the datagram really ends. Offloaded captures
        // may show a total length of 0, and then the captured bytes are all there is.
        var end = decoded.IpTotalLength >= headerLength ? Math.Min(data.Length, offset + decoded.IpTotalLength) : data.Length;
        DecodeTransport(data, offset + headerLength, end, ref decoded);
    }

    private static void DecodeIPv6(ReadOnlySpan<byte> data, int offset, ref DecodedPacket decoded)
    {
        if (data.Length < offset + 40)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        var header = data[offset..];
        if (header[0] >> 4 != 6)
        {
            decoded.Flags |= PacketFlags.Malformed;
            return;
        }

        decoded.Network = NetworkProtocol.IPv6;
        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        decoded.IpTotalLength = 40 + payloadLength;
        decoded.Ttl = header[7];
        decoded.Source = NetworkAddress.FromIPv6(header[8..]);
        decoded.Destination = NetworkAddress.FromIPv6(header[24..]);
        // A payload length of 0 is a jumbogram (or offload): the captured bytes are all there is.
        var end = payloadLength > 0 ? Math.Min(data.Length, offset + 40 + payloadLength) : data.Length;
        var next = header[6];
        var position = offset + 40;
        for (var count = 0; count < MaxExtensionHeaders && IsExtensionHeader(next); count++)
        {
            if (end < position + 8)
            {
                decoded.Flags |= PacketFlags.HeaderTruncated;
                decoded.IpProtocol = next;
                decoded.IpHeaderLength = position - offset;
                return;
            }

            var extension = data[position..];
            if (next == FragmentHeader)
            {
                var fragment = BinaryPrimitives.ReadUInt16BigEndian(extension[2..]);
                decoded.FragmentOffset = fragment & 0xFFF8;
                decoded.MoreFragments = (fragment & 1) != 0;
            }

            var length = next switch
            {
                FragmentHeader => 8,
                AuthenticationHeader => (extension[1] + 2) * 4,
                _ => (extension[1] + 1) * 8,
            };
            next = extension[0];
            position += length;
        }

        decoded.IpProtocol = next;
        decoded.IpHeaderLength = position - offset;
        if (MarkFragment(ref decoded))
        {
            DecodeTransport(data, position, end, ref decoded);
        }
    }

    private static bool IsExtensionHeader(byte next) =>
        next is HopByHop or Routing or FragmentHeader or AuthenticationHeader or DestinationOptions;

    /// <summary>Flags fragments; false for a fragment after the first, which carries no transport header.</summary>
    private static bool MarkFragment(ref DecodedPacket decoded)
    {
        if (decoded.MoreFragments || decoded.FragmentOffset > 0)
        {
            decoded.Flags |= PacketFlags.Fragment;
        }

        if (decoded.FragmentOffset > 0)
        {
            decoded.Flags |= PacketFlags.NonFirstFragment;
            return false;
        }

        return true;
    }
}
