using Ribat.Forensics.Pcap;
using static Ribat.Forensics.Tests.Pcap.CaptureBuilder;

namespace Ribat.Forensics.Tests.Pcap;

/// <summary>Damaged input must end quickly with counted anomalies or a clear error: never an exception, never a hang.</summary>
public class CaptureHostileTests
{
    private static readonly byte[] Frame = Ethernet(0x86DD, IPv6(17, Udp(1, 2, 5)));

    [Fact]
    public void Every_truncation_of_a_small_capture_is_an_error_or_counted()
    {
        byte[][] blocks = [SectionHeader(), InterfaceDescription(1, 65535), EnhancedPacket(0, 1, Frame), EnhancedPacket(0, 2, Frame)];
        var pcap = ClassicPcap(false, false, 1, (1, 0, Frame), (2, 0, Frame));
        Truncations(blocks.SelectMany(block => block).ToArray(), Boundaries(blocks.Select(block => block.Length)));
        Truncations(pcap, Boundaries([24, 16 + Frame.Length, 16 + Frame.Length]));
    }

    private static HashSet<int> Boundaries(IEnumerable<int> lengths)
    {
        var boundaries = new HashSet<int>();
        var total = 0;
        foreach (var length in lengths)
        {
            total += length;
            boundaries.Add(total);
        }

        return boundaries;
    }

    private static void Truncations(byte[] whole, HashSet<int> boundaries)
    {
        for (var length = 0; length < whole.Length; length++)
        {
            var outcome = Drain(whole[..length]);
            if (outcome.Error is null && !boundaries.Contains(length))
            {
                outcome.Anomalies.Should().BeGreaterThan(0, $"a file cut at {length} bytes, inside a record, must say so");
            }
        }
    }

    [Fact]
    public void Block_lengths_of_zero_and_two_to_the_31_are_counted()
    {
        byte[] head = [.. SectionHeader(), .. InterfaceDescription(1, 65535)];
        byte[] zero = [.. head, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] huge = [.. head, 6, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0];

        Drain(zero).Anomalies.Should().BeGreaterThan(0);
        var outcome = Drain(huge);
        outcome.Anomalies.Should().BeGreaterThan(0);
        outcome.Packets.Should().Be(0);
    }

    [Fact]
    public void Random_and_mutated_bytes_never_throw()
    {
        var random = new Random(20240521);
        var real = File.ReadAllBytes(Path.Combine(PcapCorpusTests.CorpusDirectory(), "amp.TCP.syn.optionallyACK.optionallysamePort.pcapng"))[..8192];
        byte[] pcapng = [.. SectionHeader(), .. InterfaceDescription(1, 65535, 9), .. EnhancedPacket(0, 1, Frame), .. SimplePacket(Frame)];
        for (var round = 0; round < 300; round++)
        {
            var noise = new byte[random.Next(0, 512)];
            random.NextBytes(noise);
            Drain(noise);
            foreach (var source in new[] { real, pcapng })
            {
                var mutated = (byte[])source.Clone();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                }

                Drain(mutated);
            }
        }
    }

    private static (string? Error, long Packets, long Anomalies) Drain(byte[] bytes)
    {
        var opened = CaptureReader.Open(new MemoryStream(bytes));
        if (!opened.Succeeded)
        {
            opened.Error.Should().NotBeNullOrWhiteSpace();
            return (opened.Error, 0, 0);
        }

        using var reader = opened.Reader!;
        var packets = 0L;
        // A reader that never stopped would be a hang; no input here holds more than a few hundred packets.
        while (reader.TryRead(out var packet) && packets < 100_000)
        {
            PacketDecoder.Decode(packet);
            packets++;
        }

        packets.Should().BeLessThan(100_000);
        return (null, packets, reader.Anomalies.Total);
    }
}
