namespace Ribat.Forensics.Detection;

/// <summary>
/// Parses a Sigma detection condition and checks every identifier it names:
/// <code>
/// condition := or
/// or        := and ('or' and)*
/// and       := not ('and' not)*
/// not       := 'not' not | '(' or ')' | quantifier 'of' target | identifier
/// quantifier:= '1' | 'any' | 'all'          target := 'them' | identifier | pattern-with-*
/// </code>
/// Keywords are matched case-insensitively. Nesting is capped, so a hostile condition cannot exhaust the stack.
/// The first syntax error stops the parse; reference errors are all reported.
/// </summary>
internal sealed class SigmaCondition
{
    private const int MaxNesting = 64;
    private readonly string _text;
    private readonly IReadOnlyCollection<string> _identifiers;
    private readonly HashSet<string> _used;
    private readonly List<(int Offset, string Message)> _problems = [];
    private readonly List<(int Start, int End)> _tokens = [];
    private int _position;

    private SigmaCondition(string text, IReadOnlyCollection<string> identifiers, HashSet<string> used)
    {
        _text = text;
        _identifiers = identifiers;
        _used = used;
    }

    /// <summary>Parses <paramref name="text"/>; returns its problems as (0-based character offset, message) and adds every
    /// identifier it uses to <paramref name="used"/>.</summary>
    public static List<(int Offset, string Message)> Check(string text, IReadOnlyCollection<string> identifiers, HashSet<string> used)
    {
        var condition = new SigmaCondition(text, identifiers, used);
        if (condition.Tokenise())
        {
            condition.Parse();
        }

        return condition._problems;
    }

    private bool Tokenise()
    {
        var i = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                _tokens.Add((i, i + 1));
                i++;
            }
            else if (IsWordChar(c))
            {
                var start = i;
                while (i < _text.Length && IsWordChar(_text[i]))
                {
                    i++;
                }

                _tokens.Add((start, i));
            }
            else if (c == '|')
            {
                return Problem(i, "aggregations after '|' (count, near, ...) were removed from Sigma; use a correlation rule.");
            }
            else
            {
                return Problem(i, $"unexpected character '{c}'.");
            }
        }

        return _tokens.Count > 0 || Problem(0, "the condition is empty.");
    }

    private void Parse()
    {
        if (!ParseOr(0))
        {
            return;
        }

        if (_position < _tokens.Count)
        {
            Problem(_tokens[_position].Start, $"unexpected '{Token(_position)}' after a complete expression (missing 'and' or 'or'?).");
        }
    }

    private bool ParseOr(int depth)
    {
        if (!ParseAnd(depth))
        {
            return false;
        }

        while (IsKeyword(_position, "or"))
        {
            _position++;
            if (!ParseAnd(depth))
            {
                return false;
            }
        }

        return true;
    }

    private bool ParseAnd(int depth)
    {
        if (!ParseUnary(depth))
        {
            return false;
        }

        while (IsKeyword(_position, "and"))
        {
            _position++;
            if (!ParseUnary(depth))
            {
                return false;
            }
        }

        return true;
    }

    private bool ParseUnary(int depth)
    {
        if (depth > MaxNesting)
        {
            return Problem(Offset(), $"the condition is nested deeper than {MaxNesting} levels.");
        }

        if (_position >= _tokens.Count)
        {
            return Problem(_text.Length, "the condition ends where an identifier, 'not', '(' or 'x of' was expected.");
        }

        var token = Token(_position);
        if (IsKeyword(_position, "not"))
        {
            _position++;
            return ParseUnary(depth + 1);
        }

        if (token == "(")
        {
            var open = _tokens[_position].Start;
            _position++;
            if (!ParseOr(depth + 1))
            {
                return false;
            }

            if (_position >= _tokens.Count || Token(_position) != ")")
            {
                return Problem(open, "'(' is never closed.");
            }

            _position++;
            return true;
        }

        if (token == ")")
        {
            return Problem(Offset(), "')' without a matching '('.");
        }

        if (IsKeyword(_position + 1, "of"))
        {
            return ParseQuantified();
        }

        if (IsAnyKeyword(token))
        {
            return Problem(Offset(), $"'{token}' cannot stand here; an identifier was expected.");
        }

        Reference(token, _tokens[_position].Start);
        _position++;
        return true;
    }

    private bool ParseQuantified()
    {
        var quantifier = Token(_position);
        var at = Offset();
        if (quantifier != "1" && !quantifier.Equals("all", StringComparison.OrdinalIgnoreCase)
            && !quantifier.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(at, $"'{quantifier} of' is not Sigma: write '1 of', 'any of' or 'all of'.");
        }

        _position += 2;
        if (_position >= _tokens.Count || Token(_position) is "(" or ")")
        {
            return Problem(_position < _tokens.Count ? Offset() : _text.Length, $"'{quantifier} of' must be followed by 'them' or an identifier pattern.");
        }

        var target = Token(_position);
        if (!target.Equals("them", StringComparison.OrdinalIgnoreCase))
        {
            Reference(target, _tokens[_position].Start);
        }
        else
        {
            foreach (var identifier in _identifiers)
            {
                _used.Add(identifier);
            }
        }

        _position++;
        return true;
    }

    /// <summary>A name must exist; a pattern with '*' must match at least one identifier.</summary>
    private void Reference(string name, int offset)
    {
        if (!name.Contains('*'))
        {
            if (_identifiers.Contains(name))
            {
                _used.Add(name);
            }
            else
            {
                Problem(offset, $"'{name}' is not a search identifier defined under detection.");
            }

            return;
        }

        var matched = false;
        foreach (var identifier in _identifiers)
        {
            if (WildcardMatch(name, identifier))
            {
                _used.Add(identifier);
                matched = true;
            }
        }

        if (!matched)
        {
            Problem(offset, $"the pattern '{name}' matches no search identifier defined under detection.");
        }
    }

    /// <summary>Glob match with '*' only, linear in practice (identifiers are short and patterns have few stars).</summary>
    internal static bool WildcardMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '*' or '.';

    private static bool IsAnyKeyword(string token) =>
        token.Equals("and", StringComparison.OrdinalIgnoreCase) || token.Equals("or", StringComparison.OrdinalIgnoreCase)
        || token.Equals("of", StringComparison.OrdinalIgnoreCase) || token.Equals("them", StringComparison.OrdinalIgnoreCase);

    private bool IsKeyword(int index, string keyword) =>
        index < _tokens.Count && _text.AsSpan(_tokens[index].Start, _tokens[index].End - _tokens[index].Start).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    private string Token(int index) => _text[_tokens[index].Start.._tokens[index].End];

    private int Offset() => _position < _tokens.Count ? _tokens[_position].Start : _text.Length;

    private bool Problem(int offset, string message)
    {
        _problems.Add((offset, message));
        return false;
    }
}
