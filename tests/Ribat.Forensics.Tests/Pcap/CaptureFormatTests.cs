using Ribat.Forensics.Pcap;
using static Ribat.Forensics.Tests.Pcap.CaptureBuilder;

namespace Ribat.Forensics.Tests.Pcap;

public class CaptureFormatTests
{
    private static readonly byte[] UdpFrame = Ethernet(0x0800, IPv4(17, Udp(53, 4444, 10)));

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Classic_pcap_reads_in_both_byte_orders_and_resolutions(bool bigEndian, bool nanoseconds)
    {
        var fraction = nanoseconds ? 123_456_789u : 123_456u;
        var bytes = ClassicPcap(bigEndian, nanoseconds, 1, (1_600_000_000, fraction, UdpFrame));

        var opened = CaptureReader.Open(new MemoryStream(bytes));
        using var reader = opened.Reader!;
        reader.Format.Should().Be(nanoseconds ? CaptureFormat.PcapNanoseconds : CaptureFormat.PcapMicroseconds);
        reader.TryRead(out var packet).Should().BeTrue();
        var expected = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000).AddTicks(nanoseconds ? 1_234_567 : 1_234_560);
        packet.Timestamp.Should().Be(expected, "100 ns is the finest a DateTimeOffset keeps");
        packet.CapturedLength.Should().Be(UdpFrame.Length);
        var decoded = PacketDecoder.Decode(packet);
        decoded.Transport.Should().Be(TransportProtocol.Udp);
        decoded.DestinationPort.Should().Be(4444);
        decoded.PayloadLength.Should().Be(10);
        reader.TryRead(out _).Should().BeFalse();
        reader.Anomalies.Total.Should().Be(0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pcapng_reads_two_interfaces_with_their_own_link_type_and_resolution(bool bigEndian)
    {
        var raw = IPv6(58, [128, 0, 0, 0, 0, 0, 0, 0]);
        byte[] bytes =
        [
            .. SectionHeader(bigEndian),
            .. InterfaceDescription(1, 65535, bigEndian: bigEndian),
            .. InterfaceDescription(101, 65535, resolution: 9, bigEndian: bigEndian),
            .. Block(0xBAD, bigEndian, new byte[8]),
            .. EnhancedPacket(0, 1_600_000_000_000_001, UdpFrame, bigEndian: bigEndian),
            .. EnhancedPacket(1, 1_600_000_000_000_000_123, raw, bigEndian: bigEndian),
        ];

        var opened = CaptureReader.Open(new MemoryStream(bytes));
        using var reader = opened.Reader!;
        reader.Format.Should().Be(CaptureFormat.PcapNg);
        reader.TryRead(out var first).Should().BeTrue();
        first.LinkType.Should().Be(1);
        first.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000).AddTicks(10));
        reader.TryRead(out var second).Should().BeTrue();
        second.InterfaceIndex.Should().Be(1);
        second.LinkType.Should().Be(101);
        second.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1_600_000_000).AddTicks(1));
        var decoded = PacketDecoder.Decode(second);
        decoded.Transport.Should().Be(TransportProtocol.Icmpv6);
        decoded.IcmpType.Should().Be(128);
        reader.TryRead(out _).Should().BeFalse();
        reader.Anomalies.Total.Should().Be(0);
    }

    [Fact]
    public void Simple_packet_takes_interface_zero_and_its_snap_length_and_a_new_section_resets_interfaces()
    {
        byte[] bytes =
        [
            .. SectionHeader(), .. InterfaceDescription(1, 40), .. SimplePacket(UdpFrame),
            .. SectionHeader(true), .. InterfaceDescription(101, 0, bigEndian: true), .. SimplePacket(IPv4(6, Tcp(1, 80, 0x02)), true),
        ];

        var tally = CaptureTally.Of(bytes);

        tally.Packets.Should().Be(2);
        tally.CapturedBytes.Should().Be(40 + 40);
        tally.OriginalBytes.Should().Be(UdpFrame.Length + 40);
        tally.Anomalies[CaptureAnomaly.SnapTruncated].Should().Be(1);
        tally.Udp.Should().Be(1, "a cut packet is still counted by what its headers say");
        tally.Tcp.Should().Be(1);
    }

    [Fact]
    public void Random_bytes_and_an_empty_stream_are_a_clear_error()
    {
        CaptureReader.Open(new MemoryStream([])).Error.Should().Contain("not a packet capture");
        CaptureReader.Open(new MemoryStream("GET / HTTP/1.1\r\n"u8.ToArray())).Error.Should().Contain("magic number 47455420");
    }
}
