using System.Globalization;
using Ribat.Stix.Model;

namespace Ribat.Stix.Patterning;

/// <summary>Object paths, operators, literals and the token plumbing of the parser.</summary>
internal sealed partial class PatternParser
{
    private ObjectPath Path()
    {
        var typeToken = _current;
        if (typeToken.Kind != TokenKind.Identifier)
        {
            throw Error($"expected an object type (e.g. file, ipv4-addr), found {Describe(typeToken)}");
        }

        Advance();
        Expect(TokenKind.Colon, "':' between the object type and its property");
        var steps = new List<PathStep> { new(PropertyName(first: true), null) };
        while (_current.Kind is TokenKind.Dot or TokenKind.LeftBracket)
        {
            if (Advance().Kind == TokenKind.Dot)
            {
                steps.Add(new PathStep(PropertyName(first: false), null));
                continue;
            }

            var index = _current;
            if (index.Kind == TokenKind.Star)
            {
                steps.Add(new PathStep(null, null));
            }
            else if (index.Kind == TokenKind.Integer && int.TryParse(index.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var position))
            {
                steps.Add(new PathStep(null, position));
            }
            else
            {
                throw Error($"expected a list index or '*' inside '[]', found {Describe(index)}");
            }

            Advance();
            Expect(TokenKind.RightBracket, "']' to close the list index");
        }

        return new ObjectPath(typeToken.Position, typeToken.Text, steps);
    }

    private string PropertyName(bool first)
    {
        var token = _current;
        if (token.Kind == TokenKind.String)
        {
            Advance();
            return token.Text;
        }

        if (token.Kind is TokenKind.Identifier or TokenKind.Keyword && !token.Text.Contains('-', StringComparison.Ordinal))
        {
            Advance();
            return token.Text;
        }

        var where = first ? "after ':'" : "after '.'";
        throw token.Kind == TokenKind.Identifier
            ? Error($"'{token.Text}' has a hyphen: quote it ('{token.Text}') to use it as a property name")
            : Error($"expected a property name {where}, found {Describe(token)}");
    }

    private (ComparisonOperator, PatternLiteral) OperatorAndValue()
    {
        var token = _current;
        if (token.Kind == TokenKind.Operator)
        {
            Advance();
            var op = token.Text switch
            {
                "=" or "==" => ComparisonOperator.Equal,
                "!=" or "<>" => ComparisonOperator.NotEqual,
                "<" => ComparisonOperator.LessThan,
                ">" => ComparisonOperator.GreaterThan,
                "<=" => ComparisonOperator.LessOrEqual,
                _ => ComparisonOperator.GreaterOrEqual,
            };
            var literal = Literal();
            if (literal.Kind == LiteralKind.Boolean && op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
            {
                throw new PatternSyntaxException(literal.Position, $"a boolean cannot be compared with {token.Text}");
            }

            return (op, literal);
        }

        if (token.Kind == TokenKind.Keyword)
        {
            switch (token.Text)
            {
                case "IN":
                    Advance();
                    return (ComparisonOperator.In, Set());
                case "LIKE" or "MATCHES" or "ISSUBSET" or "ISSUPERSET":
                    Advance();
                    var value = _current;
                    if (value.Kind != TokenKind.String)
                    {
                        throw Error($"{token.Text} takes a string literal, found {Describe(value)}");
                    }

                    Advance();
                    var op = token.Text switch
                    {
                        "LIKE" => ComparisonOperator.Like,
                        "MATCHES" => ComparisonOperator.Matches,
                        "ISSUBSET" => ComparisonOperator.IsSubset,
                        _ => ComparisonOperator.IsSuperset,
                    };
                    return (op, new PatternLiteral(value.Position, LiteralKind.String, value.Text));
            }
        }

        throw Error($"expected a comparison operator (=, !=, <, >, <=, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET), found {Describe(token)}");
    }

    private PatternLiteral Set()
    {
        var start = _current.Position;
        Expect(TokenKind.LeftParen, "'(' to open the set");
        var members = new List<PatternLiteral>();
        if (_current.Kind != TokenKind.RightParen)
        {
            members.Add(Literal());
            while (_current.Kind == TokenKind.Comma)
            {
                Advance();
                members.Add(Literal());
            }
        }

        Expect(TokenKind.RightParen, "')' to close the set");
        return new PatternLiteral(start, LiteralKind.Set, string.Empty, members);
    }

    private PatternLiteral Literal()
    {
        var token = _current;
        var kind = token.Kind switch
        {
            TokenKind.String => LiteralKind.String,
            TokenKind.Integer => LiteralKind.Integer,
            TokenKind.Float => LiteralKind.Float,
            TokenKind.Binary => LiteralKind.Binary,
            TokenKind.Hex => LiteralKind.Hex,
            TokenKind.Timestamp => LiteralKind.Timestamp,
            TokenKind.Keyword when token.Text is "true" or "false" => LiteralKind.Boolean,
            _ => throw Error($"expected a literal value, found {Describe(token)}"),
        };
        Advance();
        var problem = kind switch
        {
            LiteralKind.Binary when !IsBase64(token.Text) => "a binary literal b'…' holds base64",
            LiteralKind.Hex when token.Text.Length % 2 != 0 || !token.Text.All(char.IsAsciiHexDigit) => "a hex literal h'…' holds pairs of hex digits",
            LiteralKind.Timestamp when !StixTimestamp.TryParse(token.Text, out _, out var error) => $"t'…': {error}",
            _ => null,
        };
        return problem is null ? new PatternLiteral(token.Position, kind, token.Text) : throw new PatternSyntaxException(token.Position, problem);
    }

    private static bool IsBase64(string text)
    {
        if (text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private Token Advance()
    {
        var previous = _current;
        _current = _lexer.Next();
        return previous;
    }

    private bool IsKeyword(string keyword) => _current.Kind == TokenKind.Keyword && _current.Text == keyword;

    private void Expect(TokenKind kind, string what)
    {
        if (_current.Kind != kind)
        {
            throw Error($"expected {what}, found {Describe(_current)}");
        }

        Advance();
    }

    private void ExpectKeyword(string keyword)
    {
        if (!IsKeyword(keyword))
        {
            throw Error($"expected {keyword}, found {Describe(_current)}");
        }

        Advance();
    }

    private void Enter(int position)
    {
        if (++_depth > maxDepth)
        {
            throw new PatternSyntaxException(position, $"nested deeper than {maxDepth} levels");
        }
    }

    private PatternSyntaxException Error(string message) => new(_current.Position, message);

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the pattern",
        TokenKind.String => $"the string '{Shorten(token.Text)}'",
        _ => $"'{Shorten(token.Text)}'",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
