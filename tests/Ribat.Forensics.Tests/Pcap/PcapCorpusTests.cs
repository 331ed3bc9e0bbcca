using Ribat.Forensics.Pcap;

namespace Ribat.Forensics.Tests.Pcap;

/// <summary>
/// Real DDoS captures from the shared corpus (StopDDoS/packet-captures), read from ../shared/corpus/pcap/ relative to
/// the repository root and never copied into it. The expected figures were cross-checked with tshark 4.0.17
/// (frame.time_epoch, frame.len, frame.cap_len, ip.proto, ip.frag_offset with IP reassembly off; a non-first
/// fragment counts as IPv4 but not as its transport).
/// </summary>
public class PcapCorpusTests
{
    public static TheoryData<string, long, long, string, string, int, int, int, int> Files() => new()
    {
        { "amp.TCP.reflection.SYNACK.pcap", 8000, 515475, "2021-06-05T03:58:45.5511360Z", "2021-06-05T03:58:45.6979450Z", 7996, 7679, 163, 153 },
        { "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng", 896, 57698, "2021-06-20T19:42:57.2940100Z", "2021-06-20T19:56:35.4536560Z", 896, 896, 0, 0 },
        { "amp.UDP.isakmp.pcap", 3984, 980064, "2021-06-14T19:45:01.0032990Z", "2021-06-14T19:45:01.4121570Z", 3984, 0, 3984, 0 },
        { "amp.UDP.snmp.src161.pcapng", 4373, 1055847, "2021-05-15T14:50:40.0356810Z", "2021-05-15T14:50:40.0591780Z", 4373, 0, 4079, 294 },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Corpus_file_matches_tshark(string file, long packets, long bytes, string first, string last, int ipv4, int tcp, int udp, int icmp)
    {
        using var stream = File.OpenRead(Path.Combine(CorpusDirectory(), file));
        var tally = CaptureTally.Of(stream);

        tally.Packets.Should().Be(packets);
        // No corpus packet was cut by the snap length, so captured and original totals agree (tshark says so too).
        tally.CapturedBytes.Should().Be(bytes);
        tally.OriginalBytes.Should().Be(bytes);
        new DateTimeOffset(tally.FirstTicks, TimeSpan.Zero).Should().Be(DateTimeOffset.Parse(first, System.Globalization.CultureInfo.InvariantCulture));
        new DateTimeOffset(tally.LastTicks, TimeSpan.Zero).Should().Be(DateTimeOffset.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
        tally.IPv4.Should().Be(ipv4);
        tally.IPv6.Should().Be(0);
        tally.Tcp.Should().Be(tcp);
        tally.Udp.Should().Be(udp);
        tally.Icmp.Should().Be(icmp);
        tally.Anomalies.Total.Should().Be(0);
    }

    [Fact]
    public void Corpus_names_ending_pcapng_are_recognised_as_classic_pcap_by_their_magic()
    {
        using var stream = File.OpenRead(Path.Combine(CorpusDirectory(), "amp.UDP.snmp.src161.pcapng"));
        var opened = CaptureReader.Open(stream);
        using var reader = opened.Reader!;
        reader.Format.Should().Be(CaptureFormat.PcapMicroseconds);
    }

    internal static string CorpusDirectory() =>
        SharedCorpus.Path("pcap");
}
