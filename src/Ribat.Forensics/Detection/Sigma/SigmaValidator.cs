using System.Collections.Frozen;

namespace Ribat.Forensics.Detection;

/// <summary>
/// Checks a Sigma rule against the Sigma specification (v2): one YAML mapping with a title, a log source and a
/// detection whose condition parses and names only defined search identifiers; typed metadata (UUID id, known
/// status and level, list-valued tags and references); and known field modifiers with values of the right shape.
/// </summary>
internal static partial class SigmaValidator
{
    private const int MaxTitleLength = 256;
    private const int MaxDescriptionLength = 65535;

    private static readonly FrozenSet<string> Statuses =
        new[] { "stable", "test", "experimental", "deprecated", "unsupported" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Levels =
        new[] { "informational", "low", "medium", "high", "critical" }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> RelationTypes =
        new[] { "derived", "obsolete", "merged", "renamed", "similar" }.ToFrozenSet(StringComparer.Ordinal);

    public static void Validate(string text, RuleReport report)
    {
        if (YamlTree.Read(text, report) is { } root)
        {
            Validate(root, report);
        }
    }

    /// <summary>Checks a rule already read, so the engine's loader reads each file once.</summary>
    public static void Validate(YamlNode root, RuleReport report)
    {
        if (root is not YamlMapping rule)
        {
            report.Error(root.Line, root.Column, "a Sigma rule is a YAML mapping of keys (title, logsource, detection, ...) at the top level.");
            return;
        }

        CheckMetadata(rule, report);
        CheckLogSource(rule, report);
        CheckDetection(rule, report);
    }

    private static void CheckMetadata(YamlMapping rule, RuleReport report)
    {
        if (RequireText(rule, "title", report) is { } title)
        {
            report.Title = title.Value;
            if (title.Value.Length > MaxTitleLength)
            {
                report.Error(title.Line, title.Column, $"title is {title.Value.Length} characters; at most {MaxTitleLength} are allowed.");
            }
        }

        if (OptionalText(rule, "id", report) is { } id)
        {
            report.Id = id.Value;
            if (!Guid.TryParseExact(id.Value, "D", out _))
            {
                report.Error(id.Line, id.Column, $"id '{YamlTree.Shorten(id.Value)}' is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).");
            }
        }

        CheckChoice(rule, "status", Statuses, report);
        CheckChoice(rule, "level", Levels, report);
        if (OptionalText(rule, "description", report) is { } description && description.Value.Length > MaxDescriptionLength)
        {
            report.Error(description.Line, description.Column, $"description is longer than {MaxDescriptionLength} characters.");
        }

        OptionalText(rule, "name", report);
        OptionalText(rule, "author", report);
        OptionalText(rule, "license", report);
        CheckDate(rule, "date", report);
        CheckDate(rule, "modified", report);
        CheckTextList(rule, "references", allowSingle: false, report);
        CheckTextList(rule, "fields", allowSingle: false, report);
        CheckTextList(rule, "falsepositives", allowSingle: true, report);
        if (CheckTextList(rule, "tags", allowSingle: false, report) is { } tags)
        {
            foreach (var tag in tags)
            {
                if (!IsTag(tag.Value))
                {
                    report.Warning(tag.Line, tag.Column, $"tag '{YamlTree.Shorten(tag.Value)}' is not 'namespace.name' in lower case (e.g. attack.t1059.001).");
                }
            }
        }

        CheckRelated(rule, report);
    }

    private static void CheckRelated(YamlMapping rule, RuleReport report)
    {
        if (rule["related"] is not { } related)
        {
            return;
        }

        if (related is not YamlSequence items)
        {
            report.Error(related.Line, related.Column, "related must be a list of {id, type} entries.");
            return;
        }

        foreach (var item in items.Items)
        {
            if (item is not YamlMapping entry)
            {
                report.Error(item.Line, item.Column, "each related entry must be a mapping with 'id' and 'type'.");
                continue;
            }

            if (RequireText(entry, "id", report) is { } id && !Guid.TryParseExact(id.Value, "D", out _))
            {
                report.Error(id.Line, id.Column, $"related id '{YamlTree.Shorten(id.Value)}' is not a UUID.");
            }

            if (RequireText(entry, "type", report) is { } type && !RelationTypes.Contains(type.Value))
            {
                report.Error(type.Line, type.Column, $"related type '{YamlTree.Shorten(type.Value)}' is not one of {string.Join(", ", RelationTypes.Order())}.");
            }
        }
    }

    private static void CheckLogSource(YamlMapping rule, RuleReport report)
    {
        var node = rule["logsource"];
        if (node is null)
        {
            report.Error(rule.Line, rule.Column, "missing 'logsource': a Sigma rule must say which log it applies to.");
            return;
        }

        if (node is not YamlMapping logsource)
        {
            report.Error(node.Line, node.Column, "logsource must be a mapping (category, product, service).");
            return;
        }

        foreach (var entry in logsource.Entries)
        {
            if (entry.Value is not YamlScalar)
            {
                report.Error(entry.Value.Line, entry.Value.Column, $"logsource '{YamlTree.Shorten(entry.Key.Value)}' must be a single value.");
            }
        }

        if (logsource["category"] is null && logsource["product"] is null && logsource["service"] is null)
        {
            report.Error(logsource.Line, logsource.Column, "logsource needs at least one of 'category', 'product' or 'service'.");
        }
    }

    private static YamlScalar? RequireText(YamlMapping map, string key, RuleReport report)
    {
        var node = map[key];
        if (node is null)
        {
            report.Error(map.Line, map.Column, $"missing '{key}'.");
            return null;
        }

        return AsText(node, key, report);
    }

    private static YamlScalar? OptionalText(YamlMapping map, string key, RuleReport report) =>
        map[key] is { } node ? AsText(node, key, report) : null;

    private static YamlScalar? AsText(YamlNode node, string key, RuleReport report)
    {
        if (node is YamlScalar { IsNull: false } scalar && scalar.Value.Trim().Length > 0)
        {
            return scalar;
        }

        report.Error(node.Line, node.Column, $"'{key}' must be a non-empty text value.");
        return null;
    }

    private static void CheckChoice(YamlMapping rule, string key, FrozenSet<string> allowed, RuleReport report)
    {
        if (OptionalText(rule, key, report) is { } value && !allowed.Contains(value.Value))
        {
            report.Error(value.Line, value.Column,
                $"{key} '{YamlTree.Shorten(value.Value)}' is not one of {string.Join(", ", allowed.OrderBy(a => a, StringComparer.Ordinal))}.");
        }
    }

    private static void CheckDate(YamlMapping rule, string key, RuleReport report)
    {
        if (OptionalText(rule, key, report) is { } date && !IsDate(date.Value))
        {
            report.Warning(date.Line, date.Column, $"{key} '{YamlTree.Shorten(date.Value)}' is not a date written YYYY-MM-DD.");
        }
    }

    private static bool IsDate(string value) =>
        DateOnly.TryParseExact(value, ["yyyy-MM-dd", "yyyy/MM/dd"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out _);

    private static List<YamlScalar>? CheckTextList(YamlMapping rule, string key, bool allowSingle, RuleReport report)
    {
        var node = rule[key];
        if (node is null || node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (node is YamlScalar single)
        {
            if (!allowSingle)
            {
                report.Error(node.Line, node.Column, $"'{key}' must be a list ('- item' lines), not a single value.");
            }

            return [single];
        }

        if (node is not YamlSequence sequence)
        {
            report.Error(node.Line, node.Column, $"'{key}' must be a list of text values.");
            return null;
        }

        var items = new List<YamlScalar>();
        foreach (var item in sequence.Items)
        {
            if (item is YamlScalar scalar)
            {
                items.Add(scalar);
            }
            else
            {
                report.Error(item.Line, item.Column, $"every entry of '{key}' must be a text value.");
            }
        }

        return items;
    }

    private static bool IsTag(string tag)
    {
        var dot = tag.IndexOf('.');
        if (dot <= 0 || dot == tag.Length - 1)
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not ('_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
