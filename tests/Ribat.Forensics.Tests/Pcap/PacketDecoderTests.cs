using Ribat.Forensics.Pcap;
using static Ribat.Forensics.Tests.Pcap.CaptureBuilder;

namespace Ribat.Forensics.Tests.Pcap;

public class PacketDecoderTests
{
    private static readonly byte[] Syn = IPv4(6, Tcp(40000, 443, 0x02));

    [Fact]
    public void Vlan_tags_are_skipped_and_the_outer_id_kept()
    {
        var decoded = PacketDecoder.Decode(LinkTypes.Ethernet, Ethernet(0x0800, Syn, 100, 200), (uint)(Syn.Length + 22));
        decoded.VlanCount.Should().Be(2);
        decoded.OuterVlanId.Should().Be(100);
        decoded.Transport.Should().Be(TransportProtocol.Tcp);
        decoded.TcpFlags.Should().Be(0x02);
        decoded.Source.ToString().Should().Be("192.0.2.1");
    }

    [Fact]
    public void Linux_cooked_v1_v2_and_loopback_in_both_byte_orders_reach_the_transport()
    {
        byte[] cookedV1 = [.. new byte[14], 0x08, 0x00, .. Syn];
        byte[] cookedV2 = [0x08, 0x00, .. new byte[18], .. Syn];
        byte[] loopLittle = [2, 0, 0, 0, .. Syn];
        byte[] loopBig = [0, 0, 0, 2, .. Syn];
        PacketDecoder.Decode(LinkTypes.LinuxCooked, cookedV1, (uint)cookedV1.Length).DestinationPort.Should().Be(443);
        PacketDecoder.Decode(LinkTypes.LinuxCookedV2, cookedV2, (uint)cookedV2.Length).DestinationPort.Should().Be(443);
        PacketDecoder.Decode(LinkTypes.Null, loopLittle, (uint)loopLittle.Length).DestinationPort.Should().Be(443);
        PacketDecoder.Decode(LinkTypes.Loop, loopBig, (uint)loopBig.Length).DestinationPort.Should().Be(443);
        PacketDecoder.Decode(LinkTypes.RawIPv4, Syn, (uint)Syn.Length).Transport.Should().Be(TransportProtocol.Tcp);
        PacketDecoder.Decode(147, Syn, (uint)Syn.Length).Has(PacketFlags.UnsupportedLinkType).Should().BeTrue();
    }

    [Fact]
    public void A_non_first_ipv4_fragment_has_no_transport_header()
    {
        var first = PacketDecoder.Decode(LinkTypes.Raw, IPv4(17, Udp(1, 2, 40), fragment: 0x2000), 68);
        var later = PacketDecoder.Decode(LinkTypes.Raw, IPv4(17, new byte[40], fragment: 6), 60);

        first.Has(PacketFlags.Fragment).Should().BeTrue();
        first.Transport.Should().Be(TransportProtocol.Udp);
        later.Has(PacketFlags.NonFirstFragment).Should().BeTrue();
        later.FragmentOffset.Should().Be(48);
        later.Transport.Should().Be(TransportProtocol.None);
    }

    [Fact]
    public void Ipv6_extension_headers_are_skipped_and_fragments_noted()
    {
        byte[] hopByHop = [60, 0, 1, 4, 0, 0, 0, 0];
        byte[] destination = [44, 0, 1, 4, 0, 0, 0, 0];
        byte[] fragment = [58, 0, 0, 1, 0, 0, 0, 7];
        var packet = IPv6(0, [.. hopByHop, .. destination, .. fragment, 1, 4, 0, 0, 0, 0, 0, 0]);

        var decoded = PacketDecoder.Decode(LinkTypes.RawIPv6, packet, (uint)packet.Length);

        decoded.IpHeaderLength.Should().Be(64);
        decoded.Has(PacketFlags.Fragment).Should().BeTrue();
        decoded.Transport.Should().Be(TransportProtocol.Icmpv6);
        decoded.IcmpType.Should().Be(1);
        decoded.IcmpCode.Should().Be(4);
        decoded.Source.IsIPv4.Should().BeFalse();
    }
}
