using System.Buffers;

namespace Ribat.Forensics.Exchange;

/// <summary>
/// Reads a whole stream into a pooled buffer, refusing it as soon as it passes a size limit (never after reading it
/// all). Dispose returns the buffer to the pool.
/// </summary>
internal sealed class BoundedBuffer : IDisposable
{
    private byte[] _buffer;

    private BoundedBuffer(byte[] buffer) => _buffer = buffer;

    public int Length { get; private set; }

    public bool TooLarge { get; private set; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    public static BoundedBuffer Read(Stream input, long limit)
    {
        var buffer = Start(input, limit);
        while (!buffer.Full(limit))
        {
            var read = input.Read(buffer._buffer, buffer.Length, buffer._buffer.Length - buffer.Length);
            if (read <= 0)
            {
                break;
            }

            buffer.Length += read;
        }

        return buffer;
    }

    public static async Task<BoundedBuffer> ReadAsync(Stream input, long limit, CancellationToken cancellationToken)
    {
        var buffer = Start(input, limit);
        while (!buffer.Full(limit))
        {
            var read = await input.ReadAsync(buffer._buffer.AsMemory(buffer.Length), cancellationToken).ConfigureAwait(false);
            if (read <= 0)
            {
                break;
            }

            buffer.Length += read;
        }

        return buffer;
    }

    private static BoundedBuffer Start(Stream input, long limit)
    {
        ArgumentNullException.ThrowIfNull(input);
        var initial = 64 * 1024;
        if (input.CanSeek)
        {
            var remaining = input.Length - input.Position;
            if (remaining > limit)
            {
                return new BoundedBuffer([]) { TooLarge = true };
            }

            initial = (int)Math.Max(1, remaining + 1);
        }

        return new BoundedBuffer(ArrayPool<byte>.Shared.Rent(initial));
    }

    /// <summary>Grows the buffer when it is full; <c>true</c> when reading must stop (too large, or refused up front).</summary>
    private bool Full(long limit)
    {
        if (TooLarge)
        {
            return true;
        }

        if (Length > limit)
        {
            TooLarge = true;
            return true;
        }

        if (Length < _buffer.Length)
        {
            return false;
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Min(limit + 1, (long)_buffer.Length * 2));
        if (size <= _buffer.Length)
        {
            TooLarge = true;
            return true;
        }

        var grown = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, Length).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
        return false;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
