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
    private const int Size = 4096;
    private const int RenderedSize = 1024;
    private const int MaxRendered = 32;
    private readonly string?[] _entries = new string?[Size];
    private readonly Rendered[] _rendered = new Rendered[RenderedSize];

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

        var slot = (int)(Hash(text) & (Size - 1));
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
    /// The text a GUID, SID or hex integer of these bytes was rendered to before, so it is not rendered again; null
    /// when not known (or longer than 32 bytes).
    /// </summary>
    public string? Known(byte type, ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxRendered)
        {
            return null;
        }

        var key = new Rendered(type, raw);
        ref var entry = ref _rendered[key.Slot];
        return entry.Text is not null && entry.SameKey(key) ? entry.Text : null;
    }

    /// <summary>Remembers what <see cref="Known"/> answers for these bytes; a collision replaces the entry.</summary>
    public string Keep(byte type, ReadOnlySpan<byte> raw, string text)
    {
        if (raw.Length <= MaxRendered)
        {
            var key = new Rendered(type, raw) { Text = text };
            _rendered[key.Slot] = key;
        }

        return text;
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

    /// <summary>Up to 32 bytes of a value with its type and length, and the text they render to.</summary>
    private struct Rendered
    {
        private readonly ulong _a;
        private readonly ulong _b;
        private readonly ulong _c;
        private readonly ulong _d;
        private readonly int _typeAndLength;

        public Rendered(byte type, ReadOnlySpan<byte> raw)
        {
            _typeAndLength = (type << 8) | raw.Length;
            Text = null;
            switch (raw.Length)
            {
                // GUIDs, 64- and 32-bit integers: read as they are, without padding.
                case 16:
                    _a = BinaryPrimitives.ReadUInt64LittleEndian(raw);
                    _b = BinaryPrimitives.ReadUInt64LittleEndian(raw[8..]);
                    return;
                case 8:
                    _a = BinaryPrimitives.ReadUInt64LittleEndian(raw);
                    return;
                case 4:
                    _a = BinaryPrimitives.ReadUInt32LittleEndian(raw);
                    return;
            }

            Span<byte> padded = stackalloc byte[MaxRendered];
            padded.Clear();
            raw.CopyTo(padded);
            _a = BinaryPrimitives.ReadUInt64LittleEndian(padded);
            _b = BinaryPrimitives.ReadUInt64LittleEndian(padded[8..]);
            _c = BinaryPrimitives.ReadUInt64LittleEndian(padded[16..]);
            _d = BinaryPrimitives.ReadUInt64LittleEndian(padded[24..]);
        }

        public string? Text { get; init; }

        public readonly int Slot
        {
            get
            {
                var hash = Mix(Mix(Mix(Mix(_a ^ (ulong)_typeAndLength) ^ _b) ^ _c) ^ _d);
                return (int)(hash >> 32) & (RenderedSize - 1);
            }
        }

        public readonly bool SameKey(in Rendered other) =>
            _a == other._a && _b == other._b && _c == other._c && _d == other._d && _typeAndLength == other._typeAndLength;
    }

    private static ulong Mix(ulong value)
    {
        value *= 0x9E3779B97F4A7C15;
        return value ^ (value >> 29);
    }
}
