using Ribat.Forensics.Pcap;

namespace Ribat.Forensics.Tests.Pcap;

/// <summary>Reads a whole capture and counts what a user would compare against another tool.</summary>
internal sealed record CaptureTally(
    long Packets,
    long CapturedBytes,
    long OriginalBytes,
    long FirstTicks,
    long LastTicks,
    int IPv4,
    int IPv6,
    int Tcp,
    int Udp,
    int Icmp,
    int Icmpv6,
    CaptureAnomalies Anomalies)
{
    public static CaptureTally Of(Stream stream)
    {
        var opened = CaptureReader.Open(stream);
        opened.Succeeded.Should().BeTrue(opened.Error);
        using var reader = opened.Reader!;
        long packets = 0, captured = 0, original = 0, first = 0, last = 0;
        int v4 = 0, v6 = 0, tcp = 0, udp = 0, icmp = 0, icmp6 = 0;
        while (reader.TryRead(out var packet))
        {
            if (packets == 0)
            {
                first = packet.TimestampTicks;
            }

            packets++;
            last = packet.TimestampTicks;
            captured += packet.CapturedLength;
            original += packet.OriginalLength;
            var decoded = PacketDecoder.Decode(packet);
            v4 += decoded.Network == NetworkProtocol.IPv4 ? 1 : 0;
            v6 += decoded.Network == NetworkProtocol.IPv6 ? 1 : 0;
            tcp += decoded.Transport == TransportProtocol.Tcp ? 1 : 0;
            udp += decoded.Transport == TransportProtocol.Udp ? 1 : 0;
            icmp += decoded.Transport == TransportProtocol.Icmp ? 1 : 0;
            icmp6 += decoded.Transport == TransportProtocol.Icmpv6 ? 1 : 0;
        }

        return new CaptureTally(packets, captured, original, first, last, v4, v6, tcp, udp, icmp, icmp6, reader.Anomalies);
    }

    public static CaptureTally Of(byte[] bytes) => Of(new MemoryStream(bytes));
}
