using System.Runtime.InteropServices;

namespace Ribat.Forensics.Detection.Yara;

/// <summary>
/// One libyara scanner over a <see cref="YaraRuleSet"/>. A scanner holds per-scan state, so each thread uses its own;
/// the rule set is shared. Files are handed to libyara by descriptor (it maps them itself), so they are never read
/// whole into managed memory.
/// </summary>
/// <remarks>
/// What a rule is (name, namespace, tags, metadata, string identifiers) does not change while the rule set lives, so it
/// is read from libyara once per rule and shared by every match of that rule; per match only the matched strings'
/// offsets, lengths and previews are read, and previews that repeat (the same word found again) are one string. Only
/// matching rules are reported by libyara, so the callback is not entered for the others.
/// </remarks>
public sealed unsafe class YaraScanner : IDisposable
{
    private readonly YaraRuleSet _rules;
    private readonly YaraMatchReader _reader = new();
    private GCHandle _readerHandle;
    private nint _scanner;

    public YaraScanner(YaraRuleSet rules, int timeoutSeconds = 300)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules;
        nint scanner;
        var status = LibYara.ScannerCreate(rules.Handle, &scanner);
        if (status != 0)
        {
            throw new InvalidOperationException($"libyara could not create a scanner: {LibYara.ErrorText(status)}");
        }

        _scanner = scanner;
        _readerHandle = GCHandle.Alloc(_reader);
        LibYara.ScannerSetTimeout(_scanner, timeoutSeconds);
        LibYara.ScannerSetFlags(_scanner, LibYara.ScanFlagsReportRulesMatching);
        LibYara.ScannerSetCallback(_scanner, &OnScanMessage, GCHandle.ToIntPtr(_readerHandle));
    }

    /// <summary>Scans one file. A file that cannot be opened or read is a result with <c>Error</c> set, not an exception.</summary>
    public YaraScanResult Scan(string path)
    {
        ObjectDisposedException.ThrowIf(_scanner == 0, this);
        _reader.Begin();
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            var status = LibYara.ScannerScanFd(_scanner, (int)file.DangerousGetHandle());
            GC.KeepAlive(_rules);
            var warnings = _reader.Warnings;
            return new YaraScanResult(_reader.Matches, status == 0 ? null : LibYara.ErrorText(status), warnings.Count == 0 ? [] : warnings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new YaraScanResult([], ex.Message, []);
        }
        finally
        {
            _reader.End();
        }
    }

    public void Dispose()
    {
        if (_scanner != 0)
        {
            LibYara.ScannerDestroy(_scanner);
            _scanner = 0;
            _readerHandle.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static int OnScanMessage(nint context, int message, nint data, nint userData)
    {
        var reader = (YaraMatchReader)GCHandle.FromIntPtr(userData).Target!;
        try
        {
            if (message == LibYara.CallbackRuleMatching)
            {
                reader.AddMatch((byte*)context, (byte*)data);
            }
            else if (message == LibYara.CallbackTooManyMatches)
            {
                reader.AddWarning($"string {YaraMatchReader.Text(*(byte**)((byte*)data + LibYara.StringIdentifier))} has too many matches; the rest were not searched");
            }
        }
        catch (Exception ex)
        {
            // An exception must not cross back into native code: it would end the process.
            reader.AddWarning($"a match could not be read: {ex.Message}");
        }

        return 0;
    }

    internal static string Preview(ReadOnlySpan<byte> data) => YaraMatchReader.Preview(data);
}
