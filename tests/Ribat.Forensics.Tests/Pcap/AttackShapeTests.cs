using Ribat.Forensics.Pcap;

namespace Ribat.Forensics.Tests.Pcap;

public class AttackShapeTests
{
    private static NetworkAddress V4(uint value) => new(value, true);

    private static NetworkAddress V4(byte a, byte b, byte c, byte d) => V4(((uint)a << 24) | ((uint)b << 16) | ((uint)c << 8) | d);

    private static DecodedPacket Udp(NetworkAddress source, NetworkAddress destination, ushort sourcePort = 40000, byte ttl = 60) => new()
    {
        Network = NetworkProtocol.IPv4,
        Transport = TransportProtocol.Udp,
        Source = source,
        Destination = destination,
        SourcePort = sourcePort,
        DestinationPort = 80,
        Ttl = ttl,
    };

    private static DecodedPacket Syn(NetworkAddress source, NetworkAddress destination, byte ttl) => new()
    {
        Network = NetworkProtocol.IPv4,
        Transport = TransportProtocol.Tcp,
        Source = source,
        Destination = destination,
        SourcePort = 1024,
        DestinationPort = 443,
        TcpFlags = 0x02,
        Ttl = ttl,
    };

    [Fact]
    public void Even_traffic_to_many_addresses_of_one_slash_24_is_carpet_bombing_of_that_prefix()
    {
        var tally = new TrafficTally();
        for (var i = 0; i < 6400; i++)
        {
            tally.Add(0, 500, Udp(V4(45, 1, 2, (byte)(i % 7)), V4(100, 64, 5, (byte)(i % 64))));
        }

        var summary = tally.ToSummary();

        var carpet = summary.CarpetBombing.Should().ContainSingle().Subject;
        carpet.Prefix.Should().Be("100.64.5.0/24");
        carpet.Destinations.Should().Be(64);
        carpet.Packets.Should().Be(6400);
        carpet.Share.Should().Be(1);
        carpet.TopDestinationShare.Should().BeApproximately(1.0 / 64, 1e-9);
    }

    [Fact]
    public void An_attack_spread_thinly_over_a_slash_16_is_reported_at_slash_16_only()
    {
        var tally = new TrafficTally();
        for (var block = 0; block < 64; block++)
        {
            for (var host = 0; host < 4; host++)
            {
                tally.Add(0, 1000, Udp(V4(45, 1, 2, 3), V4(172, 20, (byte)block, (byte)host)));
            }
        }

        var carpet = tally.ToSummary().CarpetBombing.Should().ContainSingle().Subject;

        carpet.Prefix.Should().Be("172.20.0.0/16", "no /24 holds 16 addresses, the /16 holds 256");
        carpet.Destinations.Should().Be(256);
    }

    [Fact]
    public void One_victim_among_quiet_neighbours_is_not_carpet_bombing()
    {
        var tally = new TrafficTally();
        for (var i = 0; i < 5000; i++)
        {
            tally.Add(0, 1200, Udp(V4(45, 1, 2, (byte)i), V4(100, 64, 5, 10)));
        }

        for (var host = 0; host < 40; host++)
        {
            tally.Add(0, 1200, Udp(V4(45, 1, 2, 3), V4(100, 64, 5, (byte)(100 + host))));
        }

        tally.ToSummary().CarpetBombing.Should().BeEmpty("one address takes nearly all of the prefix's bytes");
    }

    [Fact]
    public void A_syn_flood_from_random_addresses_shows_the_signs_of_spoofing()
    {
        var random = new Random(20261122);
        var tally = new TrafficTally();
        for (var i = 0; i < 5000; i++)
        {
            tally.Add(0, 60, Syn(V4((uint)random.NextInt64(0, 1L << 32)), V4(100, 64, 5, 10), (byte)random.Next(32, 255)));
        }

        var spoofing = tally.ToSummary().Spoofing;

        spoofing.Likely.Should().BeTrue();
        spoofing.FloodSources.Should().BeInRange(4990, 5000);
        spoofing.FewPacketSourceShare.Should().Be(1);
        spoofing.Ipv4Slash8Count.Should().BeGreaterThan(250);
        spoofing.BogonSources.Should().BeGreaterThan(300, "a sixteenth of random addresses are multicast and another sixteenth reserved");
        spoofing.Reasons.Should().Contain(r => r.Contains("/8 blocks", StringComparison.Ordinal))
            .And.Contain(r => r.Contains("never routed", StringComparison.Ordinal));
    }

    [Fact]
    public void Reflectors_and_a_steady_botnet_are_not_called_spoofed()
    {
        var random = new Random(7);
        var tally = new TrafficTally();
        for (var i = 0; i < 5000; i++)
        {
            // DNS answers from servers all over the address space: the victim's address was forged, not theirs.
            tally.Add(0, 1400, Udp(V4((uint)random.NextInt64(0x01000000, 0xDF000000)), V4(100, 64, 5, 10), sourcePort: 53));
        }

        for (var bot = 0; bot < 2000; bot++)
        {
            for (var packet = 0; packet < 20; packet++)
            {
                tally.Add(0, 60, Syn(V4((byte)(10 + (bot % 10)), 9, (byte)(bot / 256), (byte)bot), V4(100, 64, 5, 10), (byte)(50 + (packet % 3))));
            }
        }

        var spoofing = tally.ToSummary().Spoofing;

        spoofing.Likely.Should().BeFalse();
        spoofing.FloodSources.Should().Be(2000, "the DNS reflectors are not flood sources");
        spoofing.Reasons.Should().BeEmpty();
    }
}
