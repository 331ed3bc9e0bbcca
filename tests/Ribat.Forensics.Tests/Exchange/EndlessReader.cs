namespace Ribat.Forensics.Tests.Exchange;

/// <summary>Text that never ends: proves a reader stops at its limit instead of reading (and holding) everything.</summary>
internal sealed class EndlessReader(string header, Func<long, string> line) : TextReader
{
    private string _pending = header;
    private int _offset;
    private long _next;

    public long LinesServed => _next;

    public override int Read(char[] buffer, int index, int count)
    {
        var written = 0;
        while (written < count)
        {
            if (_offset == _pending.Length)
            {
                _pending = line(_next++);
                _offset = 0;
            }

            var take = Math.Min(count - written, _pending.Length - _offset);
            _pending.CopyTo(_offset, buffer, index + written, take);
            _offset += take;
            written += take;
        }

        return written;
    }
}
