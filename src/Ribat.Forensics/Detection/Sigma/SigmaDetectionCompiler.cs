namespace Ribat.Forensics.Detection;

/// <summary>
/// Turns a rule's <c>detection</c> into a <see cref="SigmaNode"/>: maps are AND, lists are OR, field-less values search
/// every field. Field names go through the log source's renames, then get a slot in the shared table. The first
/// problem ends the compilation with a reason naming where it is.
/// </summary>
internal sealed partial class SigmaDetectionCompiler(SigmaFieldTable table, IReadOnlyDictionary<string, string>? renames,
    IReadOnlyDictionary<string, IReadOnlyList<string>> placeholders)
{
    /// <summary>Values, after windash/expand/base64offset have multiplied them, that one rule may hold.</summary>
    internal const int MaxMatchers = 100_000;

    private readonly Dictionary<string, SigmaNode> _searches = new(StringComparer.Ordinal);
    private int _matchers;

    public string? Error { get; private set; }

    public SigmaNode? Compile(YamlMapping detection)
    {
        var identifiers = new List<string>();
        foreach (var (key, value) in detection.Entries)
        {
            if (key.Value is "condition" or "timeframe")
            {
                continue;
            }

            identifiers.Add(key.Value);
            if (CompileSearch(key.Value, value) is not { } node)
            {
                return null;
            }

            _searches[key.Value] = node;
        }

        if (detection["condition"] is not { } condition)
        {
            return Fail(detection, "detection has no 'condition'.");
        }

        var expressions = condition switch
        {
            YamlScalar { IsNull: false } single => [single],
            YamlSequence list when list.Items.Count > 0 && list.Items.All(i => i is YamlScalar { IsNull: false }) => list.Items.Cast<YamlScalar>().ToList(),
            _ => null,
        };
        if (expressions is null)
        {
            return Fail(condition, "condition must be an expression or a list of expressions.");
        }

        var nodes = new List<SigmaNode>();
        foreach (var expression in expressions)
        {
            var parsed = SigmaCondition.Parse(expression.Value, identifiers, [], out var problems);
            if (parsed is null)
            {
                return Fail(expression, "condition: " + problems[0].Message);
            }

            nodes.Add(Build(parsed));
        }

        // A list of conditions is an alternative: the rule fires when any of them holds.
        return nodes.Count == 1 ? nodes[0] : new SigmaJunction(and: false, [.. nodes]);
    }

    private SigmaNode Build(ConditionExpression expression) => expression switch
    {
        ConditionJunction junction => new SigmaJunction(junction.And, [.. junction.Items.Select(Build)]),
        ConditionNot not => new SigmaNot(Build(not.Item)),
        ConditionReference reference => _searches[reference.Name],
        ConditionOf of => of.Names.Length == 1 ? _searches[of.Names[0]] : new SigmaJunction(of.All, [.. of.Names.Select(n => _searches[n])]),
        _ => throw new InvalidOperationException("unknown condition node"),
    };

    private SigmaNode? CompileSearch(string name, YamlNode value)
    {
        switch (value)
        {
            case YamlMapping map:
                return CompileFieldMap(map);
            case YamlSequence { Items.Count: 0 }:
                return Fail(value, $"search identifier '{name}' is an empty list.");
            case YamlSequence list when list.Items.All(i => i is YamlMapping):
                var alternatives = new List<SigmaNode>();
                foreach (var item in list.Items)
                {
                    if (CompileFieldMap((YamlMapping)item) is not { } node)
                    {
                        return null;
                    }

                    alternatives.Add(node);
                }

                return alternatives.Count == 1 ? alternatives[0] : new SigmaJunction(and: false, [.. alternatives]);
            case YamlSequence list when list.Items.All(i => i is YamlScalar):
                return CompileKeywords(list.Items.Cast<YamlScalar>().ToList(), value);
            case YamlScalar { IsNull: false } keyword:
                return CompileKeywords([keyword], value);
            default:
                return Fail(value, $"search identifier '{name}' must be a field map, a list of field maps or a list of keywords.");
        }
    }

    private SigmaNode? CompileKeywords(List<YamlScalar> keywords, YamlNode at)
    {
        var matchers = new List<SigmaValueMatcher>();
        foreach (var keyword in keywords)
        {
            if (keyword.IsNull)
            {
                return Fail(keyword, "a keyword cannot be null.");
            }

            matchers.Add(new PatternMatcher(SigmaPattern.Compile(keyword.Value, cased: false, SigmaFieldPart.Contains)));
        }

        return Count(matchers.Count, at) ? new SigmaKeywordNode([.. matchers], all: false) : null;
    }

    private SigmaNode? CompileFieldMap(YamlMapping map)
    {
        if (map.Entries.Count == 0)
        {
            return Fail(map, "an empty field map matches nothing.");
        }

        var fields = new List<SigmaNode>();
        foreach (var (key, value) in map.Entries)
        {
            if (CompileField(key, value) is not { } node)
            {
                return null;
            }

            fields.Add(node);
        }

        return fields.Count == 1 ? fields[0] : new SigmaJunction(and: true, [.. fields]);
    }

    private bool Count(int added, YamlNode at)
    {
        _matchers += added;
        if (_matchers <= MaxMatchers)
        {
            return true;
        }

        Fail(at, $"the rule holds more than {MaxMatchers:N0} values once modifiers are applied.");
        return false;
    }

    private SigmaNode? Fail(YamlNode at, string message)
    {
        Error ??= $"line {at.Line}, column {at.Column}: {message}";
        return null;
    }

    private int SlotOf(string field) => table.Slot(renames is not null && renames.TryGetValue(field, out var renamed) ? renamed : field);
}
