using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Ribat.Forensics.Evtx;

/// <summary>
/// Hands out one string per short text seen again: event logs repeat the same computer, provider GUID, SID, "-"
/// and "%%1833" in every record, and allocating each anew is most of the parser's garbage. A direct-mapped table:
/// a collision replaces the entry, so it never grows and a miss costs one allocation as before.
/// </summary>
internal sealed class StringTable
{
    private const int MaxLength = 48;
    private readonly string?[] _entries = new string?[4096];

    public string Get(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return string.Empty;
        }

        if (text.Length > MaxLength)
        {
            return new string(text);
        }

        var slot = (int)(Hash(text) % (uint)_entries.Length);
        var entry = _entries[slot];
        if (entry is not null && text.SequenceEqual(entry))
        {
            return entry;
        }

        entry = new string(text);
        _entries[slot] = entry;
        return entry;
    }

    /// <summary>
    /// A quick multiplicative hash over the text, four characters at a time. Only the hit rate depends on it (every
    /// hit is checked character by character); the framework's seeded string hash cost more than the look-up saved.
    /// </summary>
    private static uint Hash(ReadOnlySpan<char> text)
    {
        var bytes = MemoryMarshal.AsBytes(text);
        var hash = (ulong)text.Length * 0x9E3779B97F4A7C15;
        while (bytes.Length >= 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes)) * 0x9E3779B97F4A7C15;
            hash ^= hash >> 29;
            bytes = bytes[8..];
        }

        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 0x100000001B3;
        }

        return (uint)(hash ^ (hash >> 32));
    }
}
