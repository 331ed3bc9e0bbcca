namespace Ribat.Forensics.Pcap;

/// <summary>How a reflection service's payload is checked before a packet counts as its amplified answer.</summary>
public enum ReflectionPayloadCheck : byte
{
    /// <summary>The source port alone decides: the service answers with nothing a cheap check would tell apart.</summary>
    None,

    /// <summary>
    /// NTP mode 7 (private, where monlist lives) or an answer far larger than the 48-byte time reply; an ordinary
    /// time answer from port 123 is not amplification.
    /// </summary>
    NtpMonlistOrLarge,
}

/// <summary>A UDP service abused for reflection, recognised by the port its answers come from.</summary>
public sealed record ReflectionService(string Vector, string Service, ushort Port, ushort AlternatePort = 0, ReflectionPayloadCheck Check = ReflectionPayloadCheck.None);

/// <summary>
/// The UDP services attackers reflect off, as data: adding one is a row here and a line in the README. Answers are
/// told by source port because the victim receives them from the service's well-known port.
/// </summary>
public static class ReflectionServices
{
    /// <summary>An NTP answer larger than this is not a plain 48-byte time reply (plus a little for extensions).</summary>
    public const int NtpPlainReplyLimit = 100;

    public static IReadOnlyList<ReflectionService> All { get; } =
    [
        new("dns-amplification", "DNS", 53),
        new("ntp-amplification", "NTP", 123, Check: ReflectionPayloadCheck.NtpMonlistOrLarge),
        new("ssdp-amplification", "SSDP", 1900),
        new("memcached-amplification", "memcached", 11211),
        new("cldap-amplification", "CLDAP", 389),
        new("snmp-amplification", "SNMP", 161),
        new("chargen-amplification", "CharGEN", 19),
        new("ws-discovery-amplification", "WS-Discovery", 3702),
        new("arms-amplification", "Apple Remote Management", 3283),
        new("bacnet-amplification", "BACnet", 47808),
        new("isakmp-amplification", "ISAKMP", 500, 4500),
        new("ubiquiti-amplification", "Ubiquiti discovery", 10001),
        new("dvr-discovery-amplification", "DVR discovery", 37810),
    ];

    /// <summary>Index into <see cref="All"/> by source port, -1 for none; one array read per packet.</summary>
    private static readonly sbyte[] ByPort = BuildPortIndex();

    public static int Find(ushort sourcePort) => ByPort[sourcePort];

    /// <summary>Whether the payload fits what <paramref name="service"/> sends when abused.</summary>
    public static bool Accepts(ReflectionService service, ReadOnlySpan<byte> payload, int payloadLength) => service.Check switch
    {
        ReflectionPayloadCheck.NtpMonlistOrLarge => IsNtpMode7(payload) || payloadLength > NtpPlainReplyLimit,
        _ => true,
    };

    public static bool IsNtpMode7(ReadOnlySpan<byte> payload) => payload.Length > 0 && (payload[0] & 0x07) == 7;

    private static sbyte[] BuildPortIndex()
    {
        var index = new sbyte[65536];
        Array.Fill(index, (sbyte)-1);
        for (var i = 0; i < All.Count; i++)
        {
            index[All[i].Port] = (sbyte)i;
            if (All[i].AlternatePort != 0)
            {
                index[All[i].AlternatePort] = (sbyte)i;
            }
        }

        return index;
    }
}
