using System.Globalization;

namespace Ribat.Forensics.Detection;

public enum SigmaCorrelationType
{
    EventCount,
    ValueCount,
    Temporal,
    TemporalOrdered,
}

/// <summary>The threshold of a correlation: <c>gt</c>, <c>gte</c>, <c>lt</c>, <c>lte</c> or <c>eq</c> a count.</summary>
public readonly record struct SigmaCorrelationCondition(string Operator, long Count)
{
    public bool Holds(long value) => Operator switch
    {
        "gt" => value > Count,
        "gte" => value >= Count,
        "lt" => value < Count,
        "lte" => value <= Count,
        _ => value == Count,
    };

    /// <summary>gt/gte can fire as soon as the count is reached; lt/lte/eq only when the window is over.</summary>
    public bool IsUpperBound => Operator is "lt" or "lte" or "eq";
}

/// <summary>
/// A Sigma correlation rule (specification v2): rules it builds on (by id or name), the fields that group their events,
/// the time span, and the condition (for <c>value_count</c>, over the distinct values of <see cref="Field"/>).
/// </summary>
public sealed class SigmaCorrelationRule
{
    private static readonly string[] Operators = ["gt", "gte", "lt", "lte", "eq"];

    private SigmaCorrelationRule(string id, string title, string? name, string? level, IReadOnlyList<string> tags, string source, SigmaCorrelationType type,
        IReadOnlyList<string> rules, IReadOnlyList<string> groupBy, TimeSpan timespan, SigmaCorrelationCondition condition, string? field, bool generate,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> aliases)
    {
        Id = id;
        Title = title;
        Name = name;
        Level = level;
        Tags = tags;
        Source = source;
        Type = type;
        Rules = rules;
        GroupBy = groupBy;
        Timespan = timespan;
        Condition = condition;
        Field = field;
        Generate = generate;
        Aliases = aliases;
    }

    public string Id { get; }

    public string Title { get; }

    public string? Name { get; }

    public string? Level { get; }

    public IReadOnlyList<string> Tags { get; }

    public string Source { get; }

    public SigmaCorrelationType Type { get; }

    /// <summary>The ids or names of the rules whose detections feed this one.</summary>
    public IReadOnlyList<string> Rules { get; }

    public IReadOnlyList<string> GroupBy { get; }

    public TimeSpan Timespan { get; }

    public SigmaCorrelationCondition Condition { get; }

    public string? Field { get; }

    /// <summary>Whether the rules it builds on still report their own detections.</summary>
    public bool Generate { get; }

    /// <summary>Alias name → (rule id or name → that rule's field), so temporal rules can group on differently named fields.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Aliases { get; }

    internal static bool TryRead(YamlMapping map, string source, out SigmaCorrelationRule? rule, out string reason)
    {
        rule = null;
        reason = "";
        if (Text(map, "title") is not { } title)
        {
            return Fail("missing 'title'.", out reason);
        }

        if (map["correlation"] is not YamlMapping body)
        {
            return Fail("'correlation' must be a mapping with type, rules, timespan and condition.", out reason);
        }

        var typeText = Text(body, "type");
        SigmaCorrelationType? type = typeText switch
        {
            "event_count" => SigmaCorrelationType.EventCount,
            "value_count" => SigmaCorrelationType.ValueCount,
            "temporal" => SigmaCorrelationType.Temporal,
            "temporal_ordered" => SigmaCorrelationType.TemporalOrdered,
            _ => null,
        };
        if (type is null)
        {
            return Fail($"correlation type '{typeText}' is not one of event_count, value_count, temporal, temporal_ordered.", out reason);
        }

        var rules = List(body, "rules");
        if (rules is null || rules.Count == 0)
        {
            return Fail("correlation 'rules' must list the ids or names of the rules it builds on.", out reason);
        }

        if (!TryTimespan(Text(body, "timespan"), out var timespan))
        {
            return Fail($"correlation 'timespan' '{Text(body, "timespan")}' is not a number followed by s, m, h, d, w, M or y.", out reason);
        }

        var groupBy = List(body, "group-by") ?? [];
        if (!TryCondition(body, type.Value, rules.Count, out var condition, out var field, out reason)
            || !TryAliases(body, out var aliases, out reason))
        {
            return false;
        }

        var generate = Text(body, "generate") is { } g && g.Equals("true", StringComparison.OrdinalIgnoreCase);
        var id = Text(map, "id") ?? SigmaRuleReader.DerivedId(source);
        rule = new SigmaCorrelationRule(id, title, Text(map, "name"), Text(map, "level"), List(map, "tags") ?? [], source, type.Value, rules, groupBy, timespan,
            condition, field, generate, aliases);
        return true;
    }

