namespace Ribat.Forensics.Detection;

internal enum YaraTokenKind
{
    End,
    Identifier,
    StringId,
    StringCount,
    StringOffset,
    StringLength,
    Number,
    Float,
    Text,
    Regex,
    HexString,
    Symbol,
}

/// <summary>One token; <see cref="Start"/> and <see cref="Length"/> index the source text.</summary>
internal readonly record struct YaraToken(YaraTokenKind Kind, int Start, int Length, int Line, int Column)
{
    public ReadOnlySpan<char> Text(string source) => source.AsSpan(Start, Length);
}

/// <summary>
/// Hand-written YARA lexer. Hex strings and regular expressions depend on context in YARA's grammar; they are
/// recognised where they can appear (after <c>=</c> in a strings section, after <c>matches</c>), so a <c>{</c> or
/// <c>/</c> elsewhere is punctuation. Each character is read a bounded number of times: no backtracking.
/// </summary>
internal sealed class YaraLexer
{
    private static readonly string[] Symbols = ["..", "==", "!=", "<=", ">=", "<<", ">>", "{", "}", "(", ")", "[", "]", ":", ",", "=", "<", ">", "+", "-", "*", "\\", "%", "&", "|", "^", "~", "."];

    private readonly string _text;
    private readonly RuleReport _report;
    private readonly List<YaraToken> _tokens = [];
    private int _position;
    private int _line = 1;
    private int _lineStart;
    private bool _broken;

    private YaraLexer(string text, RuleReport report)
    {
        _text = text;
        _report = report;
    }

    /// <summary>Tokens of <paramref name="text"/>; <paramref name="broken"/> when an unterminated string, comment or
    /// character the grammar does not know makes every later position doubtful.</summary>
    public static List<YaraToken> Tokenise(string text, RuleReport report, out bool broken)
    {
        var lexer = new YaraLexer(text, report);
        lexer.Run();
        broken = lexer._broken;
        return lexer._tokens;
    }

    private int Column => _position - _lineStart + 1;

    private char Peek(int ahead = 0) => _position + ahead < _text.Length ? _text[_position + ahead] : '\0';

    private void Run()
    {
        while (SkipSpaceAndComments())
        {
            var line = _line;
            var column = Column;
            var start = _position;
            var c = _text[_position];
            var kind = LexOne(c);
            if (kind is { } k)
            {
                _tokens.Add(new YaraToken(k, start, _position - start, line, column));
            }
        }

        _tokens.Add(new YaraToken(YaraTokenKind.End, _text.Length, 0, _line, Column));
    }

    private YaraTokenKind? LexOne(char c)
    {
        if (char.IsAsciiLetter(c) || c == '_')
        {
            SkipIdentifierChars();
            return YaraTokenKind.Identifier;
        }

        if (char.IsAsciiDigit(c))
        {
            return LexNumber();
        }

        switch (c)
        {
            case '"':
                return LexText();
            case '$':
                _position++;
                SkipIdentifierChars();
                if (Peek() == '*')
                {
                    _position++;
                }

                return YaraTokenKind.StringId;
            case '#' or '@':
                _position++;
                SkipIdentifierChars();
                return c == '#' ? YaraTokenKind.StringCount : YaraTokenKind.StringOffset;
            case '!' when Peek(1) != '=':
                _position++;
                SkipIdentifierChars();
                return YaraTokenKind.StringLength;
            case '{' when PreviousIs("="):
                return LexHexString();
            case '/' when PreviousIs("=") || PreviousIs("matches"):
                return LexRegex();
        }

        foreach (var symbol in Symbols)
        {
            if (_text.AsSpan(_position).StartsWith(symbol, StringComparison.Ordinal))
            {
                _position += symbol.Length;
                return YaraTokenKind.Symbol;
            }
        }

        _broken = true;
        _report.Error(_line, Column, $"unexpected character '{Printable(c)}'.");
        _position++;
        return null;
    }

    private bool PreviousIs(string text) =>
        _tokens.Count > 0 && _tokens[^1].Text(_text).SequenceEqual(text) && _tokens[^1].Kind is YaraTokenKind.Symbol or YaraTokenKind.Identifier;

    private void SkipIdentifierChars()
    {
        while (_position < _text.Length && (char.IsAsciiLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }
    }

    private YaraTokenKind LexNumber()
    {
        if (Peek() == '0' && Peek(1) is 'x' or 'X' or 'o' or 'O')
        {
            var hex = Peek(1) is 'x' or 'X';
            _position += 2;
            var digits = _position;
            while (_position < _text.Length && (hex ? char.IsAsciiHexDigit(_text[_position]) : _text[_position] is >= '0' and <= '7'))
            {
                _position++;
            }

            if (_position == digits)
            {
                _report.Error(_line, Column, hex ? "'0x' must be followed by hex digits." : "'0o' must be followed by octal digits.");
            }

            return YaraTokenKind.Number;
        }

        while (char.IsAsciiDigit(Peek()))
        {
            _position++;
        }

        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _position++;
            while (char.IsAsciiDigit(Peek()))
            {
                _position++;
            }

            return YaraTokenKind.Float;
        }

        if ((Peek() is 'K' or 'M') && Peek(1) == 'B')
        {
            _position += 2;
        }

        return YaraTokenKind.Number;
    }

