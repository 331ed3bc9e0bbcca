using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Ribat.Stix.Model;
using Ribat.Stix.Serialization;
using Ribat.Stix.Validation;

namespace Ribat.Stix.Patterning;

/// <summary>
/// What the grammar cannot say: comparisons joined by AND in one observation name one object type, sets hold one kind
/// of literal, regular expressions compile, and object types and property paths exist in the SCO model (a warning when
/// they do not: custom objects and properties are allowed).
/// </summary>
internal static class PatternChecker
{
    // Walks are iterative: a pattern of a million characters can chain tens of thousands of ORs, deeper than the
    // stack would allow a recursive walk to go.
    public static void Check(PatternExpression expression, List<PatternProblem> problems)
    {
        foreach (var observation in Observations(expression))
        {
            foreach (var comparison in Comparisons(observation.Comparison))
            {
                switch (comparison)
                {
                    case ExistsComparison exists:
                        CheckPath(exists.Path, problems);
                        break;
                    case PropertyComparison property:
                        CheckPath(property.Path, problems);
                        CheckValue(property, problems);
                        break;
                }
            }

            CheckSameType(observation.Comparison, problems);
        }
    }

    /// <summary>The observations of a pattern, left to right.</summary>
    internal static IEnumerable<Observation> Observations(PatternExpression expression)
    {
        var pending = new Stack<PatternExpression>();
        pending.Push(expression);
        while (pending.TryPop(out var current))
        {
            switch (current)
            {
                case ObservationCombination combination:
                    pending.Push(combination.Right);
                    pending.Push(combination.Left);
                    break;
                case QualifiedObservation qualified:
                    pending.Push(qualified.Inner);
                    break;
                case Observation observation:
                    yield return observation;
                    break;
            }
        }
    }

    /// <summary>The leaf comparisons of an observation, left to right.</summary>
    internal static IEnumerable<ComparisonExpression> Comparisons(ComparisonExpression comparison)
    {
        var pending = new Stack<ComparisonExpression>();
        pending.Push(comparison);
        while (pending.TryPop(out var current))
        {
            if (current is ComparisonCombination combination)
            {
                pending.Push(combination.Right);
                pending.Push(combination.Left);
            }
            else
            {
                yield return current;
            }
        }
    }

    private static void CheckValue(PropertyComparison comparison, List<PatternProblem> problems)
    {
        var value = comparison.Value;
        if (comparison.Operator == ComparisonOperator.In && value.Members is { Count: > 1 } members)
        {
            foreach (var member in members)
            {
                if (member.Kind != members[0].Kind && !(IsNumber(member.Kind) && IsNumber(members[0].Kind)))
                {
                    problems.Add(new PatternProblem(StixSeverity.Error, member.Position, "every value of a set MUST be of the same type"));
                    break;
                }
            }
        }

        if (comparison.Operator == ComparisonOperator.Matches)
        {
            try
            {
                _ = new Regex(value.Text, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException exception)
            {
                problems.Add(new PatternProblem(StixSeverity.Warning, value.Position, $"the regular expression does not compile: {exception.Message}"));
            }
        }
    }

    private static bool IsNumber(LiteralKind kind) => kind is LiteralKind.Integer or LiteralKind.Float;

    /// <summary>
    /// Comparisons joined by AND inside one observation MUST all be about the same object type. Each node's type (or
    /// "several") is found bottom-up once, so a long chain costs linear time.
    /// </summary>
    private static void CheckSameType(ComparisonExpression root, List<PatternProblem> problems)
    {
        const string Several = "";
        var typeOf = new Dictionary<ComparisonExpression, string>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(ComparisonExpression Node, bool Visited)>();
        pending.Push((root, false));
        while (pending.TryPop(out var entry))
        {
            switch (entry.Node)
            {
                case ComparisonCombination combination when !entry.Visited:
                    pending.Push((combination, true));
                    pending.Push((combination.Right, false));
                    pending.Push((combination.Left, false));
                    break;
                case ComparisonCombination combination:
                    var left = typeOf[combination.Left];
                    var right = typeOf[combination.Right];
                    if (combination.Join == ComparisonJoin.And && left != Several && right != Several && left != right)
                    {
                        problems.Add(new PatternProblem(StixSeverity.Error, combination.Position,
                            $"comparisons joined by AND in one observation MUST name the same object type ({left} and {right})"));
                    }

                    typeOf[combination] = left == right ? left : Several;
                    break;
                case PropertyComparison property:
                    typeOf[property] = property.Path.ObjectType;
                    break;
                case ExistsComparison exists:
                    typeOf[exists] = exists.Path.ObjectType;
                    break;
            }
        }
    }

    private static void CheckPath(ObjectPath path, List<PatternProblem> problems)
    {
        if (StixTypes.KindOf(path.ObjectType) != StixObjectKind.Observable)
        {
            var known = StixTypes.IsDefined(path.ObjectType) ? "is not a cyber-observable type" : "is not an SCO type STIX defines";
            problems.Add(new PatternProblem(StixSeverity.Warning, path.Position, $"'{path.ObjectType}' {known}"));
            return;
        }

        JsonTypeInfo? info = StixTypes.TypeInfoFor(path.ObjectType);
        var walked = path.ObjectType + ":";
        for (var i = 0; i < path.Steps.Count && info is not null; i++)
        {
            var step = path.Steps[i];
            if (step.Property is null)
            {
                problems.Add(new PatternProblem(StixSeverity.Warning, path.Position, $"{walked} is not a list, but the path indexes it"));
                return;
            }

            if (step.Property.StartsWith("x_", StringComparison.Ordinal))
            {
                return;
            }

            if (!ModelShape.PropertiesOf(info).TryGetValue(step.Property, out var property))
            {
                problems.Add(new PatternProblem(StixSeverity.Warning, path.Position, $"'{step.Property}' is not a property of {walked.TrimEnd(':', '.')} in STIX 2.1"));
                return;
            }

            walked += step.Property + ".";
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var isList = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);
            if (!isList && i + 1 < path.Steps.Count && path.Steps[i + 1].Property is null)
            {
                problems.Add(new PatternProblem(StixSeverity.Warning, path.Position, $"{walked.TrimEnd('.')} is not a list, but the path indexes it"));
                return;
            }

            if (isList)
            {
                // A list property is indexed ([n] or [*]) before going further; an unindexed list compares as a whole.
                if (i + 1 < path.Steps.Count && path.Steps[i + 1].Property is null)
                {
                    i++;
                }

                type = type.GetGenericArguments()[0];
            }

            info = type == typeof(string) || type.IsValueType || type == typeof(JsonObject) || type == typeof(Dictionary<string, string>)
                ? null
                : StixJsonContext.Default.GetTypeInfo(type);
            if (info is not null && type == typeof(StixExtensions) && i + 1 < path.Steps.Count && path.Steps[i + 1].Property is { } extension
                && !ModelShape.PropertiesOf(info).ContainsKey(extension))
            {
                // A custom extension (an extension definition's id, a vendor's key): its properties are not modelled.
                return;
            }
        }
    }
}
