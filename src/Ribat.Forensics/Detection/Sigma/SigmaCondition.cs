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
        Parse(text, identifiers, used, out var problems);
        return problems;
    }

    /// <summary>Parses <paramref name="text"/> into an expression whose references are resolved to identifier names; null
    /// when <paramref name="problems"/> is not empty.</summary>
    public static ConditionExpression? Parse(string text, IReadOnlyCollection<string> identifiers, HashSet<string> used,
        out List<(int Offset, string Message)> problems)
    {
        var condition = new SigmaCondition(text, identifiers, used);
        var expression = condition.Tokenise() ? condition.Parse() : null;
        problems = condition._problems;
        return problems.Count == 0 ? expression : null;
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

    private ConditionExpression? Parse()
    {
        var expression = ParseOr(0);
        if (expression is null)
        {
            return null;
        }

        if (_position < _tokens.Count)
        {
            return Fail(_tokens[_position].Start, $"unexpected '{Token(_position)}' after a complete expression (missing 'and' or 'or'?).");
        }

        return expression;
    }

    private ConditionExpression? ParseOr(int depth) => ParseChain(depth, "or", and: false);

    private ConditionExpression? ParseAnd(int depth) => ParseChain(depth, "and", and: true);

    /// <summary>'and' binds tighter than 'or', so an 'or' chain is made of 'and' chains, and those of unary terms.</summary>
    private ConditionExpression? ParseChain(int depth, string keyword, bool and)
    {
        var first = and ? ParseUnary(depth) : ParseAnd(depth);
        if (first is null)
        {
            return null;
        }

        List<ConditionExpression>? items = null;
        while (IsKeyword(_position, keyword))
        {
            _position++;
            var next = and ? ParseUnary(depth) : ParseAnd(depth);
            if (next is null)
            {
                return null;
            }

            (items ??= [first]).Add(next);
        }

        return items is null ? first : new ConditionJunction(and, [.. items]);
    }

    private ConditionExpression? ParseUnary(int depth)
    {
        if (depth > MaxNesting)
        {
            return Fail(Offset(), $"the condition is nested deeper than {MaxNesting} levels.");
        }

        if (_position >= _tokens.Count)
        {
            return Fail(_text.Length, "the condition ends where an identifier, 'not', '(' or 'x of' was expected.");
        }

        var token = Token(_position);
        if (IsKeyword(_position, "not"))
        {
            _position++;
            return ParseUnary(depth + 1) is { } negated ? new ConditionNot(negated) : null;
        }

        if (token == "(")
        {
            var open = _tokens[_position].Start;
            _position++;
            var inner = ParseOr(depth + 1);
            if (inner is null)
            {
                return null;
            }

            if (_position >= _tokens.Count || Token(_position) != ")")
            {
                return Fail(open, "'(' is never closed.");
            }

            _position++;
            return inner;
        }

        if (token == ")")
        {
            return Fail(Offset(), "')' without a matching '('.");
        }

        if (IsKeyword(_position + 1, "of"))
        {
            return ParseQuantified();
        }

        if (IsAnyKeyword(token))
        {
            return Fail(Offset(), $"'{token}' cannot stand here; an identifier was expected.");
        }

        var names = Reference(token, _tokens[_position].Start);
        _position++;
        return names.Count == 1 && !token.Contains('*') ? new ConditionReference(names[0]) : new ConditionOf(All: false, [.. names]);
    }

    private ConditionExpression? ParseQuantified()
    {
        var quantifier = Token(_position);
        var at = Offset();
        if (quantifier != "1" && !quantifier.Equals("all", StringComparison.OrdinalIgnoreCase)
            && !quantifier.Equals("any", StringComparison.OrdinalIgnoreCase))
        {
            return Fail(at, $"'{quantifier} of' is not Sigma: write '1 of', 'any of' or 'all of'.");
        }

        _position += 2;
        if (_position >= _tokens.Count || Token(_position) is "(" or ")")
        {
            return Fail(_position < _tokens.Count ? Offset() : _text.Length, $"'{quantifier} of' must be followed by 'them' or an identifier pattern.");
        }

        var target = Token(_position);
        List<string> names;
        if (!target.Equals("them", StringComparison.OrdinalIgnoreCase))
        {
            names = Reference(target, _tokens[_position].Start);
        }
        else
        {
            names = [.. _identifiers];
            foreach (var identifier in _identifiers)
            {
                _used.Add(identifier);
            }
        }

        _position++;
        return new ConditionOf(quantifier.Equals("all", StringComparison.OrdinalIgnoreCase), [.. names]);
    }

    /// <summary>A name must exist; a pattern with '*' must match at least one identifier. Returns the names it stands for.</summary>
    private List<string> Reference(string name, int offset)
    {
        var names = new List<string>();
        if (!name.Contains('*'))
        {
            if (_identifiers.Contains(name))
            {
                _used.Add(name);
                names.Add(name);
            }
            else
            {
                Problem(offset, $"'{name}' is not a search identifier defined under detection.");
            }

            return names;
        }

        foreach (var identifier in _identifiers)
        {
            if (WildcardMatch(name, identifier))
            {
                _used.Add(identifier);
                names.Add(identifier);
            }
        }

        if (names.Count == 0)
        {
            Problem(offset, $"the pattern '{name}' matches no search identifier defined under detection.");
        }

        return names;
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

    private ConditionExpression? Fail(int offset, string message)
    {
        Problem(offset, message);
        return null;
    }
}

/// <summary>A parsed condition; references are already resolved to the identifiers they name.</summary>
internal abstract record ConditionExpression;

internal sealed record ConditionJunction(bool And, ConditionExpression[] Items) : ConditionExpression;

internal sealed record ConditionNot(ConditionExpression Item) : ConditionExpression;

internal sealed record ConditionReference(string Name) : ConditionExpression;

/// <summary><c>1 of</c> / <c>all of</c> over the identifiers a name pattern or <c>them</c> stands for.</summary>
internal sealed record ConditionOf(bool All, string[] Names) : ConditionExpression;
