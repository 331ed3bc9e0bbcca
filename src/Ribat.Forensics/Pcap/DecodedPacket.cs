namespace Ribat.Forensics.Pcap;

public enum NetworkProtocol : byte
{
    None,
    IPv4,
    IPv6,

    /// <summary>A link-layer payload that is not IP (ARP, LLDP, ...).</summary>
    Other,
}

public enum TransportProtocol : byte
{
    None,
    Tcp,
    Udp,
    Icmp,
    Icmpv6,

    /// <summary>An IP protocol the decoder does not open (GRE, ESP, ...); its number is in <see cref="DecodedPacket.IpProtocol"/>.</summary>
    Other,
}

[Flags]
public enum PacketFlags : ushort
{
    None = 0,

    /// <summary>The capture kept fewer bytes than were on the wire.</summary>
    SnapTruncated = 1,

    /// <summary>The captured bytes end inside a header the decoder needed.</summary>
    HeaderTruncated = 2,

    /// <summary>An IPv4 or IPv6 fragment (more-fragments set or a non-zero offset).</summary>
    Fragment = 4,

    /// <summary>A fragment after the first: it has no transport header.</summary>
    NonFirstFragment = 8,
    UnsupportedLinkType = 16,

    /// <summary>A header contradicts itself (IPv4 header length under 20, TCP data offset under 5, ...).</summary>
    Malformed = 32,
}

/// <summary>What one packet's headers say, down to the transport layer. Offsets are into the captured bytes.</summary>
public struct DecodedPacket
{
    public PacketFlags Flags;
    public NetworkProtocol Network;
    public TransportProtocol Transport;
    public ushort EtherType;
    public byte VlanCount;

    /// <summary>The outermost 802.1Q/802.1ad VLAN id, 0 when untagged.</summary>
    public ushort OuterVlanId;
    public int NetworkOffset;
    public NetworkAddress Source;
    public NetworkAddress Destination;

    /// <summary>IPv4 header length, or IPv6's 40 bytes plus the extension headers skipped.</summary>
    public int IpHeaderLength;

    /// <summary>IPv4 total length, or IPv6's 40 plus payload length, as the header states it.</summary>
    public int IpTotalLength;

    /// <summary>TTL or hop limit.</summary>
    public byte Ttl;

    /// <summary>The IPv4 protocol, or the IPv6 next header after the extension headers.</summary>
    public byte IpProtocol;

    /// <summary>Fragment offset in bytes.</summary>
    public int FragmentOffset;
    public bool MoreFragments;
    public ushort SourcePort;
    public ushort DestinationPort;

    /// <summary>TCP flags, CWR..FIN in the low byte and NS in bit 8.</summary>
    public ushort TcpFlags;
    public byte IcmpType;
    public byte IcmpCode;
    public int PayloadOffset;
    public int PayloadLength;

    public readonly bool Has(PacketFlags flag) => (Flags & flag) != 0;
}
