using Ribat.Forensics.Pcap;

namespace Ribat.Forensics.Tests.Pcap;

/// <summary>Each public attack capture is named for its attack; the classifier must agree with the name.</summary>
public class VectorCorpusTests
{
    [Theory]
    [InlineData("amp.TCP.reflection.SYNACK.pcap", "tcp-synack-reflection", "TCP flags SYN+ACK without handshake", true)]
    [InlineData("amp.TCP.syn.optionallyACK.optionallysamePort.pcapng", "tcp-syn-flood", "TCP flags SYN without ACK", false)]
    [InlineData("amp.UDP.isakmp.pcap", "isakmp-amplification", "UDP source port 500 or 4500 (ISAKMP)", true)]
    [InlineData("amp.UDP.snmp.src161.pcapng", "snmp-amplification", "UDP source port 161 (SNMP)", true)]
    public void Corpus_capture_yields_its_attack_as_top_vector(string file, string vector, string evidence, bool reflection)
    {
        using var stream = File.OpenRead(Path.Combine(PcapCorpusTests.CorpusDirectory(), file));
        using var reader = CaptureReader.Open(stream).Reader!;
        var tally = new TrafficTally();
        tally.Read(file, reader);

        var summary = tally.ToSummary();

        var top = summary.Vectors[0];
        top.Name.Should().Be(vector);
        top.Share.Should().BeGreaterThan(0.5);
        top.Evidence.Should().Contain(evidence);
        top.Evidence.Should().Contain(e => e.Contains(" packets from ", StringComparison.Ordinal) && e.EndsWith(" sources", StringComparison.Ordinal));
        if (reflection)
        {
            summary.Reflectors.Should().NotBeEmpty().And.Contain(r => r.Vector == vector);
            summary.Reflectors.Should().BeInDescendingOrder(r => r.Bytes);
        }
    }
}
