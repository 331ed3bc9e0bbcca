using System.Security.Cryptography;

namespace Ribat.Core.Common;

/// <summary>
/// Many UUIDv7 (RFC 9562) for one instant, for rows recorded together. <see cref="Guid.CreateVersion7()"/> reads the
/// clock and asks the operating system for random bytes once per id, which for a batch of a hundred thousand rows
/// costs more than canonicalising their values, and serialises threads that build rows in parallel. Here the random
/// bytes for the whole batch are drawn at once, and a counter in the bits after the version (RFC 9562, 6.2, method
/// 1) keeps the ids in the order they were handed out, so the rows of a batch go to the end of the primary-key index.
/// </summary>
public static class TimeOrderedIds
{
    /// <summary>Counter values per millisecond: 4 bits of rand_a, its 8 following bits and 6 bits of rand_b.</summary>
    private const int CounterSpan = 1 << 18;

    public static Guid[] Create(int count, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var ids = new Guid[count];
        var random = new byte[count * 7];
        RandomNumberGenerator.Fill(random);
        var milliseconds = at.ToUnixTimeMilliseconds();
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < count; i++)
        {
            // Past 2^18 ids in one batch the timestamp moves on by a millisecond, as the RFC allows for a counter that
            // runs out; the ids stay unique and ordered.
            var time = milliseconds + (i / CounterSpan);
            var counter = i % CounterSpan;
            for (var b = 0; b < 6; b++)
            {
                bytes[b] = (byte)(time >> (8 * (5 - b)));
            }

            bytes[6] = (byte)(0x70 | (counter >> 14));
            bytes[7] = (byte)(counter >> 6);
            bytes[8] = (byte)(0x80 | (counter & 0x3F));
            random.AsSpan(i * 7, 7).CopyTo(bytes[9..]);
            ids[i] = new Guid(bytes, bigEndian: true);
        }

        return ids;
    }
}
