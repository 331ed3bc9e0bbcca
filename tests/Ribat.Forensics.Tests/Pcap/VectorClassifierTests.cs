using Ribat.Forensics.Pcap;
using static Ribat.Forensics.Tests.Pcap.CaptureBuilder;

namespace Ribat.Forensics.Tests.Pcap;

public class VectorClassifierTests
{
    private const uint Start = 1_600_000_000;

    private static byte[] FromSource(byte protocol, byte[] segment, byte last, ushort fragment = 0, byte ttl = 64) =>
        Ethernet(0x0800, IPv4(protocol, segment, fragment, ttl, source: [203, 0, 113, last]));

    private static byte[] UdpFrom(ushort sourcePort, int payload, byte last = 1, byte first = 0)
    {
        var segment = Udp(sourcePort, 40000, payload);
        if (payload > 0)
        {
            segment[8] = first;
        }

        return FromSource(17, segment, last);
    }

    private static byte[] TcpWith(byte flags, byte last = 1, ushort source = 40001, ushort destination = 80) =>
        FromSource(6, Tcp(source, destination, flags), last);

    private static IEnumerable<byte[]> Repeat(int count, Func<int, byte[]> frame) => Enumerable.Range(0, count).Select(frame);

    internal static TrafficSummary Summarise(IEnumerable<byte[]> frames)
    {
        var capture = ClassicPcap(false, false, 1, [.. frames.Select(f => (Start, 0u, f))]);
        var tally = new TrafficTally();
        using var reader = CaptureReader.Open(new MemoryStream(capture)).Reader!;
        tally.Read("capture", reader);
        return tally.ToSummary();
    }

    [Theory]
    [InlineData(53, "dns-amplification", "UDP source port 53 (DNS)")]
    [InlineData(11211, "memcached-amplification", "UDP source port 11211 (memcached)")]
    [InlineData(1900, "ssdp-amplification", "UDP source port 1900 (SSDP)")]
    [InlineData(4500, "isakmp-amplification", "UDP source port 500 or 4500 (ISAKMP)")]
    [InlineData(37810, "dvr-discovery-amplification", "UDP source port 37810 (DVR discovery)")]
    public void Udp_answers_from_a_reflection_port_are_that_amplification(int port, string vector, string evidence)
    {
        var summary = Summarise(Repeat(50, i => UdpFrom((ushort)port, 400, (byte)(i % 25))));

        var top = summary.Vectors.Should().ContainSingle().Subject;
        top.Name.Should().Be(vector);
        top.Packets.Should().Be(50);
        top.Share.Should().Be(1);
        top.Evidence.Should().Contain(evidence).And.Contain("50 packets from 25 sources");
        summary.Reflectors.Should().HaveCount(20).And.OnlyContain(r => r.Vector == vector && r.Packets == 2);
    }

    [Fact]
    public void Ntp_counts_as_amplification_only_for_mode_7_or_large_answers()
    {
        var monlist = Repeat(30, i => UdpFrom(123, 40, (byte)i, first: 0x17));
        var large = Repeat(30, i => UdpFrom(123, 440, (byte)i, first: 0x24));
        var plainTime = Repeat(30, i => UdpFrom(123, 48, (byte)i, first: 0x24));

        var summary = Summarise([.. monlist, .. large, .. plainTime]);

        var ntp = summary.Vectors.Should().ContainSingle(v => v.Name == "ntp-amplification").Subject;
        ntp.Packets.Should().Be(60);
        ntp.Evidence.Should().Contain("60 packets NTP mode 7 (monlist) or over 100 payload bytes");
        summary.Vectors.Should().ContainSingle(v => v.Name == "udp-flood").Which.Packets.Should().Be(30, "a 48-byte time reply is no amplification");
    }

    [Theory]
    [InlineData((byte)0x10, "tcp-ack-flood", "TCP flags ACK without SYN, RST or FIN")]
    [InlineData((byte)0x18, "tcp-ack-flood", "TCP flags ACK without SYN, RST or FIN")]
    [InlineData((byte)0x04, "tcp-rst-flood", "TCP flags RST")]
    [InlineData((byte)0x14, "tcp-rst-flood", "TCP flags RST")]
    [InlineData((byte)0x02, "tcp-syn-flood", "TCP flags SYN without ACK")]
    [InlineData((byte)0x12, "tcp-synack-reflection", "TCP flags SYN+ACK without handshake")]
    public void Tcp_floods_are_told_by_their_flags(byte flags, string vector, string evidence)
    {
        var summary = Summarise(Repeat(40, i => TcpWith(flags, (byte)i)));

        var top = summary.Vectors.Should().ContainSingle().Subject;
        top.Name.Should().Be(vector);
        top.Evidence.Should().Contain(evidence).And.Contain("40 packets from 40 sources");
        summary.Reflectors.Should().HaveCount(vector == "tcp-synack-reflection" ? 20 : 0, "only reflection vectors list reflectors");
    }

    [Fact]
    public void Acks_of_a_connection_both_sides_acknowledge_are_not_an_ack_flood()
    {
        byte[] client = [198, 51, 100, 7], server = [192, 0, 2, 80];
        var conversation = Enumerable.Range(0, 200).Select(i => i % 2 == 0
            ? Ethernet(0x0800, IPv4(6, Tcp(50000, 443, 0x10), source: client, destination: server))
            : Ethernet(0x0800, IPv4(6, Tcp(443, 50000, 0x18), source: server, destination: client)));
        var flood = Repeat(100, i => Ethernet(0x0800, IPv4(6, Tcp((ushort)(1000 + i), 443, 0x10), source: [203, 0, 113, (byte)i], destination: server)));

        var summary = Summarise(conversation.Concat(flood));

        var ack = summary.Vectors.Should().ContainSingle().Subject;
        ack.Name.Should().Be("tcp-ack-flood");
        ack.Packets.Should().Be(101, "the 100 unanswered ACKs, and the client's very first ACK, sent before the server's first reply");
        ack.Evidence.Should().Contain("only ACKs the other side never acknowledged; 199 ACK packets of answered connections left out");
    }