    private static bool TryCondition(YamlMapping body, SigmaCorrelationType type, int ruleCount, out SigmaCorrelationCondition condition, out string? field,
        out string reason)
    {
        condition = new SigmaCorrelationCondition("gte", ruleCount);
        field = null;
        reason = "";
        if (body["condition"] is not { } node)
        {
            // Temporal rules may leave it out: every listed rule must then be seen.
            return type is SigmaCorrelationType.Temporal or SigmaCorrelationType.TemporalOrdered || Fail("correlation has no 'condition'.", out reason);
        }

        if (node is not YamlMapping map)
        {
            return Fail("correlation 'condition' must be a mapping such as {gte: 10}.", out reason);
        }

        field = Text(map, "field");
        if (type == SigmaCorrelationType.ValueCount && field is null)
        {
            return Fail("a value_count correlation needs 'field' in its condition.", out reason);
        }

        var found = 0;
        foreach (var op in Operators)
        {
            if (Text(map, op) is { } count)
            {
                if (!long.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return Fail($"correlation condition '{op}' takes a whole number, not '{YamlTree.Shorten(count)}'.", out reason);
                }

                condition = new SigmaCorrelationCondition(op, value);
                found++;
            }
        }

        return found == 1 || Fail("correlation condition needs exactly one of gt, gte, lt, lte, eq.", out reason);
    }

    private static bool TryAliases(YamlMapping body, out IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> aliases, out string reason)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        aliases = result;
        reason = "";
        if (body["aliases"] is null)
        {
            return true;
        }

        if (body["aliases"] is not YamlMapping map)
        {
            return Fail("correlation 'aliases' must map an alias to {rule: field} pairs.", out reason);
        }

        foreach (var (alias, value) in map.Entries)
        {
            if (value is not YamlMapping fields || fields.Entries.Any(e => e.Value is not YamlScalar))
            {
                return Fail($"alias '{alias.Value}' must map each rule to one of its fields.", out reason);
            }

            result[alias.Value] = fields.Entries.ToDictionary(e => e.Key.Value, e => ((YamlScalar)e.Value).Value, StringComparer.Ordinal);
        }

        return true;
    }

    internal static bool TryTimespan(string? text, out TimeSpan timespan)
    {
        timespan = default;
        if (text is not { Length: >= 2 } || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0 || count > 100_000)
        {
            return false;
        }

        double? seconds = text[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            'w' => 7 * 86400,
            'M' => 30 * 86400,
            'y' => 365 * 86400,
            _ => null,
        };
        if (seconds is null)
        {
            return false;
        }

        timespan = TimeSpan.FromSeconds(count * seconds.Value);
        return true;
    }

    private static string? Text(YamlMapping map, string key) => map[key] is YamlScalar { IsNull: false } scalar ? scalar.Value : null;

    private static List<string>? List(YamlMapping map, string key) => map[key] switch
    {
        YamlScalar { IsNull: false } single => [single.Value],
        YamlSequence list when list.Items.All(i => i is YamlScalar) => list.Items.Cast<YamlScalar>().Select(s => s.Value).ToList(),
        _ => null,
    };

    private static bool Fail(string message, out string reason)
    {
        reason = message;
        return false;
    }
}
