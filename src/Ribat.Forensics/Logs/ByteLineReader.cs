using System.Buffers;

namespace Ribat.Forensics.Logs;

/// <summary>
/// Reads '\n'-ended lines (a trailing '\r' dropped) as bytes from a pooled buffer that grows only as far as the longest
/// line allowed. A longer line is read to its end without being held and returned as empty with its length, so the
/// caller counts it. The span handed out is valid until the next call.
/// </summary>
internal sealed class ByteLineReader : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private int _scanned;
    private bool _endOfInput;
    private long _drained = -1;

    public ByteLineReader(Stream stream, int maxLineBytes)
    {
        _stream = stream;
        _maxLineBytes = maxLineBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, maxLineBytes + 1));
    }

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Bytes consumed so far, line ends included.</summary>
    public long Position { get; private set; }

    /// <summary>
    /// The next line, or false at the end of the input. When the line was longer than the limit, <paramref name="line"/>
    /// is empty and <paramref name="overLongLength"/> is its length in bytes; otherwise that is 0.
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line, out long overLongLength)
    {
        while (true)
        {
            var at = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (at >= 0)
            {
                return Take(_scanned + at, 1, out line, out overLongLength);
            }

            _scanned = _end;
            if (_endOfInput)
            {
                if (_start == _end && _drained < 0)
                {
                    line = default;
                    overLongLength = 0;
                    return false;
                }

                return Take(_end, 0, out line, out overLongLength);
            }

            MakeRoom();
            Fill();
        }
    }

    private bool Take(int lineEnd, int terminator, out ReadOnlySpan<byte> line, out long overLongLength)
    {
        LineNumber++;
        var length = lineEnd - _start;
        Position += length + terminator;
        if (_drained >= 0)
        {
            overLongLength = _drained + length;
            _drained = -1;
            line = default;
        }
        else if (length > _maxLineBytes)
        {
            overLongLength = length;
            line = default;
        }
        else
        {
            overLongLength = 0;
            line = _buffer.AsSpan(_start, length);
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }
        }

        _start = lineEnd + terminator;
        _scanned = _start;
        return true;
    }

    /// <summary>Moves the partial line to the front, grows the buffer up to the limit, or starts draining past it.</summary>
    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_drained >= 0 || pending > _maxLineBytes)
        {
            _drained = Math.Max(_drained, 0) + pending;
            Position += pending;
            _start = _end = _scanned = 0;
            return;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
            _scanned = pending;
        }

        if (_end == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _maxLineBytes + 1L));
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private void Fill()
    {
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read <= 0)
        {
            _endOfInput = true;
            return;
        }

        _end += read;
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
