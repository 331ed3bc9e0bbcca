using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// The 64-bit keys of <see cref="KeyTable"/>: a multiply-fold hash over the UTF-16 code units of a value, seeded by
/// the key family so that a host and an e-mail with the same text never share a key. Never 0, which marks an
/// empty slot. Not a defence against chosen collisions: every hit is verified against the stored value.
/// </summary>
internal static class KeyHash
{
    private const ulong P0 = 0xA0761D6478BD642F;
    private const ulong P1 = 0xE7037ED1A0B428DB;
    private const ulong P2 = 0x8EBC6AF09C88C6E3;

    public static ulong Of(KeyFamily family, ReadOnlySpan<char> value)
    {
        var bytes = MemoryMarshal.AsBytes(value);
        var h = P0 ^ ((ulong)family * P2) ^ (ulong)bytes.Length;
        ref var start = ref MemoryMarshal.GetReference(bytes);
        var i = 0;
        for (; i + 16 <= bytes.Length; i += 16)
        {
            var a = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i));
            var b = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i + 8));
            h = Mix(a ^ P1, b ^ h);
        }

        if (i + 8 <= bytes.Length)
        {
            h = Mix(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i)) ^ P1, h ^ P2);
            i += 8;
        }

        if (i < bytes.Length)
        {
            // At most three code units (six bytes) remain.
            ulong tail = 0;
            for (var k = bytes.Length - 1; k >= i; k--)
            {
                tail = (tail << 8) | Unsafe.Add(ref start, k);
            }

            h = Mix(tail ^ P1, h ^ P0);
        }

        return Finish(h);
    }

    public static ulong Of(KeyFamily family, UInt128 address) =>
        Finish(Mix((ulong)address ^ P1, (ulong)(address >> 64) ^ P0 ^ ((ulong)family * P2)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b)
    {
        var high = Math.BigMul(a, b, out var low);
        return high ^ low;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Finish(ulong h)
    {
        h = Mix(h ^ P2, P1);
        return h == 0 ? 1 : h;
    }
}

/// <summary>What a key names; part of the hash so that equal text in two families never collides by design.</summary>
internal enum KeyFamily : byte
{
    Address = 1,
    Host = 2,
    Url = 3,
    Email = 4,
    Digest = 5,
    Address6 = 6,
}
