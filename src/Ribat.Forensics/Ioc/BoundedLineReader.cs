using System.Text;

namespace Ribat.Forensics.Ioc;

/// <summary>
/// Reads lines without ever holding more than <c>maxLineLength</c> characters of one line: a longer line is
/// drained to its end and reported as skipped with its length. Accepts '\n', '\r\n' and a lone '\r'.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLineLength)
{
    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _count;
    private bool _pendingCarriageReturn;

    public long LineNumber { get; private set; }

    /// <summary>Next line, or <c>false</c> at the end. <paramref name="skippedLength"/> is set when the line was too long.</summary>
    public bool TryReadLine(out string? line, out long skippedLength)
    {
        _line.Clear();
        long length = 0;
        var sawAny = false;
        while (true)
        {
            if (_position == _count)
            {
                _count = reader.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_count <= 0)
                {
                    _count = 0;
                    return Finish(sawAny, length, endOfInput: true, out line, out skippedLength);
                }
            }

            if (_pendingCarriageReturn)
            {
                _pendingCarriageReturn = false;
                if (_buffer[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            var chunk = _buffer.AsSpan(_position, _count - _position);
            var end = chunk.IndexOfAny('\n', '\r');
            var take = end < 0 ? chunk : chunk[..end];
            sawAny = true;
            if (length + take.Length <= maxLineLength)
            {
                _line.Append(take);
            }

            length += take.Length;
            _position += take.Length;
            if (end >= 0)
            {
                _pendingCarriageReturn = _buffer[_position] == '\r';
                _position++;
                return Finish(true, length, endOfInput: false, out line, out skippedLength);
            }
        }
    }

    private bool Finish(bool sawAny, long length, bool endOfInput, out string? line, out long skippedLength)
    {
        line = null;
        skippedLength = 0;
        if (endOfInput && !sawAny)
        {
            return false;
        }

        LineNumber++;
        if (length > maxLineLength)
        {
            skippedLength = length;
            _line.Clear();
            return true;
        }

        line = _line.ToString();
        return true;
    }
}
