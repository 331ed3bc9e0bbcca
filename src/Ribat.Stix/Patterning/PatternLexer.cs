using System.Text;

namespace Ribat.Stix.Patterning;

internal enum TokenKind
{
    End,
    LeftBracket,
    RightBracket,
    LeftParen,
    RightParen,
    Colon,
    Dot,
    Comma,
    Star,
    Operator,
    Keyword,
    Identifier,
    String,
    Integer,
    Float,
    Binary,
    Hex,
    Timestamp,
}

internal readonly record struct Token(TokenKind Kind, int Position, string Text);

/// <summary>Raised inside the parser to unwind to the one place that turns it into a <see cref="PatternProblem"/>.</summary>
internal sealed class PatternSyntaxException(int position, string message) : Exception(message)
{
    public int Position { get; } = position;
}

/// <summary>Splits a STIX pattern into tokens (STIX 2.1 section 9, ANTLR grammar STIXPattern.g4).</summary>
internal sealed class PatternLexer(string text)
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "AND", "OR", "NOT", "FOLLOWEDBY", "LIKE", "MATCHES", "ISSUPERSET", "ISSUBSET", "EXISTS", "IN",
        "START", "STOP", "SECONDS", "WITHIN", "REPEATS", "TIMES", "true", "false",
    };

    private int _position;

    public Token Next()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }

        if (_position >= text.Length)
        {
            return new Token(TokenKind.End, _position, string.Empty);
        }

        var start = _position;
        var c = text[_position];
        switch (c)
        {
            case '[': _position++; return new Token(TokenKind.LeftBracket, start, "[");
            case ']': _position++; return new Token(TokenKind.RightBracket, start, "]");
            case '(': _position++; return new Token(TokenKind.LeftParen, start, "(");
            case ')': _position++; return new Token(TokenKind.RightParen, start, ")");
            case ':': _position++; return new Token(TokenKind.Colon, start, ":");
            case ',': _position++; return new Token(TokenKind.Comma, start, ",");
            case '*': _position++; return new Token(TokenKind.Star, start, "*");
            case '\'': return new Token(TokenKind.String, start, QuotedBody());
            case '=' or '!' or '<' or '>': return Operator(start);
        }

        if ((c is 'h' or 'b' or 't') && Peek(1) == '\'')
        {
            _position++;
            var body = QuotedBody();
            return new Token(c switch { 'h' => TokenKind.Hex, 'b' => TokenKind.Binary, _ => TokenKind.Timestamp }, start, body);
        }

        if (char.IsAsciiDigit(c) || ((c is '+' or '-' or '.') && (char.IsAsciiDigit(Peek(1)) || (Peek(1) == '.' && char.IsAsciiDigit(Peek(2))))))
        {
            return Number(start);
        }

        if (c == '.')
        {
            _position++;
            return new Token(TokenKind.Dot, start, ".");
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '-'))
            {
                _position++;
            }

            var word = text[start.._position];
            return new Token(Keywords.Contains(word) ? TokenKind.Keyword : TokenKind.Identifier, start, word);
        }

        throw new PatternSyntaxException(start, $"unexpected character '{c}'");
    }

    private char Peek(int ahead) => _position + ahead < text.Length ? text[_position + ahead] : '\0';

    private Token Operator(int start)
    {
        var two = _position + 1 < text.Length ? text.Substring(_position, 2) : string.Empty;
        if (two is "==" or "!=" or "<>" or "<=" or ">=")
        {
            _position += 2;
            return new Token(TokenKind.Operator, start, two);
        }

        if (text[_position] == '!')
        {
            throw new PatternSyntaxException(start, "'!' is only valid in '!='");
        }

        _position++;
        return new Token(TokenKind.Operator, start, text[start].ToString());
    }

    private Token Number(int start)
    {
        if (text[_position] is '+' or '-')
        {
            _position++;
        }

        var digitsBefore = 0;
        while (_position < text.Length && char.IsAsciiDigit(text[_position]))
        {
            _position++;
            digitsBefore++;
        }

        if (_position < text.Length && text[_position] == '.')
        {
            _position++;
            var digitsAfter = 0;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
                digitsAfter++;
            }

            if (digitsAfter == 0)
            {
                throw new PatternSyntaxException(start, "a float literal needs digits after the dot");
            }

            return new Token(TokenKind.Float, start, text[start.._position]);
        }

        var literal = text[start.._position];
        var unsigned = literal.TrimStart('+', '-');
        if (unsigned.Length > 1 && unsigned[0] == '0')
        {
            throw new PatternSyntaxException(start, $"an integer literal has no leading zeros ('{literal}')");
        }

        return digitsBefore == 0 ? throw new PatternSyntaxException(start, "expected digits") : new Token(TokenKind.Integer, start, literal);
    }

    /// <summary>Reads <c>'…'</c> at the cursor; <c>\'</c> and <c>\\</c> are the only escapes the grammar allows.</summary>
    private string QuotedBody()
    {
        var start = _position;
        _position++;
        var builder = new StringBuilder();
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == '\'')
            {
                _position++;
                return builder.ToString();
            }

            if (c == '\\')
            {
                var escaped = Peek(1);
                if (escaped is not ('\'' or '\\'))
                {
                    throw new PatternSyntaxException(_position, escaped == '\0' ? "the string ends inside an escape" : $"'\\{escaped}' is not an escape: only \\' and \\\\ are");
                }

                builder.Append(escaped);
                _position += 2;
                continue;
            }

            builder.Append(c);
            _position++;
        }

        throw new PatternSyntaxException(start, "the quoted literal is not closed");
    }
}
