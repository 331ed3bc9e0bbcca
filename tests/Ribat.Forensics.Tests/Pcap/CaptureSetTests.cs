using Ribat.Forensics.Pcap;
using static Ribat.Forensics.Tests.Pcap.CaptureBuilder;

namespace Ribat.Forensics.Tests.Pcap;

/// <summary>Several captures read in parallel must summarise exactly as reading them one after another does.</summary>
public class CaptureSetTests
{
    private const uint Start = 1_600_000_000;
    private const byte Ack = 0x10;
    private const byte Syn = 0x02;

    private static readonly string[] CorpusFiles =
    [
        "amp.TCP.reflection.SYNACK.pcap", "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng", "amp.UDP.isakmp.pcap", "amp.UDP.snmp.src161.pcapng",
    ];

    public static TheoryData<int> Threads => new() { 2, 3, 8 };

    [Theory]
    [MemberData(nameof(Threads))]
    public void Corpus_captures_in_parallel_give_the_sequential_summary(int threads)
    {
        var captures = CorpusFiles.Concat(CorpusFiles.Reverse()).Concat(CorpusFiles)
            .Select(file => (file, File.ReadAllBytes(Path.Combine(PcapCorpusTests.CorpusDirectory(), file)))).ToList();

        foreach (var tally in new Func<TrafficTally>[] { TrafficTally.WithAutomaticInterval, () => new TrafficTally(TimeSpan.FromMilliseconds(250)) })
        {
            var sequential = Json(Sequential(tally(), captures));
            var parallel = Json(Parallel(tally(), captures, threads));

            parallel.Should().Be(sequential);
        }
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public void Generated_captures_cut_mid_connection_give_the_sequential_summary(int threads)
    {
        var frames = MixedTraffic(seed: 7, packets: 6_000);
        // An empty capture first, connections cut at arbitrary points, and one capture of packets earlier than all others.
        var captures = new List<(string, byte[])> { ("empty.pcap", ClassicPcap(false, false, 1)) };
        var cuts = new[] { 0, 700, 701, 2_500, 4_100, 5_000, frames.Count };
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            captures.Add(($"part{i}.pcap", ClassicPcap(false, false, 1, [.. frames.GetRange(cuts[i], cuts[i + 1] - cuts[i])])));
        }

        captures.Add(("earlier.pcap", ClassicPcap(false, false, 1, [.. MixedTraffic(seed: 8, packets: 300, start: Start - 5)])));

        foreach (var tally in new Func<TrafficTally>[] { TrafficTally.WithAutomaticInterval, () => new TrafficTally(TimeSpan.FromSeconds(1)), () => new TrafficTally(TimeSpan.FromTicks(3)) })
        {
            var sequential = Sequential(tally(), captures);
            var parallel = Parallel(tally(), captures, threads);

            Json(parallel).Should().Be(Json(sequential));
            sequential.Vectors.Should().Contain(v => v.Name == "tcp-ack-flood", "the generated traffic holds an unanswered ACK flood");
        }
    }

    [Fact]
    public void An_ack_answered_only_in_an_earlier_capture_is_not_a_flood_in_parallel_either()
    {
        byte[] client = [10, 0, 0, 1], server = [192, 0, 2, 1];
        var answer = ClassicPcap(false, false, 1, (Start, 0, Ethernet(0x0800, IPv4(6, Tcp(443, 50000, Ack), source: server, destination: client))));
        var acks = ClassicPcap(false, false, 1, [.. Enumerable.Range(0, 50).Select(i => (Start + 1, (uint)i, Ethernet(0x0800, IPv4(6, Tcp(50000, 443, Ack), source: client, destination: server))))]);
        List<(string, byte[])> captures = [("answer.pcap", answer), ("acks.pcap", acks)];

        var sequential = Sequential(TrafficTally.WithAutomaticInterval(), captures);
        var parallel = Parallel(TrafficTally.WithAutomaticInterval(), captures, 2);

        sequential.Vectors.Should().NotContain(v => v.Name == "tcp-ack-flood");
        Json(parallel).Should().Be(Json(sequential));

        // In the other order nothing answers the ACKs when they arrive: a flood both ways.
        captures.Reverse();
        var reversed = Parallel(TrafficTally.WithAutomaticInterval(), captures, 2);
        reversed.Vectors.Should().Contain(v => v.Name == "tcp-ack-flood" && v.Packets == 50);
        Json(reversed).Should().Be(Json(Sequential(TrafficTally.WithAutomaticInterval(), captures)));
    }

