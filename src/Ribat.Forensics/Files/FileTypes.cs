using System.Text;
using System.Text.Json;

namespace Ribat.Forensics.Files;

/// <summary>What a file is by its first bytes: a stable type name and a description.</summary>
public sealed record FileType(string Type, string Description);

/// <summary>One row of the embedded magic table <c>Files/magic.json</c>.</summary>
internal sealed record MagicEntry(string Type, string Description, long Offset, byte[][] Magic, string? Within, byte[]? Contains, int Window);

/// <summary>
/// File type by magic bytes, from an embedded data table read once. Rows are tried in order, so a longer or more
/// specific signature is listed before a shorter one it shares a prefix with; a row <c>within</c> another refines it
/// by a text its head contains (a ZIP's first member names, a script's interpreter line).
/// </summary>
public static class FileTypes
{
    /// <summary>How many leading bytes detection looks at; the deepest signature (ISO 9660) sits at 32 KiB.</summary>
    public const int HeadLength = 64 * 1024;

    public static FileType Empty { get; } = new("empty", "Empty file");

    public static FileType Text { get; } = new("text", "Text");

    public static FileType Data { get; } = new("data", "Data (no known signature)");

    private static readonly Lazy<IReadOnlyList<MagicEntry>> Table = new(() => Load(typeof(FileTypes).Assembly.GetManifestResourceStream("Ribat.Forensics.Files.magic.json")
        ?? throw new InvalidOperationException("The magic table is not embedded.")));

    internal static IReadOnlyList<MagicEntry> Entries => Table.Value;

    /// <summary>The type of a file whose first bytes (up to <see cref="HeadLength"/>) are <paramref name="head"/>.</summary>
    public static FileType Detect(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return Empty;
        }

        foreach (var entry in Table.Value)
        {
            if (entry.Within is null && Matches(entry, head))
            {
                return Refine(entry, head);
            }
        }

        return LooksLikeText(head) ? Text : Data;
    }

    private static FileType Refine(MagicEntry parent, ReadOnlySpan<byte> head)
    {
        foreach (var entry in Table.Value)
        {
            if (entry.Within == parent.Type && head[..Math.Min(head.Length, entry.Window)].IndexOf(entry.Contains) >= 0)
            {
                return new FileType(entry.Type, entry.Description);
            }
        }

        return new FileType(parent.Type, parent.Description);
    }

    private static bool Matches(MagicEntry entry, ReadOnlySpan<byte> head)
    {
        foreach (var magic in entry.Magic)
        {
            if (entry.Offset + magic.Length <= head.Length && head.Slice((int)entry.Offset, magic.Length).SequenceEqual(magic))
            {
                return true;
            }
        }

        return false;
    }

    // UTF-8 (or ASCII) with few control characters other than white space; a NUL anywhere means binary.
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
        return control * 100 <= head.Length && System.Text.Unicode.Utf8.IsValid(head[..checkedLength]);
    }

    internal static IReadOnlyList<MagicEntry> Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var entries = new List<MagicEntry>();
        foreach (var row in document.RootElement.EnumerateArray())
        {
            var type = row.GetProperty("type").GetString()!;
            var magic = row.TryGetProperty("magic", out var list)
                ? list.EnumerateArray().Select(m => Convert.FromHexString(m.GetString()!)).ToArray()
                : [];
            entries.Add(new MagicEntry(
                type,
                row.GetProperty("description").GetString()!,
                row.TryGetProperty("offset", out var offset) ? offset.GetInt64() : 0,
                magic,
                row.TryGetProperty("within", out var within) ? within.GetString() : null,
                row.TryGetProperty("contains", out var contains) ? Encoding.ASCII.GetBytes(contains.GetString()!) : null,
                row.TryGetProperty("window", out var window) ? window.GetInt32() : HeadLength));
        }

        return entries;
    }
}
