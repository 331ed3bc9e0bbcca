using System.Globalization;
using System.Text.RegularExpressions;
using Ribat.Core.Incidents;
using Ribat.Core.Indicators;
using Ribat.Core.Tenancy;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Ribat.Core.Exercises;

/// <summary>
/// Reads a scenario file (YAML) and checks it whole, reporting every problem with its line, column and reason.
/// Hostile input is refused before it is built into a tree: files over <see cref="MaxBytes"/>, nesting deeper than
/// <see cref="MaxDepth"/>, anchors and aliases (which a scenario never needs), and more than one document.
/// </summary>
public static partial class ScenarioParser
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDepth = 16;
    public const int MaxInjects = 10_000;
    public const double MinTimeScale = 0.01;
    public const double MaxTimeScale = 10_000;
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(30);
    public static readonly IReadOnlyList<string> InjectTypes = ["incident", "indicator", "sighting", "email", "timeline", "task", "task-status", "sitrep", "status"];

    private static readonly string[] TopKeys = ["name", "description", "timeScale", "nodes", "organisations", "injects"];
    private static readonly string[] NodeKeys = ["id", "name", "country"];
    private static readonly string[] OrganisationKeys = ["id", "node", "name", "country", "kind"];
    private static readonly string[] InjectKeys = ["at", "type", "node", "organisation", "title", "category", "severity", "participants", "indicatorType", "value", "subject", "body", "text", "assignee", "due", "status"];

    public static ScenarioReading Parse(string text)
    {
        var problems = new List<ScenarioProblem>();
        if (text.Length > MaxBytes)
        {
            return new ScenarioReading(null, [new ScenarioProblem(1, 1, $"the file is larger than {MaxBytes / 1024} KiB.")]);
        }

        if (Screen(text) is { } refused)
        {
            return new ScenarioReading(null, [refused]);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            return new ScenarioReading(null, [new ScenarioProblem((int)ex.Start.Line, (int)ex.Start.Column, "not valid YAML: " + Describe(ex))]);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            return new ScenarioReading(null, [Problem(at, "a scenario is a mapping with name, nodes, organisations and injects.")]);
        }

        var scenario = new Reader(problems).Scenario(root);
        return new ScenarioReading(problems.Count == 0 ? scenario : null, problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList());
    }

    /// <summary>Walks the events only, so that depth, aliases and documents are checked before anything is built.</summary>
    private static ScenarioProblem? Screen(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        var documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                switch (e)
                {
                    case AnchorAlias:
                        return new ScenarioProblem((int)e.Start.Line, (int)e.Start.Column, "aliases (*name) are not allowed in a scenario file; write the value out.");
                    case NodeEvent { Anchor.IsEmpty: false }:
                        return new ScenarioProblem((int)e.Start.Line, (int)e.Start.Column, "anchors (&name) are not allowed in a scenario file.");
                    case DocumentStart when ++documents > 1:
                        return new ScenarioProblem((int)e.Start.Line, (int)e.Start.Column, "a scenario file holds one YAML document.");
                    case MappingStart or SequenceStart when ++depth > MaxDepth:
                        return new ScenarioProblem((int)e.Start.Line, (int)e.Start.Column, $"nesting is deeper than {MaxDepth} levels.");
                    case MappingEnd or SequenceEnd:
                        depth--;
                        break;
                }
            }

            return null;
        }
        catch (YamlException ex)
        {
            return new ScenarioProblem((int)ex.Start.Line, (int)ex.Start.Column, "not valid YAML: " + Describe(ex));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            return new ScenarioProblem(Math.Max(1, (int)at.Line), Math.Max(1, (int)at.Column), "not valid YAML: the text cannot be read as YAML after this point.");
        }
    }

    private static string Describe(YamlException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message;
    }

    internal static ScenarioProblem Problem(YamlNode? node, string reason) =>
        new(node is null ? 1 : Math.Max(1, (int)node.Start.Line), node is null ? 1 : Math.Max(1, (int)node.Start.Column), reason);

    /// <summary>"90s", "15m", "2h", "1d", or hh:mm:ss.</summary>
    internal static bool TryOffset(string text, out TimeSpan offset)
    {
        var m = OffsetPattern().Match(text.Trim());
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            offset = m.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                _ => TimeSpan.FromDays(n),
            };
            return true;
        }

        return TimeSpan.TryParseExact(text.Trim(), [@"hh\:mm\:ss", @"h\:mm\:ss", @"d\.hh\:mm\:ss"], CultureInfo.InvariantCulture, out offset);
    }

    [GeneratedRegex(@"^(\d{1,7}(?:\.\d{1,3})?)(s|m|h|d)$")]
    private static partial Regex OffsetPattern();

    private sealed partial class Reader(List<ScenarioProblem> problems)
    {
        public Scenario Scenario(YamlMappingNode root)
        {
            Keys(root, TopKeys, "the scenario");
            var name = Required(root, "name", "the scenario", 200);
            var description = Optional(root, "description", 10_000);
            var scale = 1.0;
            if (Scalar(root, "timeScale") is { } s)
            {
                if (!double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out scale) || scale is < MinTimeScale or > MaxTimeScale || double.IsNaN(scale))
                {
                    problems.Add(Problem(s, $"timeScale '{s.Value}' is a number from 0.01 to 10000 (60 plays one scenario minute per second)."));
                    scale = 1;
                }
            }

            var nodes = List(root, "nodes", required: true).Select(Node).Where(n => n is not null).Select(n => n!).ToList();
            Unique(root, "nodes", nodes.Select(n => n.Id));
            var organisations = List(root, "organisations", required: true).Select(n => Organisation(n, nodes)).Where(o => o is not null).Select(o => o!).ToList();
            Unique(root, "organisations", organisations.Select(o => o.Id));
            var items = List(root, "injects", required: true);
            if (items.Count > MaxInjects)
            {
                problems.Add(Problem(root.Children[new YamlScalarNode("injects")], $"a scenario has at most {MaxInjects} injects."));
                items = items.Take(MaxInjects).ToList();
            }

            var injects = items.Select(n => Inject(n, nodes, organisations)).Where(i => i is not null).Select(i => i!).OrderBy(i => i.At).ToList();
            return new Scenario(name ?? string.Empty, description, scale, nodes, organisations, injects);
        }

        private ScenarioNode? Node(YamlNode item)
        {
            if (item is not YamlMappingNode map)
            {
                problems.Add(Problem(item, "a node is a mapping with id, name and country."));
                return null;
            }

            Keys(map, NodeKeys, "a node");
            var id = Identifier(map, "a node");
            var name = Required(map, "name", "a node", 200);
            var country = Country(map, "a node");
            return id is null || name is null || country is null ? null : new ScenarioNode(id, name, country);
        }

        private ScenarioOrganisation? Organisation(YamlNode item, List<ScenarioNode> nodes)
        {
            if (item is not YamlMappingNode map)
            {
                problems.Add(Problem(item, "an organisation is a mapping with id, node, name, country and kind."));
                return null;
            }

            Keys(map, OrganisationKeys, "an organisation");
            var id = Identifier(map, "an organisation");
            var node = Reference(map, "node", "an organisation", nodes.Select(n => n.Id), "nodes");
            var name = Required(map, "name", "an organisation", 200);
            var country = Country(map, "an organisation");
            var kind = "cert";
            if (Scalar(map, "kind") is { } k)
            {
                if (OrganisationKinds.TryParse(k.Value, out var parsed))
                {
                    kind = OrganisationKinds.Spell(parsed);
                }
                else
                {
                    problems.Add(Problem(k, $"kind '{k.Value}' is not one of: {OrganisationKinds.Choices}."));
                }
            }

            return id is null || node is null || name is null || country is null ? null : new ScenarioOrganisation(id, node, name, country, kind);
        }

        private Inject? Inject(YamlNode item, List<ScenarioNode> nodes, List<ScenarioOrganisation> organisations)
        {
            if (item is not YamlMappingNode map)
            {
                problems.Add(Problem(item, "an inject is a mapping with at, type, node and organisation."));
                return null;
            }

            var before = problems.Count;
            Keys(map, InjectKeys, "an inject");
            TimeSpan at = default;
            if (Scalar(map, "at") is { } a)
            {
                if (!TryOffset(a.Value!, out at) || at < TimeSpan.Zero || at > MaxOffset)
                {
                    problems.Add(Problem(a, $"at '{a.Value}' is an offset from the start such as 90s, 15m, 2h, 1d or 01:30:00, at most 30 days."));
                }
            }
            else
            {
                problems.Add(Problem(map, "an inject needs 'at', its offset from the start."));
            }

            var type = Required(map, "type", "an inject", 32);
            if (type is not null && !InjectTypes.Contains(type))
            {
                problems.Add(Problem(Scalar(map, "type"), $"type '{type}' is not one of: {string.Join(", ", InjectTypes)}."));
            }

            var node = Reference(map, "node", "an inject", nodes.Select(n => n.Id), "nodes");
            var organisation = Reference(map, "organisation", "an inject", organisations.Select(o => o.Id), "organisations");
            if (node is not null && organisation is not null && organisations.FirstOrDefault(o => o.Id == organisation) is { } org && org.Node != node)
            {
                problems.Add(Problem(Scalar(map, "organisation"), $"organisation '{organisation}' is on node '{org.Node}', not '{node}'."));
            }

            var inject = new Inject((int)map.Start.Line, at, type ?? string.Empty, node ?? string.Empty, organisation ?? string.Empty);
            inject = type switch
            {
                "incident" => inject with
                {
                    Title = Required(map, "title", "an incident inject", 300),
                    Category = Checked(map, "category", "an incident inject", v => IncidentTaxonomy.TryParse(v, out _), "is not a category of the ENISA reference taxonomy (class:type)"),
                    Severity = Checked(map, "severity", "an incident inject", v => IncidentSeverities.TryParse(v, out _), $"is not a severity ({IncidentSeverities.Choices})"),
                    Participants = References(map, "participants", organisations.Select(o => o.Id)),
                },
                "indicator" or "sighting" => inject with
                {
                    IndicatorType = Checked(map, "indicatorType", $"a{(type == "indicator" ? "n indicator" : " sighting")} inject", IndicatorTypes.IsKnown, "is not an indicator type"),
                    Value = Required(map, "value", $"a{(type == "indicator" ? "n indicator" : " sighting")} inject", 2048),
                },
                "email" => inject with { Subject = Required(map, "subject", "an email inject", 300), Body = Optional(map, "body", 20_000) },
                "timeline" => inject with { Text = Required(map, "text", "a timeline inject", 10_000) },
                "task" => inject with
                {
                    Title = Required(map, "title", "a task inject", 300),
                    Assignee = Reference(map, "assignee", "a task inject", organisations.Select(o => o.Id), "organisations"),
                    Due = Due(map, at),
                    Text = Optional(map, "text", 10_000),
                },
                "task-status" => inject with
                {
                    Title = Required(map, "title", "a task-status inject", 300),
                    Status = Checked(map, "status", "a task-status inject", v => IncidentTaskStatuses.TryParse(v, out _), $"is not a task status ({IncidentTaskStatuses.Choices})"),
                },
                "sitrep" => inject with { Title = Optional(map, "title", 300), Text = Optional(map, "text", 20_000) },
                "status" => inject with
                {
                    Status = Checked(map, "status", "a status inject", v => IncidentStatusMachine.TryParse(v, out var s) && s != IncidentStatus.Merged,
                        $"is not a status an incident moves to here ({string.Join(", ", Enum.GetValues<IncidentStatus>().Where(s => s != IncidentStatus.Merged).Select(s => s.Spell()))})"),
                    Text = Optional(map, "text", 2000),
                },
                _ => inject,
            };
            if (inject is { Type: "indicator" or "sighting", IndicatorType: { } t, Value: { } value } && !IndicatorTypes.TryCanonicalise(t, value, out _, out var reason))
            {
                problems.Add(Problem(Scalar(map, "value"), $"value '{value}' is not a valid {t}: {reason}"));
            }

            return problems.Count == before ? inject : null;
        }

        /// <summary>A task's due time, an offset from the start like <c>at</c>, and not before the inject itself.</summary>
        private TimeSpan? Due(YamlMappingNode map, TimeSpan at)
        {
            if (Scalar(map, "due") is not { } d)
            {
                return null;
            }

            if (!TryOffset(d.Value!, out var due) || due < TimeSpan.Zero || due > MaxOffset)
            {
                problems.Add(Problem(d, $"due '{d.Value}' is an offset from the start such as 45m or 2h, at most 30 days."));
                return null;
            }

            if (due < at)
            {
                problems.Add(Problem(d, $"due '{d.Value}' falls before the inject's own offset; a task is due after it is assigned."));
                return null;
            }

            return due;
        }

        private void Keys(YamlMappingNode map, string[] allowed, string what)
        {
            foreach (var key in map.Children.Keys)
            {
                if (key is not YamlScalarNode { Value: { } name } || !allowed.Contains(name))
                {
                    problems.Add(Problem(key, $"'{(key as YamlScalarNode)?.Value}' is not a field of {what} (fields: {string.Join(", ", allowed)})."));
                }
            }
        }

        private static YamlScalarNode? Scalar(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode { Value: { Length: > 0 } } scalar ? scalar : null;

        private List<YamlNode> List(YamlMappingNode map, string key, bool required)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                if (required)
                {
                    problems.Add(Problem(map, $"the scenario needs '{key}', a list."));
                }

                return [];
            }

            if (node is not YamlSequenceNode sequence)
            {
                problems.Add(Problem(node, $"'{key}' is a list."));
                return [];
            }

            return [.. sequence.Children];
        }

        private string? Required(YamlMappingNode map, string key, string what, int max)
        {
            if (map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is not YamlScalarNode)
            {
                problems.Add(Problem(node, $"'{key}' of {what} is a single value."));
                return null;
            }

            var scalar = Scalar(map, key);
            if (scalar is null || string.IsNullOrWhiteSpace(scalar.Value))
            {
                problems.Add(Problem(map, $"{what} needs '{key}'."));
                return null;
            }

            if (scalar.Value.Length > max)
            {
                problems.Add(Problem(scalar, $"'{key}' is at most {max} characters."));
                return null;
            }

            return scalar.Value.Trim();
        }

        private string? Optional(YamlMappingNode map, string key, int max)
        {
            if (map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is not YamlScalarNode)
            {
                problems.Add(Problem(node, $"'{key}' is a single value."));
                return null;
            }

            var scalar = Scalar(map, key);
            if (scalar is not null && scalar.Value!.Length > max)
            {
                problems.Add(Problem(scalar, $"'{key}' is at most {max} characters."));
                return null;
            }

            return scalar?.Value?.Trim();
        }

        private string? Checked(YamlMappingNode map, string key, string what, Func<string, bool> valid, string reason)
        {
            var value = Required(map, key, what, 200);
            if (value is not null && !valid(value))
            {
                problems.Add(Problem(Scalar(map, key), $"{key} '{value}' {reason}."));
                return null;
            }

            return value;
        }

        private string? Identifier(YamlMappingNode map, string what)
        {
            var id = Required(map, "id", what, 64);
            if (id is not null && !IdPattern().IsMatch(id))
            {
                problems.Add(Problem(Scalar(map, "id"), $"id '{id}' is letters, digits, '-' and '_' only."));
                return null;
            }

            return id;
        }

        private string? Country(YamlMappingNode map, string what)
        {
            var text = Required(map, "country", what, 8);
            if (text is not null && !Countries.TryNormalise(text, out var code))
            {
                problems.Add(Problem(Scalar(map, "country"), $"country '{text}' is not an ISO 3166-1 alpha-2 code."));
                return null;
            }

            return text is null ? null : Countries.TryNormalise(text, out var normal) ? normal : null;
        }

        private string? Reference(YamlMappingNode map, string key, string what, IEnumerable<string> known, string list)
        {
            var id = Required(map, key, what, 64);
            if (id is not null && !known.Contains(id))
            {
                problems.Add(Problem(Scalar(map, key), $"{key} '{id}' is not declared under '{list}'."));
                return null;
            }

            return id;
        }

        private List<string> References(YamlMappingNode map, string key, IEnumerable<string> known)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return [];
            }

            if (node is not YamlSequenceNode sequence)
            {
                problems.Add(Problem(node, $"'{key}' is a list of organisation ids."));
                return [];
            }

            var ids = new List<string>();
            foreach (var item in sequence.Children)
            {
                if (item is YamlScalarNode { Value: { } id } && known.Contains(id))
                {
                    ids.Add(id);
                }
                else
                {
                    problems.Add(Problem(item, $"'{(item as YamlScalarNode)?.Value}' is not declared under 'organisations'."));
                }
            }

            return ids;
        }

        private void Unique(YamlMappingNode root, string key, IEnumerable<string> ids)
        {
            foreach (var duplicate in ids.GroupBy(i => i).Where(g => g.Count() > 1))
            {
                problems.Add(Problem(root.Children[new YamlScalarNode(key)], $"id '{duplicate.Key}' is declared twice under '{key}'."));
            }
        }

        [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
        private static partial Regex IdPattern();
    }
}
