using System.Runtime.InteropServices;
using System.Text;

namespace Ribat.Forensics.Detection.Yara;

/// <summary>
/// One libyara scanner over a <see cref="YaraRuleSet"/>. A scanner holds per-scan state, so each thread uses its own;
/// the rule set is shared. Files are handed to libyara by descriptor (it maps them itself), so they are never read
/// whole into managed memory.
/// </summary>
public sealed unsafe class YaraScanner : IDisposable
{
    private const int MaxMatchesListed = 100;
    private const int PreviewBytes = 48;

    private readonly YaraRuleSet _rules;
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
        LibYara.ScannerSetTimeout(_scanner, timeoutSeconds);
    }

    /// <summary>Scans one file. A file that cannot be opened or read is a result with <c>Error</c> set, not an exception.</summary>
    public YaraScanResult Scan(string path)
    {
        ObjectDisposedException.ThrowIf(_scanner == 0, this);
        var sink = new ScanSink();
        var handle = GCHandle.Alloc(sink);
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            LibYara.ScannerSetCallback(_scanner, &OnScanMessage, GCHandle.ToIntPtr(handle));
            var status = LibYara.ScannerScanFd(_scanner, (int)file.DangerousGetHandle());
            GC.KeepAlive(_rules);
            return new YaraScanResult(sink.Matches, status == 0 ? null : LibYara.ErrorText(status), sink.Warnings);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new YaraScanResult([], ex.Message, []);
        }
        finally
        {
            handle.Free();
        }
    }

    public void Dispose()
    {
        if (_scanner != 0)
        {
            LibYara.ScannerDestroy(_scanner);
            _scanner = 0;
        }
    }

    private sealed class ScanSink
    {
        public List<YaraMatch> Matches { get; } = [];

        public List<string> Warnings { get; } = [];
    }

    [UnmanagedCallersOnly]
    private static int OnScanMessage(nint context, int message, nint data, nint userData)
    {
        var sink = (ScanSink)GCHandle.FromIntPtr(userData).Target!;
        try
        {
            if (message == LibYara.CallbackRuleMatching)
            {
                sink.Matches.Add(ReadMatch(context, (byte*)data));
            }
            else if (message == LibYara.CallbackTooManyMatches)
            {
                sink.Warnings.Add($"string {Text(*(byte**)((byte*)data + LibYara.StringIdentifier))} has too many matches; the rest were not searched");
            }
        }
        catch (Exception ex)
        {
            // An exception must not cross back into native code: it would end the process.
            sink.Warnings.Add($"a match could not be read: {ex.Message}");
        }

        return 0;
    }

    private static YaraMatch ReadMatch(nint context, byte* rule)
    {
        var ns = *(byte**)(rule + LibYara.RuleNamespace);
        return new YaraMatch(
            Text(*(byte**)(rule + LibYara.RuleIdentifier)),
            ns is null ? string.Empty : Text(*(byte**)ns),
            Tags(*(byte**)(rule + LibYara.RuleTags)),
            Metas(*(byte**)(rule + LibYara.RuleMetas)),
            Strings(context, *(byte**)(rule + LibYara.RuleStrings)));
    }

    // Tags are NUL-separated and end with an empty one.
    private static List<string> Tags(byte* tags)
    {
        var list = new List<string>();
        while (tags is not null && *tags != 0)
        {
            var tag = Text(tags);
            list.Add(tag);
            tags += Encoding.UTF8.GetByteCount(tag) + 1;
        }

        return list;
    }

    private static List<KeyValuePair<string, object>> Metas(byte* meta)
    {
        var list = new List<KeyValuePair<string, object>>();
        for (; meta is not null; meta += LibYara.MetaSize)
        {
            var name = Text(*(byte**)meta);
            object value = *(int*)(meta + LibYara.MetaType) switch
            {
                1 => *(long*)(meta + LibYara.MetaInteger),
                3 => *(long*)(meta + LibYara.MetaInteger) != 0,
                _ => Text(*(byte**)(meta + LibYara.MetaString)),
            };
            list.Add(new KeyValuePair<string, object>(name, value));
            if ((*(int*)(meta + LibYara.MetaFlags) & LibYara.MetaLastInRule) != 0)
            {
                break;
            }
        }

        return list;
    }

    private static List<YaraStringMatch> Strings(nint context, byte* text)
    {
        var list = new List<YaraStringMatch>();
        var matches = *(byte**)((byte*)context + LibYara.ContextMatches);
        for (; text is not null && matches is not null; text += LibYara.StringSize)
        {
            var identifier = Text(*(byte**)(text + LibYara.StringIdentifier));
            var index = *(uint*)(text + LibYara.StringIndex);
            var listed = 0;
            for (var match = *(byte**)(matches + (index * (long)LibYara.MatchesSize)); match is not null && listed < MaxMatchesListed; match = *(byte**)(match + LibYara.MatchNext))
            {
                var dataLength = *(int*)(match + LibYara.MatchDataLength);
                var data = new ReadOnlySpan<byte>(*(byte**)(match + LibYara.MatchData), Math.Min(dataLength, PreviewBytes));
                list.Add(new YaraStringMatch(identifier, *(long*)(match + LibYara.MatchOffset), *(int*)(match + LibYara.MatchLength), Preview(data)));
                listed++;
            }

            if ((*(uint*)(text + LibYara.StringFlags) & LibYara.StringLastInRule) != 0)
            {
                break;
            }
        }

        return list;
    }

    internal static string Preview(ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder(data.Length);
        foreach (var b in data)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(b == '\\' ? "\\\\" : $"\\x{b:x2}");
            }
        }

        return text.ToString();
    }

    private static string Text(byte* text) => text is null ? string.Empty : Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
}
