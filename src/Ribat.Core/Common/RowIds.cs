using System.Buffers.Binary;

namespace Ribat.Core.Common;

/// <summary>
/// Time-ordered row ids (RFC 9562 UUID version 7) for rows written by the hundred thousand. The framework's
/// <see cref="Guid.CreateVersion7()"/> draws its random bits from the operating system, one system call per id, which
/// cost a recorded batch more than building its rows. These take theirs from a per-thread generator seeded from the
/// operating system: an id orders rows and must not repeat, it is never a secret (every read is authorised on its own).
/// </summary>
public static class RowIds
{
    public static Guid Next() => Next(DateTimeOffset.UtcNow);

    public static Guid Next(DateTimeOffset at)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);
        var milliseconds = (ulong)at.ToUnixTimeMilliseconds();
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)(milliseconds >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes[2..], (uint)milliseconds);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
