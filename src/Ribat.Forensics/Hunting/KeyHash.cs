using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Ribat.Forensics.Hunting;

/// <summary>
/// The 64-bit fingerprints of <see cref="KeyTable"/>. Text is hashed with XXH3 seeded by the key family, so that a host
/// and an e-mail with the same text never share a fingerprint by design; a text hit is still verified against the
/// stored value, since no hash of unbounded text can be collision-free. An IPv4 address's fingerprint is a bijection of
/// its 32 bits and its family (the murmur3 finaliser: xor-shifts and odd multiplications, each invertible), so equal
/// fingerprints mean equal addresses and its hits need no second read. Never 0, which marks an empty slot.
/// </summary>
internal static class KeyHash
{
    private const ulong FamilySeed = 0x9E3779B97F4A7C15;

    public static ulong Of(KeyFamily family, ReadOnlySpan<char> value) =>
        NonZero(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(value), unchecked((long)((ulong)family * FamilySeed))));

    public static ulong Of(KeyFamily family, UInt128 address)
    {
        if (family == KeyFamily.Address)
        {
            // The family in the top byte makes the input non-zero, and a bijection maps only 0 to 0.
            return OfIPv4((uint)address);
        }

        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<UInt128>(in address));
        return NonZero(XxHash3.HashToUInt64(bytes, unchecked((long)((ulong)family * FamilySeed))));
    }

    /// <summary>The fingerprint of an IPv4 address: exact (one address, one fingerprint) and never 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong OfIPv4(uint address)
    {
        var h = ((ulong)KeyFamily.Address << 56) | address;
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCD;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53;
        h ^= h >> 33;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong NonZero(ulong h) => h == 0 ? 1 : h;
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
