using System.Runtime.InteropServices;

namespace Ribat.Forensics.Detection.Yara;

/// <summary>
/// Turns libyara's matches into <see cref="YaraMatch"/> records during one scanner's callbacks. The rule facts are read
/// once per rule (keyed by the rule's address in the compiled set, which does not move while the set lives) and kept;
/// the matched strings are read per match, while libyara still holds them (it clears them when the scan ends).
/// </summary>
internal sealed unsafe class YaraMatchReader
{
    private const int MaxMatchesListed = 100;
    private const int PreviewBytes = 48;
    private const int MaxPreviewChars = PreviewBytes * 4;
    private const int MaxPreviewsKept = 4096;

    private static readonly List<YaraMatch> NoMatches = [];
    private static readonly List<string> NoWarnings = [];

    private readonly Dictionary<nint, RuleFacts> _facts = [];
    private readonly Dictionary<string, string> _previews = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _previewLookup;

    public YaraMatchReader() => _previewLookup = _previews.GetAlternateLookup<ReadOnlySpan<char>>();

    public List<YaraMatch> Matches { get; private set; } = NoMatches;

    public List<string> Warnings { get; private set; } = NoWarnings;

    /// <summary>Starts a scan: its matches and warnings go to lists of their own, handed to the caller with the result.</summary>
    public void Begin()
    {
        Matches = [];
        Warnings = NoWarnings;
    }

    public void End()
    {
        Matches = NoMatches;
        Warnings = NoWarnings;
    }

    public void AddWarning(string warning)
    {
        if (ReferenceEquals(Warnings, NoWarnings))
        {
            Warnings = [];
        }

        Warnings.Add(warning);
    }

    public void AddMatch(byte* context, byte* rule)
    {
        if (!_facts.TryGetValue((nint)rule, out var facts))
        {
            facts = RuleFacts.Read(rule);
            _facts.Add((nint)rule, facts);
        }

        Matches.Add(new YaraMatch(facts.Rule, facts.Namespace, facts.Tags, facts.Meta, Strings(context, facts.Strings)));
    }

    /// <summary>Every string's matches in the rule's order, at most <see cref="MaxMatchesListed"/> of each.</summary>
    private List<YaraStringMatch> Strings(byte* context, RuleString[] strings)
    {
        var matches = *(byte**)(context + LibYara.ContextMatches);
        if (matches is null || strings.Length == 0)
        {
            return [];
        }

        var total = 0;
        foreach (var text in strings)
        {
            total += Math.Clamp(*(int*)(matches + (text.Index * (long)LibYara.MatchesSize) + LibYara.MatchesCount), 0, MaxMatchesListed);
        }

        var list = new List<YaraStringMatch>(total);
        foreach (var text in strings)
        {
            var listed = 0;
            for (var match = *(byte**)(matches + (text.Index * (long)LibYara.MatchesSize)); match is not null && listed < MaxMatchesListed; match = *(byte**)(match + LibYara.MatchNext))
            {
                var dataLength = *(int*)(match + LibYara.MatchDataLength);
                var data = new ReadOnlySpan<byte>(*(byte**)(match + LibYara.MatchData), Math.Clamp(dataLength, 0, PreviewBytes));
                list.Add(new YaraStringMatch(text.Identifier, *(long*)(match + LibYara.MatchOffset), *(int*)(match + LibYara.MatchLength), KeptPreview(data)));
                listed++;
            }
        }

        return list;
    }

    /// <summary>The preview of <paramref name="data"/>, one string for every equal preview of this scanner (up to a bound).</summary>
    private string KeptPreview(ReadOnlySpan<byte> data)
    {
        Span<char> chars = stackalloc char[MaxPreviewChars];
        var written = WritePreview(data, chars);
        var preview = chars[..written];
        if (_previewLookup.TryGetValue(preview, out var kept))
        {
            return kept;
        }

        var made = preview.ToString();
        if (_previews.Count < MaxPreviewsKept)
        {
            _previews.Add(made, made);
        }

        return made;
    }

    internal static string Preview(ReadOnlySpan<byte> data)
    {
        var chars = data.Length <= 256 ? stackalloc char[data.Length * 4] : new char[data.Length * 4];
        return chars[..WritePreview(data, chars)].ToString();
    }

    // Printable ASCII is kept, a backslash doubled, every other byte written \xNN; the output holds four chars per byte.
    private static int WritePreview(ReadOnlySpan<byte> data, Span<char> output)
    {
        var at = 0;
        foreach (var b in data)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'\\')
            {
                output[at++] = (char)b;
            }
            else if (b == '\\')
            {
                output[at++] = '\\';
                output[at++] = '\\';
            }
            else
            {
                output[at++] = '\\';
                output[at++] = 'x';
                output[at++] = "0123456789abcdef"[b >> 4];
                output[at++] = "0123456789abcdef"[b & 0xF];
            }
        }

        return at;
    }

    internal static string Text(byte* text) => text is null ? string.Empty : Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;

    private readonly record struct RuleString(string Identifier, uint Index);

    /// <summary>What a rule is, read once: shared by all its matches, never changed after reading.</summary>
    private sealed record RuleFacts(string Rule, string Namespace, string[] Tags, KeyValuePair<string, object>[] Meta, RuleString[] Strings)
    {
        public static RuleFacts Read(byte* rule)
        {
            var ns = *(byte**)(rule + LibYara.RuleNamespace);
            return new RuleFacts(
                Text(*(byte**)(rule + LibYara.RuleIdentifier)),
                ns is null ? string.Empty : Text(*(byte**)ns),
                ReadTags(*(byte**)(rule + LibYara.RuleTags)),
                ReadMetas(*(byte**)(rule + LibYara.RuleMetas)),
                ReadStrings(*(byte**)(rule + LibYara.RuleStrings)));
        }

        // Tags are NUL-separated and end with an empty one.
        private static string[] ReadTags(byte* tags)
        {
            var list = new List<string>();
            while (tags is not null && *tags != 0)
            {
                var length = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(tags).Length;
                list.Add(Text(tags));
                tags += length + 1;
            }

            return [.. list];
        }

        private static KeyValuePair<string, object>[] ReadMetas(byte* meta)
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

            return [.. list];
        }

        private static RuleString[] ReadStrings(byte* text)
        {
            var list = new List<RuleString>();
            for (; text is not null; text += LibYara.StringSize)
            {
                list.Add(new RuleString(Text(*(byte**)(text + LibYara.StringIdentifier)), *(uint*)(text + LibYara.StringIndex)));
                if ((*(uint*)(text + LibYara.StringFlags) & LibYara.StringLastInRule) != 0)
                {
                    break;
                }
            }

            return [.. list];
        }
    }
}
