using System.Diagnostics;
using System.Globalization;

namespace Ribat.Forensics.Tests.Pcap;

/// <summary>
/// Every corpus capture read by Ribat and by tshark, now: packet and byte counts, first and last time, and the
/// transport of each packet must agree. IP reassembly is off in tshark, as Ribat does not reassemble; a packet's
/// transport is the protocol tshark names right after its outer IP header, so the IP packet quoted inside an ICMP
/// error does not count twice, and a non-first fragment (tshark's "data") counts as IP only.
/// </summary>
public class PcapTsharkTests
{
    public static TheoryData<string> Captures() => [.. Directory.GetFiles(PcapCorpusTests.CorpusDirectory(), "*.pcap*").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [TsharkTheory]
    [MemberData(nameof(Captures))]
    public async Task Counts_times_and_transports_equal_tsharks(string file)
    {
        var path = Path.Combine(PcapCorpusTests.CorpusDirectory(), file);
        var expected = await TsharkTally(path);

        using var stream = File.OpenRead(path);
        var tally = CaptureTally.Of(stream);

        tally.Packets.Should().Be(expected.Packets);
        tally.OriginalBytes.Should().Be(expected.Bytes);
        tally.CapturedBytes.Should().Be(expected.Captured);
        tally.FirstTicks.Should().Be(expected.First);
        tally.LastTicks.Should().Be(expected.Last);
        (tally.IPv4, tally.IPv6, tally.Tcp, tally.Udp, tally.Icmp + tally.Icmpv6).Should().Be((expected.IPv4, expected.IPv6, expected.Tcp, expected.Udp, expected.Icmp));
    }

    private static async Task<Expected> TsharkTally(string path)
    {
        var start = new ProcessStartInfo(TsharkTheoryAttribute.TsharkPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { "-n", "-r", path, "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE", "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len", "-e", "frame.protocols" },
        };
        using var tshark = Process.Start(start)!;
        var errors = tshark.StandardError.ReadToEndAsync();
        var expected = new Expected();
        while (await tshark.StandardOutput.ReadLineAsync() is { } line)
        {
            expected.Add(line.Split('\t'));
        }

        await tshark.WaitForExitAsync();
        tshark.ExitCode.Should().Be(0, await errors);
        return expected;
    }

    private sealed class Expected
    {
        public long Packets { get; private set; }

        public long Bytes { get; private set; }

        public long Captured { get; private set; }

        public long First { get; private set; } = long.MaxValue;

        public long Last { get; private set; } = long.MinValue;

        public int IPv4 { get; private set; }

        public int IPv6 { get; private set; }

        public int Tcp { get; private set; }

        public int Udp { get; private set; }

        public int Icmp { get; private set; }

        public void Add(string[] columns)
        {
            Packets++;
            Bytes += long.Parse(columns[1], CultureInfo.InvariantCulture);
            Captured += long.Parse(columns[2], CultureInfo.InvariantCulture);
            var ticks = Ticks(columns[0]);
            First = Math.Min(First, ticks);
            Last = Math.Max(Last, ticks);
            var protocols = columns[3].Split(':');
            var ip = Array.FindIndex(protocols, p => p is "ip" or "ipv6");
            if (ip < 0)
            {
                return;
            }

            IPv4 += protocols[ip] == "ip" ? 1 : 0;
            IPv6 += protocols[ip] == "ipv6" ? 1 : 0;
            var transport = ip + 1 < protocols.Length ? protocols[ip + 1] : "";
            Tcp += transport == "tcp" ? 1 : 0;
            Udp += transport == "udp" ? 1 : 0;
            Icmp += transport is "icmp" or "icmpv6" ? 1 : 0;
        }

        // "1622865525.551136000": seconds and nanoseconds, to .NET ticks without going through a double.
        private static long Ticks(string epoch)
        {
            var dot = epoch.IndexOf('.', StringComparison.Ordinal);
            var seconds = long.Parse(epoch[..dot], CultureInfo.InvariantCulture);
            var nanoseconds = long.Parse(epoch[(dot + 1)..].PadRight(9, '0')[..9], CultureInfo.InvariantCulture);
            return DateTimeOffset.UnixEpoch.Ticks + (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
        }
    }
}
