using System.Globalization;

namespace Ribat.Forensics.Pcap;

/// <summary>The plain-words reasons shown with a vector; built once per report, so allocation here is fine.</summary>
internal static class VectorEvidence
{
    public static IReadOnlyList<string> For(VectorCounter counter, ReflectionService? service, long establishedAcks)
    {
        var evidence = new List<string>();
        if (service is not null)
        {
            evidence.Add(service.AlternatePort != 0
                ? Line($"UDP source port {service.Port} or {service.AlternatePort} ({service.Service})")
                : Line($"UDP source port {service.Port} ({service.Service})"));
            if (service.Check == ReflectionPayloadCheck.NtpMonlistOrLarge)
            {
                evidence.Add(Line($"{counter.Confirmed:N0} packets NTP mode 7 (monlist) or over {ReflectionServices.NtpPlainReplyLimit} payload bytes"));
            }
        }
        else
        {
            evidence.Add(Rule(counter.Name));
            if (counter.Name == "tcp-syn-flood" && counter.Confirmed > 0)
            {
                evidence.Add(Line($"{counter.Confirmed:N0} packets SYN+ACK with source port equal to destination port (crafted, not server replies)"));
            }

            if (counter.Name == "tcp-ack-flood")
            {
                evidence.Add(Line($"only ACKs the other side never acknowledged; {establishedAcks:N0} ACK packets of answered connections left out"));
            }
        }

        var sources = counter.IsCapped ? Line($"over {counter.Sources.Count:N0}") : Line($"{counter.Sources.Count:N0}");
        evidence.Add(Line($"{counter.Packets:N0} packets from {sources} sources"));
        evidence.Add(Line($"average {counter.Bytes / Math.Max(1, counter.Packets):N0} bytes per packet"));
        evidence.Add(counter.MinTtl == counter.MaxTtl ? Line($"TTL {counter.MinTtl}") : Line($"TTL {counter.MinTtl} to {counter.MaxTtl}"));
        if (counter.SampleCount > 0)
        {
            evidence.Add("payload starts with " + Convert.ToHexString(counter.Sample).ToLowerInvariant());
        }

        return evidence;
    }

    private static string Rule(string name) => name switch
    {
        "tcp-syn-flood" => "TCP flags SYN without ACK",
        "tcp-synack-reflection" => "TCP flags SYN+ACK without handshake",
        "tcp-ack-flood" => "TCP flags ACK without SYN, RST or FIN",
        "tcp-rst-flood" => "TCP flags RST",
        "udp-flood" => "UDP from no known reflection port",
        "icmp-flood" => "ICMP or ICMPv6",
        "ip-fragment-flood" => "IP fragments after the first (no transport header)",
        _ => name,
    };

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
