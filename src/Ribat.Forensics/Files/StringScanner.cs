using System.Text;

namespace Ribat.Forensics.Files;

/// <summary>A printable run found in a file: its offset, encoding (<c>ascii</c> or <c>utf-16le</c>) and text.</summary>
public sealed record FoundString(long Offset, string Encoding, string Value);

/// <summary>
/// Printable strings of a byte stream fed in pieces, as <c>strings -a</c> and <c>strings -el</c> find them together:
/// runs of printable ASCII (and tab), and runs of printable characters each followed by a zero byte, at either byte
/// alignment. A run is cut into pieces of <see cref="MaxLength"/> characters so one long run cannot grow without bound.
/// </summary>
public sealed class StringScanner
{
    public const int MaxLength = 4096;

    private readonly int _minimum;
    private readonly Action<FoundString> _found;
    private readonly Run _ascii = new();
    private readonly Run[] _wide = [new(), new()];
    private long _position;
    private int _previous = -1;

    public StringScanner(int minimumLength, Action<FoundString> found)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumLength, MaxLength);
        _minimum = minimumLength;
        _found = found;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (IsPrintable(b))
            {
                if (_ascii.Length == 0)
                {
                    _ascii.Start = _position;
                }

                _ascii.Add((char)b);
                if (_ascii.Length == MaxLength)
                {
                    Emit(_ascii, "ascii");
                }
            }
            else
            {
                Emit(_ascii, "ascii");
            }

            // The pair (previous, b) is one UTF-16LE code unit starting at the previous byte's alignment.
            if (_previous >= 0)
            {
                var run = _wide[(int)((_position - 1) & 1)];
                if (b == 0 && IsPrintable((byte)_previous))
                {
                    if (run.Length == 0)
                    {
                        run.Start = _position - 1;
                    }

                    run.Add((char)_previous);
                    if (run.Length == MaxLength)
                    {
                        Emit(run, "utf-16le");
                    }
                }
                else
                {
                    Emit(run, "utf-16le");
                }
            }

            _previous = b;
            _position++;
        }
    }

    /// <summary>Reports the runs still open at the end of the input.</summary>
    public void Finish()
    {
        Emit(_ascii, "ascii");
        Emit(_wide[0], "utf-16le");
        Emit(_wide[1], "utf-16le");
    }

    private static bool IsPrintable(byte b) => b is >= 0x20 and <= 0x7E or 0x09;

    private void Emit(Run run, string encoding)
    {
        if (run.Length >= _minimum)
        {
            _found(new FoundString(run.Start, encoding, run.Text()));
        }

        run.Clear();
    }

    private sealed class Run
    {
        private readonly StringBuilder _text = new();

        public long Start { get; set; }

        public int Length => _text.Length;

        public void Add(char c) => _text.Append(c);

        public string Text() => _text.ToString();

        public void Clear() => _text.Clear();
    }
}