    [Fact]
    public void The_first_capture_in_order_that_cannot_be_read_is_named_even_when_a_later_one_fails_first()
    {
        var good = ClassicPcap(false, false, 1, (Start, 0, Ethernet(0x0800, IPv4(17, Udp(53, 4000, 100)))));
        var sources = new List<CaptureSource>
        {
            new("good.pcap", () => new MemoryStream(good)),
            new("text.pcap", () => new MemoryStream("not a capture at all"u8.ToArray())),
            new("gone.pcap", () => throw new FileNotFoundException("Could not find file 'gone.pcap'.")),
        };

        CaptureSet.Read(TrafficTally.WithAutomaticInterval(), sources, 3).Should().StartWith("text.pcap: not a packet capture");
        CaptureSet.Read(TrafficTally.WithAutomaticInterval(), [sources[0], sources[2], sources[1]], 3).Should().Be("cannot read gone.pcap: Could not find file 'gone.pcap'.");
        CaptureSet.Read(TrafficTally.WithAutomaticInterval(), [sources[2]], 3).Should().Be("cannot read gone.pcap: Could not find file 'gone.pcap'.");
    }

    [Fact]
    public void Captures_without_packets_merge_into_an_empty_summary()
    {
        var empty = ClassicPcap(false, false, 1);
        var tally = TrafficTally.WithAutomaticInterval();

        CaptureSet.Read(tally, [new("a.pcap", () => new MemoryStream(empty)), new("b.pcap", () => new MemoryStream(empty))], 2).Should().BeNull();

        var summary = tally.ToSummary();
        summary.Packets.Should().Be(0);
        summary.Series.Should().BeEmpty();
        summary.Files.Select(f => f.Name).Should().Equal("a.pcap", "b.pcap");
    }

    internal static TrafficSummary Sequential(TrafficTally tally, IReadOnlyList<(string Name, byte[] Bytes)> captures)
    {
        foreach (var (name, bytes) in captures)
        {
            using var reader = CaptureReader.Open(new MemoryStream(bytes)).Reader!;
            tally.Read(name, reader);
        }

        return tally.ToSummary(50);
    }

    internal static TrafficSummary Parallel(TrafficTally tally, IReadOnlyList<(string Name, byte[] Bytes)> captures, int threads)
    {
        var sources = captures.Select(c => new CaptureSource(c.Name, () => new MemoryStream(c.Bytes))).ToList();
        CaptureSet.Read(tally, sources, threads).Should().BeNull();
        return tally.ToSummary(50);
    }

    internal static string Json(TrafficSummary summary)
    {
        using var output = new MemoryStream();
        TrafficReportJson.Write(summary, output);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>
    /// Connections whose two sides both acknowledge, an ACK flood nobody answers, DNS answers from many reflectors, a
    /// SYN flood, ICMP and fragments, interleaved over a few seconds.
    /// </summary>
    private static List<(uint, uint, byte[])> MixedTraffic(int seed, int packets, uint start = Start)
    {
        var random = new Random(seed);
        var frames = new List<(uint, uint, byte[])>(packets);
        byte[] victim = [192, 0, 2, 1];
        for (var i = 0; i < packets; i++)
        {
            var micros = (long)i * 700 + random.Next(300);
            var (seconds, fraction) = (start + (uint)(micros / 1_000_000), (uint)(micros % 1_000_000));
            var host = (byte)random.Next(1, 40);
            byte[] frame = random.Next(8) switch
            {
                0 or 1 => Ethernet(0x0800, IPv4(6, Tcp((ushort)(50000 + host), 443, Ack), source: [10, 0, 0, host], destination: victim)),
                2 => Ethernet(0x0800, IPv4(6, Tcp(443, (ushort)(50000 + host), Ack), source: victim, destination: [10, 0, 0, host])),
                3 => Ethernet(0x0800, IPv4(6, Tcp((ushort)random.Next(1024, 65535), 80, Ack), ttl: (byte)random.Next(30, 60), source: [198, 51, 100, (byte)random.Next(1, 6)], destination: victim)),
                4 => Ethernet(0x0800, IPv4(17, Udp(53, 40000, random.Next(100, 1200)), source: [203, 0, 113, (byte)random.Next(256)], destination: victim)),
                5 => Ethernet(0x0800, IPv4(6, Tcp((ushort)random.Next(1024, 65535), 22, Syn), source: [(byte)random.Next(1, 224), (byte)random.Next(256), 7, 9], destination: victim)),
                6 => Ethernet(0x0800, IPv4(1, new byte[8], source: [100, 64, 0, host], destination: victim)),
                _ => Ethernet(0x0800, IPv4(17, new byte[64], fragment: 0x0010, source: [203, 0, 113, host], destination: victim)),
            };
            frames.Add((seconds, fraction, frame));
        }

        return frames;
    }
}
