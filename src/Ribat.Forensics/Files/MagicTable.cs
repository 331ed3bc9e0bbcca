using System.Text;
using System.Text.Json;

namespace Ribat.Forensics.Files;

/// <summary>
/// One row of the embedded magic table <c>Files/magic.json</c>. A row tests exactly one of: <see cref="Magic"/>
/// bytes at <see cref="Offset"/>; <see cref="Text"/>, a prefix of the text after a byte-order mark and white space,
/// ASCII case ignored; <see cref="Header"/>, the name of a header field on the first line (a trailing <c>*</c> makes
/// a prefix); <see cref="Contains"/>, a text within the first <see cref="Window"/> bytes.
/// </summary>
internal sealed record MagicEntry(FileType File, long Offset, byte[][] Magic, byte[][] Text, byte[][] Header, byte[]? Contains, int Window)
{
    public string Type => File.Type;

    public string? Within => File.Refines;
}

/// <summary>Reads the magic table; a row that breaks its rules stops the load with the row's name.</summary>
internal static class MagicTable
{
    public static IReadOnlyList<MagicEntry> Load(Stream json)
    {
        using var document = JsonDocument.Parse(json);
        var entries = new List<MagicEntry>();
        foreach (var row in document.RootElement.EnumerateArray())
        {
            var type = row.GetProperty("type").GetString()!;
            var file = new FileType(
                type,
                row.GetProperty("description").GetString()!,
                row.GetProperty("media").GetString()!,
                Kind(row.GetProperty("kind").GetString(), type),
                row.TryGetProperty("within", out var within) ? within.GetString() : null);
            entries.Add(new MagicEntry(
                file,
                row.TryGetProperty("offset", out var offset) ? offset.GetInt64() : 0,
                Strings(row, "magic", Convert.FromHexString),
                Strings(row, "text", Encoding.ASCII.GetBytes),
                Strings(row, "header", Encoding.ASCII.GetBytes),
                row.TryGetProperty("contains", out var contains) ? Encoding.ASCII.GetBytes(contains.GetString()!) : null,
                row.TryGetProperty("window", out var window) ? window.GetInt32() : FileTypes.HeadLength));
        }

        return entries;
    }

    private static byte[][] Strings(JsonElement row, string name, Func<string, byte[]> convert) =>
        row.TryGetProperty(name, out var list) ? [.. list.EnumerateArray().Select(m => convert(m.GetString()!))] : [];

    private static FileKind Kind(string? name, string type) => name switch
    {
        "data" => FileKind.Data,
        "text" => FileKind.Text,
        "document" => FileKind.Document,
        "image" => FileKind.Image,
        "message" => FileKind.Message,
        "archive" => FileKind.Archive,
        "disk-image" => FileKind.DiskImage,
        "executable" => FileKind.Executable,
        "script" => FileKind.Script,
        "shortcut" => FileKind.Shortcut,
        _ => throw new InvalidDataException($"The magic table row '{type}' has an unknown kind '{name}'."),
    };
}
