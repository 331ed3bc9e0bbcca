using System.Globalization;
using System.Text.RegularExpressions;
using Ribat.Forensics.Ioc;

namespace Ribat.Forensics.Detection;

internal sealed partial class SigmaDetectionCompiler
{
    /// <summary>What a field key's modifiers ask for, gathered before any value is compiled.</summary>
    private sealed class FieldModifiers
    {
        public SigmaFieldPart Part { get; set; }

        public bool All { get; set; }

        public bool Cased { get; set; }

        public string? Kind { get; set; }

        public RegexOptions RegexFlags { get; set; }

        public List<string> Encoders { get; } = [];
    }

    private SigmaNode? CompileField(YamlScalar key, YamlNode value)
    {
        var parts = key.Value.Split('|');
        var modifiers = new FieldModifiers();
        foreach (var modifier in parts.AsSpan(1))
        {
            if (Apply(modifier, modifiers) is { } problem)
            {
                return Fail(key, $"'{YamlTree.Shorten(key.Value)}': {problem}");
            }
        }

        List<YamlScalar> values;
        if (value is YamlScalar scalar)
        {
            values = [scalar];
        }
        else if (value is YamlSequence { Items.Count: > 0 } list && list.Items.All(i => i is YamlScalar))
        {
            values = list.Items.Cast<YamlScalar>().ToList();
        }
        else
        {
            return Fail(value, $"the value of '{YamlTree.Shorten(key.Value)}' must be a value or a non-empty list of values.");
        }

        var matchers = new List<SigmaValueMatcher>();
        foreach (var item in values)
        {
            if (!AddMatchers(key, item, modifiers, matchers))
            {
                return null;
            }
        }

        if (!Count(matchers.Count, key))
        {
            return null;
        }

        return parts[0].Length == 0
            ? new SigmaKeywordNode([.. matchers], modifiers.All)
            : new SigmaFieldNode(SlotOf(parts[0]), [.. matchers], modifiers.All);
    }

    private static string? Apply(string modifier, FieldModifiers into)
    {
        switch (modifier)
        {
            case "contains":
                into.Part = SigmaFieldPart.Contains;
                return null;
            case "startswith":
                into.Part = SigmaFieldPart.StartsWith;
                return null;
            case "endswith":
                into.Part = SigmaFieldPart.EndsWith;
                return null;
            case "all":
                into.All = true;
                return null;
            case "cased":
                into.Cased = true;
                return null;
            case "i" or "ignorecase":
                into.RegexFlags |= RegexOptions.IgnoreCase;
                return null;
            case "m" or "multiline":
                into.RegexFlags |= RegexOptions.Multiline;
                return null;
            case "s" or "dotall":
                into.RegexFlags |= RegexOptions.Singleline;
                return null;
            case "wide" or "utf16le" or "utf16be" or "utf16" or "base64" or "base64offset" or "windash" or "expand":
                into.Encoders.Add(modifier);
                return null;
            case "re" or "cidr" or "exists" or "fieldref" or "lt" or "lte" or "gt" or "gte":
                if (into.Kind is not null)
                {
                    return $"'{modifier}' cannot be combined with '{into.Kind}'.";
                }

                into.Kind = modifier;
                return null;
            case "neq" or "minute" or "hour" or "day" or "week" or "month" or "year":
                return $"the modifier '{modifier}' is not supported by this engine.";
            default:
                return $"unknown modifier '{YamlTree.Shorten(modifier)}'.";
        }
    }

    private bool AddMatchers(YamlScalar key, YamlScalar item, FieldModifiers modifiers, List<SigmaValueMatcher> into)
    {
        var field = YamlTree.Shorten(key.Value);
        if (modifiers.Kind is { } kind && kind != "re" && modifiers.Encoders.Count > 0)
        {
            return Fail(key, $"'{field}': '{kind}' cannot follow a value encoding modifier.") is not null;
        }

        if (modifiers.RegexFlags != RegexOptions.None && modifiers.Kind != "re")
        {
            return Fail(key, $"'{field}': the regex flags i, m and s need the 're' modifier.") is not null;
        }

        switch (modifiers.Kind)
        {
            case "exists":
                if (!item.IsBoolean)
                {
                    return Fail(item, $"'{field}': 'exists' takes true or false.") is not null;
                }

                into.Add(new ExistsMatcher(item.Value.Equals("true", StringComparison.OrdinalIgnoreCase)));
                return true;
            case "lt" or "lte" or "gt" or "gte":
                if (!decimal.TryParse(item.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var bound))
                {
                    return Fail(item, $"'{field}': comparison modifiers take a number, not '{YamlTree.Shorten(item.Value)}'.") is not null;
                }

                into.Add(new CompareMatcher(bound, modifiers.Kind[0] == 'l' ? -1 : 1, modifiers.Kind.EndsWith('e')));
                return true;
            case "cidr":
                if (!IpCanonicaliser.TryParseCidr(item.Value, out var block, out var reason))
                {
                    return Fail(item, $"'{field}': '{YamlTree.Shorten(item.Value)}' is {reason.TrimEnd('.')}.") is not null;
                }

                into.Add(new CidrMatcher(block));
                return true;
            case "re":
                if (!RegexMatcher.TryCreate(item.Value, modifiers.RegexFlags, out var regex, out var problem))
                {
                    return Fail(item, $"'{field}': {problem}") is not null;
                }

                into.Add(new RegexMatcher(regex!));
                return true;
            case "fieldref":
                if (item.IsNull || item.Value.Length == 0)
                {
                    return Fail(item, $"'{field}': 'fieldref' names another field.") is not null;
                }

                into.Add(new FieldReferenceMatcher(SlotOf(item.Value), modifiers.Part, modifiers.Cased));
                return true;
            default:
                return AddPatterns(key, item, modifiers, into);
        }
    }

    private bool AddPatterns(YamlScalar key, YamlScalar item, FieldModifiers modifiers, List<SigmaValueMatcher> into)
    {
        if (item.IsNull)
        {
            into.Add(NullMatcher.Instance);
            return true;
        }

        var values = new List<(string Text, bool Bytes)> { (item.Value, false) };
        foreach (var encoder in modifiers.Encoders)
        {
            if (!SigmaValueEncoding.TryApply(encoder, values, placeholders, out var reason))
            {
                return Fail(item, $"'{YamlTree.Shorten(key.Value)}': {reason}") is not null;
            }
        }

        foreach (var (text, _) in values)
        {
            into.Add(new PatternMatcher(SigmaPattern.Compile(text, modifiers.Cased, modifiers.Part)));
        }

        return true;
    }
}
