namespace Ribat.Forensics.Pcap;

/// <summary>The LINKTYPE_ values (tcpdump.org link-layer header types) the decoder understands.</summary>
public static class LinkTypes
{
    public const int Null = 0;
    public const int Ethernet = 1;

    /// <summary>DLT_RAW as most systems number it in files.</summary>
    public const int RawDlt12 = 12;

    /// <summary>DLT_RAW as OpenBSD numbers it.</summary>
    public const int RawDlt14 = 14;
    public const int Raw = 101;
    public const int Loop = 108;
    public const int LinuxCooked = 113;
    public const int RawIPv4 = 228;
    public const int RawIPv6 = 229;
    public const int LinuxCookedV2 = 276;

    public static bool IsSupported(int linkType) => linkType switch
    {
        Null or Ethernet or RawDlt12 or RawDlt14 or Raw or Loop or LinuxCooked or RawIPv4 or RawIPv6 or LinuxCookedV2 => true,
        _ => false,
    };
}
