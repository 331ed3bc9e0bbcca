using System.Buffers;

namespace Ribat.Forensics.Pcap;

/// <summary>
/// A window over a stream in one pooled buffer: records are framed in place and the window slides forward, so the
/// file is never held whole. Spans handed out are valid until the next <see cref="Ensure"/> or <see cref="Skip"/>.
/// </summary>
internal sealed class CaptureInput : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    public CaptureInput(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    }

    public int Available => _end - _start;

    /// <summary>True when no byte is left, reading from the stream if needed to know.</summary>
    public bool AtEnd => !Ensure(1);

    /// <summary>Makes at least <paramref name="count"/> bytes available; false when the stream ends first.</summary>
    public bool Ensure(int count)
    {
        if (Available >= count)
        {
            return true;
        }

        if (count > _buffer.Length - _start)
        {
            Compact(count);
        }

        while (Available < count && !_endOfStream)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                _endOfStream = true;
                break;
            }

            _end += read;
        }

        return Available >= count;
    }

    public ReadOnlySpan<byte> Span(int count) => _buffer.AsSpan(_start, count);

    public ReadOnlyMemory<byte> Memory(int offset, int count) => _buffer.AsMemory(_start + offset, count);

    public void Advance(int count) => _start += count;

    /// <summary>Drops <paramref name="count"/> bytes without keeping them; false when the stream ends first.</summary>
    public bool Skip(long count)
    {
        var inBuffer = Math.Min(count, Available);
        _start += (int)inBuffer;
        count -= inBuffer;
        if (count == 0)
        {
            return true;
        }

        _start = _end = 0;
        if (_stream.CanSeek)
        {
            // A hostile length of 2^31 must not mean reading two gigabytes just to discard them.
            var remaining = _stream.Length - _stream.Position;
            if (count > remaining)
            {
                _stream.Seek(0, SeekOrigin.End);
                _endOfStream = true;
                return false;
            }

            _stream.Seek(count, SeekOrigin.Current);
            return true;
        }

        while (count > 0)
        {
            var read = _stream.Read(_buffer, 0, (int)Math.Min(count, _buffer.Length));
            if (read <= 0)
            {
                _endOfStream = true;
                return false;
            }

            count -= read;
        }

        return true;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Compact(int count)
    {
        var available = Available;
        if (count > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(_buffer, _start, larger, 0, available);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, available);
        }

        _start = 0;
        _end = available;
    }
}
