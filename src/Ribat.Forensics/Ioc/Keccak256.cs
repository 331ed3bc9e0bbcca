using System.Buffers.Binary;
using System.Numerics;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's 0x06), which .NET does not ship.
/// Only used for EIP-55 checksums of 40-character inputs, so it favours brevity over speed.
/// </summary>
internal static class Keccak256
{
    private const int Rate = 136;

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    private static readonly int[] Rotations = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44];

    private static readonly int[] PiLanes = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1];

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest32)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        while (data.Length >= Rate)
        {
            Absorb(state, data[..Rate]);
            data = data[Rate..];
        }

        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        Absorb(state, last);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(digest32[(i * 8)..], state[i]);
        }
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < Rate / 8; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        }

        Permute(state);
    }

    private static void Permute(Span<ulong> st)
    {
        Span<ulong> bc = stackalloc ulong[5];
        for (var round = 0; round < 24; round++)
        {
            // θ
            for (var i = 0; i < 5; i++)
            {
                bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
            }

            for (var i = 0; i < 5; i++)
            {
                var t = bc[(i + 4) % 5] ^ BitOperations.RotateLeft(bc[(i + 1) % 5], 1);
                for (var j = 0; j < 25; j += 5)
                {
                    st[j + i] ^= t;
                }
            }

            // ρ and π
            var carry = st[1];
            for (var i = 0; i < 24; i++)
            {
                var j = PiLanes[i];
                var saved = st[j];
                st[j] = BitOperations.RotateLeft(carry, Rotations[i]);
                carry = saved;
            }

            // χ
            for (var j = 0; j < 25; j += 5)
            {
                for (var i = 0; i < 5; i++)
                {
                    bc[i] = st[j + i];
                }

                for (var i = 0; i < 5; i++)
                {
                    st[j + i] ^= ~bc[(i + 1) % 5] & bc[(i + 2) % 5];
                }
            }

            // ι
            st[0] ^= RoundConstants[round];
        }
    }
}
