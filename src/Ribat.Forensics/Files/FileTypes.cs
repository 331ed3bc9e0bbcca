using System.Text;

namespace Ribat.Forensics.Files;

/// <summary>
/// File type by its first bytes, never by its name or declared type (those are what a sender chooses), from an
/// embedded data table read once. Rows are tried in order, so a longer or more specific signature is listed before a
/// shorter one it shares a prefix with; a row <c>within</c> another refines it (a ZIP's first member names, a
/// script's interpreter line). Rows <c>within</c> <see cref="Text"/> refine text that matched no signature.
/// </summary>
public static class FileTypes
{
    /// <summary>How many leading bytes detection looks at; the deepest signature (ISO 9660) sits at 32 KiB.</summary>
    public const int HeadLength = 64 * 1024;

    public static FileType Empty { get; } = new("empty", "Empty file", "application/x-empty", FileKind.Data);

    public static FileType Text { get; } = new("text", "Text", "text/plain", FileKind.Text);

    public static FileType Data { get; } = new("data", "Data (no known signature)", "application/octet-stream", FileKind.Data);

    private static readonly Lazy<IReadOnlyList<MagicEntry>> Table = new(() => MagicTable.Load(
        typeof(FileTypes).Assembly.GetManifestResourceStream("Ribat.Forensics.Files.magic.json")
        ?? throw new InvalidOperationException("The magic table is not embedded.")));

    private static readonly Lazy<Dictionary<string, FileType>> ByName = new(() =>
    {
        var names = new Dictionary<string, FileType>(StringComparer.Ordinal) { [Empty.Type] = Empty, [Text.Type] = Text, [Data.Type] = Data };
        foreach (var entry in Table.Value)
        {
            names.TryAdd(entry.Type, entry.File);
        }

        return names;
    });

    internal static IReadOnlyList<MagicEntry> Entries => Table.Value;

    /// <summary>The type of a file whose first bytes (up to <see cref="HeadLength"/>) are <paramref name="head"/>.</summary>
    public static FileType Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return Empty;
        }

        var lines = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        var text = lines.TrimStart(" \t\r\n"u8);
        foreach (var entry in Table.Value)
        {
            if (entry.Within is null && Matches(entry, head, lines, text))
            {
                return Refine(entry.File, head, lines, text);
            }
        }

        return LooksLikeText(head) ? Refine(Text, head, lines, text) : Data;
    }

    /// <summary>The type the table or a fallback names <paramref name="type"/>, for callers that learn it otherwise.</summary>
    public static FileType Named(string type) =>
        ByName.Value.TryGetValue(type, out var found) ? found : throw new ArgumentException($"No file type is named '{type}'.", nameof(type));

    private static FileType Refine(FileType parent, ReadOnlySpan<byte> head, ReadOnlySpan<byte> lines, ReadOnlySpan<byte> text)
    {
        foreach (var entry in Table.Value)
        {
            if (entry.Within == parent.Type && Matches(entry, head, lines, text))
            {
                return entry.File;
            }
        }

        return parent;
    }

    private static bool Matches(MagicEntry entry, ReadOnlySpan<byte> head, ReadOnlySpan<byte> lines, ReadOnlySpan<byte> text)
    {
        foreach (var magic in entry.Magic)
        {
            if (entry.Offset + magic.Length <= head.Length && head.Slice((int)entry.Offset, magic.Length).SequenceEqual(magic))
            {
                return true;
            }
        }

        foreach (var prefix in entry.Text)
        {
            if (text.Length >= prefix.Length && Ascii.EqualsIgnoreCase(text[..prefix.Length], prefix))
            {
                return true;
            }
        }

        return (entry.Header.Length > 0 && StartsWithHeader(entry, lines))
            || (entry.Contains is not null && head[..Math.Min(head.Length, entry.Window)].IndexOf(entry.Contains) >= 0);
    }

    // A message starts with a header field 'Name: value'. A name holding white space or 8-bit bytes is not a field
    // name, so prose whose first line merely has a colon in it stays text.
    private static bool StartsWithHeader(MagicEntry entry, ReadOnlySpan<byte> lines)
    {
        var end = lines.IndexOf((byte)'\n');
        var line = end < 0 ? lines : lines[..end];
        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || line[..colon].IndexOfAnyExceptInRange((byte)33, (byte)126) >= 0)
        {
            return false;
        }

        var name = line[..colon];
        foreach (var known in entry.Header)
        {
            var matched = known[^1] == (byte)'*'
                ? name.Length >= known.Length - 1 && Ascii.EqualsIgnoreCase(name[..(known.Length - 1)], known.AsSpan(0, known.Length - 1))
                : Ascii.EqualsIgnoreCase(name, known);
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    // No NUL anywhere; then either UTF-8 (or ASCII) with few control characters other than white space, or, for text
    // in a legacy 8-bit code page (Latin-1, windows-1256, ...), none at all: random bytes almost never pass that.
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.Contains((byte)0))
        {
            return false;
        }

        var control = 0;
        foreach (var b in head)
        {
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x0C or 0x1B))
            {
                control++;
            }
        }

        // A multi-byte sequence may be cut at the end of the head; only the part before it has to be valid.
        var checkedLength = Math.Max(0, head.Length - 3);
        return System.Text.Unicode.Utf8.IsValid(head[..checkedLength]) ? control * 100 <= head.Length : control == 0;
    }
}
