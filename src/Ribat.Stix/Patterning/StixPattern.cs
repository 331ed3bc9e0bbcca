using System.Globalization;
using Ribat.Stix.Model;

namespace Ribat.Stix.Patterning;

/// <summary>Limits that keep a hostile pattern cheap: it is refused with a precise error instead.</summary>
public sealed record PatternOptions
{
    /// <summary>Longest pattern accepted, in characters.</summary>
    public int MaxLength { get; init; } = 1024 * 1024;

    /// <summary>Deepest nesting of parentheses and brackets accepted.</summary>
    public int MaxDepth { get; init; } = 64;

    public static PatternOptions Default { get; } = new();
}

/// <summary>The result of parsing a pattern: the tree when it parses, and every problem found.</summary>
public sealed class PatternParseResult
{
    internal PatternParseResult(PatternExpression? expression, IReadOnlyList<PatternProblem> problems)
    {
        Expression = expression;
        Problems = problems;
    }

    /// <summary>The parsed pattern, or null when it has a syntax error.</summary>
    public PatternExpression? Expression { get; }

    public IReadOnlyList<PatternProblem> Problems { get; }

    /// <summary>Parsed with no errors (warnings allowed).</summary>
    public bool IsValid => Expression is not null && Problems.All(p => p.Severity != StixSeverity.Error);
}

/// <summary>
/// STIX 2.1 patterning (section 9): parses a pattern into a tree, reports syntax errors by position, then checks object
/// types and property paths against the SCO model.
/// </summary>
public static class StixPattern
{
    public static PatternParseResult Parse(string pattern, PatternOptions? options = null)
    {
        options ??= PatternOptions.Default;
        var problems = new List<PatternProblem>();
        if (pattern.Length > options.MaxLength)
        {
            problems.Add(new PatternProblem(StixSeverity.Error, options.MaxLength, $"the pattern is {pattern.Length:N0} characters, more than the {options.MaxLength:N0} accepted"));
            return new PatternParseResult(null, problems);
        }

        PatternExpression expression;
        try
        {
            expression = new PatternParser(pattern, options.MaxDepth).ParsePattern();
        }
        catch (PatternSyntaxException exception)
        {
            problems.Add(new PatternProblem(StixSeverity.Error, exception.Position, exception.Message));
            return new PatternParseResult(null, problems);
        }

        PatternChecker.Check(expression, problems);
        return new PatternParseResult(expression, problems);
    }

    /// <summary>
    /// The simple comparisons of a pattern: <c>type:path = 'value'</c>, not negated, with a string or integer literal.
    /// Paths keep their steps (<c>hashes.SHA-256</c>); callers map type and path to their own indicator types.
    /// </summary>
    public static IReadOnlyList<PatternObservable> Observables(PatternExpression expression)
    {
        var found = new List<PatternObservable>();
        foreach (var observation in PatternChecker.Observations(expression))
        {
            foreach (var comparison in PatternChecker.Comparisons(observation.Comparison))
            {
                if (comparison is PropertyComparison { Negated: false, Operator: ComparisonOperator.Equal, Value.Kind: LiteralKind.String or LiteralKind.Integer } equal)
                {
                    found.Add(new PatternObservable(equal.Path.ObjectType, equal.Path.PropertyPath, equal.Value.Text));
                }
            }
        }

        return found;
    }
}
