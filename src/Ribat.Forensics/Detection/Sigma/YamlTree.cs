using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ribat.Forensics.Detection;

/// <summary>A YAML node with its 1-based position. Aliases point at the anchored node; they are never copied.</summary>
internal abstract class YamlNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>Nodes this one stands for once aliases are expanded (saturating), which bounds every later walk.</summary>
    public long Weight { get; protected set; } = 1;
}

internal sealed class YamlScalar(int line, int column, string value, bool plain) : YamlNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>Unquoted: only a plain scalar can mean null, a boolean or a number.</summary>
    public bool Plain { get; } = plain;

    public bool IsNull => Plain && Value is "" or "~" or "null" or "Null" or "NULL";

    public bool IsBoolean => Plain && Value is "true" or "false" or "True" or "False" or "TRUE" or "FALSE";
}

internal sealed class YamlSequence(int line, int column) : YamlNode(line, column)
{
    public List<YamlNode> Items { get; } = [];

    public void Add(YamlNode item)
    {
        Items.Add(item);
        Weight = YamlTree.SaturatingAdd(Weight, item.Weight);
    }
}

internal sealed class YamlMapping(int line, int column) : YamlNode(line, column)
{
    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];

    public YamlNode? this[string key]
    {
        get
        {
            foreach (var entry in Entries)
            {
                if (entry.Key.Value == key)
                {
                    return entry.Value;
                }
            }

            return null;
        }
    }

    public void Add(YamlScalar key, YamlNode value)
    {
        Entries.Add(new(key, value));
        Weight = YamlTree.SaturatingAdd(Weight, 1 + value.Weight);
    }
}

/// <summary>
/// Builds a <see cref="YamlNode"/> tree from YamlDotNet's event parser, so that this code, not a deserialiser, decides
/// what hostile YAML costs: nesting is capped, aliases are counted and their expanded size is bounded (a "billion
/// laughs" document is refused, not expanded), duplicate keys and non-scalar keys are errors, and exactly one
/// document is accepted.
/// </summary>
internal static class YamlTree
{
    internal const int MaxDepth = 64;
    internal const int MaxAliases = 100;
    internal const long MaxExpandedNodes = 100_000;

    public static YamlNode? Read(string text, RuleReport report)
    {
        var state = new State(new Parser(new StringReader(text)), report);
        try
        {
            return state.ReadStream();
        }
        catch (YamlException exception)
        {
            report.Error(Line(exception.Start), Column(exception.Start), "not valid YAML: " + Describe(exception));
            return null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            // YamlDotNet's scanner throws these on some malformed input (e.g. certain control characters inside a
            // plain scalar) instead of a YamlException; it is still the text that is at fault.
            var at = state.LastPosition;
            report.Error(Line(at), Column(at), "not valid YAML: the text cannot be read as YAML after this point.");
            return null;
        }
    }

    internal static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    /// <summary>YamlDotNet prefixes its messages with the position, which the finding already carries.</summary>
    private static string Describe(YamlException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0)
        {
            message = message[(cut + 3)..];
        }

