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
    public static void Check(PatternExpression expression, List<PatternProblem> problems)
    {
        switch (expression)
        {
            case ObservationCombination combination:
                Check(combination.Left, problems);
                Check(combination.Right, problems);
                break;
            case QualifiedObservation qualified:
                Check(qualified.Inner, problems);
                break;
            case Observation observation:
                CheckComparisons(observation.Comparison, problems);
                CheckSameType(observation.Comparison, problems);
                break;
        }
    }

    private static void CheckComparisons(ComparisonExpression comparison, List<PatternProblem> problems)
    {
        switch (comparison)
        {
            case ComparisonCombination combination:
                CheckComparisons(combination.Left, problems);
                CheckComparisons(combination.Right, problems);
                break;
            case ExistsComparison exists:
                CheckPath(exists.Path, problems);
                break;
            case PropertyComparison property:
                CheckPath(property.Path, problems);
                CheckValue(property, problems);
                break;
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

    /// <summary>Comparisons joined by AND inside one observation MUST all be about the same object type.</summary>
    private static void CheckSameType(ComparisonExpression comparison, List<PatternProblem> problems)
    {
        if (comparison is not ComparisonCombination combination)
        {
            return;
        }

        if (combination.Join == ComparisonJoin.And)
        {
            var left = TypesOf(combination.Left);
            var right = TypesOf(combination.Right);
            if (left.Count == 1 && right.Count == 1 && !left.SetEquals(right))
            {
                problems.Add(new PatternProblem(StixSeverity.Error, combination.Position,
                    $"comparisons joined by AND in one observation MUST name the same object type ({left.First()} and {right.First()})"));
            }
        }

        CheckSameType(combination.Left, problems);
        CheckSameType(combination.Right, problems);
    }

    private static HashSet<string> TypesOf(ComparisonExpression comparison)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ComparisonExpression>();
        pending.Push(comparison);
        while (pending.TryPop(out var current))
        {
            switch (current)
            {
                case ComparisonCombination combination:
                    pending.Push(combination.Left);
                    pending.Push(combination.Right);
                    break;
                case PropertyComparison property:
                    types.Add(property.Path.ObjectType);
                    break;
                case ExistsComparison exists:
                    types.Add(exists.Path.ObjectType);
                    break;
            }
        }

        return types;
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
