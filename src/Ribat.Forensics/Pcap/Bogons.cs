namespace Ribat.Forensics.Pcap;

/// <summary>
/// IPv4 sources that no network routes (RFC 6890 special-purpose blocks that are never a real sender). Private
/// ranges are left out: a capture taken inside a network sees them legitimately.
/// </summary>
internal static class Bogons
{
    private static readonly (uint Network, int Length)[] Blocks =
    [
        (0x00000000, 8),   // "this network"
        (0x7F000000, 8),   // loopback
        (0xA9FE0000, 16),  // link-local
        (0xC0000200, 24),  // TEST-NET-1
        (0xC6120000, 15),  // benchmarking
        (0xC6336400, 24),  // TEST-NET-2
        (0xCB007100, 24),  // TEST-NET-3
        (0xE0000000, 4),   // multicast, never a source
        (0xF0000000, 4),   // reserved and limited broadcast
    ];

    public static bool IsBogon(uint address)
    {
        foreach (var (network, length) in Blocks)
        {
            if (address >> (32 - length) == network >> (32 - length))
            {
                return true;
            }
        }

        return false;
    }
}