    private YaraTokenKind? LexText()
    {
        var (line, column) = (_line, Column);
        _position++;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c is '\n' or '\r')
            {
                break;
            }

            if (c == '"')
            {
                _position++;
                return YaraTokenKind.Text;
            }

            if (c == '\\')
            {
                CheckEscape();
                continue;
            }

            _position++;
        }

        _broken = true;
        _report.Error(line, column, "unterminated text string: a closing '\"' is missing on this line.");
        return null;
    }

    private void CheckEscape()
    {
        var next = Peek(1);
        if (next is '"' or '\\' or 't' or 'n' or 'r')
        {
            _position += 2;
        }
        else if (next == 'x' && char.IsAsciiHexDigit(Peek(2)) && char.IsAsciiHexDigit(Peek(3)))
        {
            _position += 4;
        }
        else
        {
            _report.Error(_line, Column, next == 'x' ? "'\\x' must be followed by two hex digits." : $"unknown escape '\\{Printable(next)}' in a text string.");
            _position += next is '\0' or '\n' or '\r' ? 1 : 2;
        }
    }

    private YaraTokenKind? LexHexString()
    {
        var (line, column) = (_line, Column);
        var start = _position;
        _position++;
        while (_position < _text.Length && _text[_position] != '}')
        {
            if (_text[_position] == '/' && Peek(1) is '/' or '*')
            {
                if (!SkipComment())
                {
                    return null;
                }

                continue;
            }

            Advance();
        }

        if (_position >= _text.Length)
        {
            _position = _text.Length;
            _broken = true;
            _report.Error(line, column, "unterminated hex string: a closing '}' is missing.");
            return null;
        }

        _position++;
        YaraHexString.Check(_text, start + 1, _position - 1, line, column, _report);
        return YaraTokenKind.HexString;
    }

    private YaraTokenKind? LexRegex()
    {
        var (line, column) = (_line, Column);
        var start = _position;
        _position++;
        var inClass = false;
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c is '\n' or '\r')
            {
                break;
            }

            if (c == '\\' && Peek(1) is not ('\n' or '\r' or '\0'))
            {
                _position += 2;
                continue;
            }

            if (c == '[' && !inClass)
            {
                inClass = true;
            }
            else if (c == ']' && inClass && _position > start + 1 && _text[_position - 1] != '[')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                var body = _text.AsSpan(start + 1, _position - start - 1);
                _position++;
                while (char.IsAsciiLetter(Peek()))
                {
                    if (Peek() is not ('i' or 's'))
                    {
                        _report.Error(_line, Column, $"unknown regular expression modifier '{Peek()}'; YARA knows 'i' and 's'.");
                    }

                    _position++;
                }

                YaraRegex.Check(body, line, column, _report);
                return YaraTokenKind.Regex;
            }

            _position++;
        }

        _position = Math.Min(_position, _text.Length);
        _broken = true;
        _report.Error(line, column, "unterminated regular expression: a closing '/' is missing on this line.");
        return null;
    }

    /// <summary>Skips blanks and comments; false at the end of the text.</summary>
    private bool SkipSpaceAndComments()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (char.IsWhiteSpace(c))
            {
                Advance();
            }
            else if (c == '/' && Peek(1) is '/' or '*')
            {
                if (!SkipComment())
                {
                    return false;
                }
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private bool SkipComment()
    {
        if (Peek(1) == '/')
        {
            while (_position < _text.Length && _text[_position] != '\n')
            {
                _position++;
            }

            return true;
        }

        var (line, column) = (_line, Column);
        _position += 2;
        while (_position < _text.Length)
        {
            if (_text[_position] == '*' && Peek(1) == '/')
            {
                _position += 2;
                return true;
            }

            Advance();
        }

        _broken = true;
        _report.Error(line, column, "unterminated comment: '/*' is never closed with '*/'.");
        return false;
    }

    private void Advance()
    {
        if (_text[_position] == '\n')
        {
            _line++;
            _lineStart = _position + 1;
        }

        _position++;
    }

    internal static string Printable(char c) => c switch
    {
        '\0' => "end of text",
        < ' ' or '\u007f' => $"\\x{(int)c:x2}",
        _ => c.ToString(),
    };
}
