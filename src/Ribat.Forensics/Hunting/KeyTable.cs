using System.Runtime.CompilerServices;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// Open addressing with linear probing from 64-bit keys to entry numbers, at most half full, so a miss reads one
/// or two neighbouring slots. Keys and entries live in two flat arrays: a probe touches the key array only until
/// it finds its key. Equal keys (the same value given twice, or a true hash collision) take separate slots;
/// <see cref="Next"/> walks them.
/// </summary>
internal sealed class KeyTable
{
    private readonly ulong[] _keys;
    private readonly int[] _entries;
    private readonly int _mask;

    public KeyTable(int expected)
    {
        var capacity = 16;
        while (capacity < expected * 2L && capacity < (1 << 30))
        {
            capacity <<= 1;
        }

        _keys = new ulong[capacity];
        _entries = new int[capacity];
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    public void Add(ulong key, int entry)
    {
        if (Count >= _keys.Length / 2)
        {
            throw new InvalidOperationException("The key table was sized for fewer entries.");
        }

        var slot = (int)key & _mask;
        while (_keys[slot] != 0)
        {
            slot = (slot + 1) & _mask;
        }

        _keys[slot] = key;
        _entries[slot] = entry;
        Count++;
    }

    /// <summary>The first slot holding <paramref name="key"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key)
    {
        var keys = _keys;
        var slot = (int)key & _mask;
        while (true)
        {
            var stored = keys[slot];
            if (stored == key)
            {
                return slot;
            }

            if (stored == 0)
            {
                return -1;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>The next slot after <paramref name="slot"/> holding the same key, or -1.</summary>
    public int Next(ulong key, int slot) => Find(key, (slot + 1) & _mask);

    public int EntryAt(int slot) => _entries[slot];

    private int Find(ulong key, int slot)
    {
        while (true)
        {
            var stored = _keys[slot];
            if (stored == key)
            {
                return slot;
            }

            if (stored == 0)
            {
                return -1;
            }

            slot = (slot + 1) & _mask;
        }
    }
}
