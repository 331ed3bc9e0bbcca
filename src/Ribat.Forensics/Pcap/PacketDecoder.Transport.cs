using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

public static partial class PacketDecoder
{
    private const byte ProtocolIcmp = 1;
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;
    private const byte ProtocolIcmpv6 = 58;

    /// <summary>
    /// The transport is named by the IP protocol even when its header is cut short (flagged), so counts by protocol
    /// stay right on snap-truncated captures.
    /// </summary>
    private static void DecodeTransport(ReadOnlySpan<byte> data, int start, int end, ref DecodedPacket decoded)
    {
        end = Math.Max(end, start);
        var segment = start < data.Length ? data[start..Math.Min(end, data.Length)] : [];
        switch (decoded.IpProtocol)
        {
            case ProtocolTcp:
                decoded.Transport = TransportProtocol.Tcp;
                DecodeTcp(segment, start, ref decoded);
                break;
            case ProtocolUdp:
                decoded.Transport = TransportProtocol.Udp;
                DecodeUdp(segment, start, ref decoded);
                break;
            case ProtocolIcmp:
                decoded.Transport = TransportProtocol.Icmp;
                DecodeIcmp(segment, start, ref decoded);
                break;
            case ProtocolIcmpv6 when decoded.Network == NetworkProtocol.IPv6:
                decoded.Transport = TransportProtocol.Icmpv6;
                DecodeIcmp(segment, start, ref decoded);
                break;
            default:
                decoded.Transport = TransportProtocol.Other;
                decoded.PayloadOffset = start;
                decoded.PayloadLength = segment.Length;
                break;
        }
    }

    private static void DecodeTcp(ReadOnlySpan<byte> segment, int start, ref DecodedPacket decoded)
    {
        if (segment.Length < 20)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            if (segment.Length >= 4)
            {
                ReadPorts(segment, ref decoded);
            }

            return;
        }

        ReadPorts(segment, ref decoded);
        decoded.TcpFlags = (ushort)(segment[13] | ((segment[12] & 1) << 8));
        var headerLength = (segment[12] >> 4) * 4;
        if (headerLength < 20)
        {
            decoded.Flags |= PacketFlags.Malformed;
            return;
        }

        if (headerLength > segment.Length)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        decoded.PayloadOffset = start + headerLength;
        decoded.PayloadLength = segment.Length - headerLength;
    }

    private static void DecodeUdp(ReadOnlySpan<byte> segment, int start, ref DecodedPacket decoded)
    {
        if (segment.Length < 8)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            if (segment.Length >= 4)
            {
                ReadPorts(segment, ref decoded);
            }

            return;
        }

        ReadPorts(segment, ref decoded);
        var length = BinaryPrimitives.ReadUInt16BigEndian(segment[4..]);
        decoded.PayloadOffset = start + 8;
        // A UDP length below 8 is impossible (0 is seen with offload); fall back to what was captured.
        decoded.PayloadLength = length >= 8 ? Math.Min(length, segment.Length) - 8 : segment.Length - 8;
    }

    private static void DecodeIcmp(ReadOnlySpan<byte> segment, int start, ref DecodedPacket decoded)
    {
        if (segment.Length < 2)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        decoded.IcmpType = segment[0];
        decoded.IcmpCode = segment[1];
        if (segment.Length < 8)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        decoded.PayloadOffset = start + 8;
        decoded.PayloadLength = segment.Length - 8;
    }

    private static void ReadPorts(ReadOnlySpan<byte> segment, ref DecodedPacket decoded)
    {
        decoded.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(segment);
        decoded.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(segment[2..]);
    }
}
