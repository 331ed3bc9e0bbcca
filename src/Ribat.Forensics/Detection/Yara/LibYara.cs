using System.Runtime.InteropServices;

namespace Ribat.Forensics.Detection.Yara;

/// <summary>
/// The system's libyara, found and initialised once per process. Only the 4.2 series (soname <c>libyara.so.9</c>,
/// Debian package <c>libyara9</c>) is accepted: the structures read in place below were laid out against its headers,
/// and another series may move them.
/// </summary>
internal static unsafe class LibYara
{
    public const string Package = "libyara9";
    public const string SoName = "libyara.so.9";

    // Offsets on 64-bit Linux, from offsetof() against /usr/include/yara of libyara-dev 4.2.3.
    public const int RuleIdentifier = 8;
    public const int RuleTags = 16;
    public const int RuleMetas = 24;
    public const int RuleStrings = 32;
    public const int RuleNamespace = 40;
    public const int StringSize = 56;
    public const int StringFlags = 0;
    public const int StringIndex = 4;
    public const int StringIdentifier = 48;
    public const uint StringLastInRule = 0x1000;
    public const int MetaSize = 32;
    public const int MetaString = 8;
    public const int MetaInteger = 16;
    public const int MetaType = 24;
    public const int MetaFlags = 28;
    public const int MetaLastInRule = 1;
    public const int ContextMatches = 160;
    public const int MatchesSize = 24;
    public const int MatchesCount = 16;
    public const int MatchOffset = 8;
    public const int MatchLength = 16;
    public const int MatchDataLength = 20;
    public const int MatchData = 24;
    public const int MatchNext = 40;

    public const int ScanFlagsReportRulesMatching = 8;
    public const int CallbackRuleMatching = 1;
    public const int CallbackTooManyMatches = 6;
    public const int ErrorLevelError = 0;

    // glibc's mallopt parameters, and the values set while libyara is loaded (see KeepScanMemory).
    private const int MallocTrimThreshold = -1;
    private const int MallocMmapThreshold = -3;
    private const int KeptFreeBytes = 64 << 20;
    private const int MappedAboveBytes = 4 << 20;

    private static readonly Lazy<string?> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static delegate* unmanaged<int> Initialize;
    public static delegate* unmanaged<nint*, int> CompilerCreate;
    public static delegate* unmanaged<nint, void> CompilerDestroy;
    public static delegate* unmanaged<nint, delegate* unmanaged<int, byte*, int, nint, byte*, nint, void>, nint, void> CompilerSetCallback;
    public static delegate* unmanaged<nint, int, byte*, byte*, int> CompilerAddFd;
    public static delegate* unmanaged<nint, nint*, int> CompilerGetRules;
    public static delegate* unmanaged<nint, int> RulesDestroy;
    public static delegate* unmanaged<nint, nint*, int> ScannerCreate;
    public static delegate* unmanaged<nint, void> ScannerDestroy;
    public static delegate* unmanaged<nint, delegate* unmanaged<nint, int, nint, nint, int>, nint, void> ScannerSetCallback;
    public static delegate* unmanaged<nint, int, void> ScannerSetTimeout;
    public static delegate* unmanaged<nint, int, void> ScannerSetFlags;
    public static delegate* unmanaged<nint, int, int> ScannerScanFd;

    /// <summary>Null when libyara is loaded and initialised; otherwise one line saying what to install.</summary>
    public static string? Problem => Loaded.Value;

    private static string? Load()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(SoName, out var handle))
        {
            return $"YARA scanning needs {SoName}; install the Debian package {Package} (apt-get install {Package}).";
        }

        Initialize = (delegate* unmanaged<int>)NativeLibrary.GetExport(handle, "yr_initialize");
        CompilerCreate = (delegate* unmanaged<nint*, int>)NativeLibrary.GetExport(handle, "yr_compiler_create");
        CompilerDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(handle, "yr_compiler_destroy");
        CompilerSetCallback = (delegate* unmanaged<nint, delegate* unmanaged<int, byte*, int, nint, byte*, nint, void>, nint, void>)NativeLibrary.GetExport(handle, "yr_compiler_set_callback");
        CompilerAddFd = (delegate* unmanaged<nint, int, byte*, byte*, int>)NativeLibrary.GetExport(handle, "yr_compiler_add_fd");
        CompilerGetRules = (delegate* unmanaged<nint, nint*, int>)NativeLibrary.GetExport(handle, "yr_compiler_get_rules");
        RulesDestroy = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(handle, "yr_rules_destroy");
        ScannerCreate = (delegate* unmanaged<nint, nint*, int>)NativeLibrary.GetExport(handle, "yr_scanner_create");
        ScannerDestroy = (delegate* unmanaged<nint, void>)NativeLibrary.GetExport(handle, "yr_scanner_destroy");
        ScannerSetCallback = (delegate* unmanaged<nint, delegate* unmanaged<nint, int, nint, nint, int>, nint, void>)NativeLibrary.GetExport(handle, "yr_scanner_set_callback");
        ScannerSetTimeout = (delegate* unmanaged<nint, int, void>)NativeLibrary.GetExport(handle, "yr_scanner_set_timeout");
        ScannerSetFlags = (delegate* unmanaged<nint, int, void>)NativeLibrary.GetExport(handle, "yr_scanner_set_flags");
        ScannerScanFd = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(handle, "yr_scanner_scan_fd");
        var status = Initialize();
        if (status != 0)
        {
            return $"libyara could not initialise (error {status}).";
        }

        KeepScanMemory();
        return null;
    }

    /// <summary>
    /// libyara keeps a scan's matches in pages of about 580 KB (1,024 matches with their data) that it frees when the
    /// scan ends: tens of megabytes for a file where strings match thousands of times. With glibc's default, adaptive
    /// thresholds the freed top of the heap is handed back to the kernel after every scan and faulted in again, page by
    /// page, by the next one, which cost more processor time than reading the matches (measured in
    /// bench/README.md, "Files: hashing and YARA"). Fixing the thresholds keeps up to 64 MiB free per malloc arena
    /// between scans and keeps the pages off mmap (4 MiB and above still go to mmap and back to the kernel at once).
    /// The setting is process-wide and made once, when libyara is loaded; where mallopt is missing (not glibc) nothing
    /// changes.
    /// </summary>
    private static void KeepScanMemory()
    {
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc) || !NativeLibrary.TryGetExport(libc, "mallopt", out var export))
        {
            return;
        }

        var mallopt = (delegate* unmanaged<int, int, int>)export;
        mallopt(MallocMmapThreshold, MappedAboveBytes);
        mallopt(MallocTrimThreshold, KeptFreeBytes);
    }

    public static string ErrorText(int code) => code switch
    {
        1 => "out of memory",
        3 => "could not open the file",
        4 => "could not map the file",
        26 => "scan timed out",
        30 => "too many matches",
        31 => "internal fatal error",
        55 => "could not read the file",
        _ => $"libyara error {code}",
    };
}