    [Fact]
    public void Syn_ack_with_equal_ports_is_a_crafted_syn_flood_not_reflection()
    {
        var summary = Summarise(Repeat(40, i => TcpWith(0x12, (byte)i, 21, 21)));

        var top = summary.Vectors.Should().ContainSingle().Subject;
        top.Name.Should().Be("tcp-syn-flood");
        top.Evidence.Should().Contain(e => e.StartsWith("40 packets SYN+ACK with source port equal to destination port", StringComparison.Ordinal));
        summary.Reflectors.Should().BeEmpty();
    }

    [Fact]
    public void Icmp_fragments_and_unknown_udp_are_their_own_floods()
    {
        var icmp = Repeat(20, i => FromSource(1, [8, 0, 0, 0, 0, 0, 0, 0, .. new byte[56]], (byte)i));
        var fragments = Repeat(30, i => FromSource(17, new byte[480], (byte)i, fragment: 185));
        var udp = Repeat(25, i => UdpFrom(55555, 300, (byte)i));

        var summary = Summarise([.. icmp, .. fragments, .. udp]);

        summary.Vectors.Select(v => v.Name).Should().Equal("ip-fragment-flood", "udp-flood", "icmp-flood");
        summary.Vectors[0].Evidence.Should().Contain("IP fragments after the first (no transport header)");
        summary.Vectors[1].Evidence.Should().Contain("UDP from no known reflection port");
        summary.Vectors[2].Evidence.Should().Contain("ICMP or ICMPv6").And.Contain("payload starts with 0000000000000000");
        summary.Vectors.Sum(v => v.Share).Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void Mixed_traffic_reports_both_vectors_by_bytes_and_leaves_out_the_tiny_one()
    {
        var dns = Repeat(500, i => UdpFrom(53, 1200, (byte)i));
        var syn = Repeat(800, i => TcpWith(0x02, (byte)i));
        var ssdp = Repeat(12, i => UdpFrom(1900, 100, (byte)i)); // 12 packets, but well under 1% of packets and bytes

        var summary = Summarise([.. dns, .. syn, .. ssdp]);

        summary.Vectors.Select(v => v.Name).Should().Equal("dns-amplification", "tcp-syn-flood");
        summary.Vectors[0].Share.Should().BeGreaterThan(summary.Vectors[1].Share);
        summary.Reflectors.Should().OnlyContain(r => r.Vector == "dns-amplification");
    }

    [Fact]
    public void Fewer_packets_than_the_minimum_are_no_vector_whatever_their_share()
    {
        var summary = Summarise(Repeat(9, i => UdpFrom(53, 1200, (byte)i)));

        summary.Vectors.Should().BeEmpty();
        summary.Reflectors.Should().BeEmpty();
    }

    [Fact]
    public void A_source_spoofing_many_ttls_shows_the_spread()
    {
        var summary = Summarise(Repeat(20, i => Ethernet(0x0800, IPv4(17, Udp(161, 40000, 300), ttl: (byte)(30 + i), source: [203, 0, 113, 9]))));

        var reflector = summary.Reflectors.Should().ContainSingle().Subject;
        reflector.Vector.Should().Be("snmp-amplification");
        (reflector.MinTtl, reflector.MaxTtl).Should().Be(((byte)30, (byte)49));
    }

    [Fact]
    public void Sources_past_the_cap_are_still_counted_and_a_note_says_so()
    {
        var tally = new TrafficTally();
        var packets = VectorCounterCap + 10;
        for (var i = 0; i < packets; i++)
        {
            var decoded = new DecodedPacket
            {
                Network = NetworkProtocol.IPv4,
                Transport = TransportProtocol.Udp,
                Source = new NetworkAddress((UInt128)(0x0A000000 + i), true),
                SourcePort = 389,
            };
            tally.Add(0, 100, decoded);
        }

        var summary = tally.ToSummary();

        var cldap = summary.Vectors.Should().ContainSingle().Subject;
        cldap.Packets.Should().Be(packets);
        cldap.Evidence.Should().Contain(FormattableString.Invariant($"{packets:N0} packets from over {VectorCounterCap:N0} sources"));
        summary.Notes.Should().Contain(n => n.StartsWith("cldap-amplification: sources were tracked up to 50,000; 10 packets", StringComparison.Ordinal));
    }

    [Fact]
    public void The_reflection_table_has_one_row_per_port_and_consistent_names()
    {
        var ports = ReflectionServices.All.SelectMany(s => s.AlternatePort == 0 ? new[] { s.Port } : [s.Port, s.AlternatePort]).ToList();

        ports.Should().OnlyHaveUniqueItems();
        ReflectionServices.All.Select(s => s.Vector).Should().OnlyHaveUniqueItems()
            .And.OnlyContain(n => System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-z0-9]+(-[a-z0-9]+)*-amplification$"));
        ReflectionServices.All.Should().HaveCount(13);
    }

    private const int VectorCounterCap = 50_000;
}
