using System.Text;
using Ribat.Stix.Model;

namespace Ribat.Stix.Patterning;

/// <summary>A problem in a pattern, at a character offset (0-based) into it.</summary>
public sealed record PatternProblem(StixSeverity Severity, int Position, string Message)
{
    public override string ToString() => $"at {Position}: {Message}";
}

/// <summary>An observation-level node: <c>[…]</c>, a combination of observations, or one with a qualifier.</summary>
public abstract record PatternExpression(int Position);

public enum ObservationOperator
{
    And,
    Or,
    FollowedBy,
}

public sealed record ObservationCombination(int Position, ObservationOperator Operator, PatternExpression Left, PatternExpression Right) : PatternExpression(Position);

/// <summary>One observation: <c>[comparison expression]</c>.</summary>
public sealed record Observation(int Position, ComparisonExpression Comparison) : PatternExpression(Position);

public sealed record QualifiedObservation(int Position, PatternExpression Inner, PatternQualifier Qualifier) : PatternExpression(Position);

public abstract record PatternQualifier(int Position);

public sealed record WithinQualifier(int Position, decimal Seconds) : PatternQualifier(Position);

public sealed record RepeatsQualifier(int Position, long Times) : PatternQualifier(Position);

public sealed record StartStopQualifier(int Position, StixTimestamp Start, StixTimestamp Stop) : PatternQualifier(Position);

/// <summary>A comparison-level node, inside brackets.</summary>
public abstract record ComparisonExpression(int Position);

public enum ComparisonJoin
{
    And,
    Or,
}

public sealed record ComparisonCombination(int Position, ComparisonJoin Join, ComparisonExpression Left, ComparisonExpression Right) : ComparisonExpression(Position);

public enum ComparisonOperator
{
    Equal,
    NotEqual,
    LessThan,
    GreaterThan,
    LessOrEqual,
    GreaterOrEqual,
    In,
    Like,
    Matches,
    IsSubset,
    IsSuperset,
}

/// <summary><c>path [NOT] operator value</c>.</summary>
public sealed record PropertyComparison(int Position, ObjectPath Path, bool Negated, ComparisonOperator Operator, PatternLiteral Value) : ComparisonExpression(Position);

/// <summary><c>EXISTS path</c>.</summary>
public sealed record ExistsComparison(int Position, ObjectPath Path) : ComparisonExpression(Position);

/// <summary>One step of an object path after the type: a property name, a list index, or <c>[*]</c>.</summary>
public readonly record struct PathStep(string? Property, int? Index)
{
    public bool IsAnyIndex => Property is null && Index is null;

    public override string ToString() => Property ?? (Index is { } i ? $"[{i}]" : "[*]");
}

/// <summary><c>type:property.sub[0].…</c></summary>
public sealed record ObjectPath(int Position, string ObjectType, IReadOnlyList<PathStep> Steps)
{
    /// <summary>The path after the type, e.g. <c>hashes.SHA-256</c> or <c>extensions.windows-pebinary-ext.sections[*].entropy</c>.</summary>
    public string PropertyPath
    {
        get
        {
            var builder = new StringBuilder();
            foreach (var step in Steps)
            {
                if (step.Property is not null && builder.Length > 0)
                {
                    builder.Append('.');
                }

                builder.Append(step.ToString());
            }

            return builder.ToString();
        }
    }

    public override string ToString() => $"{ObjectType}:{PropertyPath}";
}

public enum LiteralKind
{
    String,
    Integer,
    Float,
    Boolean,
    Binary,
    Hex,
    Timestamp,
    Set,
}

/// <summary>A literal as written (<see cref="Text"/> is the unescaped content) and, for sets, its members.</summary>
public sealed record PatternLiteral(int Position, LiteralKind Kind, string Text, IReadOnlyList<PatternLiteral>? Members = null);

/// <summary>A simple comparison pulled out of a pattern: <c>[ipv4-addr:value = '198.51.100.1']</c>.</summary>
public sealed record PatternObservable(string ObjectType, string PropertyPath, string Value);
