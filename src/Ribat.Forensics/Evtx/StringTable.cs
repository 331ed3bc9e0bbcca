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
    /// A quick hash of the length, the first eight characters and the last four. Only the hit rate depends on it
    /// (every hit is checked character by character), and texts that differ only in their middle are rare here
    /// (GUIDs differ at the start, SIDs and counters at the end); the framework's seeded string hash cost more than
    /// the look-up saved.
    /// </summary>
    private static uint Hash(ReadOnlySpan<char> text)
    {
        var bytes = MemoryMarshal.AsBytes(text);
        var hash = (ulong)text.Length * 0x9E3779B97F4A7C15;
        if (bytes.Length >= 8)
        {
            hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            if (bytes.Length >= 16)
            {
                hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]));
            }

            hash = Mix(hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]));
        }
        else
        {
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 0x100000001B3;
            }
        }

        return (uint)(hash ^ (hash >> 32));
    }

    private static ulong Mix(ulong value)
    {
        value *= 0x9E3779B97F4A7C15;
        return value ^ (value >> 29);
    }
}
