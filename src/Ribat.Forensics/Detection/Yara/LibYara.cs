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
    public const int MatchOffset = 8;
    public const int MatchLength = 16;
    public const int MatchDataLength = 20;
    public const int MatchData = 24;
    public const int MatchNext = 40;

    public const int CallbackRuleMatching = 1;
    public const int CallbackTooManyMatches = 6;
    public const int ErrorLevelError = 0;

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
        ScannerScanFd = (delegate* unmanaged<nint, int, int>)NativeLibrary.GetExport(handle, "yr_scanner_scan_fd");
        var status = Initialize();
        return status == 0 ? null : $"libyara could not initialise (error {status}).";
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
