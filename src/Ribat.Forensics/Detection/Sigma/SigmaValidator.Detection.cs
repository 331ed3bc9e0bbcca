using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Detection;

internal static partial class SigmaValidator
{
    /// <summary>The modifiers of the Sigma specification (appendix "Modifiers", v2) and pySigma, which defines the
    /// language in practice: regex flags, comparison, time parts and <c>neq</c> included.</summary>
    private static readonly FrozenSet<string> Modifiers = new[]
    {
        "contains", "startswith", "endswith", "all", "exists", "cased", "neq",
        "windash", "re", "i", "ignorecase", "m", "multiline", "s", "dotall",
        "lt", "lte", "gt", "gte", "cidr",
        "base64", "base64offset", "utf16le", "utf16be", "wide", "utf16",
        "expand", "fieldref",
        "minute", "hour", "day", "week", "month", "year",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> RegexFlags =
        new[] { "i", "ignorecase", "m", "multiline", "s", "dotall" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Comparisons = new[] { "lt", "lte", "gt", "gte" }.ToFrozenSet(StringComparer.Ordinal);

    private static void CheckDetection(YamlMapping rule, RuleReport report)
    {
        var node = rule["detection"];
        if (node is null)
        {
            report.Error(rule.Line, rule.Column, "missing 'detection': a Sigma rule needs search identifiers and a condition.");
            return;
        }

        if (node is not YamlMapping detection)
        {
            report.Error(node.Line, node.Column, "detection must be a mapping of search identifiers and a 'condition'.");
            return;
        }

        var identifiers = new List<YamlScalar>();
        foreach (var entry in detection.Entries)
        {
            if (entry.Key.Value is "condition" or "timeframe")
            {
                continue;
            }

            identifiers.Add(entry.Key);
            CheckIdentifierName(entry.Key, report);
            CheckSearch(entry.Key.Value, entry.Value, report);
        }

        if (identifiers.Count == 0)
        {
            report.Error(detection.Line, detection.Column, "detection defines no search identifier (e.g. 'selection:').");
        }

        if (detection["timeframe"] is { } timeframe && timeframe is not YamlScalar)
        {
            report.Error(timeframe.Line, timeframe.Column, "timeframe must be a single value such as 15m.");
        }

        CheckConditions(detection, identifiers, report);
    }

    private static void CheckConditions(YamlMapping detection, List<YamlScalar> identifiers, RuleReport report)
    {
        var condition = detection["condition"];
        if (condition is null)
        {
            report.Error(detection.Line, detection.Column, "detection has no 'condition'.");
            return;
        }

        var conditions = new List<YamlScalar>();
        if (condition is YamlScalar { IsNull: false } single)
        {
            conditions.Add(single);
        }
        else if (condition is YamlSequence list && list.Items.Count > 0 && list.Items.All(i => i is YamlScalar { IsNull: false }))
        {
            conditions.AddRange(list.Items.Cast<YamlScalar>());
        }
        else
        {
            report.Error(condition.Line, condition.Column, "condition must be an expression (or a list of expressions).");
            return;
        }

        var names = identifiers.Select(i => i.Value).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var expression in conditions)
        {
            foreach (var (offset, message) in SigmaCondition.Check(expression.Value, names, used))
            {
                // Columns inside the expression are exact only for a plain one-line value; otherwise point at the value.
                var exact = expression.Plain && !expression.Value.Contains('\n');
                report.Error(expression.Line, exact ? expression.Column + offset : expression.Column, "condition: " + message);
            }
        }

        foreach (var identifier in identifiers)
        {
            if (!used.Contains(identifier.Value) && !report.HasErrors)
            {
                report.Warning(identifier.Line, identifier.Column, $"search identifier '{identifier.Value}' is never used in the condition.");
            }
        }
    }

    private static void CheckIdentifierName(YamlScalar key, RuleReport report)
    {
        foreach (var c in key.Value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.'))
            {
                // pySigma accepts such a name and a pattern ("1 of select*") can still reach it, so it is a warning.
                report.Warning(key.Line, key.Column,
                    $"search identifier '{YamlTree.Shorten(key.Value)}' has '{c}': only letters, digits, '_', '-' and '.' can be named in a condition (modifiers belong on field names).");
                return;
            }
        }
    }

    /// <summary>A search is a map of field conditions, a list of such maps (OR), or a list of keywords.</summary>
    private static void CheckSearch(string name, YamlNode value, RuleReport report)
    {
        switch (value)
        {
            case YamlMapping map:
                CheckFieldMap(map, report);
                break;
            case YamlSequence { Items.Count: 0 }:
                report.Error(value.Line, value.Column, $"search identifier '{name}' is an empty list.");
                break;
            case YamlSequence list when list.Items.All(i => i is YamlMapping):
                foreach (var item in list.Items)
                {
                    CheckFieldMap((YamlMapping)item, report);
                }

                break;
            case YamlSequence list when list.Items.All(i => i is YamlScalar):
                break;
            case YamlSequence:
                report.Error(value.Line, value.Column, $"search identifier '{name}' mixes keywords and field maps in one list.");
                break;
            case YamlScalar { IsNull: true }:
                report.Error(value.Line, value.Column, $"search identifier '{name}' is empty.");
                break;
        }
    }

    private static void CheckFieldMap(YamlMapping map, RuleReport report)
    {
        if (map.Entries.Count == 0)
        {
            report.Error(map.Line, map.Column, "an empty field map matches nothing.");
        }

        foreach (var (key, value) in map.Entries)
        {
            var parts = key.Value.Split('|');
            var modifiers = parts.AsSpan(1);
            var known = true;
            foreach (var modifier in modifiers)
            {
                if (!Modifiers.Contains(modifier))
                {
                    known = false;
                    report.Error(key.Line, key.Column, modifier.Length == 0
                        ? $"'{YamlTree.Shorten(key.Value)}' has an empty modifier (two '|' in a row or a trailing '|')."
                        : $"unknown modifier '{YamlTree.Shorten(modifier)}' in '{YamlTree.Shorten(key.Value)}'.");
                }
            }

            if (known)
            {
                CheckValues(key, modifiers, value, report);
            }
        }
    }

    private static void CheckValues(YamlScalar key, ReadOnlySpan<string> modifiers, YamlNode value, RuleReport report)
    {
        List<YamlScalar> values;
        if (value is YamlScalar scalar)
        {
            values = [scalar];
        }
        else if (value is YamlSequence list && list.Items.All(i => i is YamlScalar))
        {
            values = list.Items.Cast<YamlScalar>().ToList();
        }
        else
        {
            report.Error(value.Line, value.Column, $"the value of '{YamlTree.Shorten(key.Value)}' must be a value or a list of values, not a mapping.");
            return;
        }

        var has = new HashSet<string>(modifiers.ToArray(), StringComparer.Ordinal);
        if (has.Overlaps(RegexFlags) && !has.Contains("re"))
        {
            report.Error(key.Line, key.Column, $"'{YamlTree.Shorten(key.Value)}': the regex flags i, m and s need the 're' modifier.");
        }

        if (has.Contains("all") && value is YamlScalar)
        {
            report.Warning(key.Line, key.Column, $"'{YamlTree.Shorten(key.Value)}': 'all' on a single value has no effect; some backends refuse it.");
        }

        foreach (var item in values)
        {
            CheckValue(key, has, item, report);
        }
    }

    private static void CheckValue(YamlScalar key, HashSet<string> has, YamlScalar item, RuleReport report)
    {
        var field = YamlTree.Shorten(key.Value);
        if (has.Contains("exists") && !item.IsBoolean)
        {
            report.Error(item.Line, item.Column, $"'{field}': 'exists' takes true or false.");
        }
        else if (has.Overlaps(Comparisons) && !decimal.TryParse(item.Value, System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            report.Error(item.Line, item.Column, $"'{field}': comparison modifiers take a number, not '{YamlTree.Shorten(item.Value)}'.");
        }
        else if (has.Contains("cidr") && !IpCanonicaliser.TryParseCidr(item.Value, out _, out var reason))
        {
            report.Error(item.Line, item.Column, $"'{field}': '{YamlTree.Shorten(item.Value)}' is {reason.TrimEnd('.')}.");
        }
        else if (has.Contains("re") && !item.IsNull)
        {
            CheckRegex(field, item, report);
        }
    }

    /// <summary>Backends use several regex dialects (PCRE, RE2, Java); a pattern .NET cannot parse is worth a warning,
    /// not a refusal. Parsing a pattern is linear; nothing is matched here.</summary>
    private static void CheckRegex(string field, YamlScalar item, RuleReport report)
    {
        try
        {
            _ = new Regex(item.Value, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException exception)
        {
            report.Warning(item.Line, item.Column, $"'{field}': the regular expression may not be valid: {exception.Message}");
        }
    }
}
