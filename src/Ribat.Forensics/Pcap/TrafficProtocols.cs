namespace Ribat.Forensics.Pcap;

/// <summary>
/// Packets and bytes per protocol. <see cref="IPv4"/> + <see cref="IPv6"/> + <see cref="NonIp"/> is every packet;
/// an IP packet is counted under exactly one of TCP, UDP, ICMP, ICMPv6 or <see cref="OtherIp"/>, except a fragment
/// after the first, which carries no transport header and is counted only under IP and <see cref="Fragments"/>.
/// </summary>
public sealed class TrafficProtocols
{
    public TrafficCount IPv4 { get; private set; }

    public TrafficCount IPv6 { get; private set; }

    public TrafficCount Tcp { get; private set; }

    public TrafficCount Udp { get; private set; }

    public TrafficCount Icmp { get; private set; }

    public TrafficCount Icmpv6 { get; private set; }

    /// <summary>IP packets with a transport the decoder does not open (GRE, ESP, ...) or could not read.</summary>
    public TrafficCount OtherIp { get; private set; }

    /// <summary>Packets that are not IP (ARP, LLDP, ...) or whose link layer could not be decoded.</summary>
    public TrafficCount NonIp { get; private set; }

    /// <summary>IPv4 and IPv6 fragments, first or not; also counted under their IP version.</summary>
    public TrafficCount Fragments { get; private set; }

    internal void Merge(TrafficProtocols other)
    {
        IPv4 = Sum(IPv4, other.IPv4);
        IPv6 = Sum(IPv6, other.IPv6);
        Tcp = Sum(Tcp, other.Tcp);
        Udp = Sum(Udp, other.Udp);
        Icmp = Sum(Icmp, other.Icmp);
        Icmpv6 = Sum(Icmpv6, other.Icmpv6);
        OtherIp = Sum(OtherIp, other.OtherIp);
        NonIp = Sum(NonIp, other.NonIp);
        Fragments = Sum(Fragments, other.Fragments);
    }

    private static TrafficCount Sum(TrafficCount x, TrafficCount y) => new(x.Packets + y.Packets, x.Bytes + y.Bytes);

    internal void Add(in DecodedPacket decoded, long bytes)
    {
        switch (decoded.Network)
        {
            case NetworkProtocol.IPv4:
                IPv4 = IPv4.Add(bytes);
                break;
            case NetworkProtocol.IPv6:
                IPv6 = IPv6.Add(bytes);
                break;
            default:
                NonIp = NonIp.Add(bytes);
                return;
        }

        if (decoded.Has(PacketFlags.Fragment))
        {
            Fragments = Fragments.Add(bytes);
        }

        switch (decoded.Transport)
        {
            case TransportProtocol.Tcp:
                Tcp = Tcp.Add(bytes);
                break;
            case TransportProtocol.Udp:
                Udp = Udp.Add(bytes);
                break;
            case TransportProtocol.Icmp:
                Icmp = Icmp.Add(bytes);
                break;
            case TransportProtocol.Icmpv6:
                Icmpv6 = Icmpv6.Add(bytes);
                break;
            default:
                if (!decoded.Has(PacketFlags.NonFirstFragment))
                {
                    OtherIp = OtherIp.Add(bytes);
                }

                break;
        }
    }
}
