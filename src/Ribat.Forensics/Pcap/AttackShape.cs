using System.Globalization;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// Judgements over whole address tables, made once per report: carpet bombing across a destination prefix and
/// signs that the source addresses are forged at random. Thresholds are constants here so the evidence lines can
/// quote them.
/// </summary>
internal static class AttackShape
{
    /// <summary>Fewer destinations than this in a prefix is a handful of servers, not a carpet.</summary>
    public const int MinCarpetDestinations = 16;

    /// <summary>The prefix must take this part of all bytes to be the target rather than a bystander.</summary>
    public const double MinCarpetShare = 0.5;

    /// <summary>No single address may take more than this part of the prefix's bytes, or it is a focused attack.</summary>
    public const double MaxCarpetTopShare = 0.5;

    /// <summary>Below this many sources the signs of random spoofing cannot be told from chance.</summary>
    public const int MinSpoofingSources = 1_000;

    public const double MinFewPacketShare = 0.8;

    /// <summary>Random 32-bit sources fill the /8 blocks; real botnets and reflectors cluster in far fewer.</summary>
    public const int MinSlash8Blocks = 128;

    /// <summary>Routes shift a TTL by a hop or two; a spread this wide from one address is another sender.</summary>
    public const int MinTtlSpread = 10;

    public const double MinTtlSpreadShare = 0.1;

    // Prefix lengths tried from narrowest to widest; a wider prefix is reported only if no narrower one inside it is.
    private static readonly int[] Ipv4Lengths = [24, 16];
    private static readonly int[] Ipv6Lengths = [64, 48];

    public static IReadOnlyList<CarpetBombing> CarpetBombing(AddressTally destinations, long totalBytes)
    {
        var found = new List<CarpetBombing>();
        var covered = new List<(UInt128 Network, int Length, bool IsIPv4)>();
        foreach (var isIPv4 in (bool[])[true, false])
        {
            foreach (var length in isIPv4 ? Ipv4Lengths : Ipv6Lengths)
            {
                foreach (var (network, group) in Group(destinations, isIPv4, length))
                {
                    if (group.Destinations < MinCarpetDestinations || totalBytes == 0
                        || (double)group.Bytes / totalBytes < MinCarpetShare
                        || (double)group.TopBytes / group.Bytes > MaxCarpetTopShare
                        || covered.Exists(c => c.IsIPv4 == isIPv4 && Mask(c.Network, length, isIPv4) == network))
                    {
                        continue;
                    }

                    covered.Add((network, length, isIPv4));
                    found.Add(new CarpetBombing(
                        Prefix(network, length, isIPv4), group.Destinations, group.Packets, group.Bytes,
                        (double)group.Bytes / totalBytes, (double)group.TopBytes / group.Bytes));
                }
            }
        }

        found.Sort((x, y) => y.Bytes.CompareTo(x.Bytes));
        return found;
    }

    /// <summary>
    /// Judged on the sources of direct floods only (SYN, ACK, RST, UDP, ICMP, fragments): a reflection attack's
    /// sources are real servers answering forged requests, scattered and brief by nature, not forged themselves.
    /// </summary>
    public static SpoofingSigns Spoofing(VectorClassifier vectors)
    {
        var sources = vectors.DirectFloodSources();
        int few = 0, bogons = 0, spread = 0;
        long bogonPackets = 0;
        Span<bool> blocks = stackalloc bool[256];
        foreach (var (address, count) in sources)
        {
            few += count.Packets <= 2 ? 1 : 0;
            spread += count.MaxTtl - count.MinTtl >= MinTtlSpread ? 1 : 0;
            if (address.IsIPv4)
            {
                var value = (uint)address.Value;
                blocks[(int)(value >> 24)] = true;
                if (Bogons.IsBogon(value))
                {
                    bogons++;
                    bogonPackets += count.Packets;
                }
            }
        }

        var slash8 = 0;
        foreach (var seen in blocks)
        {
            slash8 += seen ? 1 : 0;
        }

        var distinct = sources.Count;
        var fewShare = distinct > 0 ? (double)few / distinct : 0;
        var reasons = new List<string>();
        var enough = distinct >= MinSpoofingSources;
        if (enough && fewShare >= MinFewPacketShare)
        {
            reasons.Add(Line($"{fewShare:P0} of {distinct:N0} flood sources sent one or two packets"));
        }

        if (enough && slash8 >= MinSlash8Blocks)
        {
            reasons.Add(Line($"IPv4 flood sources fall in {slash8} of the 256 /8 blocks"));
        }

        if (bogons > 0)
        {
            reasons.Add(Line($"{bogons:N0} flood sources ({bogonPackets:N0} packets) are addresses that are never routed (0/8, 127/8, 169.254/16, documentation, benchmark, multicast or reserved)"));
        }

        if (distinct >= MinSpoofingSources / 10 && (double)spread / distinct >= MinTtlSpreadShare)
        {
            reasons.Add(Line($"{spread:N0} of {distinct:N0} flood sources arrived with TTLs {MinTtlSpread} or more apart"));
        }

        return new SpoofingSigns(reasons.Count >= 2, distinct, fewShare, slash8, bogons, bogonPackets, spread, reasons);
    }

    private static Dictionary<UInt128, PrefixGroup> Group(AddressTally destinations, bool isIPv4, int length)
    {
        var groups = new Dictionary<UInt128, PrefixGroup>();
        foreach (var (address, count) in destinations.Counts)
        {
            if (address.IsIPv4 != isIPv4)
            {
                continue;
            }

            var network = Mask(address.Value, length, isIPv4);
            groups.TryGetValue(network, out var group);
            groups[network] = new PrefixGroup(group.Destinations + 1, group.Packets + count.Packets, group.Bytes + count.Bytes, Math.Max(group.TopBytes, count.Bytes));
        }

        return groups;
    }

    private static UInt128 Mask(UInt128 value, int length, bool isIPv4)
    {
        var bits = isIPv4 ? 32 : 128;
        return (value >> (bits - length)) << (bits - length);
    }

    private static string Prefix(UInt128 network, int length, bool isIPv4) =>
        string.Create(CultureInfo.InvariantCulture, $"{new NetworkAddress(network, isIPv4)}/{length}");

    private static string Line(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct PrefixGroup(int Destinations, long Packets, long Bytes, long TopBytes);
}
