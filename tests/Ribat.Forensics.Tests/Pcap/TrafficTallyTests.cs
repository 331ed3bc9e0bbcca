using Ribat.Forensics.Pcap;
using static Ribat.Forensics.Tests.Pcap.CaptureBuilder;

namespace Ribat.Forensics.Tests.Pcap;

public class TrafficTallyTests
{
    private const uint Start = 1_600_000_000;

    private static byte[] UdpFrom(byte last, int payload) =>
        Ethernet(0x0800, IPv4(17, Udp(123, 80, payload), source: [203, 0, 113, last]));

    private static TrafficSummary Summarise(TimeSpan interval, int top, params byte[][] captures)
    {
        var tally = new TrafficTally(interval);
        for (var i = 0; i < captures.Length; i++)
        {
            var opened = CaptureReader.Open(new MemoryStream(captures[i]));
            using var reader = opened.Reader!;
            tally.Read($"capture{i}", reader);
        }

        return tally.ToSummary(top);
    }

    [Fact]
    public void Series_is_aligned_to_the_first_packet_with_empty_intervals_as_zeros()
    {
        var a = UdpFrom(1, 58); // 100 bytes on the wire
        var b = UdpFrom(2, 158); // 200; the one at 1.5 s starts the second interval exactly
        var capture = ClassicPcap(false, false, 1, (Start, 500_000, a), (Start + 1, 0, a), (Start + 1, 500_000, b), (Start + 3, 600_000, b));

        var summary = Summarise(TimeSpan.FromSeconds(1), 20, capture);

        summary.Packets.Should().Be(4);
        summary.Bytes.Should().Be(600);
        summary.FirstTimestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(Start).AddMilliseconds(500));
        summary.LastTimestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(Start + 3).AddMilliseconds(600));
        summary.DurationSeconds.Should().BeApproximately(3.1, 1e-9);
        var origin = DateTimeOffset.FromUnixTimeSeconds(Start).AddMilliseconds(500);
        summary.Series.Should().Equal(
            new TrafficInterval(origin, 2, 200),
            new TrafficInterval(origin.AddSeconds(1), 1, 200),
            new TrafficInterval(origin.AddSeconds(2), 0, 0),
            new TrafficInterval(origin.AddSeconds(3), 1, 200));
        summary.PeakPacketsPerSecond.Should().Be(2);
        summary.PeakBitsPerSecond.Should().Be(1600);
        summary.Notes.Should().BeEmpty();
    }

    [Fact]
    public void A_shorter_interval_splits_the_series_and_scales_the_peaks_to_per_second()
    {
        var a = UdpFrom(1, 58);
        var capture = ClassicPcap(false, false, 1, (Start, 0, a), (Start, 100_000, a), (Start, 300_000, a), (Start, 600_000, a));

        var summary = Summarise(TimeSpan.FromMilliseconds(250), 20, capture);

        summary.Interval.Should().Be(TimeSpan.FromMilliseconds(250));
        summary.Series.Select(i => i.Packets).Should().Equal(2, 1, 1);
        summary.PeakPacketsPerSecond.Should().Be(8, "two packets in a quarter second");
        summary.PeakBitsPerSecond.Should().Be(200 * 8 * 4);
    }

    [Fact]
    public void Top_talkers_are_ranked_by_bytes_and_cut_to_the_limit()
    {
        var capture = ClassicPcap(false, false, 1,
            (Start, 0, UdpFrom(1, 58)), (Start, 1, UdpFrom(1, 58)), (Start, 2, UdpFrom(1, 58)),
            (Start, 3, UdpFrom(2, 458)),
            (Start, 4, UdpFrom(3, 8)));

        var summary = Summarise(TimeSpan.FromSeconds(1), 2, capture);

        summary.TopSources.Select(t => (t.Address.ToString(), t.Packets, t.Bytes)).Should().Equal(
            ("203.0.113.2", 1L, 500L),
            ("203.0.113.1", 3L, 300L));
        summary.DistinctSources.Should().Be(3);
        summary.TopDestinations.Should().ContainSingle().Which.Should().Be(
            new AddressTraffic(NetworkAddress.FromIPv4([198, 51, 100, 7]), 5, 850));
    }

    [Fact]
    public void Protocols_count_each_packet_once_per_layer()
    {
        var fragment = Ethernet(0x0800, IPv4(17, new byte[16], fragment: 0x0002)); // offset 16 bytes: no UDP header
        var capture = ClassicPcap(false, false, 1,
            (Start, 0, Ethernet(0x0800, IPv4(6, Tcp(1, 80, 0x02)))),
            (Start, 1, UdpFrom(1, 0)),
            (Start, 2, Ethernet(0x0800, IPv4(1, [8, 0, 0, 0, 0, 0, 0, 0]))),
            (Start, 3, Ethernet(0x86DD, IPv6(58, [128, 0, 0, 0, 0, 0, 0, 0]))),
            (Start, 4, Ethernet(0x0800, IPv4(47, new byte[4]))),
            (Start, 5, fragment),
            (Start, 6, Ethernet(0x0806, new byte[28])));

        var protocols = Summarise(TimeSpan.FromSeconds(1), 20, capture).Protocols;

        protocols.IPv4.Packets.Should().Be(5);
        protocols.IPv6.Should().Be(new TrafficCount(1, 14 + 48));
        protocols.NonIp.Should().Be(new TrafficCount(1, 14 + 28));
        protocols.Tcp.Packets.Should().Be(1);
        protocols.Udp.Packets.Should().Be(1);
        protocols.Icmp.Packets.Should().Be(1);
        protocols.Icmpv6.Packets.Should().Be(1);
        protocols.OtherIp.Packets.Should().Be(1, "GRE; the non-first fragment has no transport to count");
        protocols.Fragments.Should().Be(new TrafficCount(1, fragment.Length));
    }

    [Fact]
    public void Two_captures_merge_even_when_the_second_starts_earlier()
    {
        var late = ClassicPcap(false, false, 1, (Start + 2, 0, UdpFrom(1, 58)));
        var early = ClassicPcap(false, false, 1, (Start, 0, UdpFrom(2, 58)), (Start, 1, UdpFrom(2, 58)));
        var cut = early[..^10];

        var summary = Summarise(TimeSpan.FromSeconds(1), 20, late, cut);

        summary.Packets.Should().Be(2, "the cut packet is not handed out");
        summary.FirstTimestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(Start));
        summary.Series.Should().Equal(
            new TrafficInterval(DateTimeOffset.FromUnixTimeSeconds(Start), 1, 100),
            new TrafficInterval(DateTimeOffset.FromUnixTimeSeconds(Start + 1), 0, 0),
            new TrafficInterval(DateTimeOffset.FromUnixTimeSeconds(Start + 2), 1, 100));
        summary.Files.Should().Equal(
            new CaptureFileTraffic("capture0", CaptureFormat.PcapMicroseconds, 1),
            new CaptureFileTraffic("capture1", CaptureFormat.PcapMicroseconds, 1));
        summary.Anomalies.Should().ContainSingle().Which.Kind.Should().Be(CaptureAnomaly.TruncatedPacket);
    }

    [Fact]
    public void A_span_of_too_many_intervals_widens_the_interval_and_says_so()
    {
        var a = UdpFrom(1, 58);
        var capture = ClassicPcap(false, false, 1, (Start, 0, a), (Start + 1_500_000, 0, a), (Start + 1_500_001, 0, a));

        var summary = Summarise(TimeSpan.FromSeconds(1), 20, capture);

        summary.Interval.Should().Be(TimeSpan.FromSeconds(2));
        summary.Series.Should().HaveCount(750_001);
        summary.Series[^1].Should().Be(new TrafficInterval(DateTimeOffset.FromUnixTimeSeconds(Start + 1_500_000), 2, 200));
        summary.PeakPacketsPerSecond.Should().Be(1, "two packets in a two-second interval");
        summary.Notes.Should().ContainSingle().Which.Should().Contain("2 s intervals");
    }

    [Fact]
    public void No_packets_give_an_empty_summary()
    {
        var summary = Summarise(TimeSpan.FromSeconds(1), 20, ClassicPcap(false, false, 1));

        summary.Packets.Should().Be(0);
        summary.FirstTimestamp.Should().BeNull();
        summary.Series.Should().BeEmpty();
        summary.PeakPacketsPerSecond.Should().Be(0);
        summary.TopSources.Should().BeEmpty();
    }

    [Fact]
    public void Corpus_isakmp_reflection_totals_match_tshark()
    {
        using var stream = File.OpenRead(Path.Combine(PcapCorpusTests.CorpusDirectory(), "amp.UDP.isakmp.pcap"));
        using var reader = CaptureReader.Open(stream).Reader!;
        var tally = new TrafficTally();
        tally.Read("amp.UDP.isakmp.pcap", reader);

        var summary = tally.ToSummary();

        // Figures from PcapCorpusTests, checked there against tshark.
        summary.Packets.Should().Be(3984);
        summary.Bytes.Should().Be(980064);
        summary.FirstTimestamp.Should().Be(DateTimeOffset.Parse("2021-06-14T19:45:01.0032990Z", System.Globalization.CultureInfo.InvariantCulture));
        summary.LastTimestamp.Should().Be(DateTimeOffset.Parse("2021-06-14T19:45:01.4121570Z", System.Globalization.CultureInfo.InvariantCulture));
        summary.Protocols.Udp.Should().Be(new TrafficCount(3984, 980064));
        summary.Protocols.IPv4.Packets.Should().Be(3984);
        summary.Series.Should().ContainSingle("the capture lasts under a second");
        summary.PeakPacketsPerSecond.Should().BeApproximately(3984 / 0.408858, 1e-6, "a capture shorter than the interval is measured over its own span");
        summary.PeakBitsPerSecond.Should().BeApproximately(980064 * 8 / 0.408858, 1e-3);
        summary.TopSources.Sum(t => t.Bytes).Should().BeLessThanOrEqualTo(980064);
        summary.TopDestinations[0].Bytes.Should().BeGreaterThan(0);
        summary.Anomalies.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(0.000_02, 0.000_001)]
    [InlineData(0.023_497, 0.000_1)]
    [InlineData(0.408_858, 0.001)]
    [InlineData(4.9, 0.01)]
    [InlineData(49.9, 0.1)]
    [InlineData(50, 1.0)]
    [InlineData(818.16, 1.0)]
    [InlineData(3_600, 1.0)]
    [InlineData(3_601, 10.0)]
    [InlineData(30 * 3_600, 60.0)]
    [InlineData(30 * 86_400, 3_600.0)]
    public void The_automatic_step_gives_a_useful_number_of_points(double duration, double step)
    {
        TrafficSeries.StepFor(TimeSpan.FromSeconds(duration)).Should().Be(TimeSpan.FromSeconds(step));
    }

    [Theory]
    [InlineData(4_000_000L, 0.001)]
    [InlineData(300_000_000L, 0.1)]
    [InlineData(2_000_000_000L, 1.0)]
    public void An_automatic_series_equals_one_asked_for_the_step_it_chooses(long spanTicks, double expected)
    {
        var random = new Random(3);
        var origin = DateTimeOffset.FromUnixTimeSeconds(Start).Ticks;
        var times = Enumerable.Range(0, 5_000).Select(_ => origin + random.NextInt64(spanTicks)).Prepend(origin + (spanTicks / 2)).Append(origin + spanTicks).ToList();
        var automatic = TrafficTally.WithAutomaticInterval();
        var asked = new TrafficTally(TimeSpan.FromSeconds(expected));
        var packet = new DecodedPacket { Network = NetworkProtocol.IPv4, Transport = TransportProtocol.Udp, SourcePort = 4000 };
        foreach (var ticks in times)
        {
            automatic.Add(ticks, 100, packet);
            asked.Add(ticks, 100, packet);
        }

        var chosen = automatic.ToSummary();
        var fixedOne = asked.ToSummary();

        chosen.Interval.Should().Be(TimeSpan.FromSeconds(expected));
        chosen.IntervalIsAutomatic.Should().BeTrue();
        fixedOne.IntervalIsAutomatic.Should().BeFalse();
        chosen.Series.Should().Equal(fixedOne.Series, "the grid starts at the first packet, which is not the earliest");
        chosen.PeakPacketsPerSecond.Should().Be(fixedOne.PeakPacketsPerSecond);
        chosen.Notes.Should().BeEmpty();
    }

    [Fact]
    public void Merged_series_widen_where_one_series_of_all_packets_would()
    {
        var origin = DateTimeOffset.FromUnixTimeSeconds(Start).Ticks;
        foreach (var make in new Func<TrafficSeries>[] { () => new TrafficSeries(TimeSpan.FromTicks(7)), TrafficSeries.Automatic })
        {
            var whole = make();
            var first = make();
            var second = make();
            whole.Add(origin, 10);
            first.Add(origin, 10);
            second.StartAt(origin);
            var random = new Random(5);
            for (var i = 0; i < 3_000; i++)
            {
                // The second part alone spans far more than a million intervals and goes back before the origin.
                var ticks = i < 1_000 ? origin + random.Next(5_000) : origin - 40_000_000 + random.NextInt64(90_000_000);
                whole.Add(ticks, 10);
                (i < 1_000 ? first : second).Add(ticks, 10);
            }

            first.Merge(second);

            first.Interval.Should().Be(whole.Interval).And.BeGreaterThan(TimeSpan.FromTicks(7));
            first.ToList().Should().Equal(whole.ToList());
        }
    }
}
