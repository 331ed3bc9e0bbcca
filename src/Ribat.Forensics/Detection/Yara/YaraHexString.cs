namespace Ribat.Forensics.Detection;

/// <summary>
/// Checks the body of a YARA hex string: byte pairs (<c>4D</c>), wildcards (<c>??</c>, <c>4?</c>, <c>?D</c>), negation
/// (<c>~4D</c>), jumps (<c>[4]</c>, <c>[2-4]</c>, <c>[2-]</c>, <c>[-]</c>) and alternatives (<c>( 01 | 02 03 )</c>).
/// Like YARA it refuses half bytes, empty alternatives, a jump at the start or end of the string or of an
/// alternative, a jump whose low bound exceeds its high bound, and unbounded jumps inside alternatives.
/// </summary>
internal sealed class YaraHexString
{
    private const int MaxAlternativeNesting = 16;
    private readonly string _text;
    private readonly int _end;
    private readonly RuleReport _report;
    private readonly int _line;
    private readonly int _column;
    private int _position;
    private int _lineOffset;
    private int _lineStart;
    private bool _failed;

    private YaraHexString(string text, int start, int end, int line, int column, RuleReport report)
    {
        _text = text;
        _position = start;
        _end = end;
        _line = line;
        _column = column;
        _lineStart = start - 1;
        _report = report;
    }

    private enum Item
    {
        Byte,
        Jump,
    }

    public static void Check(string text, int start, int end, int line, int column, RuleReport report)
    {
        var hex = new YaraHexString(text, start, end, line, column, report);
        var items = hex.Sequence(0);
        if (hex._failed)
        {
            return;
        }

        if (hex._position < end)
        {
            hex.Fail($"unexpected '{YaraLexer.Printable(text[hex._position])}' in hex string.");
        }
        else if (items.Count == 0)
        {
            report.Error(line, column, "empty hex string.");
        }
    }

    /// <summary>A run of items up to ')' or '|' or the end; returns the kinds seen, for the start/end jump rule.</summary>
    private List<Item> Sequence(int depth)
    {
        var items = new List<Item>();
        while (!_failed && SkipBlanks() && _text[_position] is not (')' or '|'))
        {
            var c = _text[_position];
            if (c == '[')
            {
                Jump(depth);
                items.Add(Item.Jump);
            }
            else if (c == '(')
            {
                Alternatives(depth + 1);
                items.Add(Item.Byte);
            }
            else
            {
                Byte();
                items.Add(Item.Byte);
            }
        }

        if (!_failed && items.Count > 0 && (items[0] == Item.Jump || items[^1] == Item.Jump))
        {
            Fail(depth == 0 ? "a hex string cannot start or end with a jump." : "an alternative cannot start or end with a jump.");
        }

        return items;
    }

    private void Alternatives(int depth)
    {
        if (depth > MaxAlternativeNesting)
        {
            Fail($"hex string alternatives nested deeper than {MaxAlternativeNesting} levels.");
            return;
        }

        _position++; // '('
        while (!_failed)
        {
            var items = Sequence(depth);
            if (_failed)
            {
                return;
            }

            if (items.Count == 0)
            {
                Fail("empty alternative in hex string.");
                return;
            }

            if (!SkipBlanks())
            {
                Fail("'(' in hex string is never closed.");
                return;
            }

            var c = _text[_position++];
            if (c == ')')
            {
                return;
            }
        }
    }

    private void Byte()
    {
        var negated = _text[_position] == '~';
        if (negated)
        {
            _position++;
        }

        if (_position + 1 >= _end + 1 || !IsNibble(_text[_position]))
        {
            Fail(_position < _end ? $"unexpected '{YaraLexer.Printable(_text[_position])}' in hex string." : "'~' must be followed by a byte.");
            return;
        }

        if (_position + 1 >= _end || !IsNibble(_text[_position + 1]))
        {
            Fail("half a byte: hex digits come in pairs (write 0A, not A).");
            return;
        }

        if (negated && _text[_position] == '?' && _text[_position + 1] == '?')
        {
            Fail("'~??' negates a full wildcard and can never match.");
            return;
        }

        _position += 2;
        if (_position < _end && IsNibble(_text[_position]))
        {
            Fail("hex digits must be separated into pairs (an odd number of digits in a row).");
        }
    }

    private void Jump(int depth)
    {
        _position++; // '['
        SkipSpaces();
        var low = Number();
        SkipSpaces();
        long? high = low;
        var unbounded = false;
        if (_position < _end && _text[_position] == '-')
        {
            _position++;
            SkipSpaces();
            high = Number();
            unbounded = high is null;
            SkipSpaces();
        }
        else if (low is null)
        {
            Fail("a jump needs a length: [4], [2-4], [2-] or [-].");
            return;
        }

        if (_position >= _end || _text[_position] != ']')
        {
            Fail("a jump must be closed with ']'.");
            return;
        }

        _position++;
        if (low is { } l && high is { } h && l > h)
        {
            Fail($"jump [{l}-{h}] has its low bound above its high bound.");
        }
        else if (unbounded && depth > 0)
        {
            Fail("unbounded jumps are not allowed inside alternatives.");
        }
    }

    private long? Number()
    {
        var start = _position;
        long value = 0;
        while (_position < _end && char.IsAsciiDigit(_text[_position]))
        {
            value = Math.Min(value * 10 + (_text[_position] - '0'), int.MaxValue);
            _position++;
        }

        return _position == start ? null : value;
    }

    /// <summary>Skips whitespace and comments; false at the closing brace.</summary>
    private bool SkipBlanks()
    {
        while (_position < _end)
        {
            var c = _text[_position];
            if (c == '\n')
            {
                _lineOffset++;
                _lineStart = _position;
                _position++;
            }
            else if (char.IsWhiteSpace(c))
            {
                _position++;
            }
            else if (c == '/' && _position + 1 < _end && _text[_position + 1] == '/')
            {
                while (_position < _end && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (c == '/' && _position + 1 < _end && _text[_position + 1] == '*')
            {
                var close = _text.AsSpan(_position + 2, _end - _position - 2).IndexOf("*/", StringComparison.Ordinal);
                var stop = close < 0 ? _end : _position + 2 + close + 2;
                while (_position < stop)
                {
                    if (_text[_position] == '\n')
                    {
                        _lineOffset++;
                        _lineStart = _position;
                    }

                    _position++;
                }
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private void SkipSpaces()
    {
        while (_position < _end && _text[_position] is ' ' or '\t')
        {
            _position++;
        }
    }

    private static bool IsNibble(char c) => char.IsAsciiHexDigit(c) || c == '?';

    private void Fail(string message)
    {
        if (_failed)
        {
            return;
        }

        _failed = true;
        var column = _lineOffset == 0 ? _column + (_position - _lineStart) : _position - _lineStart;
        _report.Error(_line + _lineOffset, column, message);
    }
}
