using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// Open addressing with linear probing from 64-bit fingerprints to entries, at most half full, so a miss reads one
/// slot, or a neighbour in the same cache line, and never leaves the table. A slot holds the fingerprint, the entry and
/// where the value starts in the text arena (-1 for an IPv4 address, whose fingerprint is the address itself): a miss
/// costs one random memory read, a hit on an IPv4 address one, and any other hit one more to verify the value. Equal
/// fingerprints (a true hash collision) take separate slots; <see cref="Next"/> walks them.
/// </summary>
internal sealed class KeyTable
{
    /// <summary>Marks a slot whose fingerprint is an exact IPv4 address and has no text to verify.</summary>
    public const int NoText = -1;

    private readonly Slot[] _slots;
    private readonly int _mask;

    public KeyTable(int expected)
    {
        var capacity = 16;
        while (capacity < expected * 2L && capacity < (1 << 30))
        {
            capacity <<= 1;
        }

        _slots = new Slot[capacity];
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    public void Add(ulong key, int entry, int textStart)
    {
        if (Count >= _slots.Length / 2)
        {
            throw new InvalidOperationException("The key table was sized for fewer entries.");
        }

        var slot = (int)key & _mask;
        while (_slots[slot].Key != 0)
        {
            slot = (slot + 1) & _mask;
        }

        _slots[slot] = new Slot(key, entry, textStart);
        Count++;
    }

    /// <summary>The first slot holding <paramref name="key"/> at or after <paramref name="from"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key, int from = -1)
    {
        var slots = _slots;
        var slot = from < 0 ? (int)key & _mask : from & _mask;
        while (true)
        {
            var stored = slots[slot].Key;
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
    public int Next(ulong key, int slot) => Find(key, slot + 1);

    public ref readonly Slot At(int slot) => ref _slots[slot];

    /// <summary>
    /// Asks the processor to start loading <paramref name="key"/>'s first slot, so that a batch's reads overlap. The
    /// pointer is taken unpinned: if the collector moves the table in between, a stale line is loaded and nothing else
    /// happens, since a prefetch never faults.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong key)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref _slots[(int)key & _mask]));
        }
    }

    internal readonly record struct Slot(ulong Key, int Entry, int TextStart);
}