        return message.TrimEnd('.') + ".";
    }

    private sealed class State(Parser parser, RuleReport report)
    {
        private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
        private int _aliases;

        public Mark LastPosition { get; private set; } = Mark.Empty;

        public YamlNode? ReadStream()
        {
            Next<StreamStart>();
            if (parser.Current is StreamEnd)
            {
                report.Error(1, 1, "the rule is empty: no YAML document found.");
                return null;
            }

            Next<DocumentStart>();
            Advance();
            var root = ReadNode(0);
            if (root is null)
            {
                return null;
            }

            Expect<DocumentEnd>();
            Advance();
            if (parser.Current is DocumentStart second)
            {
                report.Error(Line(second.Start), Column(second.Start),
                    "more than one YAML document: a Sigma rule is one document (multi-document rule collections are not supported).");
                return null;
            }

            return root;
        }

        private YamlNode? ReadNode(int depth)
        {
            var current = parser.Current!;
            if (depth > MaxDepth)
            {
                report.Error(Line(current.Start), Column(current.Start), $"YAML nested deeper than {MaxDepth} levels.");
                return null;
            }

            YamlNode? node = current switch
            {
                Scalar scalar => new YamlScalar(Line(scalar.Start), Column(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain),
                AnchorAlias alias => ResolveAlias(alias),
                SequenceStart => ReadSequence(depth),
                MappingStart => ReadMapping(depth),
                _ => Unexpected(current),
            };
            if (node is null)
            {
                return null;
            }

            if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                _anchors[anchored.Anchor.Value] = node;
            }

            if (node.Weight > MaxExpandedNodes)
            {
                report.Error(Line(current.Start), Column(current.Start),
                    $"YAML aliases expand to more than {MaxExpandedNodes:N0} nodes (an alias bomb); the rule is refused.");
                return null;
            }

            Advance();
            return node;
        }

        private YamlNode? ResolveAlias(AnchorAlias alias)
        {
            if (++_aliases > MaxAliases)
            {
                report.Error(Line(alias.Start), Column(alias.Start), $"more than {MaxAliases} YAML aliases; the rule is refused.");
                return null;
            }

            if (!_anchors.TryGetValue(alias.Value.Value, out var target))
            {
                report.Error(Line(alias.Start), Column(alias.Start), $"YAML alias '*{alias.Value.Value}' refers to no anchor defined before it.");
                return null;
            }

            return target;
        }

        private YamlSequence? ReadSequence(int depth)
        {
            var start = parser.Current!.Start;
            var sequence = new YamlSequence(Line(start), Column(start));
            Advance();
            while (parser.Current is not SequenceEnd)
            {
                var item = ReadNode(depth + 1);
                if (item is null)
                {
                    return null;
                }

                sequence.Add(item);
                if (sequence.Weight > MaxExpandedNodes)
                {
                    TooLarge(start);
                    return null;
                }
            }

            return sequence;
        }

        private YamlMapping? ReadMapping(int depth)
        {
            var start = parser.Current!.Start;
            var mapping = new YamlMapping(Line(start), Column(start));
            var keys = new HashSet<string>(StringComparer.Ordinal);
            Advance();
            while (parser.Current is not MappingEnd)
            {
                if (parser.Current is not Scalar keyEvent)
                {
                    var at = parser.Current!.Start;
                    report.Error(Line(at), Column(at), "a mapping key must be a plain value, not a list, a mapping or an alias.");
                    return null;
                }

                var key = new YamlScalar(Line(keyEvent.Start), Column(keyEvent.Start), keyEvent.Value, keyEvent.Style == ScalarStyle.Plain);
                if (!keys.Add(key.Value))
                {
                    report.Error(key.Line, key.Column, $"duplicate key '{Shorten(key.Value)}': YAML forbids it, and one of the two values would be lost.");
                }

                Advance();
                var value = ReadNode(depth + 1);
                if (value is null)
                {
                    return null;
                }

                mapping.Add(key, value);
                if (mapping.Weight > MaxExpandedNodes)
                {
                    TooLarge(start);
                    return null;
                }
            }

            return mapping;
        }

        private void TooLarge(Mark start) =>
            report.Error(Line(start), Column(start), $"YAML aliases expand to more than {MaxExpandedNodes:N0} nodes (an alias bomb); the rule is refused.");

        private YamlNode? Unexpected(ParsingEvent current)
        {
            report.Error(Line(current.Start), Column(current.Start), $"unexpected YAML event {current.GetType().Name}.");
            return null;
        }

        private T Next<T>()
            where T : ParsingEvent
        {
            Advance();
            return Expect<T>();
        }

        private T Expect<T>()
            where T : ParsingEvent =>
            parser.Current as T ?? throw new YamlException(parser.Current?.Start ?? Mark.Empty, parser.Current?.End ?? Mark.Empty,
                $"expected {typeof(T).Name}, found {parser.Current?.GetType().Name ?? "the end of the text"}");

        private void Advance()
        {
            if (!parser.MoveNext())
            {
                throw new YamlException(LastPosition, LastPosition, "unexpected end of the YAML text");
            }

            LastPosition = parser.Current?.End ?? LastPosition;
        }
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static int Line(Mark mark) => (int)Math.Min(mark.Line, int.MaxValue);

    private static int Column(Mark mark) => (int)Math.Min(mark.Column, int.MaxValue);
}
