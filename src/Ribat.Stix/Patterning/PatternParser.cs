using System.Globalization;
using Ribat.Stix.Model;

namespace Ribat.Stix.Patterning;

/// <summary>Recursive descent over the grammar; every rule names what it expected and where.</summary>
internal sealed partial class PatternParser(string text, int maxDepth)
{
    private readonly PatternLexer _lexer = new(text);
    private Token _current;
    private int _depth;

    public PatternExpression ParsePattern()
    {
        Advance();
        var expression = ObservationExpressions();
        if (_current.Kind != TokenKind.End)
        {
            throw Error($"unexpected '{_current.Text}' after the end of the pattern");
        }

        return expression;
    }

    private PatternExpression ObservationExpressions()
    {
        var left = ObservationOr();
        while (IsKeyword("FOLLOWEDBY"))
        {
            var at = Advance().Position;
            left = new ObservationCombination(at, ObservationOperator.FollowedBy, left, ObservationOr());
        }

        return left;
    }

    private PatternExpression ObservationOr()
    {
        var left = ObservationAnd();
        while (IsKeyword("OR"))
        {
            var at = Advance().Position;
            left = new ObservationCombination(at, ObservationOperator.Or, left, ObservationAnd());
        }

        return left;
    }

    private PatternExpression ObservationAnd()
    {
        var left = QualifiedObservation();
        while (IsKeyword("AND"))
        {
            var at = Advance().Position;
            left = new ObservationCombination(at, ObservationOperator.And, left, QualifiedObservation());
        }

        return left;
    }

    private PatternExpression QualifiedObservation()
    {
        var start = _current.Position;
        PatternExpression expression;
        Enter(start);
        if (_current.Kind == TokenKind.LeftBracket)
        {
            Advance();
            var comparison = ComparisonOr();
            Expect(TokenKind.RightBracket, "']' to close the observation");
            expression = new Observation(start, comparison);
        }
        else if (_current.Kind == TokenKind.LeftParen)
        {
            Advance();
            expression = ObservationExpressions();
            Expect(TokenKind.RightParen, "')'");
        }
        else
        {
            throw Error($"expected '[' or '(' to start an observation, found {Describe(_current)}");
        }

        _depth--;
        while (IsKeyword("WITHIN") || IsKeyword("REPEATS") || IsKeyword("START"))
        {
            expression = new QualifiedObservation(_current.Position, expression, Qualifier());
        }

        return expression;
    }

    private PatternQualifier Qualifier()
    {
        var keyword = Advance();
        switch (keyword.Text)
        {
            case "WITHIN":
                var amount = _current;
                if (amount.Kind is not (TokenKind.Integer or TokenKind.Float))
                {
                    throw Error($"expected a number of seconds after WITHIN, found {Describe(amount)}");
                }

                Advance();
                ExpectKeyword("SECONDS");
                var seconds = decimal.TryParse(amount.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1m;
                return seconds > 0 ? new WithinQualifier(keyword.Position, seconds) : throw new PatternSyntaxException(amount.Position, "WITHIN needs a positive number of seconds");
            case "REPEATS":
                var times = _current;
                if (times.Kind != TokenKind.Integer || !long.TryParse(times.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) || count <= 0)
                {
                    throw Error($"expected a positive integer after REPEATS, found {Describe(times)}");
                }

                Advance();
                ExpectKeyword("TIMES");
                return new RepeatsQualifier(keyword.Position, count);
            default:
                var start = TimestampAfter();
                ExpectKeyword("STOP");
                var stop = TimestampAfter();
                return stop > start ? new StartStopQualifier(keyword.Position, start, stop) : throw new PatternSyntaxException(keyword.Position, "STOP MUST be later than START");
        }
    }

    private StixTimestamp TimestampAfter()
    {
        var token = _current;
        if (token.Kind != TokenKind.Timestamp)
        {
            throw Error($"expected a timestamp literal t'…', found {Describe(token)}");
        }

        Advance();
        return StixTimestamp.TryParse(token.Text, out var value, out var error) ? value : throw new PatternSyntaxException(token.Position, $"t'{token.Text}': {error}");
    }

    private ComparisonExpression ComparisonOr()
    {
        var left = ComparisonAnd();
        while (IsKeyword("OR"))
        {
            var at = Advance().Position;
            left = new ComparisonCombination(at, ComparisonJoin.Or, left, ComparisonAnd());
        }

        return left;
    }

    private ComparisonExpression ComparisonAnd()
    {
        var left = PropertyTest();
        while (IsKeyword("AND"))
        {
            var at = Advance().Position;
            left = new ComparisonCombination(at, ComparisonJoin.And, left, PropertyTest());
        }

        return left;
    }

    private ComparisonExpression PropertyTest()
    {
        var start = _current.Position;
        if (_current.Kind == TokenKind.LeftParen)
        {
            Enter(start);
            Advance();
            var inner = ComparisonOr();
            Expect(TokenKind.RightParen, "')'");
            _depth--;
            return inner;
        }

        if (IsKeyword("EXISTS"))
        {
            Advance();
            return new ExistsComparison(start, Path());
        }

        var path = Path();
        var negated = false;
        if (IsKeyword("NOT"))
        {
            negated = true;
            Advance();
        }

        var (op, literal) = OperatorAndValue();
        return new PropertyComparison(start, path, negated, op, literal);
    }
}
