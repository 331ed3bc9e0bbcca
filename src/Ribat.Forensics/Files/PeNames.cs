using System.Globalization;

namespace Ribat.Forensics.Files;

/// <summary>Names of the PE header's enumerations and flags, as the PE/COFF specification spells them.</summary>
internal static class PeNames
{
    public static string Machine(ushort value) => value switch
    {
        0x0 => "UNKNOWN",
        0x14C => "I386",
        0x8664 => "AMD64",
        0x1C0 => "ARM",
        0x1C4 => "ARMNT",
        0xAA64 => "ARM64",
        0x200 => "IA64",
        0xEBC => "EBC",
        0x5064 => "RISCV64",
        _ => Hex(value),
    };

    public static string Subsystem(ushort value) => value switch
    {
        0 => "UNKNOWN",
        1 => "NATIVE",
        2 => "WINDOWS_GUI",
        3 => "WINDOWS_CUI",
        5 => "OS2_CUI",
        7 => "POSIX_CUI",
        9 => "WINDOWS_CE_GUI",
        10 => "EFI_APPLICATION",
        11 => "EFI_BOOT_SERVICE_DRIVER",
        12 => "EFI_RUNTIME_DRIVER",
        13 => "EFI_ROM",
        14 => "XBOX",
        16 => "WINDOWS_BOOT_APPLICATION",
        _ => Hex(value),
    };

    private static readonly (uint Flag, string Name)[] FileFlags =
    [
        (0x0001, "RELOCS_STRIPPED"), (0x0002, "EXECUTABLE_IMAGE"), (0x0004, "LINE_NUMS_STRIPPED"),
        (0x0008, "LOCAL_SYMS_STRIPPED"), (0x0010, "AGGRESSIVE_WS_TRIM"), (0x0020, "LARGE_ADDRESS_AWARE"),
        (0x0080, "BYTES_REVERSED_LO"), (0x0100, "32BIT_MACHINE"), (0x0200, "DEBUG_STRIPPED"),
        (0x0400, "REMOVABLE_RUN_FROM_SWAP"), (0x0800, "NET_RUN_FROM_SWAP"), (0x1000, "SYSTEM"), (0x2000, "DLL"),
        (0x4000, "UP_SYSTEM_ONLY"), (0x8000, "BYTES_REVERSED_HI"),
    ];

    private static readonly (uint Flag, string Name)[] DllFlags =
    [
        (0x0020, "HIGH_ENTROPY_VA"), (0x0040, "DYNAMIC_BASE"), (0x0080, "FORCE_INTEGRITY"), (0x0100, "NX_COMPAT"),
        (0x0200, "NO_ISOLATION"), (0x0400, "NO_SEH"), (0x0800, "NO_BIND"), (0x1000, "APPCONTAINER"),
        (0x2000, "WDM_DRIVER"), (0x4000, "GUARD_CF"), (0x8000, "TERMINAL_SERVER_AWARE"),
    ];

    private static readonly (uint Flag, string Name)[] SectionFlags =
    [
        (0x00000020, "CNT_CODE"), (0x00000040, "CNT_INITIALIZED_DATA"), (0x00000080, "CNT_UNINITIALIZED_DATA"),
        (0x00000200, "LNK_INFO"), (0x00000800, "LNK_REMOVE"), (0x00001000, "LNK_COMDAT"), (0x00008000, "GPREL"),
        (0x01000000, "LNK_NRELOC_OVFL"), (0x02000000, "MEM_DISCARDABLE"), (0x04000000, "MEM_NOT_CACHED"),
        (0x08000000, "MEM_NOT_PAGED"), (0x10000000, "MEM_SHARED"), (0x20000000, "MEM_EXECUTE"),
        (0x40000000, "MEM_READ"), (0x80000000, "MEM_WRITE"),
    ];

    public static IReadOnlyList<string> FileCharacteristics(ushort value) => Flags(value, FileFlags);

    public static IReadOnlyList<string> DllCharacteristics(ushort value) => Flags(value, DllFlags);

    public static IReadOnlyList<string> SectionCharacteristics(uint value) => Flags(value, SectionFlags);

    /// <summary>The predefined resource types (RT_*), by id.</summary>
    public static string ResourceType(uint id) => id switch
    {
        1 => "RT_CURSOR",
        2 => "RT_BITMAP",
        3 => "RT_ICON",
        4 => "RT_MENU",
        5 => "RT_DIALOG",
        6 => "RT_STRING",
        7 => "RT_FONTDIR",
        8 => "RT_FONT",
        9 => "RT_ACCELERATOR",
        10 => "RT_RCDATA",
        11 => "RT_MESSAGETABLE",
        12 => "RT_GROUP_CURSOR",
        14 => "RT_GROUP_ICON",
        16 => "RT_VERSION",
        17 => "RT_DLGINCLUDE",
        19 => "RT_PLUGPLAY",
        20 => "RT_VXD",
        21 => "RT_ANICURSOR",
        22 => "RT_ANIICON",
        23 => "RT_HTML",
        24 => "RT_MANIFEST",
        _ => id.ToString(CultureInfo.InvariantCulture),
    };

    public static string CertificateType(ushort value) => value switch
    {
        1 => "X509",
        2 => "PKCS_SIGNED_DATA",
        4 => "TS_STACK_SIGNED",
        _ => Hex(value),
    };

    private static IReadOnlyList<string> Flags(uint value, (uint Flag, string Name)[] table)
    {
        var names = new List<string>();
        var known = 0u;
        foreach (var (flag, name) in table)
        {
            known |= flag;
            if ((value & flag) != 0)
            {
                names.Add(name);
            }
        }

        if ((value & ~known & ~0x00F00000u) != 0)
        {
            names.Add(Hex(value & ~known & ~0x00F00000u));
        }

        return names;
    }

    private static string Hex(uint value) => "0x" + value.ToString("X", CultureInfo.InvariantCulture);
}
