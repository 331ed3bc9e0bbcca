using System.Buffers.Binary;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// Decodes link, network and transport headers of one captured packet into a <see cref="DecodedPacket"/>. Never
/// throws and never allocates: what is missing or contradictory is a flag, and decoding stops there.
/// </summary>
public static partial class PacketDecoder
{
    private const ushort EtherTypeIPv4 = 0x0800;
    private const ushort EtherTypeIPv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;
    private const ushort EtherTypeQinQ = 0x88A8;
    private const ushort EtherTypeQinQLegacy = 0x9100;

    /// <summary>Stacked tags beyond this are not real traffic; stopping bounds the walk.</summary>
    private const int MaxVlanTags = 8;

    public static DecodedPacket Decode(in CapturedPacket packet) =>
        Decode(packet.LinkType, packet.Data.Span, packet.OriginalLength);

    public static DecodedPacket Decode(int linkType, ReadOnlySpan<byte> data, uint originalLength)
    {
        var decoded = default(DecodedPacket);
        if ((uint)data.Length < originalLength)
        {
            decoded.Flags |= PacketFlags.SnapTruncated;
        }

        switch (linkType)
        {
            case LinkTypes.Ethernet:
                DecodeEthernet(data, ref decoded);
                break;
            case LinkTypes.Raw or LinkTypes.RawDlt12 or LinkTypes.RawDlt14:
                DecodeByVersion(data, 0, ref decoded);
                break;
            case LinkTypes.RawIPv4:
                DecodeNetwork(data, 0, EtherTypeIPv4, ref decoded);
                break;
            case LinkTypes.RawIPv6:
                DecodeNetwork(data, 0, EtherTypeIPv6, ref decoded);
                break;
            case LinkTypes.LinuxCooked:
                DecodeAfterEtherType(data, 16, 14, ref decoded);
                break;
            case LinkTypes.LinuxCookedV2:
                DecodeAfterEtherType(data, 20, 0, ref decoded);
                break;
            case LinkTypes.Null or LinkTypes.Loop:
                DecodeLoopback(data, ref decoded);
                break;
            default:
                decoded.Flags |= PacketFlags.UnsupportedLinkType;
                break;
        }

        return decoded;
    }

    private static void DecodeEthernet(ReadOnlySpan<byte> data, ref DecodedPacket decoded)
    {
        if (data.Length < 14)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        var offset = 12;
        var etherType = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        while (etherType is EtherTypeVlan or EtherTypeQinQ or EtherTypeQinQLegacy && decoded.VlanCount < MaxVlanTags)
        {
            if (data.Length < offset + 6)
            {
                decoded.Flags |= PacketFlags.HeaderTruncated;
                return;
            }

            if (decoded.VlanCount == 0)
            {
                decoded.OuterVlanId = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]) & 0x0FFF);
            }

            decoded.VlanCount++;
            offset += 4;
            etherType = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
        }

        DecodeNetwork(data, offset + 2, etherType, ref decoded);
    }

    private static void DecodeAfterEtherType(ReadOnlySpan<byte> data, int headerLength, int etherTypeOffset, ref DecodedPacket decoded)
    {
        if (data.Length < headerLength)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        DecodeNetwork(data, headerLength, BinaryPrimitives.ReadUInt16BigEndian(data[etherTypeOffset..]), ref decoded);
    }

    /// <summary>
    /// The 4-byte address family is in the byte order of the machine that captured (and some writers use network
    /// order), so a value with an empty low half is read the other way round. IPv6 has a different number on
    /// every BSD, hence the list.
    /// </summary>
    private static void DecodeLoopback(ReadOnlySpan<byte> data, ref DecodedPacket decoded)
    {
        if (data.Length < 4)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        var family = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if ((family & 0xFFFF) == 0)
        {
            family = BinaryPrimitives.ReverseEndianness(family);
        }

        ushort etherType = family switch
        {
            2 => EtherTypeIPv4,
            10 or 24 or 28 or 30 => EtherTypeIPv6,
            _ => 0,
        };
        DecodeNetwork(data, 4, etherType, ref decoded);
    }

    private static void DecodeByVersion(ReadOnlySpan<byte> data, int offset, ref DecodedPacket decoded)
    {
        if (data.Length <= offset)
        {
            decoded.Flags |= PacketFlags.HeaderTruncated;
            return;
        }

        ushort etherType = (data[offset] >> 4) switch
        {
            4 => EtherTypeIPv4,
            6 => EtherTypeIPv6,
            _ => 0,
        };
        DecodeNetwork(data, offset, etherType, ref decoded);
    }

    private static void DecodeNetwork(ReadOnlySpan<byte> data, int offset, ushort etherType, ref DecodedPacket decoded)
    {
        decoded.EtherType = etherType;
        decoded.NetworkOffset = offset;
        switch (etherType)
        {
            case EtherTypeIPv4:
                DecodeIPv4(data, offset, ref decoded);
                break;
            case EtherTypeIPv6:
                DecodeIPv6(data, offset, ref decoded);
                break;
            default:
                decoded.Network = NetworkProtocol.Other;
                break;
        }
    }
}
